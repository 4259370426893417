"""Small helpers for the compat suite, built only on the plugin's public fixtures.

Values are written in DynamoDB's wire form (``{"S": "a"}``) because the suite tests what the
server accepts and answers, not what an SDK's type layer does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest
from botocore.exceptions import ClientError

Item = dict[str, dict[str, Any]]


def s(value: str) -> dict[str, str]:
    return {"S": value}


def n(value: int | float | str) -> dict[str, str]:
    return {"N": str(value)}


def b(value: bytes) -> dict[str, bytes]:
    return {"B": value}


def put_all(client: Any, table: str, items: Iterable[Item]) -> None:
    for item in items:
        client.put_item(TableName=table, Item=item)


def error_of(operation: Callable[..., Any], **kwargs: Any) -> dict[str, str]:
    """Call ``operation`` expecting the server to reject it; return ``{"Code", "Message"}``."""
    with pytest.raises(ClientError) as raised:
        operation(**kwargs)
    return raised.value.response["Error"]


def assert_error(error: dict[str, str], code: str, *phrases: str) -> None:
    """Assert an error's code and that its message holds each phrase (case-insensitive).

    AWS's wording drifts (since 2026 some messages gain a "1 validation error detected"
    prefix and change case), so only a stable phrase is asserted; the report shows wording.
    """
    assert error["Code"] == code, error
    message = error.get("Message", "").lower()
    for phrase in phrases:
        assert phrase.lower() in message, error


def sort_keys(items: list[Item], name: str = "sk") -> list[str]:
    """Return the sort-key values of ``items`` in the order they came back."""
    return [next(iter(item[name].values())) for item in items]


def observe(operation: Callable[..., Any], **kwargs: Any) -> dict[str, Any]:
    """Make a call whose correct answer is not established; return the response or error.

    For behaviour no AWS documentation or recorded AWS run settles: the call is recorded and
    the report shows how the backends split. The one thing asserted is that the server
    answered the request like a service (real DynamoDB never answers HTTP 5xx to a
    well-formed request it merely dislikes).
    """
    try:
        return operation(**kwargs)
    except ClientError as error:
        response = error.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] < 500, response["Error"]
    return {"Error": response["Error"]}
