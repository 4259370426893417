"""Nothing recorded is lost when a run is stopped or loses a worker (issue 11.6).

Each case drives pytest in a subprocess of its own on moto, waits until a test is inside
its body, then stops the run (SIGTERM, SIGINT) or kills the xdist worker running it
(SIGKILL), and reads the run file: the test cut short is there, as ``interrupted``, and the
run is not ``complete``. Only the PIDs these tests started (and that run's worker) are
signalled.

With ``-n 2`` the two tests run side by side, so the second can be in its body before the
first has finished; the harness therefore also waits until the process it signals has the
first test's last report (written by the suite's conftest, see ``CONFTEST``).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SUITE = """
import os, pathlib, time


def test_a_finished(ddb_client):
    ddb_client.list_tables()


def test_b_stopped_inside(ddb_client):
    ddb_client.list_tables()
    pathlib.Path("inside").write_text(str(os.getpid()))
    for _ in range(600):  # bounded: 60 s at most, the run is stopped long before
        time.sleep(0.1)
"""


CONFTEST = """
import os, pathlib, pytest


@pytest.hookimpl(trylast=True)  # after ddbmatrix's collector has taken the report
def pytest_runtest_logreport(report):
    if report.nodeid.startswith("test_stop.py::test_a_finished") and report.when == "teardown":
        pathlib.Path(f"reported-{os.getpid()}").write_text("")
"""


def start_run(path: Path, *args: str) -> subprocess.Popen[str]:
    path.joinpath("test_stop.py").write_text(SUITE)
    path.joinpath("conftest.py").write_text(CONFTEST)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pytest",
            "test_stop.py",
            "--ddb-backend=moto",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            *args,
        ],
        cwd=path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own group: a signal to it never reaches this pytest
    )


def wait_inside(path: Path, run: subprocess.Popen[str]) -> int:
    """Wait until the test is in its body and the first test's report is with the process
    this test signals; return the PID of the process running the stopped test."""
    deadline = time.monotonic() + 90
    while not ((path / "inside").exists() and (path / f"reported-{run.pid}").exists()):
        assert run.poll() is None, run.communicate()[0]
        assert time.monotonic() < deadline, "the test never started"
        time.sleep(0.1)
    time.sleep(0.2)  # the PID is written; let the write finish
    return int((path / "inside").read_text())


def finish(run: subprocess.Popen[str]) -> str:
    try:
        return run.communicate(timeout=60)[0]
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)  # the group of the run this test started
            run.wait()


def run_file(path: Path) -> dict:
    return json.loads((path / "reports" / "runs" / "moto.json").read_text())


@pytest.mark.parametrize("workers", ["0", "2"])
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_the_test_a_signal_stops_is_recorded_as_interrupted(tmp_path, signum, workers):
    run = start_run(tmp_path, *(["-p", "no:xdist"] if workers == "0" else ["-n", workers]))
    wait_inside(tmp_path, run)
    os.kill(run.pid, signum)  # the pytest process this test started (the controller)
    output = finish(run)
    assert run.returncode == pytest.ExitCode.INTERRUPTED, output
    data = run_file(tmp_path)
    assert data["complete"] is False
    tests = {t["id"]: t for t in data["tests"]}
    assert tests["test_stop.py::test_a_finished"]["outcome"] == "passed"
    stopped = tests["test_stop.py::test_b_stopped_inside"]
    assert stopped["outcome"] == "interrupted", output
    assert stopped["phase"] == "call"
    assert stopped["nodeid"] == "test_stop.py::test_b_stopped_inside[moto]"
    name = "SIGTERM" if signum == signal.SIGTERM else "SIGINT"
    assert name in stopped["message"]
    if workers == "0":  # the process that ran it says what it did before it was stopped
        assert [c["operation"] for c in stopped["calls"]] == ["ListTables"]


def test_the_test_of_a_killed_worker_is_recorded_and_the_run_is_incomplete(tmp_path):
    run = start_run(tmp_path, "-n", "1")
    worker = wait_inside(tmp_path, run)
    assert worker != run.pid
    os.kill(worker, signal.SIGKILL)  # the xdist worker of the run this test started
    output = finish(run)
    # xdist reports the lost test as failed and goes on: pytest exits 1, as for a failure.
    assert run.returncode == pytest.ExitCode.TESTS_FAILED, output
    data = run_file(tmp_path)
    assert data["complete"] is False, output
    tests = {t["id"]: t for t in data["tests"]}
    assert tests["test_stop.py::test_a_finished"]["outcome"] == "passed"
    lost = tests["test_stop.py::test_b_stopped_inside"]
    assert lost["outcome"] == "interrupted"
    assert "crashed" in lost["message"]
    assert "gw0" in lost["message"]
    assert lost["location"] == ["test_stop.py", 9]


def test_the_report_treats_an_interrupted_test_as_broken_not_as_a_divergence(tmp_path):
    from ddbmatrix.cli import main

    run = start_run(tmp_path, "-p", "no:xdist")
    wait_inside(tmp_path, run)
    os.kill(run.pid, signal.SIGTERM)
    finish(run)
    moto = run_file(tmp_path)
    other = {**moto, "backend": "dynalite", "complete": True, "exit_status": 0}
    other["tests"] = [{**t, "backend": "dynalite", "outcome": "passed"} for t in moto["tests"]]
    (tmp_path / "reports" / "runs" / "dynalite.json").write_text(json.dumps(other))
    runs = sorted(map(str, (tmp_path / "reports" / "runs").glob("*.json")))
    assert main(["report", "--out", str(tmp_path / "reports"), *runs]) == 0
    report = json.loads((tmp_path / "reports" / "divergence.json").read_text())
    text = json.dumps(report)
    assert "test_b_stopped_inside" not in json.dumps(report.get("divergences", []))
    assert "interrupted" in text
    junit = (tmp_path / "reports" / "junit" / "moto.xml").read_text()
    assert 'type="interrupted"' in junit  # an error in CI's test tab, not a skip


def test_a_worker_that_stops_in_a_test_ships_it_with_its_calls(pytester):
    pytester.makepyfile(
        test_exit="""
        import pytest

        def test_a_finished(ddb_client):
            ddb_client.list_tables()

        def test_b_exits(ddb_client):
            ddb_client.list_tables()
            pytest.exit("enough")
        """
    )
    result = pytester.runpytest_subprocess("--ddb-backend=moto", "-n", "1", "-p", "no:randomly")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    data = run_file(pytester.path)
    assert data["complete"] is False
    stopped = next(t for t in data["tests"] if t["id"] == "test_exit.py::test_b_exits")
    # Made in the worker, shipped in its workeroutput: it knows the calls and the reason.
    assert stopped["outcome"] == "interrupted"
    assert stopped["message"] == "the run was stopped by pytest.exit (enough)"
    assert [c["operation"] for c in stopped["calls"]] == ["ListTables"]
