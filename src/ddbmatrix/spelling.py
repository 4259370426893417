"""Misspelled ddbmatrix ini keys and options stop the run at start-up, naming the right one.

pytest only warns about an unknown ini key (unless ``--strict-config``), so a misspelled
``ddb_declared_table`` would leave every test without its tables and fail each one with a
traceback. An unknown ``--ddb-...`` option is already an error in pytest; this says which
option was meant. Keys and options of other plugins are never touched.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import pytest

__all__ = ["closest"]

_PREFIX_INI = "ddb_"
_PREFIX_OPTION = "--ddb"
_CUTOFF = 0.75


def closest(name: str, known: Iterable[str]) -> str | None:
    """Return the known name ``name`` is most likely a misspelling of, or None."""
    matches = difflib.get_close_matches(name, list(known), n=1, cutoff=_CUTOFF)
    return matches[0] if matches else None


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(
    early_config: pytest.Config, parser: pytest.Parser, args: list[str]
) -> None:
    # The earliest hook that sees the arguments (with addopts) and every plugin's options.
    known = {
        name
        for argument in parser.getgroup("ddbmatrix").options
        for name in argument.names()
        if name.startswith(_PREFIX_OPTION)
    }
    for arg in args:
        name = arg.partition("=")[0]
        if not name.startswith(_PREFIX_OPTION) or name in known:
            continue
        meant = closest(name, known)
        if meant is not None:
            raise pytest.UsageError(f"ddbmatrix: unknown option {name}: did you mean {meant}?")


def _unknown_ini_keys(config: pytest.Config) -> set[str]:
    # pytest lists unknown keys only privately: this is what its own --strict-config uses.
    unknown = getattr(config, "_get_unknown_ini_keys", None)
    return set(unknown()) if unknown is not None else set()


def _ini_keys(config: pytest.Config) -> list[str]:
    inidict = getattr(config._parser, "_inidict", {})  # pytest has no public list of them
    return [key for key in inidict if key.startswith(_PREFIX_INI)]


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    known = _ini_keys(config)
    where = config.inipath.name if config.inipath else "the configuration"
    for key in sorted(_unknown_ini_keys(config)):
        meant = closest(key, known)
        if meant is not None:
            raise pytest.UsageError(
                f"ddbmatrix: unknown ini key {key!r} in {where}: did you mean {meant!r}?"
            )
        if key.startswith(_PREFIX_INI):
            raise pytest.UsageError(
                f"ddbmatrix: unknown ini key {key!r} in {where}; ddbmatrix's keys are "
                f"{', '.join(sorted(known))}"
            )
