"""Small helpers for the compat suite, built only on the plugin's public fixtures.

Values are written in DynamoDB's wire form (``{"S": "a"}``) because the suite tests what the
server accepts and answers, not what an SDK's type layer does.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import pytest
from botocore.exceptions import ClientError

Item = dict[str, dict[str, Any]]
T = TypeVar("T")


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


# -- Streams, time to live, capacity (compat-a) -----------------------------------------------


def eventually(probe: Callable[[], T], done: Callable[[T], bool], budget: float = 10.0) -> T:
    """Call ``probe`` until ``done(result)`` holds or ``budget`` seconds pass; return the result.

    Emulators answer at once; AWS applies table, stream and index changes within seconds.
    Pauses grow from 20 ms to 1 s, so a backend that never gets there costs the budget, no more.
    """
    deadline = time.monotonic() + budget
    pause = 0.02
    result = probe()
    while not done(result) and time.monotonic() < deadline:
        time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
        pause = min(pause * 1.5, 1.0)
        result = probe()
    return result


def settle_budget(endpoint: str) -> float:
    """Seconds to wait for a write to show in a stream: 1 on a local emulator, 20 elsewhere.

    Emulators apply a write to the stream before answering it; AWS publishes records in near
    real time (the public conformance runs saw them within about a second) and ScyllaDB's AWS
    runs allow 15 s. The budget only costs time where the expected record never comes.
    """
    return 1.0 if urlsplit(endpoint).hostname in {"127.0.0.1", "localhost", "::1"} else 20.0


def wait_active(client: Any, table: str, budget: float = 60.0) -> dict[str, Any]:
    """DescribeTable until the table (and each GSI) is ACTIVE; return the last description."""

    def active(description: dict[str, Any]) -> bool:
        indexes = description.get("GlobalSecondaryIndexes", [])
        return description.get("TableStatus") == "ACTIVE" and all(
            index.get("IndexStatus") == "ACTIVE" for index in indexes
        )

    return eventually(
        lambda: client.describe_table(TableName=table)["Table"], active, budget=budget
    )


def string_item(key: Item, total: int, name: str = "pad") -> Item:
    """``key`` plus one string attribute ``name``, the whole item measuring ``total`` bytes.

    An item's size is the UTF-8 length of each attribute name plus its value's size; a string
    value counts its UTF-8 bytes (Developer Guide, "Item sizes and formats"). ``key`` must
    hold string values only.
    """
    used = sum(len(k.encode()) + len(v["S"].encode()) for k, v in key.items())
    return {**key, name: s("x" * (total - used - len(name.encode())))}
