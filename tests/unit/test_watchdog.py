"""No server outlives the run: whatever ends pytest, its servers are gone within seconds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from ddbmatrix.watchdog import _arguments, watchdog_command

SLOW_SUITE = """
import pathlib, time

def test_{name}(ddb_client, ddb_server):
    ddb_client.list_tables()
    pathlib.Path("ready-{name}").write_text(str(ddb_server.pid))
    time.sleep(120)
"""


def servers_below(root: psutil.Process) -> list[psutil.Process]:
    """Return the moto servers under ``root`` (not their watchdogs, whose command names them)."""
    return [p for p in root.children(recursive=True) if p.cmdline()[1:3] == ["-m", "moto.server"]]


def gone_within(processes: list[psutil.Process], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in processes):
            return True
        time.sleep(0.1)
    return False


def start_slow_run(pytester: pytest.Pytester, *args: str) -> tuple[subprocess.Popen[bytes], list]:
    pytester.makepyfile(**{f"test_{n}": SLOW_SUITE.format(name=n) for n in ("a", "b")})
    process = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--ddb-backend=moto", *args],
        cwd=pytester.path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    expected = 2 if "2" in args else 1  # -n 2 runs both slow tests at once
    deadline = time.monotonic() + 60
    while len(list(pytester.path.glob("ready-*"))) < expected:  # bounded by the deadline
        assert time.monotonic() < deadline, "the slow run never got its servers up"
        assert process.poll() is None, "the slow run ended early"
        time.sleep(0.1)
    servers = servers_below(psutil.Process(process.pid))
    assert len(servers) == expected
    return process, servers


@pytest.mark.parametrize("workers", [["-n", "2"], ["-n", "0"]], ids=["xdist", "single"])
def test_sigkill_of_pytest_leaves_no_server_after_5_seconds(pytester, workers):
    process, servers = start_slow_run(pytester, *workers)
    process.kill()  # SIGKILL of the root only: no teardown, no atexit
    assert gone_within(servers, 5.0)
    os.killpg(process.pid, signal.SIGKILL)  # the lingering xdist workers (not servers)


def test_sigkill_of_a_worker_takes_its_server_down(pytester):
    process, servers = start_slow_run(pytester, "-n", "2")
    try:
        victim = servers[0].parent().parent()  # server <- watchdog <- worker
        victim.kill()
        assert gone_within([servers[0]], 5.0)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
    assert gone_within(servers, 5.0)


def test_ctrl_c_stops_servers_through_pytest_teardown(pytester):
    process, servers = start_slow_run(pytester, "-n", "0")
    process.send_signal(signal.SIGINT)
    assert process.wait(30) == pytest.ExitCode.INTERRUPTED
    assert gone_within(servers, 5.0)


def test_exception_in_a_fixture_still_stops_servers(pytester):
    pytester.makepyfile(
        test_broken="""
        import pathlib, pytest

        @pytest.fixture
        def broken(ddb_server):
            pathlib.Path("pid").write_text(str(ddb_server.pid))
            raise RuntimeError("fixture bug")

        def test_it(broken):
            pass
        """
    )
    pytester.runpytest_subprocess("--ddb-backend=moto").assert_outcomes(errors=1)
    watchdog = int((pytester.path / "pid").read_text())
    assert not psutil.pid_exists(watchdog) or psutil.Process(watchdog).status() == "zombie"


def test_watchdog_passes_on_the_servers_exit_code(tmp_path):
    owner = os.getpid()
    command = watchdog_command([owner], [sys.executable, "-c", "raise SystemExit(7)"])
    assert subprocess.run(command, check=False).returncode == 7


def test_watchdog_stops_the_server_when_an_owner_dies(tmp_path):
    owner = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    pid_file = tmp_path / "server.pid"
    server = (
        f"import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid())); time.sleep(60)"
    )
    watchdog = subprocess.Popen(watchdog_command([owner.pid], [sys.executable, "-c", server]))
    deadline = time.monotonic() + 10
    while not pid_file.exists() or not pid_file.read_text():  # bounded by the deadline
        assert time.monotonic() < deadline
        time.sleep(0.05)
    server_process = psutil.Process(int(Path(pid_file).read_text()))
    owner.kill()
    owner.wait()
    assert watchdog.wait(10) == 0
    assert gone_within([server_process], 5.0)


def test_watchdog_refuses_to_start_for_a_dead_owner():
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    result = subprocess.run(
        watchdog_command([dead.pid], [sys.executable, "-c", "print('started')"]),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "already gone" in result.stderr


def test_watchdog_reads_back_the_command_line_watchdog_command_writes():
    command = watchdog_command([3, 1, 3], ["server", "--port", "5"], grace=1.5)
    assert _arguments(command[2:]) == ([1, 3], 1.5, ["server", "--port", "5"])


@pytest.mark.parametrize(
    "argv",
    [["--", "server"], ["--owner", "1"], ["--owner", "1", "--grace", "--", "x"], ["--own", "1"]],
)
def test_watchdog_refuses_a_command_line_it_does_not_know(argv):
    with pytest.raises(SystemExit) as exited:
        _arguments(argv)
    assert "watchdog" in str(exited.value)
