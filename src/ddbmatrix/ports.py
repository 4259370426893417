"""Pick TCP ports that no other worker, run or program holds.

``port-for`` chooses a random port outside the ephemeral range that nothing listens on. That
alone leaves a window in which two runs on one machine pick the same port before either
server binds it, so each chosen port is also reserved by an exclusive ``flock`` on a file,
held until the server stops. The kernel drops the lock when the holder dies, even on
SIGKILL, so a crashed run never blocks a port for the next one.

The lock files live in a folder of the user's own (:func:`lock_dir`): the user's runtime
folder (``$XDG_RUNTIME_DIR``, ``/run/user/<uid>``), else ``ddbmatrix-<uid>`` in the temp
folder, 0700. One folder shared by all users would belong to whoever ran first, and every
other user could then start no server. Two users' runs can still pick the same port; the
second finds it taken when it binds and moves on (see ``backends.base``).
"""

from __future__ import annotations

import os
import stat
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import filelock
import platformdirs
import port_for

__all__ = ["PortReservation", "lock_dir", "reserve_port"]

_ATTEMPTS = 200


def _private(path: Path) -> Path:
    """Create ``path`` 0700 if missing; refuse one another user owns or others may write."""
    path.mkdir(mode=0o700, parents=False, exist_ok=True)
    info = path.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise PermissionError(
            f"{path} is not a folder of user {os.getuid()}: remove it, or set TMPDIR to a "
            "folder of your own"
        )
    if info.st_mode & 0o077:
        path.chmod(0o700)
    return path


def lock_dir() -> Path:
    """Return this user's folder of port locks (created 0700 on first use)."""
    try:
        with warnings.catch_warnings():
            # platformdirs warns when it falls back from an unusable XDG_RUNTIME_DIR.
            warnings.simplefilter("ignore")
            runtime = platformdirs.user_runtime_path("ddbmatrix", ensure_exists=True)
        return _private(runtime / "ports")
    except OSError:
        # No runtime folder this user may create (a container without /run/user/<uid>).
        base = _private(Path(tempfile.gettempdir()) / f"ddbmatrix-{os.getuid()}")
        return _private(base / "ports")


@dataclass
class PortReservation:
    """A port held for one server; release it when the server has stopped."""

    port: int
    _lock: filelock.BaseFileLock | None = None

    def release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None


def reserve_port(host: str = "127.0.0.1", port: int | None = None) -> PortReservation:
    """Reserve ``port`` (or a random free one) for this process.

    Raises:
        OSError: the given port is taken, or no free port was found.

    """
    folder = lock_dir()
    candidates = [port] if port else (port_for.select_random() for _ in range(_ATTEMPTS))
    for candidate in candidates:
        lock = filelock.FileLock(folder / f"{candidate}.lock", thread_local=False)
        try:
            lock.acquire(timeout=0)
        except filelock.Timeout:
            continue
        if port_for.port_is_used(candidate, host):
            lock.release()
            continue
        return PortReservation(candidate, lock)
    if port:
        raise OSError(f"port {port} on {host} is in use; pick another with --port")
    raise OSError(f"no free TCP port found on {host} after {_ATTEMPTS} attempts")
