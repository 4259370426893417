"""Write the report's files all or nothing.

Every file is first written in full beside its destination, under a hidden temporary name,
and only when all of them are written are they renamed into place (a rename within one
folder is atomic and needs no space). A full disk, an unwritable ``junit/`` or a folder
that is a file therefore leaves the previous report as it was, never new Markdown beside
old JUnit files, and never a truncated HTML page. Each previous file is kept (hard-linked)
until every rename has succeeded, so a rename that fails half-way puts the renamed ones
back. JUnit files of backends the new report no longer has are removed, so the folder
holds one report's files.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path

from ddbmatrix.errors import DdbMatrixError

__all__ = ["ReportWriteError", "Text", "write_all"]

#: The root element of the JUnit files this module wrote (those it may replace or remove).
JUNIT_MARK = '<testsuite name="ddbmatrix '


class ReportWriteError(DdbMatrixError):
    """The report could not be written; nothing of the previous one was changed."""


#: A file's text: whole, or in pieces written as they come (a large report's JSON).
Text = str | Iterable[str]


def _stage(staged: Path, text: Text) -> None:
    staged.parent.mkdir(parents=True, exist_ok=True)
    with staged.open("w", encoding="utf-8") as stream:
        if isinstance(text, str):
            stream.write(text)
        else:
            stream.writelines(text)
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


def _failed(error: OSError) -> ReportWriteError:
    where = error.filename or "a report file"
    return ReportWriteError(
        f"cannot write the report ({where}: {error.strerror or error}); "
        "nothing was changed, the previous report is as it was"
    )


def _keep(path: Path, backup: Path) -> None:
    """Keep the previous ``path`` as ``backup`` without ever removing ``path``."""
    if path.is_dir():
        raise IsADirectoryError(21, "Is a directory, not a file", str(path))
    try:
        os.link(path, backup)
    except OSError:  # a file system without hard links
        shutil.copy2(path, backup)


def _swap(staged: dict[Path, Path], tag: str) -> None:
    """Rename each staged file into place; if one fails, put back what was renamed before it."""
    done: list[tuple[Path, Path | None]] = []
    try:
        for path, partial in staged.items():
            backup = None
            if path.exists() or path.is_symlink():
                backup = path.with_name(f".{path.name}.{tag}.old")
                _keep(path, backup)
            done.append((path, backup))
            partial.replace(path)
    except OSError as error:
        for path, backup in reversed(done):
            with contextlib.suppress(OSError):
                if backup is not None:
                    backup.replace(path)  # the previous file, back in place
                    # A link to the file still in place is not renamed, only left: unlink it.
                    backup.unlink(missing_ok=True)
                elif not staged[path].exists():
                    path.unlink(missing_ok=True)  # new, where there was no file before
        for partial in staged.values():
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
        raise _failed(error) from None
    for _, backup in done:
        if backup is not None:
            with contextlib.suppress(OSError):
                backup.unlink(missing_ok=True)


def write_all(files: dict[Path, Text], junit_dirs: Iterable[Path] = ()) -> list[Path]:
    """Write ``files`` (path -> text) all or nothing; return the paths written, in order.

    A text given in pieces is rendered as it is written: an error while rendering it leaves
    nothing behind either.
    """
    tag = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    staged: dict[Path, Path] = {}
    try:
        for path, text in files.items():
            staged[path] = path.with_name(f".{path.name}.{tag}.tmp")
            _stage(staged[path], text)
    except BaseException as error:
        for partial in staged.values():
            with contextlib.suppress(OSError):  # its folder may be what failed
                partial.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _failed(error) from None
        raise
    _swap(staged, tag)
    for folder in junit_dirs:
        for path in _stale_junit(folder, set(files)):
            with contextlib.suppress(OSError):  # the new report is in place: a leftover only
                path.unlink(missing_ok=True)
    return list(files)
