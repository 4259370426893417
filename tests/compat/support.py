"""Small helpers for the compat suite, built only on the plugin's public fixtures.

Values are written in DynamoDB's wire form (``{"S": "a"}``) because the suite tests what the
server accepts and answers, not what an SDK's type layer does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Context, Decimal
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


# --- Sizes, nesting and refusals (compat-b: limits, control plane, PartiQL batches, types) ----
#
# DynamoDB's item-size gate resolves to the byte: 409,600 bytes are stored and 409,601 are
# refused (Developer Guide, "Constraints": Item size; recorded AWS answers of the public
# conformance suite paritysuite/dynamodb-conformance, 2026-08). An item's size is the UTF-8
# length of every attribute name plus the size of each value: a string's UTF-8 bytes, a
# binary's raw bytes, and for a number the figure below.

MAX_ITEM_BYTES = 400 * 1024


def number_bytes(literal: str) -> int:
    """The bytes DynamoDB charges for a Number, as measured against AWS (2026-08).

    ``1 + ceil(integer digits / 2) + ceil(fraction digits / 2) + 1 if negative``, over the
    significant digits with leading and trailing zeros trimmed; zero costs 1, and the
    exponent costs nothing. The Developer Guide's "1 byte per two significant digits plus 1"
    is an approximation that the recorded answers correct.
    """
    value = Decimal(literal)
    if value.is_zero():
        return 1
    # A context wider than any DynamoDB number, so that trimming zeros never rounds.
    sign, digits, exponent = Context(prec=200).normalize(value).as_tuple()
    assert isinstance(exponent, int)
    text = "".join(map(str, digits))
    point = len(text) + exponent  # where the decimal point falls in the digit string
    if point <= 0:
        integer, fraction = "", text
    elif point >= len(text):
        integer, fraction = text.rstrip("0"), ""
    else:
        integer, fraction = text[:point], text[point:]
    return 1 + -(-len(integer) // 2) + -(-len(fraction) // 2) + sign


def value_bytes(value: dict[str, Any]) -> int:
    """The size of one S, B or N value; other types have no recorded sizing rule."""
    ((kind, inner),) = value.items()
    if kind == "S":
        return len(inner.encode())
    if kind == "B":
        return len(inner)
    if kind == "N":
        return number_bytes(inner)
    raise ValueError(f"no recorded sizing rule for {kind}")


def item_bytes(item: Item) -> int:
    """An item's size: every attribute name's UTF-8 bytes plus its S, B or N value."""
    return sum(len(name.encode()) + value_bytes(value) for name, value in item.items())


def padded_item(base: Item, total: int, name: str = "p") -> Item:
    """``base`` plus a string attribute ``name`` sized so the item measures ``total`` bytes."""
    fill = total - item_bytes(base) - len(name.encode())
    assert fill >= 0, f"{base} leaves no room for {total} bytes"
    item = {**base, name: {"S": "x" * fill}}
    assert item_bytes(item) == total
    return item


def nested(levels: int, kinds: str = "M") -> dict[str, Any]:
    """A string leaf wrapped in ``levels`` maps or lists, cycling through ``kinds``.

    ``nested(1)`` is ``{"M": {"n": {"S": "leaf"}}}``: the attribute itself is level 1 and
    the leaf level 2, so ``nested(31)`` is the deepest value DynamoDB stores (32 levels).
    """
    value: dict[str, Any] = {"S": "leaf"}
    for level in range(levels):
        kind = kinds[level % len(kinds)]
        value = {"M": {"n": value}} if kind == "M" else {"L": [value]}
    return value


def refusal(operation: Callable[..., Any], **kwargs: Any) -> dict[str, str]:
    """Call ``operation`` expecting a refusal whose error code is not established.

    Asserts what is documented, that the request is refused, and that it is refused like a
    service refuses a bad request (HTTP 4xx); the code and message are left to the report.
    """
    with pytest.raises(ClientError) as raised:
        operation(**kwargs)
    response = raised.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] < 500, response["Error"]
    return response["Error"]
