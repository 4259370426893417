"""Build run-file records for tests of the comparison and the report."""

from __future__ import annotations

from typing import Any

#: The exception a test's outcome implies when the test does not say (run file v2).
_EXCEPTIONS = {
    "failed": {"type": "AssertionError", "code": None},
    "raised": {"type": "ClientError", "code": "ValidationException"},
}


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
        "phase": extra.pop("phase", None if outcome == "passed" else "call"),
        "exception": extra.pop("exception", _EXCEPTIONS.get(outcome)),
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


def _error(code: str, message: str) -> dict[str, Any]:
    return make_call(status=400, error={"code": code, "message": message})


def raised(code: str) -> dict[str, Any]:
    """The ``exception`` of a test that a ClientError with ``code`` escaped."""
    return {"type": "ClientError", "code": code}


#: One test per situation the report has to show, on three backends.
SAMPLE_BACKENDS = ("dynalite", "dynamodb-local", "moto")


def sample_runs() -> dict[str, list[dict[str, Any]]]:
    """Return {backend: records}: agreement, and one divergence of each common kind."""
    item = make_call(response={"Item": {"n": {"N": "1.5"}}})
    wrong = make_call(response={"Item": {"n": {"N": "01.500"}}})
    items = make_call("Query", response={"Items": [{"k": {"S": "a"}}, {"k": {"S": "b"}}]})
    reordered = make_call("Query", response={"Items": [{"k": {"S": "b"}}, {"k": {"S": "a"}}]})
    scanned = make_call("Scan", response={"Items": [{"k": {"S": "a"}}, {"k": {"S": "b"}}]})
    rescanned = make_call("Scan", response={"Items": [{"k": {"S": "b"}}, {"k": {"S": "a"}}]})
    unknown = _error("UnknownOperationException", "")
    said = _error("ValidationException", "One or more parameter values were invalid")
    worded = _error("ValidationException", "1 validation error detected")
    dead = make_call(status=None, error={"code": "ConnectionClosedError", "message": "gone"})

    def runs(backend: str) -> list[dict[str, Any]]:
        def pick(default: Any, **by_backend: Any) -> Any:
            return by_backend.get(backend.replace("-", "_"), default)

        return [
            make_record("tests/compat/test_items.py::test_same", backend, calls=[item]),
            make_record(
                "tests/compat/test_items.py::test_number",
                backend,
                pick("passed", moto="failed"),
                calls=[pick(item, moto=wrong)],
                message=pick(None, moto="assert '01.500' == '1.5'"),
            ),
            make_record(
                "tests/compat/test_query.py::test_partiql",
                backend,
                pick("passed", dynalite="raised"),
                calls=[pick(item, dynalite=unknown)],
                exception=pick(None, dynalite=raised("UnknownOperationException")),
            ),
            make_record(
                "tests/compat/test_query.py::test_wording",
                backend,
                calls=[pick(said, dynamodb_local=worded)],
            ),
            make_record(
                "tests/compat/test_scan.py::test_order",
                backend,
                calls=[pick(items, moto=reordered)],
            ),
            make_record(
                "tests/compat/test_scan.py::test_scan_order",
                backend,
                calls=[pick(scanned, dynalite=rescanned)],
            ),
            make_record(
                "tests/compat/test_scan.py::test_crash",
                backend,
                pick("passed", moto="raised"),
                calls=[pick(items, moto=dead)],
                exception=pick(None, moto={"type": "ConnectionClosedError", "code": None}),
                backend_failure=pick(None, moto="crashed"),
            ),
        ]

    return {backend: runs(backend) for backend in SAMPLE_BACKENDS}


SAMPLE_INCIDENT = {
    "kind": "crashed",
    "worker": "gw0",
    "message": "moto exited with status -9 during tests/compat/test_scan.py::test_crash",
    "log_tail": "Killed",
}
