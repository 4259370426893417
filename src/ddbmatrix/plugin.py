"""The pytest plugin: options, backend parametrization, recording hooks, xdist wiring.

Every test whose fixtures include ``ddb_backend`` runs once per selected backend, grouped
by backend at ``--ddb-scope``. Each pytest process (the whole run, or one xdist worker)
starts its own server per backend it meets. Before any fixture of an item is set up, its
backend becomes the backend of now (:mod:`ddbmatrix.context`), and stays so through its
teardown. Each test's calls and outcome ride on its teardown report, which xdist already
ships to the controller, and the calls of wider fixtures (:mod:`ddbmatrix.attribution`) on
the first report after they finish; so records reach the controller test by test (nothing
is lost if a worker dies later), through the same code with or without xdist, and only the
controller writes run files.
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

from ddbmatrix.attribution import FixtureAttribution
from ddbmatrix.aws_guard import HttpGuard
from ddbmatrix.backends import add_endpoint
from ddbmatrix.collector import FIXTURES_PLUGIN, RunCollector
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
    TABLE_POOL_KEY,
    TABLES_KEY,
    ddb_backend,
    ddb_client,
    ddb_endpoint,
    ddb_resource,
    ddb_server,
    ddb_streams_client,
    ddb_tables,
    make_shared_table,
    make_table,
    new_table_name,
    state_of,
)
from ddbmatrix.identity import RealIdentity, wanted
from ddbmatrix.isolation import Isolation
from ddbmatrix.markers import backends_for, divergence_marks
from ddbmatrix.options import backend_scope, check_options, endpoints, option, recording
from ddbmatrix.outcomes import build_record, interrupted_record, remember_exception
from ddbmatrix.pools import TablePool, lists_tables, pool_wanted, server_token
from ddbmatrix.reportwire import ReportWire
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
    "ddbmatrix.sharding",
]

_REPORTS_KEY = pytest.StashKey[dict[str, pytest.TestReport]]()
#: How many incidents the pool had when the test started (later ones are the test's).
_INCIDENTS_KEY = pytest.StashKey[int]()
#: The labels of the shared tables (make_shared_table) alive while the test ran.
_SHARED_KEY = pytest.StashKey[dict[str, str]]()
_ISOLATION_KEY = pytest.StashKey[Isolation]()
#: Set once the item's record is made (its teardown report): it was not cut short.
_RECORDED_KEY = pytest.StashKey[bool]()
#: A worker's records of tests it was stopped in, shipped in its workeroutput.
_INTERRUPTED_KEY = pytest.StashKey[list[dict[str, Any]]]()
#: The workeroutput key of those records.
INTERRUPTED_OUTPUT = "ddbmatrix_interrupted"


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def _asked_for(config: pytest.Config) -> list[str]:
    """Return the backend names the command line (or ini file) asks for, unresolved."""
    value = getattr(config.known_args_namespace, "ddb_backend", None)
    if value is None:
        try:
            value = config.getini("ddb_backend")
        except ValueError:
            value = ""
    values = value if isinstance(value, list) else [value]
    return [name.strip() for spec in values for name in str(spec).split(",")]


def _isolation(config: pytest.Config) -> Isolation:
    isolation = config.stash.get(_ISOLATION_KEY, None)
    if isolation is None:
        isolation = config.stash[_ISOLATION_KEY] = Isolation()
        isolation.start(real=wanted(_asked_for(config)))
        # Also when the run never gets to configure (a usage error, pytester.parseconfig).
        config.add_cleanup(isolation.stop)
    return isolation


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config) -> None:
    # Before any conftest.py is imported: a client one builds at import time must already
    # get the placeholder endpoint and the fake credentials (see isolation.py).
    _isolation(early_config)


def pytest_configure(config: pytest.Config) -> None:
    isolation = _isolation(config)
    check_options(config)  # every option, before a server starts or a test is collected
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
    backend_scope(config)  # a usage error now rather than in the first fixture
    isolation.recorder.enabled = recording(config)
    owners: list[int] = []
    if _is_worker(config):
        workerinput = config.workerinput  # type: ignore[attr-defined]
        run_id, log_dir = workerinput["ddbmatrix_run_id"], Path(workerinput["ddbmatrix_log_dir"])
        worker = str(workerinput["workerid"])
        # A worker outlives a killed controller until its current test ends; its servers
        # must not, so they watch the controller too.
        owners.append(int(workerinput["ddbmatrix_controller_pid"]))
        isolation.use_real_key(workerinput.get("ddbmatrix_real_key"))
        if "ddbmatrix_identity" in workerinput:
            isolation.use_identity(RealIdentity.from_workerinput(workerinput["ddbmatrix_identity"]))
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
        recorder=isolation.recorder,
        context=isolation.context,
        identity=isolation.identity,
    )
    isolation.hooks.guard = state.guarded
    if wanted(backends):
        # Every botocore client of the process, however early it was built, is held to the
        # aws write guard at the HTTP layer (the hooks above cover only clients built now).
        http_guard = HttpGuard(isolation.context, state.table_prefix, frozenset({"aws"}))
        http_guard.install()
        config.add_cleanup(http_guard.uninstall)
    config.stash[STATE_KEY] = state
    if pool_wanted(config):
        config.stash[TABLE_POOL_KEY] = TablePool(isolation.context)
    config.pluginmanager.register(BackendContextHooks(state), "ddbmatrix-context")
    attribution = FixtureAttribution(isolation.context, isolation.recorder)
    config.pluginmanager.register(attribution, FIXTURES_PLUGIN)
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(XdistHooks(state, isolation), "ddbmatrix-xdist")
        config.pluginmanager.register(ReportWire(), "ddbmatrix-report-wire")


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
    """Hand the controller's run id and log folder to each worker (pytest-randomly's idiom).

    With the aws backend, also the user's credentials (in memory, through xdist's channel):
    a worker starts with the isolated environment and cannot read them itself.
    """

    def __init__(self, state: DdbMatrixState, isolation: Isolation) -> None:
        self.state = state
        self.isolation = isolation

    def pytest_configure_node(self, node: Any) -> None:
        node.workerinput["ddbmatrix_run_id"] = self.state.run_id
        node.workerinput["ddbmatrix_log_dir"] = str(self.state.log_dir)
        node.workerinput["ddbmatrix_controller_pid"] = os.getpid()
        node.workerinput.update(self.isolation.workerinput())
        node.workerinput["ddbmatrix_backends"] = list(self.state.backends)
        node.workerinput["ddbmatrix_left_out"] = node.config.stash.get(LEFT_OUT_KEY, None)

    def pytest_testnodedown(self, node: Any, error: object) -> None:
        # A worker stopped in a test (Ctrl-C) recorded it with its calls so far; a worker
        # that died sends nothing, and the collector records the test from what it saw.
        collector = node.config.pluginmanager.get_plugin("ddbmatrix-runs")
        output = getattr(node, "workeroutput", None) or {}
        if collector is not None:
            collector.add_interrupted(output.get(INTERRUPTED_OUTPUT) or [])


class BackendContextHooks:
    """Enter each item's backend before its fixtures are set up; leave it after teardown.

    A plugin object of its own, registered at configure, so that its set-up hook runs after
    the skip markers' (tryfirst) and before pytest's own, which sets up the fixtures.
    """

    def __init__(self, state: DdbMatrixState) -> None:
        self.state = state

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        backend = backend_of(item)
        if backend is not None:
            server = self.state.server(backend)  # the environment needs its endpoint; may raise
            table_pool = item.config.stash.get(TABLE_POOL_KEY, None)
            if table_pool is not None and lists_tables(getattr(item, "module", None)):
                with self.state.recorder.paused():  # ListTables must not see idle tables
                    table_pool.drain(server_token(server))
        self.state.context.enter_item(backend)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_teardown(self, item: pytest.Item) -> Any:
        try:
            return (yield)
        finally:
            self.state.context.leave_item()


def pytest_unconfigure(config: pytest.Config) -> None:
    state = config.stash.get(STATE_KEY, None)
    isolation = config.stash.get(_ISOLATION_KEY, None)
    table_pool = config.stash.get(TABLE_POOL_KEY, None)
    if table_pool is not None:
        table_pool.close()  # while the servers still run: an endpoint's tables are deleted
    if state is not None:
        state.pool.stop_all()
    if isolation is not None:
        isolation.stop()  # only now: until every server is stopped, nothing is put back
    if state is None:
        return
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
    # At --ddb-scope, so that pytest groups the tests by backend at that scope.
    metafunc.parametrize("ddb_backend", params, scope=backend_scope(metafunc.config))


def backend_of(item: pytest.Item) -> str | None:
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("ddb_backend") if callspec else None


def pytest_collection_finish(session: pytest.Session) -> None:
    state = state_of(session.config)
    state.wanted = {b for b in map(backend_of, session.items) if b is not None}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # An HTTP stack imported since the last test (aiobotocore, by a test module) is guarded
    # before the test can use it.
    _isolation(item.config).router.install()
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
    fixtures = item.config.pluginmanager.get_plugin(FIXTURES_PLUGIN)
    if fixtures is not None and (records := fixtures.take()):
        # Finished fixture records ride with the first report after them, as test records do.
        report.ddbmatrix_fixtures = records  # type: ignore[attr-defined]
    backend = backend_of(item)
    if backend is None:
        return report
    mark_backend(report, backend)
    state = state_of(item.config)
    reports = item.stash.setdefault(_REPORTS_KEY, {})
    reports[report.when] = report
    remember_exception(item, call)  # failed (an assertion) or raised (anything else)
    if report.when == "call":
        item.stash[_SHARED_KEY] = dict(state.shared_labels.get(backend, {}))
    if report.failed and report.when in ("setup", "call"):
        # A failure may be the server dying or hanging under this test: look before the next.
        broken = state.pool.check(backend, item.nodeid, _unanswered(report))
        if broken is not None:
            report.sections.append((f"ddbmatrix: backend {broken.kind}", str(broken)))
    if report.when == "teardown":
        item.stash[_RECORDED_KEY] = True
        calls = state.recorder.finish()
        shared: dict[str, str] = item.stash.get(_SHARED_KEY, {})
        own: dict[str, str] = item.stash.get(TABLES_KEY, {})
        tables = {**shared, **own}
        record = build_record(item, backend, reports, calls, tables)
        if record["outcome"] in ("failed", "raised", "error"):
            record["backend_failure"] = _backend_failure(state.pool.broken(backend))
        record["incidents"] = state.pool.incidents[item.stash.get(_INCIDENTS_KEY, 0) :]
        kept, _ = backends_for(item, state.backends)
        if excluded := [name for name in state.backends if name not in kept]:
            # Kept off those backends by design: the report must not take it as missing there.
            record["excluded"] = excluded
        # Rides to the xdist controller with the report; see the module docstring.
        report.ddbmatrix = record  # type: ignore[attr-defined]
    return report


def _stopped_by(error: BaseException) -> str:
    """Say what stopped the run: the signal, or pytest.exit's reason."""
    if isinstance(error, KeyboardInterrupt):
        return "SIGTERM" if error.args == ("SIGTERM",) else "SIGINT (Ctrl-C)"
    if isinstance(error, pytest.exit.Exception):
        return f"pytest.exit ({error.msg})"
    return type(error).__name__


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    try:
        return (yield)
    except BaseException as error:
        # Ctrl-C, SIGTERM (see _sigterm), pytest.exit: pytest makes no report of the test it
        # stopped in, so it would be missing from the run file. Record it as interrupted,
        # with the calls it made; its fixtures are torn down later, at session end.
        backend = backend_of(item)
        if backend is not None and not item.stash.get(_RECORDED_KEY, False):
            _record_interrupted(item, backend, f"the run was stopped by {_stopped_by(error)}")
        raise


def _record_interrupted(item: pytest.Item, backend: str, message: str) -> None:
    state = state_of(item.config)
    own: dict[str, str] = item.stash.get(TABLES_KEY, {})
    tables = {**dict(state.shared_labels.get(backend, {})), **own}
    reports = item.stash.get(_REPORTS_KEY, {})
    record = interrupted_record(item, backend, reports, state.recorder.finish(), tables, message)
    item.stash[_RECORDED_KEY] = True
    collector = item.config.pluginmanager.get_plugin("ddbmatrix-runs")
    if collector is not None:
        collector.add_interrupted([record])
    else:  # a worker: the record rides in its workeroutput (see XdistHooks)
        item.config.stash.setdefault(_INTERRUPTED_KEY, []).append(record)


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _is_worker(session.config):
        interrupted = session.config.stash.get(_INTERRUPTED_KEY, [])
        session.config.workeroutput[INTERRUPTED_OUTPUT] = interrupted  # type: ignore[attr-defined]
