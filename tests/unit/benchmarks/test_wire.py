"""The wire plugin keeps each test's requests and time, and can keep a fixed slice of a suite."""

from __future__ import annotations

import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

SUITE = """
import pytest

@pytest.mark.parametrize("i", range(6))
def test_lists(i, ddb_client):
    ddb_client.list_tables()
"""


def test_every_nth_test_runs_and_each_keeps_its_calls(pytester, monkeypatch):
    pytester.makepyfile(test_suite=SUITE)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv("DDBMATRIX_BENCH_WIRE", str(pytester.path / "wire"))
    monkeypatch.setenv("DDBMATRIX_BENCH_EVERY", "2")
    result = pytester.runpytest_subprocess("-p", "benchmarks.wire", "--ddb-backend=moto")
    result.assert_outcomes(passed=3, deselected=3)
    tests = json.loads((pytester.path / "wire.main.json").read_text())["tests"]
    assert [t["id"].split("::")[-1] for t in tests] == [
        "test_lists[moto-0]",
        "test_lists[moto-2]",
        "test_lists[moto-4]",
    ]
    for test in tests:
        assert test["seconds"] > 0
        # The test's ListTables; ddbmatrix's own readiness probes are left out.
        targets = [call["headers"]["X-Amz-Target"] for call in test["calls"]]
        assert targets == ["DynamoDB_20120810.ListTables"]
