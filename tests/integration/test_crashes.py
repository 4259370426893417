"""A server that dies is reported as crashed, with its exit code; one that stops answering as
hung (issue 11.6). Each case runs pytest in a subprocess on moto, and its test does to the
server what happens in the wild: SIGKILL (the OOM killer, a segfault) or SIGSTOP (a server
spinning on one request answers nothing). Only the server of that run is signalled."""

from __future__ import annotations

import json

SUITE = """
import signal, threading

import psutil


def emulator(server):
    # Below ddbmatrix's watchdog (see watchdog.py): the emulator itself.
    (process,) = psutil.Process(server.pid).children()
    return process


def test_the_server_is_killed(ddb_server, ddb_client):
    ddb_client.list_tables()
    # As on a loaded machine, the watchdog is not scheduled for a second after the emulator
    # dies: ddbmatrix sees the port refuse connections before it sees the process end.
    watchdog = psutil.Process(ddb_server.pid)
    watchdog.suspend()
    threading.Timer(1.0, watchdog.resume).start()
    emulator(ddb_server).send_signal(signal.SIGKILL)
    ddb_client.list_tables()


def test_the_server_is_stopped(ddb_server, ddb_client):
    ddb_client.list_tables()
    emulator(ddb_server).send_signal(signal.SIGSTOP)
    ddb_client.list_tables()
"""


def run(pytester, test: str) -> tuple[dict, str]:
    pytester.makepyfile(test_server=SUITE)
    result = pytester.runpytest_subprocess(
        "--ddb-backend=moto", "-p", "no:xdist", "--ddb-call-timeout=2", "-k", test
    )
    result.assert_outcomes(failed=1)
    data = json.loads((pytester.path / "reports" / "runs" / "moto.json").read_text())
    return data, result.stdout.str()


def test_a_killed_server_is_reported_as_crashed_with_its_exit_code(pytester):
    data, output = run(pytester, "killed")
    (test,) = data["tests"]
    (incident,) = data["incidents"]
    assert test["backend_failure"] == "crashed", incident["message"]
    assert incident["kind"] == "crashed"
    assert incident["exit_code"] == -9
    assert "SIGKILL" in incident["message"]
    assert "hung" not in incident["message"]
    assert "no answer" not in incident["message"]
    assert "crashed during test_server.py::test_the_server_is_killed[moto]" in output
    assert "exit code -9 (killed by SIGKILL)" in output


def test_a_server_that_stops_answering_is_reported_as_hung(pytester):
    data, _ = run(pytester, "stopped")
    (test,) = data["tests"]
    (incident,) = data["incidents"]
    assert test["backend_failure"] == "hung", incident["message"]
    assert incident["kind"] == "hung"
    assert "no answer to ListTables in 3 tries of 2 s" in incident["message"]
    assert incident.get("exit_code") is None
