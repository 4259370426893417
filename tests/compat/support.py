"""Small helpers for the compat suite, built only on the plugin's public fixtures.

Values are written in DynamoDB's wire form (``{"S": "a"}``) because the suite tests what the
server accepts and answers, not what an SDK's type layer does.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from decimal import Context, Decimal
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


def this_hour() -> int:
    """Return the start of the current UTC hour, in epoch seconds.

    Times a test writes (TTL attributes, stream timestamps) are compared across backends like
    any other request value: taken from the hour, not the second, they are the same on every
    backend of a run, while ``this_hour() - 60`` is still past and ``this_hour() + 3600``
    still future.
    """
    return int(time.time()) // 3600 * 3600


def untagged_table(client: Any, name: str) -> str:
    """Create an on-demand table keyed by ``pk`` (S) under ``name``; return its ARN when ACTIVE.

    For tests that count a table's tags. On the AWS backend, tables from ``make_table`` carry
    the harness's ``ddbmatrix:*`` tags (``ddbmatrix aws-cleanup`` deletes only tables they
    prove to be the run's); a table the test creates itself (``new_table_name()``, deleted at
    the end all the same) carries none, on every backend.
    """
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return str(wait_active(client, name)["TableArn"])
