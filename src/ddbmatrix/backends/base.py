"""The interface every backend implements, and the shared code for backends run as processes.

A :class:`Backend` describes one DynamoDB implementation: whether it can run here, its
version, and how to start it. :meth:`Backend.start` returns a :class:`Server`, a running
instance with an endpoint that stops on :meth:`Server.stop`. Backends that run as a local
process subclass :class:`ProcessBackend` and only say which command to run.
"""

from __future__ import annotations

import abc
import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, ClassVar

import boto3
import botocore.session
from botocore.config import Config
from botocore.exceptions import (
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    HTTPClientError,
)
from botocore.exceptions import ConnectionError as BotoConnectionError
from mirakuru import TCPExecutor
from mirakuru.base import ENV_UUID
from mirakuru.exceptions import AlreadyRunning, ProcessExitedWithError, TimeoutExpired

from ddbmatrix.caches import model_loader
from ddbmatrix.errors import BackendStartError
from ddbmatrix.ports import PortReservation, reserve_port
from ddbmatrix.watchdog import watchdog_command

__all__ = [
    "FAKE_CREDENTIALS",
    "Backend",
    "ProcessBackend",
    "ProcessServer",
    "Server",
    "describe_exit",
    "fake_session",
    "reach",
    "wait_for_answer",
]

# DynamoDB Local keeps one namespace per (access key, region) and accepts only letters and
# digits in the key; every local backend gets these so all clients of a run share tables.
FAKE_CREDENTIALS = {
    "aws_access_key_id": "ddbmatrix",
    "aws_secret_access_key": "ddbmatrix",
    "region_name": "us-east-1",
}


def fake_session() -> boto3.session.Session:
    """Return a boto3 session with the fake credentials and region every local backend gets.

    It reads nothing of the user's AWS set-up: no profile (AWS_PROFILE naming a profile this
    machine lacks would fail every call) and no config or credentials file.
    """
    isolated = botocore.session.Session(
        session_vars={
            "profile": (None, None, None, None),
            "config_file": (None, None, os.devnull, None),
            "credentials_file": (None, None, os.devnull, None),
        }
    )
    # Parsed models are shared: a probe client per server start would parse them again.
    isolated.register_component("data_loader", model_loader())
    return boto3.session.Session(
        aws_access_key_id=FAKE_CREDENTIALS["aws_access_key_id"],
        aws_secret_access_key=FAKE_CREDENTIALS["aws_secret_access_key"],
        region_name=FAKE_CREDENTIALS["region_name"],
        botocore_session=isolated,
    )


_START_ATTEMPTS = 3
#: Marks ddbmatrix's own clients (readiness and health probes), which are never recorded:
#: they may run in a background thread while a test is being recorded.
INTERNAL_CLIENT = "ddbmatrix-internal"
_LOG_TAIL_LINES = 30


class Server(abc.ABC):
    """A running DynamoDB endpoint."""

    backend: str
    endpoint: str

    @abc.abstractmethod
    def stop(self) -> None:
        """Stop the server; a no-op for servers ddbmatrix did not start."""

    def alive(self) -> bool:
        """Return whether the server is still running."""
        return True

    def answers(self, timeout: float = 2.0) -> bool:
        """Return whether a DynamoDB call succeeds within ``timeout`` seconds."""
        return True

    def reach(self, timeout: float = 2.0) -> str:
        """Return ``"answers"``, ``"refused"`` (nothing listens) or ``"silent"`` (no answer)."""
        return "answers" if self.answers(timeout) else "silent"

    def wait_ended(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the server to end; return whether it did."""
        return not self.alive()

    def exit_code(self) -> int | None:
        """Return how the server ended (negative: by that signal), or None if unknown."""
        return None

    def diagnosis(self) -> str:
        """Return what is known of a failure: exit code, end of the log."""
        return ""


class Backend(abc.ABC):
    """One DynamoDB implementation."""

    name: ClassVar[str]
    #: Started on this machine by ddbmatrix (and so part of ``all``).
    local: ClassVar[bool] = True
    #: Clients use the standard AWS credential chain instead of fake credentials.
    real_credentials: ClassVar[bool] = False

    def check(self) -> None:  # noqa: B027 - optional hook: most remote backends need no check
        """Raise :class:`~ddbmatrix.errors.BackendUnavailableError` if it cannot run here."""

    def install(self) -> str | None:
        """Install what the backend needs (``ddbmatrix install NAME``); say what was done.

        Return None when there was nothing to do: ``ddbmatrix install`` then says the
        backend is already installed.
        """
        return None

    @abc.abstractmethod
    def version(self) -> str:
        """Return the version of the implementation, without starting it."""

    @abc.abstractmethod
    def start(
        self, host: str, port: int | None, log_path: Path, *, owners: Sequence[int] = ()
    ) -> Server:
        """Start a server on ``host`` (on ``port`` or a free one) and wait until it answers.

        Args:
            host: the address to listen on (always loopback for local backends).
            port: a fixed port, or None for a free one.
            log_path: where the server's output goes.
            owners: PIDs besides this process whose end must also end the server (the xdist
                controller); see :mod:`ddbmatrix.watchdog`.
        """


def _tail(path: Path, lines: int = _LOG_TAIL_LINES) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:]) or "(log is empty)"


def server_environment(extra: Mapping[str, str]) -> dict[str, str]:
    """Return the environment of a local server: this one without any AWS_* setting.

    A local emulator has no use for the user's AWS identity, and some (moto) would even
    read their profile; each gets the fake credentials and region instead.
    """
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env |= {
        "AWS_ACCESS_KEY_ID": FAKE_CREDENTIALS["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": FAKE_CREDENTIALS["aws_secret_access_key"],
        "AWS_DEFAULT_REGION": FAKE_CREDENTIALS["region_name"],
        # Python emulators (moto, ministack) return attributes in set order, which string
        # hashing randomizes per process: a fixed seed makes two runs answer alike.
        "PYTHONHASHSEED": "0",
    }
    return env | dict(extra)


def probe_client(endpoint: str, timeout: float, validate: bool = True) -> Any:
    return fake_session().client(
        "dynamodb",
        endpoint_url=endpoint,
        config=Config(
            connect_timeout=timeout,
            read_timeout=timeout,
            retries={"total_max_attempts": 1},
            parameter_validation=validate,
            user_agent_extra=INTERNAL_CLIENT,
        ),
    )


def probe(endpoint: str, timeout: float, client: Any = None) -> bool:
    """Return whether a ListTables call to ``endpoint`` succeeds within ``timeout`` seconds."""
    return reach(endpoint, timeout, client) == "answers"


def reach(endpoint: str, timeout: float, client: Any = None) -> str:
    """Return how ``endpoint`` took a ListTables call: see :meth:`Server.reach`.

    An error answer counts as silent, as it does for readiness: it is no DynamoDB answer.
    """
    try:
        (client or probe_client(endpoint, timeout)).list_tables(Limit=1)
    except ConnectTimeoutError:  # (an EndpointConnectionError too)
        return "silent"
    except EndpointConnectionError:
        return "refused"  # nothing listens on the port: the server is gone, or going
    except (ClientError, BotoConnectionError, HTTPClientError):
        return "silent"  # a timeout, a connection closed mid-answer, an error answer
    return "answers"


def wait_for_answer(
    endpoint: str,
    timeout: float,
    client: Any = None,
    *,
    gone: Callable[[], bool] = lambda: False,
    try_seconds: float = 2.0,
) -> str:
    """Ask ``endpoint`` for ListTables every 0.1 s until it answers; return the last :func:`reach`.

    A server started a moment ago may refuse a connection or time out once, then answer. It
    gives up after ``timeout`` seconds, or as soon as ``gone()`` (its process has ended).
    """
    client = client or probe_client(endpoint, try_seconds)
    deadline = time.monotonic() + timeout
    while (state := reach(endpoint, try_seconds, client)) != "answers":  # bounded by deadline
        if gone() or time.monotonic() >= deadline:
            return state
        time.sleep(0.1)
    return state


def describe_exit(code: int | None) -> str:
    """Say how a process ended: ``exit code 3``, ``exit code -9 (killed by SIGKILL)``."""
    if code is None:
        return "exit code unknown"
    if code < 0:
        try:
            return f"exit code {code} (killed by {signal.Signals(-code).name})"
        except ValueError:
            pass
    return f"exit code {code}"


class DynamoDBExecutor(TCPExecutor):
    """A mirakuru executor that is ready once a DynamoDB ListTables call succeeds."""

    def __init__(self, command: list[str], host: str, port: int, **kwargs: Any) -> None:
        super().__init__(command, host=host, port=port, **kwargs)
        self._probe: Any = None

    @property
    def envvars(self) -> dict[str, str]:
        # mirakuru starts from os.environ; the server gets a clean one, plus mirakuru's marker
        # (which finds the server's own children when it stops).
        return server_environment(self._envvars) | {ENV_UUID: self._uuid}

    def after_start_check(self) -> bool:
        endpoint = f"http://{self.host}:{self.port}"
        if self._probe is None:
            # Built at the first check, right after the spawn, not once the port is open:
            # building it (17 ms; 100 ms for a process's first client, which loads the
            # models) then runs while the server starts instead of after.
            self._probe = probe_client(endpoint, timeout=2)
        if not super().after_start_check():
            return False
        return probe(endpoint, 2, self._probe)


@dataclass
class ProcessServer(Server):
    """A backend server running as a child process of this one."""

    backend: str
    endpoint: str
    executor: DynamoDBExecutor
    log_path: Path
    reservation: PortReservation
    _log: IO[bytes] | None = field(default=None, repr=False)

    @property
    def pid(self) -> int | None:
        process = self.executor.process
        return process.pid if process else None

    def alive(self) -> bool:
        return self.executor.running()

    def answers(self, timeout: float = 2.0) -> bool:
        return probe(self.endpoint, timeout)

    def reach(self, timeout: float = 2.0) -> str:
        return reach(self.endpoint, timeout)

    def wait_ended(self, timeout: float) -> bool:
        # The watchdog (the process mirakuru started) polls the emulator every 0.2 s and
        # then exits as it did, so a server killed a moment ago may still look alive.
        process = self.executor.process
        if process is None:
            return True
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            return False
        return True

    def exit_code(self) -> int | None:
        process = self.executor.process
        return process.poll() if process else None

    def diagnosis(self) -> str:
        code = self.exit_code()
        status = describe_exit(code) if code is not None else f"pid {self.pid} still running"
        return f"{status}; log {self.log_path} ends with:\n{_tail(self.log_path)}"

    def kill(self) -> None:
        """Kill a hung server at once (SIGKILL to its process group)."""
        self.executor.kill()

    def stop(self) -> None:
        try:
            if self.executor.running():
                self.executor.stop()
            else:
                self.executor.kill()
        finally:
            if self._log is not None:
                self._log.close()
                self._log = None
            self.reservation.release()


class ProcessBackend(Backend):
    """A backend run as a local server process, managed by mirakuru."""

    #: Exit code on SIGTERM; the JVM answers 143 rather than -15.
    expected_returncode: ClassVar[int | None] = None
    #: Seconds to wait for the first successful call.
    start_timeout: ClassVar[float] = 60.0

    @abc.abstractmethod
    def command(self, host: str, port: int) -> list[str]:
        """Return the command line that serves DynamoDB on host:port."""

    def environment(self, host: str, port: int) -> dict[str, str]:
        """Return extra environment variables for the server on host:port."""
        return {}

    def start(
        self, host: str, port: int | None, log_path: Path, *, owners: Sequence[int] = ()
    ) -> Server:
        self.check()
        log_path.parent.mkdir(parents=True, exist_ok=True)
        # A random port can be taken between choosing and binding it (by a program that does
        # not honour our reservations); then another port is tried. A fixed port is not.
        attempts = 1 if port else _START_ATTEMPTS
        failure = ""
        for _ in range(attempts):
            reservation = reserve_port(host, port)
            command = self.command(host, reservation.port)
            log = log_path.open("ab")
            executor = DynamoDBExecutor(
                watchdog_command([os.getpid(), *owners], command),
                host=host,
                port=reservation.port,
                timeout=self.start_timeout,
                # Readiness is polled: a coarse step adds up to its length to every cold start.
                sleep=0.01,
                cwd=str(log_path.parent),
                envvars=self.environment(host, reservation.port),
                expected_returncode=self.expected_returncode,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                executor.start()
            except Exception as error:
                executor.kill()
                log.close()
                reservation.release()
                if isinstance(error, AlreadyRunning):
                    failure = f"port {reservation.port} was taken"
                    continue
                if isinstance(error, ProcessExitedWithError):
                    failure = f"the process exited with code {error.exit_code}"
                    continue
                if isinstance(error, TimeoutExpired):
                    failure = f"no successful DynamoDB call within {self.start_timeout:.0f} s"
                else:
                    failure = f"{type(error).__name__}: {error}"
                break
            return ProcessServer(
                backend=self.name,
                endpoint=f"http://{host}:{reservation.port}",
                executor=executor,
                log_path=log_path,
                reservation=reservation,
                _log=log,
            )
        raise BackendStartError(
            f"{self.name} did not start ({failure}).\n"
            f"command: {' '.join(command)}\n"
            f"log {log_path} ends with:\n{_tail(log_path)}"
        )
