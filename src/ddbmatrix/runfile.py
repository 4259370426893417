"""Run files: what one backend did across one test run, saved as ``runs/<backend>.json``.

The envelope (schema ``ddbmatrix-run``, version 1)::

    {
      "schema": "ddbmatrix-run", "schema_version": 1,
      "backend": "dynalite", "backend_version": "4.0.0",
      "versions": {"ddbmatrix": ..., "boto3": ..., "botocore": ..., "python": ..., "platform": ...},
      "commit": "<git sha>" | null, "dirty": bool | null,
      "started_at": "<UTC ISO 8601>", "finished_at": ..., "exit_status": 0, "complete": true,
      "argv": [...],
      "incidents": [Incident, ...],         # optional (older files have none)
      "tests": [TestRecord, ...]            # sorted by id
    }

An Incident: the backend itself failed, not a test (``kind``: crashed | hung | start-failed)::

    {"kind": "crashed", "worker": "gw0", "message": str, "log_tail": str}

A TestRecord::

    {"id": "tests/compat/test_query.py::test_eq",   # nodeid without the backend
     "nodeid": "tests/compat/test_query.py::test_eq[dynalite]",
     "outcome": "passed" | "failed" | "skipped" | "error",
     "message": short failure/skip reason or null,
     "duration": seconds, "location": ["tests/compat/test_query.py", 12],
     "tables": {"<generated name>": "<label>"},
     "calls": [{"operation", "request", "status", "response", "error": {"code", "message"} | null}],
     "backend_failure": null | "crashed" | "hung" | "start-failed"}   # optional

Loading checks all of it that the report reads: a file that fails is refused whole, with its
name and the record at fault, rather than compared in part.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from ddbmatrix.errors import RunFileError

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
SCHEMA_VERSION = 1
TestRecord = dict[str, Any]
OUTCOMES = frozenset({"passed", "failed", "skipped", "error", "xfailed", "xpassed"})
BACKEND_FAILURES = frozenset({"crashed", "hung", "start-failed"})


@dataclass
class Run:
    """One loaded run file."""

    path: Path
    data: dict[str, Any]

    @property
    def backend(self) -> str:
        return str(self.data["backend"])

    @property
    def tests(self) -> list[TestRecord]:
        return list(self.data["tests"])

    @property
    def incidents(self) -> list[dict[str, Any]]:
        """The backend's crashes, hangs and failed starts (none in files that predate them)."""
        return list(self.data.get("incidents") or [])


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


def write_run(path: Path, envelope: dict[str, Any], tests: list[TestRecord]) -> Path:
    """Write a run file atomically (a reader never sees half a file)."""
    data = {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        **envelope,
        "tests": sorted(tests, key=lambda test: (test["id"], test["nodeid"])),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n")
    partial.replace(path)
    return path


def load_run(path: Path) -> Run:
    """Load and check one run file; every problem names the file."""
    try:
        text = path.read_text()
    except OSError as error:
        raise RunFileError(f"{path}: cannot read run file ({error.strerror})") from None
    try:
        data = json.loads(text)
    except ValueError as error:
        raise RunFileError(
            f"{path}: not valid JSON ({error}); the file is truncated or corrupt, "
            "re-run the backend's session to produce it again"
        ) from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise RunFileError(f'{path}: not a ddbmatrix run file (no "schema": "{SCHEMA}")')
    if data.get("schema_version") != SCHEMA_VERSION:
        raise RunFileError(
            f"{path}: run file schema version {data.get('schema_version')!r}, this ddbmatrix "
            f"reads version {SCHEMA_VERSION}; re-run the session with this version"
        )
    for key in ("backend", "tests"):
        if key not in data:
            raise RunFileError(f"{path}: run file has no {key!r}")
    _check_envelope(path, data)
    return Run(path, data)


def _check_envelope(path: Path, data: dict[str, Any]) -> None:
    backend = data["backend"]
    if not isinstance(backend, str) or not backend:
        raise RunFileError(f"{path}: 'backend' must be a backend name, not {backend!r}")
    if not isinstance(data["tests"], list):
        raise RunFileError(f"{path}: 'tests' must be a list of test records")
    incidents = data.get("incidents")
    if incidents is not None and not (
        isinstance(incidents, list)
        and all(isinstance(i, dict) and isinstance(i.get("kind"), str) for i in incidents)
    ):
        raise RunFileError(f"{path}: 'incidents' must be a list of {{\"kind\": ...}} records")
    seen: set[str] = set()
    for index, record in enumerate(data["tests"]):
        problem = _record_problem(record, backend)
        if problem is None and record["id"] in seen:
            problem = "appears twice"
        if problem is not None:
            name = record.get("id") if isinstance(record, dict) else None
            where = f"test record {index}" + (f" ({name})" if isinstance(name, str) else "")
            raise RunFileError(f"{path}: {where} {problem}")
        seen.add(record["id"])


def _record_problem(record: Any, backend: str) -> str | None:
    """Say what is wrong with one test record, or return None."""
    if not isinstance(record, dict):
        return f"is a {type(record).__name__}, not an object"
    if not isinstance(record.get("id"), str) or not record["id"]:
        return "has no test id"
    if record.get("backend", backend) != backend:
        return f"belongs to backend {record['backend']!r}, not {backend!r}"
    if record.get("outcome") not in OUTCOMES:
        return f"has outcome {record.get('outcome')!r}, not one of {', '.join(sorted(OUTCOMES))}"
    if record.get("backend_failure") not in (None, *BACKEND_FAILURES):
        return f"has an unknown backend_failure {record['backend_failure']!r}"
    calls = record.get("calls", [])
    if not isinstance(calls, list) or not all(
        isinstance(call, dict) and isinstance(call.get("operation"), str) for call in calls
    ):
        return 'has calls that are not a list of {"operation": ...} records'
    return None
