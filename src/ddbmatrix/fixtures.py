"""The public fixtures. Every test that uses one of them runs once per selected backend.

========================  ================================================================
``ddb_backend``           the backend's name (``"dynalite"``, ...): the parameter itself
``ddb_server``            the running server (``.endpoint``, ``.backend``)
``ddb_endpoint``          its URL; also ``AWS_ENDPOINT_URL_DYNAMODB`` while the backend is
                          current
``ddb_client``            a recorded low-level boto3 client bound to it
``ddb_resource``          a recorded boto3 resource bound to it
``ddb_streams_client``    a recorded low-level DynamoDB Streams client of the same backend
``make_shared_table``     like ``make_table``, for fixtures wider than a test: its tables
                          live until the backend's scope ends
``make_table``            ``make_table(keys=..., gsis=..., lsis=..., billing_mode=..., label=...)``
                          creates a uniquely named ACTIVE table, returns its name, and deletes
                          it after the test
``new_table_name``        ``new_table_name(label=None)``: a fresh name for a table the test
                          creates itself (CreateTable tests); deleted after the test
``ddb_tables``            the test's :class:`~ddbmatrix.tables.TableFactory` behind both
``declared_tables``       ``{declared name: real name}`` of the tables declared once for the
                          suite (see :mod:`ddbmatrix.declared`)
========================  ================================================================

The first six have the scope ``--ddb-scope`` gives (``function`` unless set), so that
fixtures of that scope can use them: ``ddb_backend`` is then parametrized at that scope,
and pytest runs the tests grouped by backend, setting a module's (or the session's)
fixtures up once per backend and tearing them down before the next backend's begin. The
others are always per test.

Whatever a test asks for, while it runs (and while its fixtures are set up and torn down)
its backend is the backend of now (:mod:`ddbmatrix.context`): code under test that builds
its own client reaches that backend (:mod:`ddbmatrix.environment`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest

from ddbmatrix.backends import Server
from ddbmatrix.options import ScopeName, backend_scope
from ddbmatrix.pools import TablePool, leaves_tables_as_made, server_token
from ddbmatrix.recording import Recorder
from ddbmatrix.state import DdbMatrixState
from ddbmatrix.tables import IndexSpec, TableFactory, TableSpec

__all__ = [
    "ddb_backend",
    "ddb_client",
    "ddb_endpoint",
    "ddb_resource",
    "ddb_server",
    "ddb_streams_client",
    "ddb_tables",
    "make_shared_table",
    "make_table",
    "new_table_name",
]

STATE_KEY = pytest.StashKey[DdbMatrixState]()
#: generated table name -> label, for the report's placeholders.
TABLES_KEY = pytest.StashKey[dict[str, str]]()
MakeTable = Callable[..., str]
#: The process's table pool, when --ddb-table-pool is on.
TABLE_POOL_KEY = pytest.StashKey[TablePool]()


def state_of(config: pytest.Config) -> DdbMatrixState:
    return config.stash[STATE_KEY]


def _backend_scope(fixture_name: str, config: pytest.Config) -> ScopeName:
    """The scope of the backend fixtures: ``--ddb-scope`` (pytest's dynamic fixture scope)."""
    return backend_scope(config)


@pytest.fixture(scope=_backend_scope)
def ddb_backend(request: pytest.FixtureRequest) -> str:
    """Return the name of the backend this test runs on."""
    try:
        return str(request.param)
    except AttributeError:
        raise pytest.UsageError(
            "ddb_backend was not parametrized: is the ddbmatrix plugin disabled (-p no:ddbmatrix)?"
        ) from None


@pytest.fixture(scope=_backend_scope)
def ddb_server(request: pytest.FixtureRequest, ddb_backend: str) -> Server:
    """Return the running server of this test's backend, started on first use."""
    return state_of(request.config).server(ddb_backend)


@pytest.fixture(scope=_backend_scope)
def ddb_endpoint(ddb_server: Server) -> str:
    """Return the endpoint URL (also ``AWS_ENDPOINT_URL_DYNAMODB`` while the backend is current)."""
    return ddb_server.endpoint


@pytest.fixture(scope=_backend_scope)
def ddb_client(request: pytest.FixtureRequest, ddb_server: Server) -> Any:
    """Return a low-level DynamoDB client (no client-side validation, no retries)."""
    return state_of(request.config).client(ddb_server.backend, ddb_server.endpoint)


@pytest.fixture(scope=_backend_scope)
def ddb_streams_client(request: pytest.FixtureRequest, ddb_server: Server) -> Any:
    """Return a low-level DynamoDB Streams client, configured like ``ddb_client``.

    Emulators serve the Streams API at their one endpoint; on AWS it goes to the region's
    ``streams.dynamodb`` host. Its calls are recorded with the test's DynamoDB calls.
    """
    return state_of(request.config).streams_client(ddb_server.backend, ddb_server.endpoint)


@pytest.fixture(scope=_backend_scope)
def ddb_resource(request: pytest.FixtureRequest, ddb_server: Server) -> Any:
    """Return a DynamoDB service resource (``ddb_resource.Table(name)``)."""
    return state_of(request.config).resource(ddb_server.backend, ddb_server.endpoint)


def _maker(
    factory: TableFactory,
    recorder: Recorder,
    default_label: str,
    pool: tuple[TablePool, str] | None = None,
) -> MakeTable:
    """Return ``make_table``; with ``pool`` (the pool and the server's token), from the pool."""

    def make(
        spec: TableSpec | None = None,
        *,
        keys: Mapping[str, str] | None = None,
        gsis: Mapping[str, IndexSpec | Mapping[str, Any]] | None = None,
        lsis: Mapping[str, IndexSpec | Mapping[str, Any]] | None = None,
        billing_mode: str = "PAY_PER_REQUEST",
        label: str | None = None,
    ) -> str:
        if spec is None:
            if keys is None:
                raise TypeError("make_table() needs a TableSpec or keys={...}")
            spec = TableSpec.build(keys, gsis, lsis, billing_mode)
        label = label or f"{default_label}{len(factory.labels) + 1}"
        with recorder.paused():
            if pool is not None:
                return pool[0].take(pool[1], factory, spec, label)
            return factory.create(spec, label)

    return make


@pytest.fixture(scope=_backend_scope)
def make_shared_table(request: pytest.FixtureRequest, ddb_server: Server) -> Iterator[MakeTable]:
    """Create tables for fixtures wider than a test; they are deleted when the scope ends.

    Takes what ``make_table`` takes. Its scope is ``--ddb-scope``: a module-scoped fixture
    that creates its tables with it needs ``--ddb-scope=module`` (or wider).
    """
    state = state_of(request.config)
    factory = state.table_factory(ddb_server.backend, ddb_server.endpoint)
    state.shared_labels[ddb_server.backend] = factory.labels
    yield _maker(factory, state.recorder, "shared")
    state.shared_labels.pop(ddb_server.backend, None)
    with state.recorder.paused():
        factory.delete_all()


@pytest.fixture
def ddb_tables(request: pytest.FixtureRequest, ddb_server: Server) -> Iterator[TableFactory]:
    """Return this test's table factory; every table it named is deleted when the test ends."""
    state = state_of(request.config)
    factory = state.table_factory(ddb_server.backend, ddb_server.endpoint)
    request.node.stash[TABLES_KEY] = factory.labels
    pool = request.config.stash.get(TABLE_POOL_KEY, None)
    yield factory
    with state.recorder.paused():
        if pool is not None:
            pool.give_back(factory, leaves_tables_as_made(state.recorder.calls_so_far()))
        factory.delete_all()


@pytest.fixture
def make_table(
    request: pytest.FixtureRequest, ddb_tables: TableFactory, ddb_server: Server
) -> MakeTable:
    """Create uniquely named ACTIVE tables for this test; they are deleted when it ends.

    With the table pool (``--ddb-table-pool=on``) they come from it, and go back to it.
    """
    state = state_of(request.config)
    pool = request.config.stash.get(TABLE_POOL_KEY, None)
    if pool is None or state.backend(ddb_server.backend).real_credentials:
        return _maker(ddb_tables, state.recorder, "table")
    return _maker(ddb_tables, state.recorder, "table", (pool, server_token(ddb_server)))


@pytest.fixture
def new_table_name(ddb_tables: TableFactory) -> Callable[..., str]:
    """Return a maker of fresh table names for tests that call CreateTable themselves.

    ``new_table_name(label=None)``; a table created under such a name is deleted at the end.
    """
    return ddb_tables.new_name
