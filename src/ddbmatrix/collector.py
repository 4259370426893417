"""The controller's side of recording: gather test records and write one run file per backend."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from ddbmatrix.backends import get_backend
from ddbmatrix.defaults import LEFT_OUT_KEY, left_out_notice
from ddbmatrix.errors import DdbMatrixError
from ddbmatrix.fixtures import state_of
from ddbmatrix.normalize import Context, normalize
from ddbmatrix.runfile import environment_versions, git_commit, utc_now, write_run
from ddbmatrix.sharding import run_file_name, shard_of
from ddbmatrix.summary import backend_line

__all__ = ["FIXTURES_PLUGIN", "RunCollector", "unique_fixtures"]

#: The name the fixture attribution (:mod:`ddbmatrix.attribution`) is registered under.
FIXTURES_PLUGIN = "ddbmatrix-fixtures"


def _sort_key(record: dict[str, Any]) -> tuple[str, str]:
    # Normalized first (what the report compares); the raw calls break ties, so that the
    # record kept never depends on the order the workers' reports arrived in.
    calls = record.get("calls", [])
    normalized = json.dumps(normalize(calls, Context()), sort_keys=True)
    return normalized, json.dumps([record.get("outcome"), calls], sort_keys=True)


def unique_fixtures(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return one record per (id, backend, phase), sorted by (id, phase).

    Under xdist two workers may each set one module's fixture up: the record kept is the
    first in the order of their normalized calls, so the file does not depend on which
    worker ran what.
    """
    kept: dict[tuple[str, str, str], dict[str, Any]] = {}
    for record in sorted(records, key=_sort_key):
        kept.setdefault((record["id"], record["backend"], record["phase"]), record)
    return sorted(kept.values(), key=lambda record: (record["id"], record["phase"]))


class RunCollector:
    """Registered on the controller only (or the single process without xdist)."""

    def __init__(self, config: pytest.Config, backends: list[str], runs_dir: Path) -> None:
        self.config = config
        self.backends = backends
        self.runs_dir = runs_dir
        self.started_at = utc_now()
        self.tests: dict[str, list[dict[str, Any]]] = {name: [] for name in backends}
        self.fixtures: list[dict[str, Any]] = []
        #: (envelope, path) of each run file written.
        self.written: list[tuple[dict[str, Any], Path]] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        record = getattr(report, "ddbmatrix", None)
        if record is not None:
            self.tests.setdefault(record["backend"], []).append(record)
        self.fixtures += getattr(report, "ddbmatrix_fixtures", None) or []

    def _fixtures_of(self, backend: str) -> list[dict[str, Any]]:
        # Teardowns after the last report (an interrupted run) are still in this process.
        attribution = self.config.pluginmanager.get_plugin(FIXTURES_PLUGIN)
        if attribution is not None:
            self.fixtures += attribution.take()
        return unique_fixtures([r for r in self.fixtures if r["backend"] == backend])

    def incidents(self, backend: str | None = None) -> list[dict[str, Any]]:
        """Return the crashes, hangs and failed starts recorded so far, in test order."""
        return [
            incident
            for name, tests in self.tests.items()
            if backend in (None, name)
            for test in tests
            for incident in test.get("incidents", [])
        ]

    def _envelope(self, backend: str, exitstatus: int) -> dict[str, Any]:
        try:
            backend_version: str | None = get_backend(backend).version()
        except DdbMatrixError:
            backend_version = None
        commit, dirty = git_commit(self.config.rootpath)
        return {
            "backend": backend,
            "backend_version": backend_version,
            "versions": environment_versions(),
            "commit": commit,
            "dirty": dirty,
            "started_at": self.started_at,
            "finished_at": utc_now(),
            "exit_status": int(exitstatus),
            "complete": int(exitstatus) in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED),
            "argv": sys.argv[1:],
            "incidents": self.incidents(backend),
            "fixtures": self._fixtures_of(backend),
            "shard": shard.envelope() if (shard := shard_of(self.config)) else None,
        }

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        shard = shard_of(self.config)
        for backend, tests in self.tests.items():
            # No file for a backend with no tests (a -k that matched none, a disabled aws):
            # an empty or all-skipped file would overwrite a useful one. A shard's file is
            # written even empty: the report would otherwise miss the shard.
            if (not tests and shard is None) or state_of(self.config).disabled(backend):
                continue
            path = self.runs_dir / run_file_name(backend, shard)
            envelope = self._envelope(backend, exitstatus)
            write_run(path, envelope, tests)
            self.written.append(({**envelope, "tests": tests}, path))

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.written:
            return
        terminalreporter.section("ddbmatrix")
        for run, path in self.written:
            where = os.path.relpath(path) if path.is_relative_to(Path.cwd()) else str(path)
            line = backend_line(run["backend"], run["backend_version"], run["tests"], where)
            terminalreporter.line(line)
            for incident in run["incidents"]:
                during = f" during {incident['test']}" if incident.get("test") else ""
                message = str(incident.get("message") or "").partition("\n")[0][:120]
                terminalreporter.line(f"    {incident.get('kind')}{during}: {message}")
        notice = left_out_notice(self.config.stash.get(LEFT_OUT_KEY, {}))
        if notice:
            terminalreporter.line(notice)
        if self.config.pluginmanager.has_plugin("ddbmatrix-data-failures"):
            terminalreporter.line(
                "failures on a backend are data: `ddbmatrix report` compares the run files"
            )
