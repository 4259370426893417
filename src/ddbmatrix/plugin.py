"""The pytest plugin: options, backend parametrization, recording hooks, xdist wiring.

Every test whose fixtures include ``ddb_backend`` runs once per selected backend. Each
pytest process (the whole run, or one xdist worker) starts its own server per backend it
meets. Each test's calls and outcome ride on its teardown report, which xdist already ships
to the controller; so records reach the controller test by test (nothing is lost if a worker
dies later), through the same code with or without xdist, and only the controller writes
run files.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest

from ddbmatrix.backends import add_endpoint
from ddbmatrix.collector import RunCollector
from ddbmatrix.console import mark_backend
from ddbmatrix.defaults import LEFT_OUT_KEY, choose_backends, left_out_notice, none_installed
from ddbmatrix.errors import (
    BackendBrokenError,
    BackendStartError,
    DdbMatrixError,
    UnknownBackendError,
)
from ddbmatrix.fixtures import (  # noqa: F401 - pytest finds fixtures on the plugin module
    STATE_KEY,
    TABLES_KEY,
    _ddb_environment,
    ddb_backend,
    ddb_client,
    ddb_endpoint,
    ddb_resource,
    ddb_server,
    ddb_tables,
    make_table,
    new_table_name,
    state_of,
)
from ddbmatrix.markers import backends_for, divergence_marks
from ddbmatrix.options import endpoints, option
from ddbmatrix.outcomes import build_record
from ddbmatrix.servers import HANG_SECONDS, ServerPool
from ddbmatrix.state import DdbMatrixState

#: Options (and their misspellings), markers (ddb_backends, ddb_diverges), declared tables, and
#: failures as data (the console): their hooks and fixtures.
pytest_plugins = [
    "ddbmatrix.options",
    "ddbmatrix.markers",
    "ddbmatrix.declared",
    "ddbmatrix.console",
    "ddbmatrix.spelling",
]

_REPORTS_KEY = pytest.StashKey[dict[str, pytest.TestReport]]()
#: How many incidents the pool had when the test started (later ones are the test's).
_INCIDENTS_KEY = pytest.StashKey[int]()


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    try:
        added = endpoints(config)
        for name, url in added:
            add_endpoint(name, url)
        if _is_worker(config):  # the controller chose: every worker must collect alike
            workerinput = config.workerinput  # type: ignore[attr-defined]
            backends = list(workerinput["ddbmatrix_backends"])
            if workerinput["ddbmatrix_left_out"] is not None:
                config.stash[LEFT_OUT_KEY] = dict(workerinput["ddbmatrix_left_out"])
        else:
            backends = choose_backends(config, [name for name, _ in added])
    except UnknownBackendError as error:
        raise pytest.UsageError(f"ddbmatrix: {error}") from None
    owners: list[int] = []
    if _is_worker(config):
        workerinput = config.workerinput  # type: ignore[attr-defined]
        run_id, log_dir = workerinput["ddbmatrix_run_id"], Path(workerinput["ddbmatrix_log_dir"])
        worker = str(workerinput["workerid"])
        # A worker outlives a killed controller until its current test ends; its servers
        # must not, so they watch the controller too.
        owners.append(int(workerinput["ddbmatrix_controller_pid"]))
    else:
        run_id, worker = uuid.uuid4().hex[:8], "main"
        log_dir = Path(tempfile.mkdtemp(prefix=f"ddbmatrix-{run_id}-logs-"))
        runs_dir = Path(config.rootpath, option(config, "ddb_runs_dir"))
        config.pluginmanager.register(RunCollector(config, backends, runs_dir), "ddbmatrix-runs")
    if not _is_worker(config):
        _interrupt_on_sigterm()
    call_timeout = float(option(config, "ddb_call_timeout"))
    # A health probe waits no longer than a call may.
    pool = ServerPool(log_dir, worker, owners=owners, hang_seconds=min(HANG_SECONDS, call_timeout))
    state = DdbMatrixState(
        backends,
        run_id,
        worker,
        log_dir,
        pool,
        call_timeout=call_timeout,
    )
    state.recorder.instrument()
    config.stash[STATE_KEY] = state
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(XdistHooks(state), "ddbmatrix-xdist")


def _interrupt_on_sigterm() -> None:
    """Treat SIGTERM (a CI job's timeout, `kill`) like Ctrl-C, so the run files still get written.

    pytest has no SIGTERM handler: without one the process dies at once and what was
    recorded is lost. A handler the user installed is left alone.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        return

    signal.signal(signal.SIGTERM, _sigterm)


def _sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt("SIGTERM")


class XdistHooks:
    """Hand the controller's run id and log folder to each worker (pytest-randomly's idiom)."""

    def __init__(self, state: DdbMatrixState) -> None:
        self.state = state

    def pytest_configure_node(self, node: Any) -> None:
        node.workerinput["ddbmatrix_run_id"] = self.state.run_id
        node.workerinput["ddbmatrix_log_dir"] = str(self.state.log_dir)
        node.workerinput["ddbmatrix_controller_pid"] = os.getpid()
        node.workerinput["ddbmatrix_backends"] = list(self.state.backends)
        node.workerinput["ddbmatrix_left_out"] = node.config.stash.get(LEFT_OUT_KEY, None)


def pytest_unconfigure(config: pytest.Config) -> None:
    state = config.stash.get(STATE_KEY, None)
    if state is None:
        return
    state.pool.stop_all()
    state.recorder.uninstrument()
    if signal.getsignal(signal.SIGTERM) is _sigterm:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if _is_worker(config):
        return
    collector = config.pluginmanager.get_plugin("ddbmatrix-runs")
    if option(config, "ddb_keep_logs") or (collector and collector.incidents()):
        # Printed this late because the servers' logs are complete only now.
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"ddbmatrix: server logs kept in {state.log_dir}")
    else:
        shutil.rmtree(state.log_dir, ignore_errors=True)


def pytest_report_header(config: pytest.Config) -> list[str]:
    state = state_of(config)
    lines = [f"ddbmatrix: backends {', '.join(state.backends) or 'none'} (run {state.run_id})"]
    notice = left_out_notice(config.stash.get(LEFT_OUT_KEY, {}))
    return [*lines, notice] if notice else lines


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "ddb_backend" not in metafunc.fixturenames:
        return
    state = state_of(metafunc.config)
    if not state.backends and LEFT_OUT_KEY in metafunc.config.stash:
        skip = pytest.mark.skip(reason=none_installed())
        metafunc.parametrize("ddb_backend", [pytest.param(None, id="no-backend", marks=skip)])
        return
    backends, none_left = backends_for(metafunc.definition, state.backends)
    params = []
    for name in backends:
        unavailable = state.unavailable(name)
        if unavailable is not None and not state.disabled(name):
            # A backend asked for but not installed is a usage error, not N failed tests.
            raise pytest.UsageError(str(unavailable))
        marks = [pytest.mark.skip(reason=str(unavailable))] if unavailable else []
        marks += divergence_marks(metafunc.definition, name)
        params.append(pytest.param(name, id=name, marks=marks))
    if none_left is not None:
        # Not a backend (backend_of() is None): skipped, not recorded.
        params.append(pytest.param(None, id="no-backend", marks=pytest.mark.skip(reason=none_left)))
    metafunc.parametrize("ddb_backend", params)


def backend_of(item: pytest.Item) -> str | None:
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("ddb_backend") if callspec else None


def pytest_collection_finish(session: pytest.Session) -> None:
    state = state_of(session.config)
    state.wanted = {b for b in map(backend_of, session.items) if b is not None}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if backend_of(item) is not None:
        state = state_of(item.config)
        item.stash[_INCIDENTS_KEY] = len(state.pool.incidents)
        state.recorder.start()


#: What botocore says when a call got no HTTP answer at all.
_NO_ANSWER = (
    "Read timeout on endpoint URL",
    "Connect timeout on endpoint URL",
    "Could not connect to the endpoint URL",
    "Connection was closed before we received a valid response",
)


def _unanswered(report: pytest.TestReport) -> bool:
    text = str(report.longrepr)
    return any(phrase in text for phrase in _NO_ANSWER)


def _backend_failure(error: DdbMatrixError | None) -> str | None:
    if isinstance(error, BackendBrokenError):
        return error.kind
    return "start-failed" if isinstance(error, BackendStartError) else None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report: pytest.TestReport = yield
    backend = backend_of(item)
    if backend is None:
        return report
    mark_backend(report, backend)
    state = state_of(item.config)
    reports = item.stash.setdefault(_REPORTS_KEY, {})
    reports[report.when] = report
    if report.failed and report.when in ("setup", "call"):
        # A failure may be the server dying or hanging under this test: look before the next.
        broken = state.pool.check(backend, item.nodeid, _unanswered(report))
        if broken is not None:
            report.sections.append((f"ddbmatrix: backend {broken.kind}", str(broken)))
    if report.when == "teardown":
        calls = state.recorder.finish()
        tables = item.stash.get(TABLES_KEY, {})
        record = build_record(item, backend, reports, calls, tables)
        if record["outcome"] in ("failed", "error"):
            record["backend_failure"] = _backend_failure(state.pool.broken(backend))
        record["incidents"] = state.pool.incidents[item.stash.get(_INCIDENTS_KEY, 0) :]
        # Rides to the xdist controller with the report; see the module docstring.
        report.ddbmatrix = record  # type: ignore[attr-defined]
    return report
