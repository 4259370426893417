"""Several users on one machine: each starts servers, whoever ran first (issue 11.5)."""

from __future__ import annotations

import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path

import pytest

from ddbmatrix.ports import reserve_port

OTHER_USER = 65534  # nobody


def as_other_user(tmp: Path) -> int:
    """Reserve a port as another user, in a forked child; return its exit code.

    Forked rather than started, so that it needs no read access to this interpreter (often
    under /root); it sees the temp folder ``tmp`` and no XDG_RUNTIME_DIR, as a user without a
    login session does.
    """
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 1
        try:
            os.setgroups([])
            os.setgid(OTHER_USER)
            os.setuid(OTHER_USER)
            os.environ.pop("XDG_RUNTIME_DIR", None)
            os.environ["TMPDIR"] = str(tmp)
            tempfile.tempdir = str(tmp)
            reserve_port().release()
            code = 0
        except PermissionError as error:
            print(f"as user {OTHER_USER}: {error}", file=sys.stderr)
            code = 13
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


@pytest.mark.skipif(os.geteuid() != 0, reason="acting as a second user needs root")
def test_a_second_user_reserves_ports_after_the_first():
    # Not under tmp_path: pytest's base temp folder is private to this user.
    shared = Path(tempfile.mkdtemp(prefix="ddbmatrix-users-"))
    shared.chmod(0o1777)
    # The first user (root, here) ran first: its folders exist, 0755, as umask 022 makes them.
    for folder in (Path(tempfile.gettempdir()) / "ddbmatrix-ports", shared / "ddbmatrix-ports"):
        folder.mkdir(mode=0o755, exist_ok=True)
    try:
        reserve_port().release()
        assert as_other_user(shared) == 0
        # The second user's locks are in a folder of its own that nobody else may enter.
        (own,) = [p for p in shared.iterdir() if p.is_dir() and p.stat().st_uid == OTHER_USER]
        assert stat.S_IMODE(own.stat().st_mode) == 0o700
    finally:
        shutil.rmtree(shared)


def test_the_lock_folder_is_private_to_the_user():
    from ddbmatrix.ports import lock_dir  # new in issue 11.5

    folder = lock_dir()
    assert folder.stat().st_uid == os.getuid()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
