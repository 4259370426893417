"""The controller's side of recording: gather test records and write one run file per backend.

Nothing started is left out. The collector notes every test that starts
(``pytest_runtest_logstart``, sent by xdist's workers too) until its record arrives; a test
still open at the end was cut short (Ctrl-C, SIGTERM, its worker lost) and is written as
``interrupted``, with its calls so far when the process that ran it could still say them
(:func:`ddbmatrix.plugin.pytest_runtest_protocol`), else from its node id alone. A run
file with an interrupted test is not ``complete``.
"""

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
from ddbmatrix.outcomes import lost_record, parametrized_backend
from ddbmatrix.redact import redact_argv, redact_text
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
        #: nodeid -> (location, phases reported) of each test started and not yet recorded.
        self.running: dict[str, tuple[Any, list[str]]] = {}
        #: nodeid -> the record of a test cut short, made where it ran.
        self.interrupted: dict[str, dict[str, Any]] = {}
        #: nodeid -> what xdist said when the worker running it was lost.
        self.lost: dict[str, str] = {}
        self.stopped_by = "an interruption"

    def pytest_runtest_logstart(self, nodeid: str, location: Any) -> None:
        self.running[nodeid] = (location, [])

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        record = getattr(report, "ddbmatrix", None)
        if record is not None:
            self.tests.setdefault(record["backend"], []).append(record)
        self.fixtures += getattr(report, "ddbmatrix_fixtures", None) or []
        if record is not None or report.when == "teardown":
            self.running.pop(report.nodeid, None)
        elif str(report.when) == "???":  # xdist's report of the test a lost worker ran
            self.lost[report.nodeid] = str(report.longrepr)
        elif report.nodeid in self.running:
            self.running[report.nodeid][1].append(str(report.when))

    def pytest_keyboard_interrupt(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        value = excinfo.value
        sigterm = isinstance(value, KeyboardInterrupt) and value.args == ("SIGTERM",)
        self.stopped_by = "SIGTERM" if sigterm else f"{excinfo.typename} (SIGINT, Ctrl-C)"

    def add_interrupted(self, records: list[dict[str, Any]]) -> None:
        """Take the records of tests cut short, from the process that ran them."""
        for record in records:
            self.interrupted[record["nodeid"]] = record

    def _record_cut_short(self) -> None:
        """Record every test that started and has no record: it was cut short."""
        for nodeid, (location, phases) in sorted(self.running.items()):
            record = self.interrupted.pop(nodeid, None)
            if record is None:
                backend = parametrized_backend(nodeid, self.tests)
                if backend is None:
                    continue  # not a test on a backend: nothing of ddbmatrix's
                message = self.lost.get(nodeid) or f"the run was stopped by {self.stopped_by}"
                record = lost_record(nodeid, backend, location, phases, message)
            self.tests.setdefault(record["backend"], []).append(record)
        for record in self.interrupted.values():  # made where it ran, never seen starting
            self.tests.setdefault(record["backend"], []).append(record)
        self.running.clear()
        self.interrupted.clear()

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
            # An endpoint's version names its URL, which may hold a password.
            backend_version: str | None = redact_text(get_backend(backend).version())
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
            # Also false when a worker was lost and the run went on (exit status 1).
            "complete": int(exitstatus) in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED)
            and not any(t["outcome"] == "interrupted" for t in self.tests.get(backend, [])),
            "argv": redact_argv(sys.argv[1:]),
            "incidents": self.incidents(backend),
            "fixtures": self._fixtures_of(backend),
            "shard": shard.envelope() if (shard := shard_of(self.config)) else None,
        }

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        self._record_cut_short()
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
