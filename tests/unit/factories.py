"""Build run-file records for tests of the comparison and the report."""

from __future__ import annotations

from typing import Any


def make_record(
    test_id: str,
    backend: str,
    outcome: str = "passed",
    calls: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "id": test_id,
        "nodeid": f"{test_id}[{backend}]",
        "backend": backend,
        "outcome": outcome,
        "message": extra.pop("message", None),
        "duration": 0.01,
        "location": [test_id.split("::")[0], 1],
        "tables": extra.pop("tables", {}),
        "calls": calls or [],
        **extra,
    }


def make_call(
    operation: str = "GetItem",
    request: Any = None,
    status: int = 200,
    response: Any = None,
    error: dict[str, str] | None = None,
) -> dict[str, Any]:
    return {
        "operation": operation,
        "request": request or {"TableName": "t"},
        "status": status,
        "response": response if response is not None else {},
        "error": error,
    }
