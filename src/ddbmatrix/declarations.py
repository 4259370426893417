"""Tables declared once for a whole test suite, and the ini lines that declare them.

The ini option ``ddb_declared_tables`` holds one declaration per line::

    [pytest]
    ddb_declared_tables =
        PersonTestTable  PK:S SK:S  env=PEOPLE_TABLE  seed=tests/people.json  scope=module
        template.yaml
        Orders  seed=tests/orders.json

A line is either

- a table: its declared name, then its key attributes as ``NAME:TYPE`` (hash key first,
  range key optional; TYPE is S, N or B), then options;
- a CloudFormation or SAM template (a path ending in ``.yaml``, ``.yml`` or ``.json``): each
  of its ``AWS::DynamoDB::Table`` resources, then options that apply to all of them;
- a declared name without key attributes: options added to a table declared above (for
  instance the seed of a table that a template declares).

Options: ``env=VAR[,VAR...]`` (environment variables set to the real name), ``seed=FILE``
(a JSON file of items), ``scope=function|module``, ``billing=PAY_PER_REQUEST|PROVISIONED``,
``gsi.INDEX=ATTR:TYPE[,ATTR:TYPE]`` and ``lsi.INDEX=...`` (projection ALL), and
``models=module:Class[,...]`` (PynamoDB models pointed at the table during the test).
Relative paths are relative to the directory of the ini file (the rootdir without one).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ddbmatrix.errors import DdbMatrixError
from ddbmatrix.tables import IndexSpec, TableSpec

__all__ = ["SCOPES", "DeclarationError", "DeclaredTable", "parse_declarations"]

Scope = Literal["function", "module"]
SCOPES: tuple[Scope, ...] = ("function", "module")
_TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")
_TYPES = ("S", "N", "B")


class DeclarationError(DdbMatrixError, ValueError):
    """A declared table (ini line, template resource or DeclaredTable) that cannot be used."""


def _names(value: str | Iterable[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


@dataclass(frozen=True)
class DeclaredTable:
    """A table every test that asks for ``declared_tables`` gets, under a unique name.

    Args:
        name: the declared name: the key in ``declared_tables`` and the label in run files.
        keys: the key attributes and their types, hash key first (``{"PK": "S", "SK": "S"}``).
        gsis: global secondary indexes, as for ``make_table``.
        lsis: local secondary indexes, as for ``make_table``.
        billing_mode: ``PAY_PER_REQUEST`` or ``PROVISIONED``.
        env: environment variables set to the table's real name while a test runs.
        seed: a JSON file of items put into the table once it exists (see :mod:`ddbmatrix.seeds`).
        items: items put into the table as well, in boto3 resource form.
        scope: ``function`` (a new table for each test) or ``module`` (one per module,
            backend and worker, shared by the module's tests).
        models: PynamoDB model classes, or ``"module:Class"`` strings, whose
            ``Meta.table_name`` is the table's real name while a test runs.
    """

    name: str
    keys: Mapping[str, str]
    gsis: Mapping[str, IndexSpec | Mapping[str, Any]] = field(default_factory=dict)
    lsis: Mapping[str, IndexSpec | Mapping[str, Any]] = field(default_factory=dict)
    billing_mode: str = "PAY_PER_REQUEST"
    env: str | Sequence[str] = ()
    seed: str | Path | None = None
    items: Sequence[Mapping[str, Any]] = ()
    scope: Scope = "function"
    models: Sequence[str | type] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "env", _names(self.env))
        object.__setattr__(self, "models", tuple(self.models))
        object.__setattr__(self, "items", tuple(self.items))
        if self.scope not in SCOPES:
            raise DeclarationError(
                f"table {self.name!r}: scope {self.scope!r} is not one of {', '.join(SCOPES)}"
            )
        try:
            self.spec  # noqa: B018 - fail at declaration, not in the middle of a test
        except (ValueError, TypeError) as error:
            raise DeclarationError(f"table {self.name!r}: {error}") from None

    @property
    def spec(self) -> TableSpec:
        """Return the :class:`~ddbmatrix.tables.TableSpec` the table is created from."""
        spec = TableSpec.build(self.keys, self.gsis, self.lsis, self.billing_mode)
        spec.create_table_request(self.name)  # checks the attribute types agree
        return spec

    @property
    def env_names(self) -> tuple[str, ...]:
        return _names(self.env)

    def with_options(self, **options: Any) -> DeclaredTable:
        """Return a copy with ``options`` replaced; ``env`` and ``models`` are added to."""
        if "env" in options:
            options["env"] = (*self.env_names, *_names(options["env"]))
        if "models" in options:
            options["models"] = (*self.models, *options["models"])
        return dataclasses.replace(self, **options)


def _attribute(token: str, where: str) -> tuple[str, str]:
    name, _, attribute_type = token.rpartition(":")
    if not name or attribute_type not in _TYPES:
        raise DeclarationError(f"{where}: {token!r} is not ATTRIBUTE:TYPE (TYPE: S, N or B)")
    return name, attribute_type


def _attributes(value: str, where: str) -> dict[str, str]:
    return dict(_attribute(token, where) for token in value.split(",") if token)


def _options(tokens: Sequence[str], where: str, base: Path) -> dict[str, Any]:
    options: dict[str, Any] = {}
    gsis: dict[str, Any] = {}
    lsis: dict[str, Any] = {}
    for token in tokens:
        key, sep, value = token.partition("=")
        if not sep or not value:
            raise DeclarationError(f"{where}: expected OPTION=VALUE, got {token!r}")
        if key == "env":
            options["env"] = tuple(v for v in value.split(",") if v)
        elif key == "seed":
            options["seed"] = base / value
        elif key == "scope":
            options["scope"] = value
        elif key == "billing":
            options["billing_mode"] = value
        elif key == "models":
            options["models"] = tuple(v for v in value.split(",") if v)
        elif key.startswith(("gsi.", "lsi.")) and len(key) > 4:
            indexes = gsis if key.startswith("gsi.") else lsis
            indexes[key[4:]] = {"keys": _attributes(value, where)}
        else:
            raise DeclarationError(
                f"{where}: unknown option {key!r} (env, seed, scope, billing, models, gsi.NAME, "
                "lsi.NAME)"
            )
    if gsis:
        options["gsis"] = gsis
    if lsis:
        options["lsis"] = lsis
    return options


def _is_template(token: str) -> bool:
    return token.lower().endswith(_TEMPLATE_SUFFIXES)


def parse_declarations(lines: Iterable[str], base: Path) -> list[DeclaredTable]:
    """Parse ``ddb_declared_tables`` lines (see the module docstring); paths relative to ``base``.

    Raises:
        DeclarationError: a line that cannot be understood, naming it.
    """
    from ddbmatrix.templates import load_template  # YAML support is needed only here

    tables: dict[str, DeclaredTable] = {}
    for number, line in enumerate(lines, 1):
        tokens = line.split("#", 1)[0].split()
        if not tokens:
            continue
        where = f"ddb_declared_tables line {number} ({line.strip()!r})"
        head, rest = tokens[0], tokens[1:]
        try:
            if _is_template(head):
                options = _options(rest, where, base)
                for table in load_template(base / head):
                    tables[table.name] = table.with_options(**options)
                continue
            keys = [t for t in rest if "=" not in t]
            options = _options([t for t in rest if "=" in t], where, base)
            if keys:
                if head in tables:
                    raise DeclarationError(f"{where}: table {head!r} is declared twice")
                attributes = dict(_attribute(token, where) for token in keys)
                tables[head] = DeclaredTable(head, attributes, **options)
            elif head in tables:
                tables[head] = tables[head].with_options(**options)
            else:
                raise DeclarationError(
                    f"{where}: {head!r} has no key attributes (NAME:TYPE) and no table of "
                    "that name is declared above"
                )
        except (TypeError, ValueError) as error:  # DeclarationError included
            if str(error).startswith(where):
                raise
            raise DeclarationError(f"{where}: {error}") from None
    return list(tables.values())
