from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ddbmatrix.runfile import write_run

pytest_plugins = ["pytester"]


@pytest.fixture
def write_runs(tmp_path: Path):
    """Write run files from {backend: [records]} and return their paths.

    Keyword arguments replace envelope fields (``started_at``, ``incidents``, ...).
    """

    def write(
        runs: dict[str, list[dict[str, Any]]], folder: Path | None = None, **envelope: Any
    ) -> list[Path]:
        folder = folder or tmp_path / "runs"
        paths = []
        for backend, records in runs.items():
            fields = {
                "backend": backend,
                "backend_version": "1.0",
                "versions": {},
                "commit": "abc",
                "dirty": False,
                "started_at": "t0",
                "finished_at": "t1",
                "exit_status": 0,
                "complete": True,
                "argv": [],
                **envelope,
            }
            paths.append(write_run(folder / f"{backend}.json", fields, records))
        return paths

    return write
