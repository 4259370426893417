"""The table pool: ``make_table`` tables made ahead, emptied and reused, never shared at once.

Creating, waiting for and deleting a table per test was 39 % of a compat run's calls. With
``--ddb-table-pool=on`` (ini ``ddb_table_pool``) each pytest process (each xdist worker)
keeps idle tables per backend, table spec and position (a test's first table, its second,
...). ``make_table`` takes an idle table of exactly the spec asked for, or creates one as
before; when the test ends its tables go back to the pool, emptied in a background thread
(a consistent Scan of the keys, BatchWriteItem deletes), and the next test of that spec
takes one that is ready.

What a test observes does not change: the table is ACTIVE, empty and of exactly its spec
(keys, indexes, billing; no stream, no TTL, no tags, as a new one), its name is a fresh
one's in form and in order (a test's n-th table's name starts with n, as the factory's
do: ListTables sorts by name), and it is labelled for the report as a new table would be,
so names normalize alike. The pool's own calls are ddbmatrix's, never recorded.

A table goes back only if the test did nothing to it but read and write items: a test whose
calls include any other operation (UpdateTable, UpdateTimeToLive, TagResource, DeleteTable,
a backup, ...) loses its tables, deleted as without the pool; so does a test whose calls
were not recorded, and a table with more items than emptying is worth (it is deleted and
a new one made in the background instead). Never on real AWS: there secondary indexes are
eventually consistent, so an emptied table's index could still answer with deleted items.
"""

from __future__ import annotations

import inspect
import json
import logging
import queue
import re
import threading
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import pytest
from botocore.exceptions import BotoCoreError, ClientError

from ddbmatrix.backends import Server
from ddbmatrix.context import BackendContext
from ddbmatrix.options import switch
from ddbmatrix.tables import TableFactory, TableSpec

__all__ = [
    "DATA_OPERATIONS",
    "TablePool",
    "leaves_tables_as_made",
    "lists_tables",
    "pool_wanted",
    "server_token",
]

_log = logging.getLogger(__name__)

#: Operations that leave a table's definition as it was: items and reads only.
DATA_OPERATIONS = frozenset(
    {
        "GetItem",
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "Query",
        "Scan",
        "BatchGetItem",
        "BatchWriteItem",
        "TransactGetItems",
        "TransactWriteItems",
        # PartiQL in DynamoDB is DML only: it cannot change a table's definition.
        "ExecuteStatement",
        "BatchExecuteStatement",
        "ExecuteTransaction",
        "DescribeTable",
        "DescribeTimeToLive",
        "DescribeContinuousBackups",
        "DescribeContributorInsights",
        "DescribeKinesisStreamingDestination",
        "DescribeLimits",
        "DescribeEndpoints",
        "DescribeTableReplicaAutoScaling",
        "ListTables",
        "ListTagsOfResource",
        "ListBackups",
        "ListGlobalTables",
        "ListExports",
        "ListImports",
        "GetResourcePolicy",
        # DynamoDB Streams reads
        "ListStreams",
        "DescribeStream",
        "GetShardIterator",
        "GetRecords",
    }
)
#: Beyond this many items, delete the table and make a new one rather than empty it.
MAX_ITEMS_TO_EMPTY = 100
_BATCH = 25
#: BatchWriteItem may leave items unprocessed (throttling); retry this often, then give up.
_BATCH_ATTEMPTS = 5
#: How many idle tables one (backend, spec, position) keeps; the rest are deleted.
MAX_IDLE = 2
#: How long a test waits for a table of its spec being emptied before making its own.
_WAIT_FOR_EMPTYING = 5.0
#: How long a test that lists tables waits for the pool's background work to finish.
_DRAIN_TIMEOUT = 60.0
_LISTS_TABLES = re.compile(r"\blist_tables\b|\bListTables\b")
_lists_tables: dict[str, bool] = {}


def lists_tables(module: ModuleType | None) -> bool:
    """Whether ``module``'s source mentions ListTables: its tests may see every table.

    Such a test must not see the pool's idle tables (the number of ListTables pages would
    change), so the pool is drained before it. A module whose source cannot be read counts
    as one that lists tables.
    """
    if module is None:
        return True
    name = module.__name__
    if name not in _lists_tables:
        try:
            source = inspect.getsource(module)
        except (OSError, TypeError):
            _lists_tables[name] = True
        else:
            _lists_tables[name] = bool(_LISTS_TABLES.search(source))
    return _lists_tables[name]


def leaves_tables_as_made(calls: Iterable[Mapping[str, Any]] | None) -> bool:
    """Whether a test's recorded calls left its tables as they were made (only item work).

    None (nothing was recorded) is not known to: the tables are not reused.
    """
    if calls is None:
        return False
    return all(call.get("operation") in DATA_OPERATIONS for call in calls)


def pool_wanted(config: pytest.Config) -> bool:
    """Return ``--ddb-table-pool`` (or its ini twin) as a bool; a usage error names the choices."""
    return switch(config, "ddb_table_pool")


def server_token(server: Server) -> str:
    """Name ``server`` for the pool: one per server object (a restarted one has no tables)."""
    return f"{server.backend}@{server.endpoint}#{id(server):x}"


def _spec_key(spec: TableSpec) -> str:
    return json.dumps(spec.create_table_request(""), sort_keys=True)


#: (server, spec, position of the table in its test)
Key = tuple[str, str, int]


@dataclass
class _Lease:
    key: Key
    spec: TableSpec
    creator: TableFactory


@dataclass
class _Shelf:
    """The idle tables of one key, and how many of its tables are being emptied now."""

    idle: list[str] = field(default_factory=list)
    emptying: int = 0


class TablePool:
    """The pool of one pytest process; safe to use from the test's thread and its own."""

    def __init__(self, context: BackendContext) -> None:
        self._context = context
        self._lock = threading.Condition()
        self._shelves: dict[Key, _Shelf] = defaultdict(_Shelf)
        #: table name -> what it is, for every table the pool made and has not deleted.
        self._leases: dict[str, _Lease] = {}
        #: factory (one per test) -> the pool's tables it holds now.
        self._held: dict[int, list[str]] = {}
        self._jobs: queue.Queue[tuple[str, str] | None] = queue.Queue()
        self._worker: threading.Thread | None = None
        self._closed = False
        #: jobs submitted and not yet finished
        self._pending = 0

    # -- the test's side ---------------------------------------------------------------------

    def take(self, server: str, factory: TableFactory, spec: TableSpec, label: str) -> str:
        """Return an ACTIVE empty table of ``spec`` for the test of ``factory``, labelled ``label``.

        ``server`` names the server the tables live on, one per server started (a restarted
        server has none of the old one's tables). The caller pauses recording: what the pool
        does is ddbmatrix's, not the test's.
        """
        if label in factory.labels.values():
            raise ValueError(f"two tables of one test are labelled {label!r}")
        position = len(factory.labels)
        key: Key = (server, _spec_key(spec), position)
        name = self._idle_table(key)
        if name is None:
            name = f"{factory.prefix}{position:02x}{uuid.uuid4().hex[:8]}"
            factory.create_named(spec, name)
            with self._lock:
                self._leases[name] = _Lease(key, spec, factory)
        factory.share(name, label)
        with self._lock:
            self._held.setdefault(id(factory), []).append(name)
        return name

    def _idle_table(self, key: Key) -> str | None:
        with self._lock:
            shelf = self._shelves[key]
            # One being emptied is ready sooner than a new one: wait for it (bounded).
            if not shelf.idle and shelf.emptying:
                self._lock.wait_for(
                    lambda: bool(shelf.idle) or not shelf.emptying, timeout=_WAIT_FOR_EMPTYING
                )
            return shelf.idle.pop() if shelf.idle else None

    def give_back(self, factory: TableFactory, reusable: bool) -> None:
        """End a test's hold on its pool tables: emptied for the next test, or deleted."""
        with self._lock:
            names = self._held.pop(id(factory), [])
            for name in names:
                if reusable:
                    self._shelves[self._leases[name].key].emptying += 1
        for name in names:
            self._submit("empty" if reusable else "delete", name)

    def drain(self, server: str) -> None:
        """Leave on ``server`` only the tables it would hold without the pool: none idle.

        For a test that lists tables (ListTables sees every table of the server): the
        background work finishes first, then the idle tables are deleted, as each would
        have been at the end of its test.
        """
        with self._lock:
            self._lock.wait_for(lambda: self._pending == 0, timeout=_DRAIN_TIMEOUT)
            idle = []
            for key, shelf in self._shelves.items():
                if key[0] == server:
                    idle += shelf.idle
                    shelf.idle.clear()
        for name in idle:
            lease = self._leases.pop(name, None)
            if lease is not None:
                lease.creator.delete(name)

    def close(self) -> None:
        """Finish the background work and delete every table the pool still has."""
        with self._lock:
            self._closed = True
            idle = [name for shelf in self._shelves.values() for name in shelf.idle]
            for shelf in self._shelves.values():
                shelf.idle.clear()
        if self._worker is not None:
            for name in idle:
                self._jobs.put(("delete", name))
            self._jobs.put(None)
            self._worker.join(timeout=60)
            self._worker = None
        else:
            for name in idle:
                self._run("delete", name)

    # -- the pool's thread -------------------------------------------------------------------

    def _submit(self, job: str, name: str) -> None:
        with self._lock:
            self._pending += 1
        if self._worker is None:
            self._worker = threading.Thread(
                target=self._work, name="ddbmatrix-table-pool", daemon=True
            )
            self._worker.start()
        self._jobs.put((job, name))

    def _work(self) -> None:
        with self._context.own_calls():  # this thread's calls are never a test's
            while (job := self._jobs.get()) is not None:
                self._work_one(*job)

    def _work_one(self, job: str, name: str) -> None:
        try:
            self._run(job, name)
        finally:
            with self._lock:
                self._pending -= 1
                self._lock.notify_all()

    def _run(self, job: str, name: str) -> None:
        lease = self._leases.get(name)
        if lease is None:
            return
        try:
            if job == "empty" and _empty(lease.creator.client, name, lease.spec):
                self._shelve(name, lease)
                return
            lease.creator.delete(name)
            if job == "empty" and not self._closed:  # too full to empty: a new one instead
                fresh = f"{name[:-8]}{uuid.uuid4().hex[:8]}"
                lease.creator.create_named(lease.spec, fresh)
                with self._lock:
                    self._leases[fresh] = lease
                self._shelve(fresh, lease)
        except (BotoCoreError, ClientError, TimeoutError) as error:
            # The server is gone or refused: the table is of no more use; the test that
            # broke it reports that on its own.
            _log.debug("table pool: %s of %s failed: %s", job, name, error)
        finally:
            with self._lock:
                if job == "empty":
                    self._shelves[lease.key].emptying -= 1
                if name not in self._shelves[lease.key].idle:
                    self._leases.pop(name, None)
                self._lock.notify_all()

    def _shelve(self, name: str, lease: _Lease) -> None:
        with self._lock:
            shelf = self._shelves[lease.key]
            if not self._closed and len(shelf.idle) < MAX_IDLE:
                shelf.idle.append(name)
                self._lock.notify_all()
                return
        lease.creator.delete(name)


def _key_names(spec: TableSpec) -> list[str]:
    return list(spec.keys)


def _empty(client: Any, name: str, spec: TableSpec) -> bool:
    """Delete every item of ``name``; False, deleting nothing, if it holds too many.

    One Scan page tells: up to :data:`MAX_ITEMS_TO_EMPTY` items cost a few BatchWriteItem
    calls; more, and deleting the table and creating it again costs less.
    """
    names = _key_names(spec)
    aliases = {f"#k{index}": attribute for index, attribute in enumerate(names)}
    page = client.scan(
        TableName=name,
        ConsistentRead=True,
        ProjectionExpression=", ".join(aliases),
        ExpressionAttributeNames=aliases,
        Limit=MAX_ITEMS_TO_EMPTY,
    )
    if "LastEvaluatedKey" in page:
        return False
    keys = [{a: item[a] for a in names if a in item} for item in page.get("Items", [])]
    for start in range(0, len(keys), _BATCH):
        _delete_batch(client, name, keys[start : start + _BATCH])
    return True


def _delete_batch(client: Any, name: str, keys: list[dict[str, Any]]) -> None:
    requests = {name: [{"DeleteRequest": {"Key": key}} for key in keys]}
    for _ in range(_BATCH_ATTEMPTS):
        left = client.batch_write_item(RequestItems=requests).get("UnprocessedItems") or {}
        if not left:
            return
        requests = left
    raise TimeoutError(f"table {name}: items still unprocessed after {_BATCH_ATTEMPTS} attempts")
