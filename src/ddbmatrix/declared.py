"""Declared tables in tests: the ``ddb_declared_tables`` ini option and two fixtures.

``table_declarations``
    the declared tables (:class:`~ddbmatrix.declarations.DeclaredTable`), read from the ini
    option; override it in a conftest to add or replace some (``load_template`` reads a
    CloudFormation or SAM template).
``declared_tables``
    creates every declared table for the test (or reuses the module's, for
    ``scope="module"``), seeds it, sets its ``env`` variables and PynamoDB models to the
    real name, and returns ``{declared name: real name}``.

A module-scoped table is created by the first test of the module that needs it on a
backend, on that backend, and deleted when the module's last test is done; under xdist each
worker has its own. Creating, seeding and deleting are never recorded as a test's calls, and
every test that uses a table labels it with its declared name in the run file.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ddbmatrix.backends import Server
from ddbmatrix.declarations import DeclarationError, DeclaredTable, parse_declarations
from ddbmatrix.fixtures import state_of
from ddbmatrix.seeds import load_seed, serialize, write_items
from ddbmatrix.state import DdbMatrixState
from ddbmatrix.tables import TableFactory

__all__ = ["declared_tables", "table_declarations"]

_DECLARED_KEY = pytest.StashKey[list[DeclaredTable]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "ddb_declared_tables",
        "tables every test using declared_tables gets: 'NAME KEY:TYPE [KEY:TYPE] [env=VAR] "
        "[seed=FILE] [scope=module]' or a CloudFormation/SAM template path, one per line",
        type="linelist",
        default=[],
    )


def pytest_configure(config: pytest.Config) -> None:
    base = config.inipath.parent if config.inipath else config.rootpath
    try:
        declared = parse_declarations(config.getini("ddb_declared_tables"), base)
    except DeclarationError as error:
        raise pytest.UsageError(f"ddbmatrix: {error}") from None
    for table in declared:
        try:
            if table.seed is not None:
                # Read once now: a missing or broken file is one error, not one per test.
                load_seed(base / table.seed)
        except DeclarationError as error:
            raise pytest.UsageError(
                f"ddbmatrix: ddb_declared_tables: table {table.name!r}: {error}"
            ) from None
    config.stash[_DECLARED_KEY] = declared


@pytest.fixture(scope="session")
def table_declarations(pytestconfig: pytest.Config) -> list[DeclaredTable]:
    """Return the declared tables; override in a conftest to add to or replace them."""
    declared = pytestconfig.stash[_DECLARED_KEY]
    return list(declared)


def _seed(client: Any, name: str, table: DeclaredTable, root: Path) -> None:
    items = [serialize(item) for item in table.items]
    if table.seed is not None:
        items += load_seed(root / table.seed)
    if items:
        write_items(client, name, items)


def _create(factory: TableFactory, table: DeclaredTable, root: Path) -> str:
    name = factory.create(table.spec, table.name)
    _seed(factory.client, name, table, root)
    return name


class ModuleTables:
    """The module-scoped declared tables of one module, per backend."""

    def __init__(self, state: DdbMatrixState, root: Path) -> None:
        self.state = state
        self.root = root
        self._factories: dict[str, TableFactory] = {}
        self._names: dict[tuple[str, str], str] = {}

    def get(self, server: Server, table: DeclaredTable) -> str:
        key = (server.backend, table.name)
        if key not in self._names:
            factory = self._factories.get(server.backend)
            if factory is None:
                factory = self.state.table_factory(server.backend, server.endpoint)
                self._factories[server.backend] = factory
            with self.state.recorder.paused():
                self._names[key] = _create(factory, table, self.root)
        return self._names[key]

    def delete_all(self) -> None:
        with self.state.recorder.paused():
            for factory in self._factories.values():
                factory.delete_all()


@pytest.fixture(scope="module")
def _ddb_module_tables(request: pytest.FixtureRequest) -> Iterator[ModuleTables]:
    tables = ModuleTables(state_of(request.config), request.config.rootpath)
    yield tables
    # Runs in the teardown of the module's last test, which is still being recorded.
    tables.delete_all()


def _model(model: str | type) -> Any:
    if not isinstance(model, str):
        return model
    module, _, name = model.partition(":")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as error:
        raise DeclarationError(f"models={model!r}: cannot import it ({error})") from None


def _bind_model(model: str | type, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point a PynamoDB model at table ``name`` for one test, with a fresh connection."""
    cls = _model(model)
    meta = getattr(cls, "Meta", None)
    if meta is None or not hasattr(cls, "_get_connection"):
        raise DeclarationError(f"models={model!r}: not a PynamoDB model (no Meta)")
    monkeypatch.setattr(meta, "table_name", name)
    # The cached connection holds a client bound to the endpoint of the test that made it.
    monkeypatch.setattr(cls, "_connection", None)


@pytest.fixture
def declared_tables(
    request: pytest.FixtureRequest,
    ddb_server: Server,
    ddb_tables: TableFactory,
    table_declarations: list[DeclaredTable],
    _ddb_module_tables: ModuleTables,
    monkeypatch: pytest.MonkeyPatch,
) -> dict[str, str]:
    """Create the declared tables for this test; return ``{declared name: real name}``."""
    state = state_of(request.config)
    names: dict[str, str] = {}
    for table in table_declarations:
        if table.name in names:
            raise DeclarationError(f"table {table.name!r} is declared twice")
        if table.scope == "module":
            name = _ddb_module_tables.get(ddb_server, table)
            ddb_tables.share(name, table.name)
        else:
            with state.recorder.paused():
                name = _create(ddb_tables, table, request.config.rootpath)
        names[table.name] = name
        for variable in table.env_names:
            monkeypatch.setenv(variable, name)
        for model in table.models:
            _bind_model(model, name, monkeypatch)
    return names
