"""Pick TCP ports that no other worker, run or program holds.

``port-for`` chooses a random port outside the ephemeral range that nothing listens on. That
alone leaves a window in which two runs on one machine pick the same port before either
server binds it, so each chosen port is also reserved by an exclusive ``flock`` on a file in
the system temp folder, held until the server stops. The kernel drops the lock when the
holder dies, even on SIGKILL, so a crashed run never blocks a port for the next one.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import filelock
import port_for

__all__ = ["PortReservation", "reserve_port"]

_LOCK_DIR = Path(tempfile.gettempdir()) / "ddbmatrix-ports"
_ATTEMPTS = 200


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
    _LOCK_DIR.mkdir(exist_ok=True)
    candidates = [port] if port else (port_for.select_random() for _ in range(_ATTEMPTS))
    for candidate in candidates:
        lock = filelock.FileLock(_LOCK_DIR / f"{candidate}.lock", thread_local=False)
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
