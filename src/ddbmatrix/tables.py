"""Table specs and the factory that creates uniquely named tables for one test.

A spec is written the short way::

    make_table(
        keys={"pk": "S", "sk": "N"},                 # HASH first, then RANGE (optional)
        gsis={"by_email": {"keys": {"email": "S"}, "projection": "ALL"}},
        lsis={"by_date": {"keys": {"pk": "S", "date": "S"}, "projection": ["title"]}},
        billing_mode="PAY_PER_REQUEST",
    )

``projection`` is ``"ALL"``, ``"KEYS_ONLY"`` or a list of attribute names (``INCLUDE``).
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotoConnectionError

__all__ = ["IndexSpec", "TableFactory", "TableSpec", "poll_delays", "table_name_prefix"]

_ACTIVE_TIMEOUT = 60.0
#: dynalite and dynoxide answer CreateTable with CREATING and are ACTIVE by the very next
#: DescribeTable (measured: one describe, sent at once, in 35 of 35 creates on each); a fixed
#: 20 ms first sleep doubled a short test, and even a 1 ms one was a tenth of a test on
#: dynoxide. So ask again at once, then back off from 1 ms, so that a backend that takes
#: seconds (real AWS, a GSI on DynamoDB Local) is asked at most every 50 ms.
_FIRST_POLL = 0.001
_MAX_POLL = 0.05
_THROUGHPUT = {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}


def table_name_prefix(run_id: str) -> str:
    """Return the prefix of every table of one run (so the run can clean up after itself)."""
    return f"ddbm-{run_id}-"


def _key_schema(keys: Mapping[str, str]) -> list[dict[str, str]]:
    if not 1 <= len(keys) <= 2:
        raise ValueError(f"keys must name a hash key and optionally a range key, got {keys}")
    return [
        {"AttributeName": name, "KeyType": key_type}
        for name, key_type in zip(keys, ("HASH", "RANGE"), strict=False)
    ]


def _projection(projection: str | Sequence[str]) -> dict[str, Any]:
    if isinstance(projection, str):
        return {"ProjectionType": projection}
    return {"ProjectionType": "INCLUDE", "NonKeyAttributes": list(projection)}


@dataclass(frozen=True)
class IndexSpec:
    keys: Mapping[str, str]
    projection: str | Sequence[str] = "ALL"

    @classmethod
    def of(cls, value: IndexSpec | Mapping[str, Any]) -> IndexSpec:
        return value if isinstance(value, IndexSpec) else cls(**value)

    def request(self, name: str, provisioned: bool) -> dict[str, Any]:
        index: dict[str, Any] = {
            "IndexName": name,
            "KeySchema": _key_schema(self.keys),
            "Projection": _projection(self.projection),
        }
        if provisioned:
            index["ProvisionedThroughput"] = _THROUGHPUT
        return index


@dataclass(frozen=True)
class TableSpec:
    """What a test needs of a table; the name is chosen by the factory."""

    keys: Mapping[str, str]
    gsis: Mapping[str, IndexSpec] = field(default_factory=dict)
    lsis: Mapping[str, IndexSpec] = field(default_factory=dict)
    billing_mode: str = "PAY_PER_REQUEST"

    @classmethod
    def build(
        cls,
        keys: Mapping[str, str],
        gsis: Mapping[str, IndexSpec | Mapping[str, Any]] | None = None,
        lsis: Mapping[str, IndexSpec | Mapping[str, Any]] | None = None,
        billing_mode: str = "PAY_PER_REQUEST",
    ) -> TableSpec:
        return cls(
            keys=dict(keys),
            gsis={name: IndexSpec.of(index) for name, index in (gsis or {}).items()},
            lsis={name: IndexSpec.of(index) for name, index in (lsis or {}).items()},
            billing_mode=billing_mode,
        )

    def create_table_request(self, name: str) -> dict[str, Any]:
        """Return the CreateTable parameters for a table called ``name``."""
        provisioned = self.billing_mode == "PROVISIONED"
        attributes: dict[str, str] = {}
        for keys in (self.keys, *(i.keys for i in (*self.gsis.values(), *self.lsis.values()))):
            for attribute, attribute_type in keys.items():
                if attributes.setdefault(attribute, attribute_type) != attribute_type:
                    raise ValueError(f"attribute {attribute!r} is declared with two types")
        request: dict[str, Any] = {
            "TableName": name,
            "KeySchema": _key_schema(self.keys),
            "AttributeDefinitions": [
                {"AttributeName": a, "AttributeType": t} for a, t in attributes.items()
            ],
            "BillingMode": self.billing_mode,
        }
        if provisioned:
            request["ProvisionedThroughput"] = _THROUGHPUT
        if self.gsis:
            request["GlobalSecondaryIndexes"] = [
                index.request(n, provisioned) for n, index in self.gsis.items()
            ]
        if self.lsis:
            request["LocalSecondaryIndexes"] = [
                index.request(n, False) for n, index in self.lsis.items()
            ]
        return request


def poll_delays(first: float = _FIRST_POLL, cap: float = _MAX_POLL) -> Iterator[float]:
    """Yield the sleeps between DescribeTable calls: none, then ``first`` doubling to ``cap``."""
    yield 0.0
    delay = first
    while True:  # unbounded by design: each caller stops at its own deadline
        yield delay
        delay = min(cap, delay * 2)


def _is_active(description: Mapping[str, Any]) -> bool:
    indexes = description.get("GlobalSecondaryIndexes", [])
    return description.get("TableStatus") == "ACTIVE" and all(
        index.get("IndexStatus", "ACTIVE") == "ACTIVE" for index in indexes
    )


class TableFactory:
    """Create tables for one test and delete them afterwards.

    ``client`` must be a low-level DynamoDB client; its calls are the fixture's, so callers
    run the factory with recording paused. For real AWS, ``wait_deleted`` waits until each
    table is gone (so a run never leaves tables in DELETING behind) and ``slot`` bounds how
    many table operations run at once across processes (AWS throttles control-plane calls),
    and ``tags`` go on every table it creates (the run's tags: see ``aws-cleanup``).
    """

    def __init__(
        self,
        client: Any,
        prefix: str,
        *,
        wait_deleted: bool = False,
        slot: Callable[[], AbstractContextManager[object]] = contextlib.nullcontext,
        tags: Sequence[Mapping[str, str]] = (),
    ) -> None:
        self.client = client
        self.prefix = prefix
        self.tags = [dict(tag) for tag in tags]
        self.wait_deleted = wait_deleted
        self.slot = slot
        #: generated name -> the label the report shows instead (``table1``, ``orders``, ...).
        self.labels: dict[str, str] = {}
        #: labelled tables that another factory owns and deletes (module-scoped tables).
        self._shared: set[str] = set()

    def new_name(self, label: str | None = None) -> str:
        """Return a fresh table name, deleted at the end if a table of that name exists."""
        # Creation order first: ListTables sorts by name, so a test's own tables come back
        # in the same order on every run; the random rest keeps names unique.
        name = f"{self.prefix}{len(self.labels):02x}{uuid.uuid4().hex[:8]}"
        label = label or f"table{len(self.labels) + 1}"
        if label in self.labels.values():
            raise ValueError(f"two tables of one test are labelled {label!r}")
        self.labels[name] = label
        return name

    def share(self, name: str, label: str) -> None:
        """Label a table that another factory created and will delete (a module's table)."""
        if label in self.labels.values():
            raise ValueError(f"two tables of one test are labelled {label!r}")
        self.labels[name] = label
        self._shared.add(name)

    def create(self, spec: TableSpec, label: str | None = None) -> str:
        """Create a table from ``spec``; wait until it and its indexes are ACTIVE."""
        name = self.new_name(label)
        self.create_named(spec, name)
        return name

    def create_named(self, spec: TableSpec, name: str) -> None:
        """Create ``spec`` under a name the caller chose (the table pool's); wait until ACTIVE."""
        request = spec.create_table_request(name)
        if self.tags:
            request["Tags"] = self.tags
        with self.slot():
            response = self.client.create_table(**request)
            self._wait_active(name, response["TableDescription"])

    def keep(self, name: str) -> None:
        """Leave ``name`` to its owner (the table pool): :meth:`delete_all` skips it."""
        self._shared.add(name)

    def _describe(self, name: str) -> Mapping[str, Any] | None:
        try:
            return self.client.describe_table(TableName=name)["Table"]  # type: ignore[no-any-return]
        except ClientError as error:
            if error.response["Error"]["Code"] == "ResourceNotFoundException":
                return None
            raise

    def _wait_active(self, name: str, description: Mapping[str, Any] | None) -> None:
        # Polling, not boto3's table_exists waiter: the waiter sleeps 20 s between polls.
        # A table that CreateTable already answered ACTIVE (moto, ministack) is not polled.
        deadline = time.monotonic() + _ACTIVE_TIMEOUT
        delays = poll_delays()
        while description is not None and not _is_active(description):
            if time.monotonic() > deadline:
                raise TimeoutError(f"table {name} not ACTIVE after {_ACTIVE_TIMEOUT:.0f} s")
            if delay := next(delays):
                time.sleep(delay)
            description = self._describe(name)

    def _wait_gone(self, name: str) -> None:
        deadline = time.monotonic() + _ACTIVE_TIMEOUT
        delays = poll_delays()
        while self._describe(name) is not None:
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"table {name} still exists {_ACTIVE_TIMEOUT:.0f} s after delete"
                )
            if delay := next(delays):
                time.sleep(delay)

    def delete(self, name: str) -> None:
        """Delete one table of this run, waiting first if it is still CREATING or UPDATING."""
        if not name.startswith(self.prefix):
            raise ValueError(f"refusing to delete {name!r}: not a table of this run")
        with self.slot():
            try:
                self.client.delete_table(TableName=name)
            except ClientError as error:
                code = error.response["Error"]["Code"]
                if code == "ResourceNotFoundException":
                    return
                if code != "ResourceInUseException":
                    raise
                self._wait_active(name, self._describe(name))
                self.client.delete_table(TableName=name)
            if self.wait_deleted:
                self._wait_gone(name)

    def delete_all(self) -> None:
        """Delete every table this factory named; tables already gone are fine."""
        for name in self.labels:
            if name in self._shared:
                continue
            try:
                self.delete(name)
            except (BotoConnectionError, HTTPClientError):
                return  # the server is gone (a crash is reported on its own); nothing to delete
