"""Scenarios real backends cannot produce on demand: a call another server answered, a test
interrupted or crashed under one backend, an even split, a recorded reference.

Each is a {backend: record} map in the run-file format (schema version 2), built from the
same few calls, so the labels in labels.toml ("synthetic.NAME") can be checked like the
recorded ones.
"""

from __future__ import annotations

from typing import Any

BACKENDS = ("dynalite", "dynamodb-local", "dynoxide", "ministack", "moto")
Record = dict[str, Any]


def _call(value: str, **extra: Any) -> dict[str, Any]:
    return {
        "operation": "GetItem",
        "request": {"TableName": "t", "Key": {"pk": {"S": "a"}}},
        "status": 200,
        "response": {"Item": {"pk": {"S": "a"}, "n": {"N": value}}},
        "error": None,
        **extra,
    }


def _record(name: str, backend: str, calls: list[dict[str, Any]], **extra: Any) -> Record:
    return {
        "id": f"tests/scenarios/synthetic.py::{name}",
        "nodeid": f"tests/scenarios/synthetic.py::{name}[{backend}]",
        "backend": backend,
        "outcome": "passed",
        "message": None,
        "phase": None,
        "exception": None,
        "duration": 0.01,
        "location": ["tests/scenarios/synthetic.py", 1],
        "tables": {},
        "calls": calls,
        "backend_failure": None,
        "incidents": [],
        **extra,
    }


def _misrouted(backend: str) -> Record:
    if backend == "moto":  # a client built before the backend was known reached dynalite
        wrong = _call("99", endpoint="http://127.0.0.1:8001", served_by="dynalite")
        return _record("misrouted", backend, [wrong])
    return _record("misrouted", backend, [_call("1", served_by=backend)])


def _interrupted(backend: str) -> Record:
    if backend == "dynoxide":
        return _record("interrupted", backend, [_call("7")], outcome="interrupted", phase="call")
    return _record("interrupted", backend, [_call("1")])


def _crashed(backend: str) -> Record:
    if backend == "ministack":
        dead = {**_call("1"), "status": None, "response": None}
        dead["error"] = {"code": "ConnectionClosedError", "message": "closed"}
        exception = {"type": "ConnectionClosedError", "code": None}
        return _record(
            "crashed",
            backend,
            [dead],
            outcome="raised",
            phase="call",
            exception=exception,
            backend_failure="crashed",
        )
    return _record("crashed", backend, [_call("1")])


def _even_split(backend: str) -> Record | None:
    values = {"dynalite": "1", "dynamodb-local": "1", "dynoxide": "2", "ministack": "2"}
    if backend not in values:
        return None  # moto skipped: two against two
    return _record("even_split", backend, [_call(values[backend])])


def _plurality(backend: str) -> Record:
    # Two agree, the other three each answer their own way: the largest group, no majority.
    values = {"dynalite": "1", "dynamodb-local": "1", "dynoxide": "2", "ministack": "3"}
    return _record("plurality", backend, [_call(values.get(backend, "4"))])


def _recorded_reference(backend: str) -> Record:
    value = "2" if backend in ("dynalite", "dynoxide", "ministack") else "1"
    return _record("recorded_reference", backend, [_call(value)])


SCENARIOS = {
    "misrouted": _misrouted,
    "interrupted": _interrupted,
    "crashed": _crashed,
    "even_split": _even_split,
    "plurality": _plurality,
    "recorded_reference": _recorded_reference,
}


def runs() -> dict[str, list[Record]]:
    """Return {backend: records} of every synthetic scenario."""
    result: dict[str, list[Record]] = {backend: [] for backend in BACKENDS}
    for build in SCENARIOS.values():
        for backend in BACKENDS:
            record = build(backend)
            if record is not None:
                result[backend].append(record)
    return result


def reference() -> list[Record]:
    """The recorded AWS run: it answers the recorded_reference scenario with "1"."""
    return [_record("recorded_reference", "aws", [_call("1")])]
