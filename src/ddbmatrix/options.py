"""The plugin's options: each command-line flag and its ini twin, reading and checking them.

Every option exists as ``--ddb-NAME`` and as the ini key ``ddb_NAME`` (the pytest-dynamodb
pairing); the command line wins over the ini file.

:data:`CHECKS` holds one check per option, and :func:`check_options` runs them all when
pytest configures, before any test is collected or any server starts: a bad value is one
``pytest.UsageError`` that names the option, the value and what it accepts, not an error
in every test.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pytest

from ddbmatrix.backends import registry
from ddbmatrix.backends.endpoint import EndpointBackend, endpoint_problem
from ddbmatrix.errors import DdbMatrixError
from ddbmatrix.folders import folder_problem
from ddbmatrix.state import DEFAULT_CALL_TIMEOUT

__all__ = [
    "CHECKS",
    "RESERVED",
    "SCOPES",
    "OptionCheck",
    "ScopeName",
    "backend_scope",
    "check_options",
    "endpoints",
    "named_backends",
    "option",
    "pytest_addoption",
    "recording",
    "switch",
]

ScopeName = Literal["function", "class", "module", "package", "session"]
#: The scopes ``--ddb-scope`` takes, narrowest first (pytest's own names).
SCOPES: tuple[ScopeName, ...] = ("function", "class", "module", "package", "session")
#: Names that are not backends but mean something in a list of them.
RESERVED = ("all", "no-backend")
#: Whether make_table draws from the table pool unless told (see ddbmatrix.pools).
TABLE_POOL_DEFAULT = "off"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ddbmatrix", "ddbmatrix: one DynamoDB suite on every backend")
    group.addoption(
        "--ddb-backend",
        action="append",
        metavar="NAME[,NAME...]",
        help="backends to run DynamoDB tests on: names, comma-separated or repeated; "
        "'all' is every local backend, each of which must be installed (default: ini "
        "ddb_backend, else every local backend installed here)",
    )
    parser.addini(
        "ddb_backend",
        "default for --ddb-backend (unset: every local backend installed here)",
        default="",
    )
    group.addoption(
        "--ddb-endpoint",
        action="append",
        default=[],
        metavar="NAME=URL",
        help="also run on a DynamoDB endpoint that is already running (not started or stopped "
        "by ddbmatrix), recorded as NAME; repeatable (ini: ddb_endpoint, one per line)",
    )
    parser.addini(
        "ddb_endpoint",
        "endpoints added to every run, NAME=URL per line",
        type="linelist",
        default=[],
    )
    group.addoption(
        "--ddb-runs-dir",
        metavar="DIR",
        help="where run files (<backend>.json) are written (default: ini ddb_runs_dir)",
    )
    parser.addini("ddb_runs_dir", "default for --ddb-runs-dir", default="reports/runs")
    group.addoption(
        "--ddb-keep-logs",
        action="store_true",
        default=None,
        help="keep each server's log file after the run and print where it is",
    )
    parser.addini("ddb_keep_logs", "default for --ddb-keep-logs", type="bool", default=False)
    group.addoption(
        "--ddb-call-timeout",
        type=float,
        metavar="SECONDS",
        help="how long one DynamoDB call may take before the backend is checked for a hang "
        f"(default: ini ddb_call_timeout, else {DEFAULT_CALL_TIMEOUT:.0f})",
    )
    parser.addini(
        "ddb_call_timeout", "default for --ddb-call-timeout", default=str(DEFAULT_CALL_TIMEOUT)
    )
    group.addoption(
        "--ddb-scope",
        metavar="SCOPE",
        help="the scope of the backend fixtures (ddb_backend, ddb_server, ddb_endpoint, "
        "ddb_client, ddb_resource, make_shared_table): the widest scope of the fixtures "
        f"that use them; one of {', '.join(SCOPES)} (default: ini ddb_scope, else function)",
    )
    parser.addini("ddb_scope", "default for --ddb-scope", default="function")
    group.addoption(
        "--ddb-failures-as-data",
        action="store_true",
        default=None,
        help="a test failing on a backend is data for the report, not a failed run: one 'f' "
        "in the progress line, no traceback, and exit status 0 if every failure is of that kind "
        "(default: ini ddb_failures_as_data, else off)",
    )
    parser.addini(
        "ddb_failures_as_data", "default for --ddb-failures-as-data", type="bool", default=False
    )
    group.addoption(
        "--ddb-record",
        metavar="on|off",
        help="record every DynamoDB call of each test into the run file (on), or only the "
        "tests' outcomes (off: what recording costs, for `nox -s bench`; the report then has "
        "no calls to compare) (default: ini ddb_record, else on)",
    )
    parser.addini("ddb_record", "default for --ddb-record (on or off)", default="on")
    group.addoption(
        "--ddb-shard",
        metavar="I/N",
        help="run only shard I of N of the tests (1-based), split by a hash of each test's id "
        "so that every machine and every backend splits alike; the run file is then "
        "<backend>.shard-I-of-N.json (default: ini ddb_shard, else the whole suite)",
    )
    parser.addini("ddb_shard", "default for --ddb-shard (I/N)", default="")
    group.addoption(
        "--ddb-table-pool",
        metavar="on|off",
        help="hand make_table tables from a per-worker pool, emptied and reused between tests "
        "instead of created and deleted for each (default: ini ddb_table_pool, else "
        f"{TABLE_POOL_DEFAULT})",
    )
    parser.addini("ddb_table_pool", "default for --ddb-table-pool", default=TABLE_POOL_DEFAULT)


def option(config: pytest.Config, name: str) -> Any:
    """Return the value of ``--ddb-NAME``, else of its ini twin ``ddb_NAME``."""
    value = config.getoption(name)
    return config.getini(name) if value is None else value


def _source(config: pytest.Config, name: str) -> str:
    """Name where the value of ``name`` came from: the flag, else the ini key."""
    given = config.getoption(name)
    return f"--{name.replace('_', '-')}" if given not in (None, []) else f"ini {name}"


def named_backends(config: pytest.Config) -> list[str] | None:
    """Return the backend names ``--ddb-backend`` (or the ini) gives, or None if neither does.

    An option given but naming nothing (``--ddb-backend=,``) is an empty list, which
    :func:`check_options` refuses: it is not the same as leaving the option out.
    """
    value = config.getoption("ddb_backend")
    if value is None:
        value = config.getini("ddb_backend")
        if not str(value).strip():
            return None
    specs = value if isinstance(value, list) else [value]
    return [name.strip() for spec in specs for name in str(spec).split(",") if name.strip()]


def _reserved() -> set[str]:
    """The names an endpoint may not take: the keywords and every backend that is not one."""
    own = {name for name, backend in registry().items() if not issubclass(backend, EndpointBackend)}
    return {*RESERVED, *own}


def endpoints(config: pytest.Config) -> list[tuple[str, str]]:
    """Return the checked ``(name, url)`` of every endpoint from the ini file and the command line.

    Raises:
        pytest.UsageError: a spec that is not NAME=URL, a name that is not a backend name or
            is taken, a URL that is not http(s), real AWS, or off this machine while the aws
            backend was not asked for.
    """
    found: dict[str, str] = {}
    remote = "aws" in (named_backends(config) or [])
    reserved = _reserved()
    for spec in [*config.getini("ddb_endpoint"), *config.getoption("ddb_endpoint")]:
        name, sep, url = (part.strip() for part in spec.partition("="))
        if not sep or not name or not url:
            raise pytest.UsageError(
                f"ddbmatrix: --ddb-endpoint {spec!r}: expected NAME=URL, "
                "e.g. localstack=http://127.0.0.1:4566"
            )
        problem = endpoint_problem(name, url, reserved=reserved, remote=remote)
        if problem is None and name in found and found[name] != url:
            problem = f"{name!r} is given twice ({found[name]} and {url}): one URL per name"
        if problem is not None:
            raise pytest.UsageError(f"ddbmatrix: --ddb-endpoint {spec!r}: {problem}")
        found[name] = url
    return list(found.items())


@dataclass(frozen=True)
class OptionCheck:
    """How one option's value is checked: ``check`` raises ValueError saying why it is wrong."""

    name: str
    #: What the option accepts, shown after the reason.
    accepts: str
    check: Callable[[pytest.Config], None]


def _call_timeout(config: pytest.Config) -> None:
    value = option(config, "ddb_call_timeout")
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{value!r} is not a number") from None
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"{value!r} is not a positive number of seconds")


def _backend(config: pytest.Config) -> None:
    names = named_backends(config)
    if names is None:
        return
    if not names:
        raise ValueError("it names no backend (leave it out to run on every installed one)")
    known = {*registry(), "all", *(name for name, _ in endpoints(config))}
    for name in names:
        if name not in known:
            choices = ", ".join([*registry(), *(n for n, _ in endpoints(config)), "all"])
            raise ValueError(f"unknown backend {name!r}; choose from: {choices}")


def _endpoint(config: pytest.Config) -> None:
    endpoints(config)  # raises its own UsageError: each problem has its own fix


def _runs_dir(config: pytest.Config) -> None:
    value = str(option(config, "ddb_runs_dir")).strip()
    if not value:
        raise ValueError("it is empty")
    problem = folder_problem(Path(config.rootpath, value))
    if problem is not None:
        raise ValueError(problem)


def _scope(config: pytest.Config) -> None:
    backend_scope(config)  # raises its own UsageError, which names the choices


def _switch(name: str) -> Callable[[pytest.Config], None]:
    def check(config: pytest.Config) -> None:
        try:
            switch(config, name)
        except pytest.UsageError as error:
            raise ValueError(str(error)) from None

    return check


def _shard(config: pytest.Config) -> None:
    # Imported here: sharding reads its option through this module.
    from ddbmatrix.sharding import shard_of

    shard_of(config)  # raises its own UsageError, which names the form


def _flag(name: str) -> Callable[[pytest.Config], None]:
    def check(config: pytest.Config) -> None:
        try:
            option(config, name)  # the ini twin refuses what is not a truth value
        except (ValueError, pytest.UsageError) as error:
            raise ValueError(str(error)) from None

    return check


#: Every option and its check, in the order they are checked (endpoints before the
#: backends, which may name them).
CHECKS: tuple[OptionCheck, ...] = (
    OptionCheck("ddb_endpoint", "NAME=URL with NAME a backend name of its own", _endpoint),
    OptionCheck(
        "ddb_backend",
        "backend names, comma-separated, or all (`ddbmatrix backends` lists them)",
        _backend,
    ),
    OptionCheck("ddb_call_timeout", "a positive number of seconds, e.g. 30", _call_timeout),
    OptionCheck("ddb_runs_dir", "a folder, or one that can be created", _runs_dir),
    OptionCheck("ddb_scope", ", ".join(SCOPES), _scope),
    OptionCheck("ddb_keep_logs", "true or false", _flag("ddb_keep_logs")),
    OptionCheck("ddb_failures_as_data", "true or false", _flag("ddb_failures_as_data")),
    OptionCheck("ddb_record", "on or off", _switch("ddb_record")),
    OptionCheck("ddb_table_pool", "on or off", _switch("ddb_table_pool")),
    OptionCheck("ddb_shard", "I/N, e.g. 2/3", lambda config: _shard(config)),
)


def check_options(config: pytest.Config) -> None:
    """Check every option; the first bad one is a UsageError naming it and what it accepts."""
    for each in CHECKS:
        try:
            each.check(config)
        except DdbMatrixError as error:  # a broken third-party backend: not this option's fault
            raise pytest.UsageError(f"ddbmatrix: {error}") from None
        except ValueError as error:
            raise pytest.UsageError(
                f"ddbmatrix: {_source(config, each.name)}: {error}; accepted: {each.accepts}"
            ) from None


def backend_scope(config: pytest.Config) -> ScopeName:
    """Return ``--ddb-scope`` (or its ini twin), checked: a usage error names the choices."""
    scope = str(option(config, "ddb_scope")).strip()
    if scope not in SCOPES:
        raise pytest.UsageError(
            f"--ddb-scope {scope!r}: choose one of {', '.join(SCOPES)} (the widest scope of "
            "the fixtures that use a ddbmatrix fixture)"
        )
    return scope


def switch(config: pytest.Config, name: str) -> bool:
    """Return an on|off option (or its ini twin) as a bool; a usage error names the choices."""
    value = str(option(config, name)).strip().lower()
    if value not in ("on", "off"):
        raise pytest.UsageError(f"--{name.replace('_', '-')} {value!r}: choose on or off")
    return value == "on"


def recording(config: pytest.Config) -> bool:
    """Return whether ``--ddb-record`` (or its ini twin) asks for calls to be recorded."""
    return switch(config, "ddb_record")
