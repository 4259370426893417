from __future__ import annotations

import sys
import threading
from typing import ClassVar

import psutil
import pytest

from ddbmatrix.backends.base import ProcessBackend, server_environment
from ddbmatrix.errors import BackendStartError
from ddbmatrix.servers import ServerPool


class Exits(ProcessBackend):
    name = "exits"

    def version(self) -> str:
        return "0"

    def command(self, host: str, port: int) -> list[str]:
        return [sys.executable, "-c", "print('boom: cannot start'); raise SystemExit(3)"]


class NeverReady(ProcessBackend):
    """Listens, but is no DynamoDB: answers 501 to every POST."""

    name = "never-ready"
    start_timeout: ClassVar[float] = 2.0

    def version(self) -> str:
        return "0"

    def command(self, host: str, port: int) -> list[str]:
        return [sys.executable, "-m", "http.server", "--bind", host, str(port)]


def test_a_server_that_exits_reports_command_and_log_tail(tmp_path):
    with pytest.raises(BackendStartError) as raised:
        Exits().start("127.0.0.1", None, tmp_path / "exits.log")
    message = str(raised.value)
    assert "the process exited with code 3" in message
    assert "command: " + sys.executable in message
    assert "boom: cannot start" in message


def test_a_server_that_never_answers_dynamodb_times_out_and_is_killed(tmp_path):
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    with pytest.raises(BackendStartError, match="no successful DynamoDB call within 2 s"):
        NeverReady().start("127.0.0.1", None, tmp_path / "never.log")
    after = {p.pid for p in psutil.Process().children(recursive=True)}
    assert after <= before


def test_moto_starts_answers_and_stops(tmp_path):
    server = ProcessBackendFactory.moto().start("127.0.0.1", None, tmp_path / "moto.log")
    try:
        assert server.endpoint.startswith("http://127.0.0.1:")
        pid = server.pid
        assert psutil.pid_exists(pid)
    finally:
        server.stop()
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


def test_the_pool_remembers_a_failed_start(tmp_path, monkeypatch):
    import ddbmatrix.servers

    attempts = []

    def get_backend(name):
        attempts.append(name)
        return Exits()

    monkeypatch.setattr(ddbmatrix.servers, "get_backend", get_backend)
    pool = ServerPool(tmp_path, "gw0")
    for _ in range(3):
        with pytest.raises(BackendStartError):
            pool.get("exits")
    assert attempts == ["exits"]
    assert pool.log_path("exits").name == "exits-gw0.log"


def test_servers_never_see_the_users_aws_settings(monkeypatch):
    monkeypatch.setenv("AWS_PROFILE", "production")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "secret")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREAL")
    env = server_environment({"EXTRA": "1"})
    assert "AWS_PROFILE" not in env
    assert "AWS_SESSION_TOKEN" not in env
    assert env["AWS_ACCESS_KEY_ID"] == "ddbmatrix"
    assert env["EXTRA"] == "1"


class ProcessBackendFactory:
    @staticmethod
    def moto() -> ProcessBackend:
        from ddbmatrix.backends import get_backend

        backend = get_backend("moto")
        assert isinstance(backend, ProcessBackend)
        return backend


def test_how_a_process_ended_is_said_with_the_signal():
    from ddbmatrix.backends.base import describe_exit

    assert describe_exit(3) == "exit code 3"
    assert describe_exit(-9) == "exit code -9 (killed by SIGKILL)"
    assert describe_exit(None) == "exit code unknown"


class _Stops:
    """Stands in for a server: its stop waits at a barrier all the stops must reach."""

    def __init__(self, barrier: threading.Barrier, fails: bool = False) -> None:
        self.barrier = barrier
        self.fails = fails
        self.stopped = False

    def stop(self) -> None:
        self.barrier.wait(timeout=5)  # sequential stops would never fill it: BrokenBarrier
        self.stopped = True
        if self.fails:
            raise RuntimeError("could not stop")


def test_the_pool_stops_its_servers_side_by_side_and_all_of_them(tmp_path):
    barrier = threading.Barrier(3)
    servers = {"a": _Stops(barrier), "b": _Stops(barrier, fails=True), "c": _Stops(barrier)}
    pool = ServerPool(tmp_path, "gw0")
    pool._servers.update(servers)
    with pytest.raises(RuntimeError, match="could not stop"):
        pool.stop_all()
    assert all(server.stopped for server in servers.values())
    pool.stop_all()  # nothing left: a second call (atexit's) stops nothing again
