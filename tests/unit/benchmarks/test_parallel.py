"""The matrix's calls replayed by several processes: how they are split, and that all go."""

from __future__ import annotations

import json

from benchmarks.parallel import replay_in_processes, shares


def _test(name: str, backend: str, calls: list | None = None) -> dict:
    return {"id": f"tests/t.py::{name}[{backend}]", "seconds": 0.0, "calls": calls or []}


def test_each_process_gets_every_other_test_of_each_backend():
    tests = [_test(f"t{i}", backend) for i in range(5) for backend in ("moto", "dynalite")]
    tests.append({"id": "tests/t.py::not_on_a_backend", "seconds": 0.0, "calls": []})
    first, second = shares(tests, ["moto", "dynalite"], 2)
    assert [t["id"] for t in first["moto"]] == [f"tests/t.py::t{i}[moto]" for i in (0, 2, 4)]
    assert [t["id"] for t in second["dynalite"]] == [f"tests/t.py::t{i}[dynalite]" for i in (1, 3)]
    assert sum(len(part) for share in (first, second) for part in share.values()) == 10


def test_two_processes_replay_the_calls_on_servers_of_their_own(tmp_path):
    body = json.dumps({"Limit": 1})
    call = {
        "headers": {
            "X-Amz-Target": "DynamoDB_20120810.ListTables",
            "Content-Type": "application/x-amz-json-1.0",
        },
        "body": body,
    }
    tests = [_test(f"t{i}", "moto", [call] * 3) for i in range(4)]
    seconds = replay_in_processes(tests, ["moto"], 2, tmp_path)
    assert 0 < seconds < 60
    assert len(list(tmp_path.glob("parallel-moto-*.log"))) == 2  # one server each
