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

``interrupted`` (the run was stopped during the test) is written by the collector, not here.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

__all__ = ["build_record", "describe_exception", "outcome", "remember_exception", "stable_id"]

_MESSAGE_LIMIT = 2000
#: when ("setup", "call", "teardown") -> the exception that phase raised, described.
_EXCEPTIONS_KEY = pytest.StashKey[dict[str, "dict[str, Any] | None"]]()


def stable_id(item: pytest.Item, backend: str) -> str:
    """Return the nodeid without the backend's part, the same on every backend."""
    nodeid = item.nodeid
    callspec = getattr(item, "callspec", None)
    if callspec is None or not nodeid.endswith("]"):
        return nodeid
    base, ids = nodeid[: -len(callspec.id) - 2], callspec.id
    # The backend id is one of the '-'-joined parameter ids; other ids may contain '-'.
    for rest in (
        "" if ids == backend else None,
        ids.removeprefix(f"{backend}-") if ids.startswith(f"{backend}-") else None,
        ids.removesuffix(f"-{backend}") if ids.endswith(f"-{backend}") else None,
        ids.replace(f"-{backend}-", "-", 1) if f"-{backend}-" in ids else None,
    ):
        if rest is not None:
            return f"{base}[{rest}]" if rest else base
    return nodeid


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
