"""The servers of one pytest process (the whole run, or one xdist worker).

Each backend's server is started the first time a test needs it and kept until the process
ends, so a worker pays each start-up once. The first need also starts, in the background,
the other backends this process has tests for: starting them at once rather than one after
another shortens a worker's start-up (``nox -s bench`` measures by how much). Isolation
between tests comes from unique table names, never from restarts. A backend whose server
failed to start, crashed or hung is *broken* for the rest of the run: its remaining tests
fail at once with the same diagnosis instead of waiting on a dead server, and the run file
records what happened.
"""

from __future__ import annotations

import atexit
import contextlib
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ddbmatrix.backends import Server, get_backend
from ddbmatrix.backends.base import ProcessServer
from ddbmatrix.errors import BackendBrokenError, BackendStartError, DdbMatrixError

__all__ = ["ServerPool"]

#: A server that answers no ListTables call in this many tries of this many seconds is hung.
HANG_SECONDS = 10.0
HANG_TRIES = 3
#: How long a server whose port refuses connections gets to be seen ending (its watchdog
#: notices the emulator's end within 0.2 s; a loaded machine may take longer).
END_SECONDS = 5.0


class ServerPool:
    """Start servers lazily, one per backend, and stop them all at the end."""

    def __init__(
        self,
        log_dir: Path,
        worker: str,
        host: str = "127.0.0.1",
        owners: Sequence[int] = (),
        hang_seconds: float = HANG_SECONDS,
    ) -> None:
        self.log_dir = log_dir
        self.worker = worker
        self.host = host
        self.owners = tuple(owners)
        self.hang_seconds = hang_seconds
        self._servers: dict[str, Server] = {}
        self._starting: dict[str, Future[Server]] = {}
        self._broken: dict[str, DdbMatrixError] = {}
        #: What went wrong, as run-file incidents (see runfile.py).
        self.incidents: list[dict[str, Any]] = []
        # Backstop for exits that skip pytest's own teardown (sys.exit in a test, etc.).
        atexit.register(self.stop_all)

    def log_path(self, backend: str) -> Path:
        return self.log_dir / f"{backend}-{self.worker}.log"

    def _start(self, backend: str) -> Server:
        return get_backend(backend).start(
            self.host, None, self.log_path(backend), owners=self.owners
        )

    def prefetch(self, backends: Iterable[str]) -> None:
        """Start these backends in the background unless they are started or starting."""
        pending = [
            b
            for b in backends
            if b not in self._servers and b not in self._starting and b not in self._broken
        ]
        if pending:
            pool = ThreadPoolExecutor(len(pending), thread_name_prefix="ddbmatrix-start")
            for backend in pending:
                self._starting[backend] = pool.submit(self._start, backend)
            pool.shutdown(wait=False)

    def get(self, backend: str) -> Server:
        """Return the running server of ``backend``, starting it if needed."""
        if backend in self._broken:
            raise self._broken[backend]
        server = self._servers.get(backend)
        if server is None:
            starting = self._starting.pop(backend, None)
            try:
                server = starting.result() if starting else self._start(backend)
            except BackendStartError as error:
                self._break(backend, "start-failed", error)
                raise
            self._servers[backend] = server
        elif not server.alive():
            raise self._crashed(backend, server, during=None)
        return server

    def check(self, backend: str, test: str, unanswered: bool) -> BackendBrokenError | None:
        """After a failed test: return why ``backend`` is broken, if it crashed or hung in it.

        ``unanswered``: a call of the test got no answer at all (a timeout, a closed
        connection). Only then is the server probed for a hang; a plain failure on a busy
        machine must never get a slow but healthy server killed.
        """
        server = self._servers.get(backend)
        if server is None or backend in self._broken:
            return None
        if not server.alive():
            return self._crashed(backend, server, during=test)
        if not unanswered:
            return None
        refused = False
        for _ in range(HANG_TRIES):
            reached = server.reach(self.hang_seconds)
            if reached == "answers":
                return None
            # Refused: nothing listens, so the server is not hung but gone (or going).
            if reached == "refused":
                refused = True
                if server.wait_ended(END_SECONDS):
                    return self._crashed(backend, server, during=test)
        if not server.alive():
            return self._crashed(backend, server, during=test)
        diagnosis = server.diagnosis()
        if isinstance(server, ProcessServer):
            server.kill()  # a hung emulator often spins at 100 % CPU; free the core
        symptom = (
            f"its port refused connections for {HANG_TRIES} tries while it kept running"
            if refused
            else f"no answer to ListTables in {HANG_TRIES} tries of {self.hang_seconds:g} s"
        )
        error = BackendBrokenError(
            backend,
            "hung",
            f"backend {backend} hung during {test}: {symptom}; it was killed. {diagnosis}",
        )
        self._break(backend, "hung", error, test)
        return error

    def _crashed(self, backend: str, server: Server, during: str | None) -> BackendBrokenError:
        where = f" during {during}" if during else ""
        code = server.exit_code()
        # The diagnosis starts with the exit code: -9 (SIGKILL) reads unlike 1 or -11 (SIGSEGV).
        error = BackendBrokenError(
            backend, "crashed", f"backend {backend} crashed{where}: {server.diagnosis()}"
        )
        self._break(backend, "crashed", error, during, exit_code=code)
        return error

    def _break(
        self,
        backend: str,
        kind: str,
        error: DdbMatrixError,
        test: str | None = None,
        exit_code: int | None = None,
    ) -> None:
        self._broken[backend] = error
        self.incidents.append(
            {
                "backend": backend,
                "kind": kind,
                "worker": self.worker,
                "test": test,
                "message": str(error),
                "exit_code": exit_code,
            }
        )

    def broken(self, backend: str) -> DdbMatrixError | None:
        return self._broken.get(backend)

    def stop_all(self) -> None:
        """Stop every server at once; raise the first failure once all have been asked.

        Each stop mostly waits for a process to exit (DynamoDB Local's JVM takes ~0.3 s,
        moto ~0.2 s), so stopping them side by side ends a process in the time of the
        slowest rather than of all five one after another.
        """
        for backend in list(self._starting):  # let background starts finish, then stop them
            with contextlib.suppress(Exception):
                self._servers[backend] = self._starting.pop(backend).result()
        servers = list(self._servers.values())
        self._servers.clear()
        if not servers:
            return
        with ThreadPoolExecutor(len(servers), thread_name_prefix="ddbmatrix-stop") as pool:
            stops = [pool.submit(server.stop) for server in servers]
        errors = [error for stop in stops if (error := stop.exception()) is not None]
        if errors:
            raise errors[0]
