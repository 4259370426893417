"""Tests of the real backends (Node.js, Java and the emulators installed): `nox -s integration`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import platformdirs
import psutil
import pytest

from ddbmatrix.backends import Server, get_backend, local_backends
from ddbmatrix.toolchain import NPM_DIR_ENV, npm_root

pytest_plugins = ["pytester"]

#: Resolved now, before pytester points HOME (and with it the default cache) elsewhere.
NPM_DIR = npm_root()
#: The cache's parent, where the Python-environment backends (ministack) are installed.
CACHE_HOME = platformdirs.user_cache_path("ddbmatrix").parent


@pytest.fixture(autouse=True)
def installed_backends(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let pytest runs inside the tests find the emulators installed for this checkout."""
    monkeypatch.setenv(NPM_DIR_ENV, str(NPM_DIR))
    monkeypatch.setenv("XDG_CACHE_HOME", str(CACHE_HOME))  # platformdirs' cache on Linux


@pytest.fixture(params=local_backends())
def started(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    """Each local backend started as the plugin starts it; yields it with its log folder."""
    log_dir = tmp_path / "logs"
    server = get_backend(request.param).start("127.0.0.1", None, log_dir / "server.log")
    yield server, log_dir
    server.stop()


def server_processes(server: Server) -> list[psutil.Process]:
    """The emulator's processes: everything below ddbmatrix's watchdog."""
    return psutil.Process(server.pid).children(recursive=True)  # type: ignore[attr-defined]
