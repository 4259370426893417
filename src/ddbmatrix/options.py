"""The plugin's options: each command-line flag and its ini twin, and reading them.

Every option exists as ``--ddb-NAME`` and as the ini key ``ddb_NAME`` (the pytest-dynamodb
pairing); the command line wins over the ini file.
"""

from __future__ import annotations

from typing import Any, Literal

import pytest

from ddbmatrix.state import DEFAULT_CALL_TIMEOUT

__all__ = ["SCOPES", "ScopeName", "backend_scope", "endpoints", "option", "pytest_addoption"]

ScopeName = Literal["function", "class", "module", "package", "session"]
#: The scopes ``--ddb-scope`` takes, narrowest first (pytest's own names).
SCOPES: tuple[ScopeName, ...] = ("function", "class", "module", "package", "session")
#: Whether make_table draws from the table pool unless told (see ddbmatrix.pools).
TABLE_POOL_DEFAULT = "on"


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


def backend_scope(config: pytest.Config) -> ScopeName:
    """Return ``--ddb-scope`` (or its ini twin), checked: a usage error names the choices."""
    scope = str(option(config, "ddb_scope")).strip()
    if scope not in SCOPES:
        raise pytest.UsageError(
            f"--ddb-scope {scope!r}: choose one of {', '.join(SCOPES)} (the widest scope of "
            "the fixtures that use a ddbmatrix fixture)"
        )
    return scope


def endpoints(config: pytest.Config) -> list[tuple[str, str]]:
    """Return the ``(name, url)`` of every endpoint from the ini file and the command line."""
    found = []
    for spec in [*config.getini("ddb_endpoint"), *config.getoption("ddb_endpoint")]:
        name, sep, url = spec.partition("=")
        if not sep or not name.strip() or not url.strip():
            raise pytest.UsageError(f"--ddb-endpoint {spec!r}: expected NAME=URL")
        found.append((name.strip(), url.strip()))
    return found
