from __future__ import annotations

import os
from pathlib import Path

from ddbmatrix.folders import folder_problem


def test_a_folder_or_one_that_can_be_made_is_fine_and_is_not_made(tmp_path):
    assert folder_problem(tmp_path) is None
    assert folder_problem(tmp_path / "new" / "deeper") is None
    assert not (tmp_path / "new").exists()


def test_a_file_in_the_way_is_named(tmp_path):
    (tmp_path / "f").write_text("")
    assert folder_problem(tmp_path / "f") == "it is a file, not a folder"
    assert folder_problem(tmp_path / "f" / "sub") == f"{tmp_path / 'f'} is a file, not a folder"


def test_a_folder_that_is_not_writable_is_named(tmp_path, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir()
    # Asked of the OS (root may write anywhere, so a chmod would prove nothing here).
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != locked)
    assert folder_problem(locked / "runs") == f"{locked} is not writable"
