"""A backend that crashes or hangs mid-run is reported as broken, not as divergences."""

from __future__ import annotations

import json

import pytest

TWIN_BACKEND = '''
from ddbmatrix.backends import BACKENDS
from ddbmatrix.backends.moto import Moto


class Twin(Moto):
    """A second moto under another name: the backend that must stay unaffected."""

    name = "twin"


BACKENDS["twin"] = Twin
'''

SUITE = """
import psutil


def server_process(ddb_server):
    return psutil.Process(ddb_server.pid).children()[0]  # the server below its watchdog


def test_1_breaks_its_server(ddb_backend, ddb_client, ddb_server):
    ddb_client.list_tables()
    if ddb_backend == "moto":
        {action}
    ddb_client.list_tables()


def test_2_needs_the_server(ddb_client):
    ddb_client.list_tables()
"""


def run(pytester: pytest.Pytester, action: str, *args: str) -> pytest.RunResult:
    pytester.makeconftest(TWIN_BACKEND)
    pytester.makepyfile(test_suite=SUITE.format(action=action))
    return pytester.runpytest_subprocess("--ddb-backend=moto,twin", "-p", "no:randomly", *args)


def records(pytester: pytest.Pytester, backend: str) -> dict:
    return json.loads((pytester.path / "reports" / "runs" / f"{backend}.json").read_text())


def test_a_crashed_server_fails_its_tests_with_the_log_tail(pytester):
    result = run(pytester, "process = server_process(ddb_server); process.kill(); process.wait(5)")
    result.assert_outcomes(passed=2, failed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*backend moto crashed during test_suite.py::test_1_*?moto?: exit code -9*",
            "*ddbmatrix: server logs kept in *",
        ]
    )
    moto = records(pytester, "moto")
    assert [(t["outcome"], t["backend_failure"]) for t in moto["tests"]] == [
        ("raised", "crashed"),
        ("error", "crashed"),
    ]
    (incident,) = moto["incidents"]
    assert incident["kind"] == "crashed"
    assert "log " in incident["message"]
    assert "ends with" in incident["message"]
    twin = records(pytester, "twin")
    assert [t["outcome"] for t in twin["tests"]] == ["passed", "passed"]
    assert twin["incidents"] == []


def test_a_hung_server_is_killed_and_reported(pytester):
    result = run(pytester, "server_process(ddb_server).suspend()", "--ddb-call-timeout=1")
    result.assert_outcomes(passed=2, failed=1, errors=1)
    result.stdout.fnmatch_lines(
        ["*backend moto hung during *no answer to ListTables in 3 tries of 1 s*"]
    )
    moto = records(pytester, "moto")
    assert [t["backend_failure"] for t in moto["tests"]] == ["hung", "hung"]
    assert [i["kind"] for i in moto["incidents"]] == ["hung"]


def test_a_failed_start_is_recorded_once_and_fails_fast(pytester, monkeypatch):
    pytester.makeconftest("""
import sys
from ddbmatrix.backends import BACKENDS
from ddbmatrix.backends.base import ProcessBackend


class Broken(ProcessBackend):
    name = "broken"

    def version(self):
        return "0"

    def command(self, host, port):
        return [sys.executable, "-c", "raise SystemExit('no such flag: --bogus')"]


BACKENDS["broken"] = Broken
""")
    pytester.makepyfile(
        test_two="def test_a(ddb_client):\n    pass\n\n\ndef test_b(ddb_client):\n    pass\n"
    )
    result = pytester.runpytest_subprocess("--ddb-backend=broken")
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        ["*broken did not start (the process exited with code 1)*", "*no such flag: --bogus*"]
    )
    run_file = records(pytester, "broken")
    assert [t["backend_failure"] for t in run_file["tests"]] == ["start-failed"] * 2
    assert len(run_file["incidents"]) == 1
