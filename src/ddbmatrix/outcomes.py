"""Turn one test's pytest reports and recorded calls into a run-file test record.

The outcome says *why* a test did not pass, because the report decides who is right from it
(see :mod:`ddbmatrix.sides`): only a failed assertion is evidence about DynamoDB's
behaviour; an exception that escaped the test body is evidence of nothing but itself.

========== ==============================================================================
passed     the test body and its fixtures ran without a failure
failed     an assertion failed in the test body (``AssertionError``, ``pytest.fail``,
           ``pytest.raises`` that saw nothing raised)
raised     another exception escaped the test body (``exception`` says which: for a
           botocore ``ClientError``, its error code)
error      a fixture failed in set-up or teardown (``phase`` says which)
skipped    skipped in set-up or in the body
xfailed    failed as a ``ddb_diverges`` / ``xfail`` marker expected (``exception``: how)
xpassed    passed although a marker expected it to fail (non-strict markers only)
========== ==============================================================================

``interrupted`` (the run was stopped, or its worker lost, while the test ran) is made by
:func:`interrupted_record` (in the process that ran the test, with its calls so far) or
:func:`lost_record` (on the xdist controller, from the test's node id, when the worker that
ran it is gone). It is never compared: a test cut short says nothing about the backend.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from botocore.exceptions import ClientError

__all__ = [
    "build_record",
    "describe_exception",
    "interrupted_record",
    "lost_record",
    "outcome",
    "parametrized_backend",
    "remember_exception",
    "stable_id",
]

_MESSAGE_LIMIT = 2000
#: when ("setup", "call", "teardown") -> the exception that phase raised, described.
_EXCEPTIONS_KEY = pytest.StashKey[dict[str, "dict[str, Any] | None"]]()


def _without_backend(ids: str, backend: str) -> str | None:
    """Return the parameter ids ``ids`` without ``backend``'s, or None if it is not there."""
    # The backend id is one of the '-'-joined parameter ids; other ids may contain '-'.
    for rest in (
        "" if ids == backend else None,
        ids.removeprefix(f"{backend}-") if ids.startswith(f"{backend}-") else None,
        ids.removesuffix(f"-{backend}") if ids.endswith(f"-{backend}") else None,
        ids.replace(f"-{backend}-", "-", 1) if f"-{backend}-" in ids else None,
    ):
        if rest is not None:
            return rest
    return None


def _split_ids(nodeid: str) -> tuple[str, str] | None:
    """Split ``path::test[ids]`` into its base and ids (a test's name holds no '[')."""
    if not nodeid.endswith("]"):
        return None
    name_start = nodeid.rfind("::") + 2
    bracket = nodeid.find("[", name_start)
    return (nodeid[:bracket], nodeid[bracket + 1 : -1]) if bracket > 0 else None


def parametrized_backend(nodeid: str, backends: Iterable[str]) -> str | None:
    """Return which of ``backends`` ``nodeid`` runs on, from its parameter ids alone."""
    split = _split_ids(nodeid)
    if split is None:
        return None
    found = [b for b in backends if _without_backend(split[1], b) is not None]
    return max(found, key=len) if found else None  # "dynamodb-local" over "local"


def _stable_id_of(nodeid: str, backend: str) -> str:
    split = _split_ids(nodeid)
    rest = _without_backend(split[1], backend) if split else None
    if split is None or rest is None:
        return nodeid
    return f"{split[0]}[{rest}]" if rest else split[0]


def stable_id(item: pytest.Item, backend: str) -> str:
    """Return the nodeid without the backend's part, the same on every backend."""
    nodeid = item.nodeid
    callspec = getattr(item, "callspec", None)
    if callspec is None or not nodeid.endswith("]"):
        return nodeid
    base, ids = nodeid[: -len(callspec.id) - 2], callspec.id
    rest = _without_backend(ids, backend)
    if rest is None:
        return nodeid
    return f"{base}[{rest}]" if rest else base


def describe_exception(
    excinfo: pytest.ExceptionInfo[BaseException] | None,
) -> dict[str, Any] | None:
    """Return ``{"type", "code"}`` of an exception (None without one).

    Every botocore ``ClientError``, including the modeled subclasses boto3 raises
    (``ConditionalCheckFailedException``), is written ``ClientError`` with its error code,
    so one DynamoDB answer reads alike whichever way the client raised it.
    """
    if excinfo is None:
        return None
    value = excinfo.value
    if isinstance(value, ClientError):
        error = value.response.get("Error") or {}
        return {"type": "ClientError", "code": error.get("Code") or None}
    return {"type": type(value).__name__, "code": None}


def remember_exception(item: pytest.Item, call: pytest.CallInfo[None]) -> None:
    """Keep what ``call`` raised, for :func:`build_record` (called from the report hook)."""
    item.stash.setdefault(_EXCEPTIONS_KEY, {})[call.when] = describe_exception(call.excinfo)


#: The exception types of a failed assertion: pytest.fail (and a pytest.raises that saw
#: nothing raised) raise ``Failed``.
_ASSERTIONS = frozenset({"AssertionError", pytest.fail.Exception.__name__})


def is_assertion(exception: dict[str, Any] | None) -> bool:
    return exception is not None and exception.get("type") in _ASSERTIONS


def _message(report: pytest.TestReport) -> str | None:
    longrepr = report.longrepr
    if longrepr is None:
        return None
    if isinstance(longrepr, tuple):  # a skip: (path, lineno, reason)
        return str(longrepr[2]).removeprefix("Skipped: ")
    crash = getattr(longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(longrepr)
    return text[:_MESSAGE_LIMIT]


Outcome = tuple[str, str | None, str | None, "dict[str, Any] | None"]


def outcome(
    reports: dict[str, pytest.TestReport],
    exceptions: dict[str, dict[str, Any] | None] | None = None,
) -> Outcome:
    """Return (outcome, message, phase, exception) over the reports of one test.

    ``exceptions`` maps a phase to what it raised (see :func:`remember_exception`); without
    it, a failure in the body counts as an assertion.
    """
    exceptions = exceptions or {}
    setup, call, teardown = (reports.get(when) for when in ("setup", "call", "teardown"))
    if setup is not None and setup.failed:
        return "error", _message(setup), "setup", exceptions.get("setup")
    if setup is not None and setup.skipped:
        return "skipped", _message(setup), "setup", None
    if call is not None:
        raised = exceptions.get("call")
        if hasattr(call, "wasxfail"):
            if call.skipped:
                return "xfailed", str(call.wasxfail) or None, "call", raised
            return "xpassed", str(call.wasxfail) or None, "call", None
        if call.failed:
            kind = "failed" if raised is None or is_assertion(raised) else "raised"
            return kind, _message(call), "call", raised
        if call.skipped:
            return "skipped", _message(call), "call", None
    if teardown is not None and teardown.failed:
        return "error", _message(teardown), "teardown", exceptions.get("teardown")
    return "passed", None, None, None


def build_record(
    item: pytest.Item,
    backend: str,
    reports: dict[str, pytest.TestReport],
    calls: list[dict[str, Any]],
    tables: dict[str, str],
) -> dict[str, Any]:
    result, message, phase, exception = outcome(reports, item.stash.get(_EXCEPTIONS_KEY, {}))
    path, line, _ = item.location
    return {
        "id": stable_id(item, backend),
        "nodeid": item.nodeid,
        "backend": backend,
        "outcome": result,
        "message": message,
        "phase": phase,
        "exception": exception,
        "duration": round(sum(report.duration for report in reports.values()), 4),
        "location": [path, line + 1 if line is not None else None],
        "tables": dict(tables),
        "calls": calls,
        #: "crashed", "hung" or "start-failed" when the backend, not the test, failed.
        "backend_failure": None,
        "incidents": [],
    }


def _phase_after(reports: Iterable[str]) -> str:
    """Return the phase that ran when a test was cut short, after the phases it reported."""
    done = set(reports)
    return "teardown" if "call" in done else "call" if "setup" in done else "setup"


def interrupted_record(
    item: pytest.Item,
    backend: str,
    reports: dict[str, pytest.TestReport],
    calls: list[dict[str, Any]],
    tables: dict[str, str],
    message: str,
) -> dict[str, Any]:
    """Return the record of a test the run was stopped in, with the calls it made so far."""
    record = build_record(item, backend, reports, calls, tables)
    record.update(
        outcome="interrupted", message=message, phase=_phase_after(reports), exception=None
    )
    return record


def lost_record(
    nodeid: str,
    backend: str,
    location: tuple[str, int | None, str] | None,
    phases: Iterable[str],
    message: str,
) -> dict[str, Any]:
    """Return the record of a test whose process is gone: what the controller knows of it.

    ``location`` is pytest's (path, 0-based line, domain); ``phases`` those it reported.
    """
    path, line = (location[0], location[1]) if location else (nodeid.split("::")[0], None)
    return {
        "id": _stable_id_of(nodeid, backend),
        "nodeid": nodeid,
        "backend": backend,
        "outcome": "interrupted",
        "message": message,
        "phase": _phase_after(phases),
        "exception": None,
        "duration": None,
        "location": [path, line + 1 if line is not None else None],
        "tables": {},
        "calls": [],
        "backend_failure": None,
        "incidents": [],
    }
