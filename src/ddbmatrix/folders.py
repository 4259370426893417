"""Whether files can be written in a folder, said before anything is written there."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["folder_problem"]


def folder_problem(folder: Path) -> str | None:
    """Say in a few words why files cannot be written in ``folder`` (made if need be), or None.

    The folder need not exist yet: its nearest existing ancestor must then be a folder
    ddbmatrix may write in. Nothing is created here.
    """
    existing = next((path for path in (folder, *folder.parents) if path.exists()), None)
    if existing is None:  # a relative path whose "." is gone: the working folder was removed
        return f"{folder} cannot be created"
    if not existing.is_dir():
        return f"{'it' if existing == folder else existing} is a file, not a folder"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"{existing} is not writable"
    return None
