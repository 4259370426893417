"""The wire plugin keeps each test's requests and time, and can keep a fixed slice of a suite."""

from __future__ import annotations

import os
import time
from pathlib import Path

import botocore.httpsession
from benchmarks.replay import load_wire
from benchmarks.wire import WireCapture

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
    tests = load_wire(pytester.path / "wire")
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


SLEEPY = """
import time

import pytest

@pytest.mark.parametrize("pause", [0.0, 0.05])
def test_waits(pause, ddb_client, make_table):
    make_table(keys={"pk": "S"})  # ddbmatrix's own waits, if any, are the harness's
    time.sleep(pause)
"""


def test_a_tests_own_sleep_is_kept_apart_from_the_harness(pytester, monkeypatch):
    pytester.makepyfile(test_sleepy=SLEEPY)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv("DDBMATRIX_BENCH_WIRE", str(pytester.path / "wire"))
    result = pytester.runpytest_subprocess("-p", "benchmarks.wire", "--ddb-backend=moto")
    result.assert_outcomes(passed=2)
    tests = load_wire(pytester.path / "wire")
    slept = {t["id"].split("::")[-1]: t["own_sleep"] for t in tests}
    assert slept["test_waits[moto-0.0]"] < 0.05
    assert 0.05 <= slept["test_waits[moto-0.05]"] < 0.5
    for test in tests:
        assert test["own_sleep"] <= test["seconds"]


def test_only_sleeps_outside_the_harness_count_as_the_tests_own(tmp_path, monkeypatch):
    monkeypatch.setattr(time, "sleep", time.sleep)  # put back whatever install() replaces
    monkeypatch.setattr(
        botocore.httpsession.URLLib3Session, "send", botocore.httpsession.URLLib3Session.send
    )
    capture = WireCapture(str(tmp_path / "wire"), "main")
    capture.install()
    harness: dict[str, object] = {"__name__": "ddbmatrix.tables"}
    exec("def poll():\n    import time\n    time.sleep(0.02)", harness)
    capture._calls = []  # inside a test's protocol
    harness["poll"]()  # type: ignore[operator]
    assert capture._slept == 0.0
    time.sleep(0.02)
    assert capture._slept >= 0.02
    capture._calls = None  # between tests nothing counts
    before = capture._slept
    time.sleep(0.01)
    assert capture._slept == before
