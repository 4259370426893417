"""The servers of one pytest process (the whole run, or one xdist worker).

Each backend's server is started the first time a test needs it and kept until the process
ends, so a worker pays each start-up once. Isolation between tests comes from unique table
names, never from restarts. A start that failed is remembered, so the remaining tests of that
backend fail at once with the same message instead of waiting for start-up again.
"""

from __future__ import annotations

import atexit
from pathlib import Path

from ddbmatrix.backends import Server, get_backend
from ddbmatrix.errors import DdbMatrixError

__all__ = ["ServerPool"]


class ServerPool:
    """Start servers lazily, one per backend, and stop them all at the end."""

    def __init__(self, log_dir: Path, worker: str, host: str = "127.0.0.1") -> None:
        self.log_dir = log_dir
        self.worker = worker
        self.host = host
        self._servers: dict[str, Server] = {}
        self._failures: dict[str, DdbMatrixError] = {}
        # Backstop for exits that skip pytest's own teardown (sys.exit in a test, etc.).
        atexit.register(self.stop_all)

    def log_path(self, backend: str) -> Path:
        return self.log_dir / f"{backend}-{self.worker}.log"

    def get(self, backend: str) -> Server:
        """Return the running server of ``backend``, starting it if needed."""
        if backend in self._failures:
            raise self._failures[backend]
        server = self._servers.get(backend)
        if server is None:
            try:
                server = get_backend(backend).start(self.host, None, self.log_path(backend))
            except DdbMatrixError as error:
                self._failures[backend] = error
                raise
            self._servers[backend] = server
        return server

    def started(self) -> dict[str, Server]:
        return dict(self._servers)

    def stop_all(self) -> None:
        while self._servers:
            _, server = self._servers.popitem()
            server.stop()
