"""The public fixtures. Every test that uses one of them runs once per selected backend.

========================  ================================================================
``ddb_backend``           the backend's name (``"dynalite"``, ...): the parameter itself
``ddb_server``            the running server (``.endpoint``, ``.backend``)
``ddb_endpoint``          its URL; also exported as ``AWS_ENDPOINT_URL_DYNAMODB`` for the test
``ddb_client``            a recorded low-level boto3 client bound to it
``ddb_resource``          a recorded boto3 resource bound to it
``ddb_streams_client``    a recorded low-level DynamoDB Streams client of the same backend
``make_table``            ``make_table(keys=..., gsis=..., lsis=..., billing_mode=..., label=...)``
                          creates a uniquely named ACTIVE table, returns its name, and deletes
                          it after the test
``new_table_name``        ``new_table_name(label=None)``: a fresh name for a table the test
                          creates itself (CreateTable tests); deleted after the test
``ddb_tables``            the test's :class:`~ddbmatrix.tables.TableFactory` behind both
``declared_tables``       ``{declared name: real name}`` of the tables declared once for the
                          suite (see :mod:`ddbmatrix.declared`)
========================  ================================================================

Every test that runs on a backend, whatever it asks for, has the environment of
``ddb_endpoint`` in force: code under test that builds its own client reaches the backend.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import boto3
import botocore.session
import pytest

from ddbmatrix.backends import Server
from ddbmatrix.environment import backend_environment
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
    "make_table",
    "new_table_name",
]

STATE_KEY = pytest.StashKey[DdbMatrixState]()
#: generated table name -> label, for the report's placeholders.
TABLES_KEY = pytest.StashKey[dict[str, str]]()
MakeTable = Callable[..., str]


def state_of(config: pytest.Config) -> DdbMatrixState:
    return config.stash[STATE_KEY]


@pytest.fixture
def ddb_backend(request: pytest.FixtureRequest) -> str:
    """Return the name of the backend this test runs on."""
    try:
        return str(request.param)
    except AttributeError:
        raise pytest.UsageError(
            "ddb_backend was not parametrized: is the ddbmatrix plugin disabled (-p no:ddbmatrix)?"
        ) from None


@pytest.fixture
def ddb_server(request: pytest.FixtureRequest, ddb_backend: str) -> Server:
    """Return the running server of this test's backend, started on first use."""
    state = state_of(request.config)
    unavailable = state.unavailable(ddb_backend)
    if unavailable is not None:
        raise unavailable
    with state.recorder.paused():  # the readiness probe's calls are not the test's
        state.pool.prefetch(b for b in state.wanted if state.unavailable(b) is None)
        return state.pool.get(ddb_backend)


@pytest.fixture(autouse=True)
def _ddb_environment(request: pytest.FixtureRequest) -> None:
    # Autouse, so it runs before the test's other fixtures and even for a test that asks only
    # for ddb_backend: a client built anywhere in the test talks to the test's backend.
    if "ddb_backend" in request.fixturenames:
        request.getfixturevalue("ddb_endpoint")


@pytest.fixture
def ddb_endpoint(
    request: pytest.FixtureRequest, ddb_server: Server, monkeypatch: pytest.MonkeyPatch
) -> str:
    """Return the endpoint URL, and point every boto3 client the test creates at it."""
    backend = state_of(request.config).backend(ddb_server.backend)
    for name, value in backend_environment(ddb_server.endpoint, backend.real_credentials).items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    # boto3's default session caches the credentials it resolved first; a fresh one per test
    # reads the environment above instead of whatever an earlier caller saw.
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    if backend.real_credentials:
        # Clients the code under test builds get the same guard as the fixtures' clients.
        state = state_of(request.config)
        create_client = botocore.session.Session.create_client

        def guarded_create_client(session: Any, *args: Any, **kwargs: Any) -> Any:
            return state.guarded(ddb_server.backend, create_client(session, *args, **kwargs))

        monkeypatch.setattr(botocore.session.Session, "create_client", guarded_create_client)
    return ddb_server.endpoint


@pytest.fixture
def ddb_client(request: pytest.FixtureRequest, ddb_server: Server, ddb_endpoint: str) -> Any:
    """Return a low-level DynamoDB client (no client-side validation, no retries)."""
    return state_of(request.config).client(ddb_server.backend, ddb_endpoint)


@pytest.fixture
def ddb_streams_client(
    request: pytest.FixtureRequest, ddb_server: Server, ddb_endpoint: str
) -> Any:
    """Return a low-level DynamoDB Streams client, configured like ``ddb_client``.

    Emulators serve the Streams API at their one endpoint; on AWS it goes to the region's
    ``streams.dynamodb`` host. Its calls are recorded with the test's DynamoDB calls.
    """
    return state_of(request.config).streams_client(ddb_server.backend, ddb_endpoint)


@pytest.fixture
def ddb_resource(request: pytest.FixtureRequest, ddb_server: Server, ddb_endpoint: str) -> Any:
    """Return a DynamoDB service resource (``ddb_resource.Table(name)``)."""
    return state_of(request.config).resource(ddb_server.backend, ddb_endpoint)


@pytest.fixture
def ddb_tables(
    request: pytest.FixtureRequest, ddb_server: Server, ddb_endpoint: str
) -> Iterator[TableFactory]:
    """Return this test's table factory; every table it named is deleted when the test ends."""
    state = state_of(request.config)
    factory = state.table_factory(ddb_server.backend, ddb_endpoint)
    request.node.stash[TABLES_KEY] = factory.labels
    yield factory
    with state.recorder.paused():
        factory.delete_all()


@pytest.fixture
def make_table(request: pytest.FixtureRequest, ddb_tables: TableFactory) -> MakeTable:
    """Create uniquely named ACTIVE tables for this test; they are deleted when it ends."""
    recorder = state_of(request.config).recorder

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
        with recorder.paused():
            return ddb_tables.create(spec, label)

    return make


@pytest.fixture
def new_table_name(ddb_tables: TableFactory) -> Callable[..., str]:
    """Return a maker of fresh table names for tests that call CreateTable themselves.

    ``new_table_name(label=None)``; a table created under such a name is deleted at the end.
    """
    return ddb_tables.new_name
