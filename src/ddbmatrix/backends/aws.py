"""Real Amazon DynamoDB: the reference every emulator is judged by. Opt-in only.

Safety, in layers:

- It never runs unless asked for by name *and* ``DDBMATRIX_AWS=1`` is set (``all`` never
  includes it), so no test run or CI job reaches AWS by accident.
- Every table of a run is named ``ddbm-<run id>-...``; only such tables are deleted, and
  :func:`guard` makes every client of an aws test refuse a write to any other table, so a
  test can never touch a table it did not create.
- Table operations take one of a few slots shared by all processes of the machine
  (:func:`control_plane_slot`): AWS throttles CreateTable/DeleteTable bursts.
- ``ddbmatrix aws-cleanup`` deletes what an interrupted run left behind (prefix only).

``DDBMATRIX_AWS_ENDPOINT`` points the backend at another endpoint; it exists so the
project's own tests can check all of this against a local backend standing in for AWS.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import filelock
from botocore.config import Config

from ddbmatrix.backends.base import Backend, Server
from ddbmatrix.errors import BackendDisabledError, DdbMatrixError

__all__ = [
    "ENABLE_ENV",
    "ENDPOINT_ENV",
    "REGION_ENV",
    "TABLE_PREFIX",
    "Aws",
    "AwsGuardError",
    "cleanup",
    "control_plane_slot",
    "guard",
]

ENABLE_ENV = "DDBMATRIX_AWS"
ENDPOINT_ENV = "DDBMATRIX_AWS_ENDPOINT"
#: The user's region, captured when the run starts (the environment holds a fake one then).
REGION_ENV = "DDBMATRIX_AWS_REGION"
#: Every table ddbmatrix creates starts with this; a run adds its id (``ddbm-1a2b3c4d-``).
TABLE_PREFIX = "ddbm-"
CONTROL_PLANE_SLOTS = 4
_SLOT_DIR = Path(tempfile.gettempdir()) / "ddbmatrix-aws-slots"
#: The fixture's own table operations retry throttling (the test's calls never do).
CONTROL_PLANE_CONFIG = Config(retries={"mode": "standard", "total_max_attempts": 10})

_WRITES = frozenset(
    {
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "BatchWriteItem",
        "TransactWriteItems",
        "CreateTable",
        "UpdateTable",
        "DeleteTable",
        "UpdateTimeToLive",
        "TagResource",
        "UntagResource",
        "UpdateContinuousBackups",
        "CreateBackup",
        "RestoreTableFromBackup",
        "CreateGlobalTable",
        "UpdateGlobalTable",
        "EnableKinesisStreamingDestination",
        "DisableKinesisStreamingDestination",
        "PutResourcePolicy",
        "DeleteResourcePolicy",
        "ImportTable",
        "UpdateTableReplicaAutoScaling",
        "UpdateContributorInsights",
    }
)
_PARTIQL = frozenset({"ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction"})
_PARTIQL_WRITE = re.compile(
    r"\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?([A-Za-z0-9_.-]+)", re.IGNORECASE
)
_ARN_TABLE = re.compile(r":table/([A-Za-z0-9_.-]+)")


class AwsGuardError(DdbMatrixError):
    """A write to real AWS aimed at a table this run did not create."""


@dataclass
class AwsEndpoint(Server):
    backend: str
    endpoint: str

    def stop(self) -> None:
        """Nothing to stop: the service is not ours."""


class Aws(Backend):
    """Real DynamoDB through the standard credential chain and region."""

    name = "aws"
    local = False
    real_credentials = True

    def check(self) -> None:
        if os.environ.get(ENABLE_ENV) != "1":
            raise BackendDisabledError(
                f"the aws backend sends requests to real DynamoDB (and costs money); "
                f"set {ENABLE_ENV}=1 to enable it"
            )

    def region(self) -> str:
        return os.environ.get(REGION_ENV) or boto3.session.Session().region_name or "us-east-1"

    def endpoint_override(self) -> str | None:
        return os.environ.get(ENDPOINT_ENV) or None

    def version(self) -> str:
        override = self.endpoint_override()
        where = f"stand-in at {override}" if override else self.region()
        return f"Amazon DynamoDB ({where})"

    def start(
        self, host: str, port: int | None, log_path: Path, *, owners: Sequence[int] = ()
    ) -> Server:
        self.check()
        endpoint = self.endpoint_override() or f"https://dynamodb.{self.region()}.amazonaws.com"
        return AwsEndpoint(self.name, endpoint)


def _tables_written(operation: str, params: dict[str, Any]) -> list[str]:
    """Return the table names a request would change (empty for reads)."""
    if operation in _PARTIQL:
        statements = [params.get("Statement", "")]
        statements += [s.get("Statement", "") for s in params.get("Statements", [])]
        statements += [s.get("Statement", "") for s in params.get("TransactStatements", [])]
        return [m.group(1) for text in statements for m in _PARTIQL_WRITE.finditer(text)]
    if operation not in _WRITES:
        return []
    names = [params["TableName"]] if "TableName" in params else []
    names += list(params.get("RequestItems", {}))
    for action in params.get("TransactItems", []):
        names += [body["TableName"] for body in action.values() if "TableName" in body]
    names += _ARN_TABLE.findall(params.get("ResourceArn", ""))
    return names


def guard(client: Any, prefix: str) -> Any:
    """Make ``client`` refuse any write to a table whose name lacks ``prefix``; return it."""

    def check(params: dict[str, Any], model: Any, **_: Any) -> None:
        for table in _tables_written(model.name, params):
            if not str(table).startswith(prefix):
                raise AwsGuardError(
                    f"ddbmatrix refused to send {model.name} to real AWS for table {table!r}: "
                    f"an aws run may change only its own tables ({prefix}*)"
                )

    client.meta.events.register(
        "provide-client-params.dynamodb", check, unique_id="ddbmatrix-aws-guard"
    )
    return client


@contextlib.contextmanager
def control_plane_slot(slots: int = CONTROL_PLANE_SLOTS, wait: float = 600.0) -> Iterator[None]:
    """Hold one of ``slots`` machine-wide slots for a table operation, waiting up to ``wait`` s."""
    _SLOT_DIR.mkdir(exist_ok=True)
    locks = [filelock.FileLock(_SLOT_DIR / f"{i}.lock", thread_local=False) for i in range(slots)]
    deadline = time.monotonic() + wait
    while True:  # bounded by the deadline
        for lock in locks:
            try:
                lock.acquire(timeout=0)
            except filelock.Timeout:
                continue
            try:
                yield
            finally:
                lock.release()
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"no free slot for a table operation on AWS in {wait:.0f} s")
        time.sleep(0.2)


def cleanup(
    client: Any, prefix: str = TABLE_PREFIX, dry_run: bool = False, timeout: float = 300.0
) -> list[str]:
    """Delete every table whose name starts with ``prefix`` and wait until they are gone."""
    if not prefix.startswith(TABLE_PREFIX):
        raise ValueError(f"cleanup only deletes ddbmatrix tables ({TABLE_PREFIX}*)")
    names = [
        name
        for page in client.get_paginator("list_tables").paginate()
        for name in page["TableNames"]
        if name.startswith(prefix)
    ]
    if dry_run:
        return names
    for name in names:
        with control_plane_slot(), contextlib.suppress(client.exceptions.ResourceNotFoundException):
            client.delete_table(TableName=name)
    deadline = time.monotonic() + timeout
    remaining = set(names)
    while remaining and time.monotonic() < deadline:  # bounded by the deadline
        listed = {
            name
            for page in client.get_paginator("list_tables").paginate()
            for name in page["TableNames"]
        }
        remaining &= listed
        if remaining:
            time.sleep(1)
    if remaining:
        raise TimeoutError(f"still deleting after {timeout:.0f} s: {sorted(remaining)}")
    return names
