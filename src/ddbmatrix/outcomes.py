"""Turn one test's pytest reports and recorded calls into a run-file test record."""

from __future__ import annotations

from typing import Any

import pytest

__all__ = ["build_record", "outcome", "stable_id"]

_MESSAGE_LIMIT = 2000


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


def _message(report: pytest.TestReport) -> str | None:
    longrepr = report.longrepr
    if longrepr is None:
        return None
    if isinstance(longrepr, tuple):  # a skip: (path, lineno, reason)
        return str(longrepr[2]).removeprefix("Skipped: ")
    crash = getattr(longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(longrepr)
    return text[:_MESSAGE_LIMIT]


def outcome(reports: dict[str, pytest.TestReport]) -> tuple[str, str | None]:
    """Return (outcome, message) over the setup, call and teardown reports of one test.

    Outcomes: passed, failed, skipped, error (set-up or teardown failed), xfailed, xpassed.
    """
    setup, call, teardown = (reports.get(when) for when in ("setup", "call", "teardown"))
    if setup is not None and setup.failed:
        return "error", _message(setup)
    if setup is not None and setup.skipped:
        return "skipped", _message(setup)
    if call is not None:
        if hasattr(call, "wasxfail"):
            return ("xfailed" if call.skipped else "xpassed"), str(call.wasxfail) or None
        if call.failed:
            return "failed", _message(call)
        if call.skipped:
            return "skipped", _message(call)
    if teardown is not None and teardown.failed:
        return "error", _message(teardown)
    return "passed", None


def build_record(
    item: pytest.Item,
    backend: str,
    reports: dict[str, pytest.TestReport],
    calls: list[dict[str, Any]],
    tables: dict[str, str],
) -> dict[str, Any]:
    result, message = outcome(reports)
    path, line, _ = item.location
    return {
        "id": stable_id(item, backend),
        "nodeid": item.nodeid,
        "backend": backend,
        "outcome": result,
        "message": message,
        "duration": round(sum(report.duration for report in reports.values()), 4),
        "location": [path, line + 1 if line is not None else None],
        "tables": dict(tables),
        "calls": calls,
        #: "crashed", "hung" or "start-failed" when the backend, not the test, failed.
        "backend_failure": None,
        "incidents": [],
    }
