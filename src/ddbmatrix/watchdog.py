"""Run a backend server as a child and kill it once the processes that own it are gone.

Why a watchdog process rather than a parent-death signal: PR_SET_PDEATHSIG fires when the
*thread* that forked the server exits, and only for the direct parent. A server must also die
when the xdist *controller* is SIGKILLed while its worker lingers (a worker only notices a
dead controller after its current test, which may take minutes), and that is a grandparent.
A tiny process that polls every owner (the pytest process that started the server, and the
run's controller) covers all of these the same way: normal exit, Ctrl-C, a crashed fixture,
a SIGKILLed worker, a SIGKILLed controller. It shares the server's process group, so the
usual stop (SIGTERM to the group, as mirakuru does) reaches both.

Usage: ``python watchdog.py --owner PID [--owner PID ...] [--grace S] -- CMD...``.
The watchdog exits with the server's exit code when the server ends on its own, so a crash
still shows as the server process ending.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import psutil

__all__ = ["main", "watchdog_command"]

POLL_SECONDS = 0.2
GRACE_SECONDS = 3.0


def watchdog_command(
    owners: Sequence[int], command: Sequence[str], grace: float = GRACE_SECONDS
) -> list[str]:
    """Return ``command`` wrapped so that it dies with the first of ``owners`` to end.

    ``grace`` is how long the server may take to exit after SIGTERM before it is killed.
    """
    flags = [item for pid in sorted(set(owners)) for item in ("--owner", str(pid))]
    # By path, not -m: -m would import the ddbmatrix package (and boto3) first, costing every
    # server start ~0.2 s and ~30 MB for a process that needs only psutil.
    return [
        sys.executable,
        os.path.realpath(__file__),
        *flags,
        "--grace",
        str(grace),
        "--",
        *command,
    ]


def _gone(process: psutil.Process) -> bool:
    import psutil  # loaded by main() by now; see there

    try:
        # is_running() also compares the start time, so a reused PID is not mistaken for it.
        return not process.is_running() or process.status() == psutil.STATUS_ZOMBIE
    except psutil.Error:
        return True


def _stop(child: subprocess.Popen[bytes], grace: float) -> None:
    with contextlib.suppress(ProcessLookupError):
        child.terminate()
    try:
        child.wait(grace)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def _exit_like(code: int) -> None:
    """Exit as the child did: by the same signal, or with the same code."""
    if code < 0:
        with contextlib.suppress(OSError, ValueError):  # SIGKILL's handler cannot be set
            signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    sys.exit(code)


def _arguments(argv: Sequence[str]) -> tuple[list[int], float, list[str]]:
    """Parse ``--owner PID ... [--grace S] -- CMD...``, as :func:`watchdog_command` writes it.

    By hand, not with argparse: argparse and the re module it loads are a third of this
    process's start, and every server start waits for it.
    """
    args = list(argv)
    split = args.index("--") if "--" in args else len(args)
    options, command = args[:split], args[split + 1 :]
    owners: list[int] = []
    grace = GRACE_SECONDS
    for flag, value in zip(options[::2], options[1::2], strict=False):
        if flag == "--owner":
            owners.append(int(value))
        elif flag == "--grace":
            grace = float(value)
        else:
            sys.exit(f"watchdog: unknown option {flag}")
    if len(options) % 2 or not owners or not command:
        sys.exit("usage: watchdog.py --owner PID [--owner PID ...] [--grace S] -- CMD...")
    return owners, grace, command


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process, and alive
    return True


def main(argv: Sequence[str] | None = None) -> None:
    owner_pids, grace, command = _arguments(sys.argv[1:] if argv is None else argv)
    for pid in owner_pids:
        if not _alive(pid):
            sys.exit(f"watchdog: owner {pid} is already gone; not starting {command[0]}")
    # The server starts before psutil is loaded (25 ms): that load then runs beside the
    # server's own start, on the other core, instead of in front of it.
    child = subprocess.Popen(command)
    import psutil  # after the spawn: see above

    owners = []
    for pid in owner_pids:
        try:
            owners.append(psutil.Process(pid))
        except psutil.NoSuchProcess:  # gone in the last milliseconds
            _stop(child, grace)
            sys.exit(f"watchdog: owner {pid} is gone; stopped {command[0]}")

    def terminate(signum: int, _frame: object) -> None:
        # The group got SIGTERM (a normal stop): let the server finish, then leave the same way.
        _stop(child, grace)
        _exit_like(child.returncode)

    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for pytest, which then stops us
    while True:  # ends when the server ends or an owner is gone
        code = child.poll()
        if code is not None:
            _exit_like(code)
        if any(_gone(owner) for owner in owners):
            _stop(child, grace)
            sys.exit(0)
        time.sleep(POLL_SECONDS)


if __name__ == "__main__":
    main()
