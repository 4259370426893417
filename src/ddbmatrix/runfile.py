"""Run files: what one backend did across one test run, saved as ``runs/<backend>.json``.

The envelope (schema ``ddbmatrix-run``, version 2; the JSON Schema that loading checks is
``ddbmatrix/schemas/run.schema.json``)::

    {
      "schema": "ddbmatrix-run", "schema_version": 2,
      "backend": "dynalite", "backend_version": "4.0.0",   # backend: [a-z0-9][a-z0-9-]*
      "versions": {"ddbmatrix": ..., "boto3": ..., "botocore": ..., "python": ..., "platform": ...},
      "commit": "<git sha>" | null, "dirty": bool | null,
      "started_at": "<UTC ISO 8601>", "finished_at": ..., "exit_status": 0, "complete": true,
      "argv": [...],
      "incidents": [Incident, ...],
      "fixtures": [FixtureRecord, ...],     # optional: calls of fixtures wider than a test
      "shard": {"index": 1, "count": 3} | null,   # optional: this run is one shard
      "expected": 123 | null,               # optional: tests collected for this backend
      "tests": [TestRecord, ...]            # sorted by id
    }

An Incident: the backend itself failed, not a test (``kind``: crashed | hung | start-failed)::

    {"kind": "crashed", "worker": "gw0", "message": str, "log_tail": str,
     "exit_code": -9 | null}            # how a crashed server ended (negative: by a signal)

A TestRecord (outcomes: see :mod:`ddbmatrix.outcomes`)::

    {"id": "tests/compat/test_query.py::test_eq",   # nodeid without the backend
     "nodeid": "tests/compat/test_query.py::test_eq[dynalite]",
     "outcome": "passed" | "failed" | "raised" | "error" | "skipped" | "xfailed" | "xpassed"
                | "interrupted",
     "message": short failure/skip reason or null,
     "phase": "setup" | "call" | "teardown" | null,          # where the outcome was decided
     "exception": {"type": "ClientError", "code": "ValidationException" | null} | null,
     "duration": seconds, "location": ["tests/compat/test_query.py", 12],
     "tables": {"<generated name>": "<label>"},
     "calls": [Call, ...],
     "backend_failure": null | "crashed" | "hung" | "start-failed",
     "excluded": ["dynalite"]}            # optional: selected backends a ddb_backends marker
                                          # keeps this test off (not missing there)

A Call::

    {"operation", "request", "status", "response", "error": {"code", "message"} | null,
     "endpoint": "http://127.0.0.1:PORT" | null,   # where the request really went
     "served_by": "dynalite" | null,               # the run's backend serving that endpoint
     "routed": true}                               # optional: re-addressed by ddbmatrix

A FixtureRecord: ``{"id", "scope", "backend", "phase", "outcome", "message", "calls"}``.

Loading checks all of it against the schema: a file that fails is refused whole, with its
name and the field at fault, in one line, rather than compared in part. Files of schema
version 1 are refused with the version they need.
"""

from __future__ import annotations

import functools
import json
import os
import platform
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from ddbmatrix import runschema
from ddbmatrix.errors import RunFileError
from ddbmatrix.redact import redact, redact_argv

__all__ = [
    "BACKEND_FAILURES",
    "OUTCOMES",
    "SCHEMA",
    "SCHEMA_VERSION",
    "Run",
    "environment_versions",
    "git_commit",
    "load_run",
    "utc_now",
    "write_run",
]

SCHEMA = "ddbmatrix-run"
SCHEMA_VERSION = 2
TestRecord = dict[str, Any]
OUTCOMES = frozenset(
    {"passed", "failed", "raised", "error", "skipped", "xfailed", "xpassed", "interrupted"}
)
BACKEND_FAILURES = frozenset({"crashed", "hung", "start-failed"})


@dataclass
class Run:
    """One loaded run file."""

    path: Path
    data: dict[str, Any]
    #: test id -> its observation (:func:`ddbmatrix.compare.observe_run`), once observed;
    #: the records observed keep only what a report reads of them afterwards (no calls).
    observed: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def backend(self) -> str:
        return str(self.data["backend"])

    @property
    def tests(self) -> list[TestRecord]:
        return list(self.data["tests"])

    @property
    def incidents(self) -> list[dict[str, Any]]:
        """The backend's crashes, hangs and failed starts."""
        return list(self.data.get("incidents") or [])

    @property
    def fixtures(self) -> list[dict[str, Any]]:
        """Calls of fixtures wider than one test, recorded on this backend."""
        return list(self.data.get("fixtures") or [])


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _version(package: str) -> str | None:
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def environment_versions() -> dict[str, str | None]:
    return {
        "ddbmatrix": _version("ddbmatrix"),
        "boto3": _version("boto3"),
        "botocore": _version("botocore"),
        "python": platform.python_version(),
        "platform": f"{sys.platform}-{platform.machine()}",
    }


def git_commit(cwd: Path) -> tuple[str | None, bool | None]:
    """Return the checked-out commit of ``cwd`` and whether the tree has local changes."""

    def git(*args: str) -> str | None:
        try:
            result = subprocess.run(
                ["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=10
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        return result.stdout.strip() if result.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    if commit is None:
        return None, None
    status = git("status", "--porcelain", "--untracked-files=no")
    return commit, bool(status) if status is not None else None


def _redacted_test(record: TestRecord) -> TestRecord:
    # Requests and responses are the data compared, left as the backend saw them; a secret
    # in a URL reaches a record through messages (botocore names the endpoint it missed).
    calls = [
        {
            key: value if key in ("request", "response") else redact(value)
            for key, value in c.items()
        }
        for c in record.get("calls") or []
    ]
    return {**redact({k: v for k, v in record.items() if k != "calls"}), "calls": calls}


#: The envelope keys that hold a list of records: one record a line.
_RECORD_LISTS = ("fixtures", "tests")


def _text(data: dict[str, Any]) -> str:
    """A run file's text: one line per envelope key and one per record, each compact.

    The standard library encodes JSON in C only without ``indent``; the full matrix's run
    files, indented, took its pure-Python encoder 1.9 s against 0.3 s compact, all of it at
    the end of the run. A line per record still diffs and greps test by test.
    """
    compact = functools.partial(json.dumps, separators=(",", ":"))
    lines = []
    for key, value in data.items():
        if key in _RECORD_LISTS and value:
            records = ",\n".join(map(compact, value))
            lines.append(f"{json.dumps(key)}: [\n{records}\n]")
        else:
            lines.append(f"{json.dumps(key)}: {compact(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def write_run(path: Path, envelope: dict[str, Any], tests: list[TestRecord]) -> Path:
    """Write a run file atomically (a reader never sees half a file).

    Every URL in it loses its userinfo and query string, and ``argv`` the values of options
    that name a secret (:mod:`ddbmatrix.redact`): run files are shared, and the reports made
    from them are published.
    """
    safe = redact({k: v for k, v in envelope.items() if k not in ("argv", "fixtures")})
    if "argv" in envelope:
        safe["argv"] = redact_argv(envelope["argv"])
    if "fixtures" in envelope:
        safe["fixtures"] = [_redacted_test(record) for record in envelope["fixtures"]]
    data = {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        **{key: safe[key] for key in envelope},
        "tests": sorted(map(_redacted_test, tests), key=lambda test: (test["id"], test["nodeid"])),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_text(_text(data))
    partial.replace(path)
    return path


def load_run(path: Path) -> Run:
    """Load and check one run file; every problem is one line that names the file."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise RunFileError(f"{path}: cannot read run file ({error.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RunFileError(
            f"{path}: not UTF-8 text (byte 0x{raw[error.start]:02x} at offset {error.start}); "
            "the file is corrupt: re-run the backend's session to record it again"
        ) from None
    try:
        data = json.loads(text)
    except ValueError as error:
        raise RunFileError(
            f"{path}: not valid JSON ({error}); the file is truncated or corrupt, "
            "re-run the backend's session to produce it again"
        ) from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise RunFileError(f'{path}: not a ddbmatrix run file (no "schema": "{SCHEMA}")')
    found = data.get("schema_version")
    if found != SCHEMA_VERSION:
        raise RunFileError(
            f"{path}: run file schema version {found!r}, but this ddbmatrix reads version "
            f"{SCHEMA_VERSION} only: record the run again with this ddbmatrix "
            "(its backend's nox session, or pytest --ddb-backend=NAME)"
        )
    problem = runschema.problem(data)
    if problem is None:
        problem = _record_problem(data)
    if problem is not None:
        raise RunFileError(f"{path}: {problem}")
    return Run(path, data)


def _record_problem(data: dict[str, Any]) -> str | None:
    """What the schema cannot say: records of another backend, a test recorded twice."""
    backend = data["backend"]
    seen: set[str] = set()
    for index, record in enumerate(data["tests"]):
        where = f"tests[{index}] ({record['id']})"
        if record.get("backend", backend) != backend:
            return f"{where}.backend: belongs to backend {record['backend']!r}, not {backend!r}"
        if record["id"] in seen:
            return f"{where} appears twice"
        seen.add(record["id"])
    return None
