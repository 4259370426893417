"""Write the report's files all or nothing.

Every file is first written in full beside its destination, under a hidden temporary name,
and only when all of them are written are they renamed into place (a rename within one
folder is atomic and needs no space). A full disk, an unwritable ``junit/`` or a folder
that is a file therefore leaves the previous report as it was, never new Markdown beside
old JUnit files, and never a truncated HTML page. JUnit files of backends the new report no
longer has are removed, so the folder holds one report's files.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterable
from pathlib import Path

from ddbmatrix.errors import DdbMatrixError

__all__ = ["ReportWriteError", "write_all"]

#: The root element of the JUnit files this module wrote (those it may replace or remove).
JUNIT_MARK = '<testsuite name="ddbmatrix '


class ReportWriteError(DdbMatrixError):
    """The report could not be written; nothing of the previous one was changed."""


def _stage(staged: Path, text: str) -> None:
    staged.parent.mkdir(parents=True, exist_ok=True)
    with staged.open("w", encoding="utf-8") as stream:
        stream.write(text)
        stream.flush()
        os.fsync(stream.fileno())


def _stale_junit(folder: Path, keep: set[Path]) -> list[Path]:
    if not folder.is_dir():
        return []
    stale = []
    for path in folder.glob("*.xml"):
        if path in keep:
            continue
        try:
            head = path.read_text(encoding="utf-8", errors="replace")[:300]
        except OSError:
            continue
        if JUNIT_MARK in head:
            stale.append(path)
    return stale


def write_all(files: dict[Path, str], junit_dirs: Iterable[Path] = ()) -> list[Path]:
    """Write ``files`` (path -> text) all or nothing; return the paths written, in order."""
    tag = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    staged: dict[Path, Path] = {}
    try:
        for path, text in files.items():
            staged[path] = path.with_name(f".{path.name}.{tag}.tmp")
            _stage(staged[path], text)
    except OSError as error:
        for partial in staged.values():
            with contextlib.suppress(OSError):  # its folder may be what failed
                partial.unlink(missing_ok=True)
        where = error.filename or "a report file"
        raise ReportWriteError(
            f"cannot write the report ({where}: {error.strerror or error}); "
            "nothing was changed, the previous report is as it was"
        ) from None
    for path, partial in staged.items():
        partial.replace(path)
    for folder in junit_dirs:
        for path in _stale_junit(folder, set(files)):
            path.unlink(missing_ok=True)
    return list(files)
