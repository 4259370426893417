"""Seed items for declared tables: read from JSON, written with BatchWriteItem.

A seed file holds either

- a list of items in plain JSON, as the boto3 resource takes them
  (``[{"PK": "PERSON", "SK": "Smith#John", "age": 42}]``; numbers become ``N``), or
- the request of ``aws dynamodb batch-write-item --request-items file://...``: an object
  mapping a table name (any: the declared table is used) to ``PutRequest`` entries in
  DynamoDB JSON (``{"PersonTestTable": [{"PutRequest": {"Item": {"PK": {"S": ...}}}}]}``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from boto3.dynamodb.types import TypeSerializer

from ddbmatrix.declarations import DeclarationError

__all__ = ["load_seed", "serialize", "write_items"]

Item = dict[str, Any]
_BATCH = 25
_ATTEMPTS = 20


def serialize(item: Mapping[str, Any]) -> Item:
    """Return ``item`` (plain values) in DynamoDB JSON."""
    serializer = TypeSerializer()
    return {name: serializer.serialize(value) for name, value in item.items()}


def load_seed(path: Path) -> list[Item]:
    """Return the items of a seed file in DynamoDB JSON (see the module docstring)."""
    try:
        data = json.loads(path.read_text(), parse_float=Decimal)
    except OSError as error:
        raise DeclarationError(f"seed {path}: cannot read it ({error.strerror})") from None
    except ValueError as error:
        raise DeclarationError(f"seed {path}: not valid JSON ({error})") from None
    try:
        if isinstance(data, list):
            return [serialize(item) for item in data]
        if isinstance(data, dict):
            return [
                dict(request["PutRequest"]["Item"])
                for requests in data.values()
                for request in requests
            ]
    except (TypeError, KeyError, AttributeError) as error:
        raise DeclarationError(
            f"seed {path}: expected a list of items or a batch-write-item request ({error!r})"
        ) from None
    raise DeclarationError(f"seed {path}: expected a list of items or a batch-write-item request")


def write_items(client: Any, table: str, items: Iterable[Item]) -> int:
    """Put ``items`` (DynamoDB JSON) into ``table`` in batches; return how many were written."""
    pending = [{"PutRequest": {"Item": item}} for item in items]
    written = len(pending)
    for start in range(0, len(pending), _BATCH):
        batch = {table: pending[start : start + _BATCH]}
        for attempt in range(_ATTEMPTS):
            response = client.batch_write_item(RequestItems=batch)
            batch = response.get("UnprocessedItems") or {}
            if not batch:
                break
            time.sleep(0.05 * (attempt + 1))
        else:
            raise RuntimeError(f"seeding {table}: items still unprocessed after {_ATTEMPTS} tries")
    return written
