"""Real Amazon DynamoDB: the reference every emulator is judged by. Opt-in only.

Safety, in layers:

- It never runs unless asked for by name *and* ``DDBMATRIX_AWS=1`` is set (``all`` never
  includes it), so no test run or CI job reaches AWS by accident.
- Every table of a run is named ``ddbm-<run id>-...``, and the write guard
  (:mod:`ddbmatrix.aws_guard`) refuses, for every botocore client of the process, any
  request that could change another table, or whose effect it cannot tell.
- The tables ddbmatrix creates are tagged (:func:`run_tags`: a marker, the run id, the
  owner); ``ddbmatrix aws-cleanup`` deletes what an interrupted run left behind by those
  tags, never by name alone (:func:`left_behind`, :func:`ours`).
- Table operations take one of a few slots shared by all processes of the machine
  (:func:`control_plane_slot`): AWS throttles CreateTable/DeleteTable bursts.
- An unreachable endpoint fails the backend at start, within seconds (:func:`probe`).

``DDBMATRIX_AWS_ENDPOINT`` points the backend at another endpoint; it exists so the
project's own tests can check all of this against a local backend standing in for AWS.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import socket
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
import filelock
from botocore.config import Config

from ddbmatrix.backends.base import Backend, Server
from ddbmatrix.errors import AwsGuardError, BackendDisabledError, BackendStartError

__all__ = [
    "ENABLE_ENV",
    "ENDPOINT_ENV",
    "MARKER",
    "MARKER_TAG",
    "OWNER_TAG",
    "REGION_ENV",
    "RUN_TAG",
    "TABLE_PREFIX",
    "Aws",
    "AwsGuardError",
    "LeftTable",
    "control_plane_slot",
    "delete_tables",
    "left_behind",
    "ours",
    "owner",
    "probe",
    "run_tags",
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

#: How long the start-up probe waits for a connection (no retries: an unreachable endpoint
#: fails the backend once, at start, not every test after a round of retries).
PROBE_TIMEOUT = 3.0
#: Tags on every table an aws run creates: cleanup deletes only tables that carry them.
MARKER_TAG = "ddbmatrix:created-by"
RUN_TAG = "ddbmatrix:run"
OWNER_TAG = "ddbmatrix:owner"
MARKER = "ddbmatrix"


def owner() -> str:
    """Return who runs ddbmatrix here (``user@host``): what ``aws-cleanup --all-mine`` means."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name for this uid (a bare container)
        user = str(os.getuid()) if hasattr(os, "getuid") else "unknown"
    return f"{user}@{socket.gethostname()}"


def run_tags(run_id: str) -> list[dict[str, str]]:
    """Return the ``Tags`` of CreateTable that mark a table as this run's."""
    return [
        {"Key": MARKER_TAG, "Value": MARKER},
        {"Key": RUN_TAG, "Value": run_id},
        {"Key": OWNER_TAG, "Value": owner()},
    ]


def _first_hop(endpoint: str) -> tuple[str, int, str]:
    """Return the host and port a connection to ``endpoint`` goes to first, and through what.

    That is the proxy, when the environment names one for the endpoint (as botocore reads
    ``HTTPS_PROXY``/``NO_PROXY``): behind a proxy, the endpoint itself is never reachable.
    """
    parts = urlsplit(endpoint)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    proxy = urllib.request.getproxies().get(parts.scheme)
    if proxy and not urllib.request.proxy_bypass(host):
        hop = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        hop_port = hop.port or (443 if hop.scheme == "https" else 80)
        return hop.hostname or "", hop_port, f" through the proxy {hop.hostname}:{hop_port}"
    return host, port, ""


def probe(endpoint: str, timeout: float = PROBE_TIMEOUT) -> None:
    """Raise :class:`BackendStartError` naming why ``endpoint`` cannot be reached, if it cannot.

    One TCP connection, no retries, no request (so no credentials are needed or sent).
    """
    host, port, through = _first_hop(endpoint)
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except socket.gaierror as error:
        cause = f"the name {host} does not resolve ({error.strerror}): is this machine offline?"
    except TimeoutError:
        cause = f"no connection to {host}:{port} within {timeout:g} s"
    except OSError as error:
        cause = str(error.strerror or error)
    else:
        return
    raise BackendStartError(
        f"aws: cannot reach DynamoDB at {endpoint}{through}: {cause}. Check the network (or "
        f"{ENDPOINT_ENV}, if set); every aws test of this run errors with this at once."
    )


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
        probe(endpoint)
        return AwsEndpoint(self.name, endpoint)


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


@dataclass(frozen=True)
class LeftTable:
    """A table an aws run left behind, and what its tags say about it."""

    name: str
    run: str | None
    owner: str | None
    created: str
    #: Tagged by ddbmatrix for the run its name says (only such tables are ever deleted).
    tagged: bool


def _tags(client: Any, arn: str) -> dict[str, str]:
    tags: dict[str, str] = {}
    request: dict[str, str] = {"ResourceArn": arn}
    while True:  # bounded: AWS pages until NextToken is absent
        page = client.list_tags_of_resource(**request)
        tags.update({tag["Key"]: tag["Value"] for tag in page.get("Tags", [])})
        if not page.get("NextToken"):
            return tags
        request["NextToken"] = page["NextToken"]


def left_behind(client: Any, run: str | None) -> list[LeftTable]:
    """Return every table named like a ddbmatrix table (of run ``run``, if given), with tags."""
    prefix = f"{TABLE_PREFIX}{run}-" if run is not None else TABLE_PREFIX
    found = []
    for page in client.get_paginator("list_tables").paginate():
        for name in page["TableNames"]:
            if not name.startswith(prefix):
                continue
            try:
                table = client.describe_table(TableName=name)["Table"]
                tags = _tags(client, table["TableArn"])
            except client.exceptions.ResourceNotFoundException:
                continue  # deleted meanwhile
            tagged_run = tags.get(RUN_TAG)
            found.append(
                LeftTable(
                    name=name,
                    run=tagged_run,
                    owner=tags.get(OWNER_TAG),
                    created=str(table.get("CreationDateTime", "?")),
                    tagged=tags.get(MARKER_TAG) == MARKER
                    and tagged_run is not None
                    and name.startswith(f"{TABLE_PREFIX}{tagged_run}-"),
                )
            )
    return found


def ours(tables: Sequence[LeftTable], run: str | None, mine: str | None) -> list[LeftTable]:
    """Return the tables provably ddbmatrix's: tagged, and of ``run`` (or owned by ``mine``)."""
    if run is None and mine is None:
        raise ValueError("give the run whose tables to delete, or whose tables are mine")
    return [
        table
        for table in tables
        if table.tagged
        and (run is None or table.run == run)
        and (mine is None or table.owner == mine)
    ]


def delete_tables(client: Any, names: Sequence[str], timeout: float = 300.0) -> None:
    """Delete these tables and wait until they are gone."""
    for name in names:
        if not name.startswith(TABLE_PREFIX):
            raise ValueError(f"refusing to delete {name!r}: not a ddbmatrix table")
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
