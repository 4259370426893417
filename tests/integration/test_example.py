"""The example project and third-party-style code, run as a user runs them, on every backend."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ddbmatrix.cli import main as ddbmatrix

EXAMPLE = Path(__file__).parents[2] / "examples" / "people"
#: Backends every machine that runs the integration tests has (others are checked if present).
REQUIRED = {"dynalite", "dynamodb-local", "moto"}
DIVERGES_ON_MOTO = (
    "tests/test_queries.py::test_an_eventually_consistent_query_costs_half_a_read_unit"
)


def runs(folder: Path) -> dict[str, dict[str, str]]:
    """Return {backend: {test id: outcome}} from the run files in ``folder``."""
    outcomes = {}
    for path in sorted(folder.glob("*.json")):
        run = json.loads(path.read_text())
        outcomes[run["backend"]] = {test["id"]: test["outcome"] for test in run["tests"]}
    return outcomes


def test_the_example_project_on_every_backend(pytester: pytest.Pytester) -> None:
    shutil.copytree(
        EXAMPLE,
        pytester.path,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("reports", "__pycache__", ".pytest_cache"),
    )
    result = pytester.runpytest_subprocess("-n", "2", "--ddb-backend=all")
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    outcomes = runs(pytester.path / "reports" / "runs")
    assert set(outcomes) >= REQUIRED
    for backend, tests in outcomes.items():
        assert len(tests) == 6, (backend, tests)
        expected = {
            test: "xfailed" if (backend, test) == ("moto", DIVERGES_ON_MOTO) else "passed"
            for test in tests
        }
        assert tests == expected, backend
    # The README's third command: the report sees the divergence the marker notes.
    assert ddbmatrix(["report", "--out", str(pytester.path / "reports")]) == 0
    report = json.loads((pytester.path / "reports" / "divergence.json").read_text())
    assert DIVERGES_ON_MOTO in json.dumps(report)


THIRD_PARTY = '''
"""Someone else's code and tests: boto3 with no endpoint, region or credentials anywhere."""

import os
import time
import uuid

import boto3


def save_and_load(table_name, key):
    table = boto3.resource("dynamodb").Table(table_name)
    table.put_item(Item={"id": key, "n": 1})
    return table.get_item(Key={"id": key}, ConsistentRead=True)["Item"]


def create_own_table():
    client = boto3.client("dynamodb")
    name = f"third-party-{uuid.uuid4().hex[:8]}"
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    while client.describe_table(TableName=name)["Table"]["TableStatus"] != "ACTIVE":
        time.sleep(0.05)
    return name


def test_with_a_declared_table(declared_tables):
    assert save_and_load(os.environ["ITEMS_TABLE"], "a") == {"id": "a", "n": 1}


def test_code_that_creates_its_own_table(ddb_backend):
    name = create_own_table()
    try:
        assert save_and_load(name, "b")["n"] == 1
    finally:
        boto3.client("dynamodb").delete_table(TableName=name)
'''


def test_third_party_code_reaches_every_backend_without_an_endpoint(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Whatever the developer's shell points boto3 at must not matter.
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-3")
    pytester.makeini("[pytest]\nddb_declared_tables =\n    Items id:S env=ITEMS_TABLE\n")
    pytester.makepyfile(test_third_party=THIRD_PARTY)
    result = pytester.runpytest_subprocess("-n", "2", "--ddb-backend=all")
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    outcomes = runs(pytester.path / "reports" / "runs")
    assert set(outcomes) >= REQUIRED
    for backend, tests in outcomes.items():
        assert set(tests.values()) == {"passed"}, backend
        assert len(tests) == 2, backend


BOOKSHOP = Path(__file__).parents[2] / "examples" / "bookshop"
#: What the bookshop's README says fails where (DynamoDB Local, its author's, passes all).
BOOKSHOP_FAILS = {
    "dynalite": {
        "tests/test_catalog.py::test_books_in_a_price_range",
        "tests/test_orders.py::test_placing_an_order_counts_it",
        "tests/test_orders.py::test_an_order_is_placed_once",
        "tests/test_orders.py::test_orders_of_a_customer_are_in_order_id_order",
        "tests/test_orders.py::test_an_order_ships_once",
    },
    "moto": {"tests/test_catalog.py::test_books_in_a_price_range"},
}


def test_an_existing_suite_runs_on_every_backend_with_its_adapter(
    pytester: pytest.Pytester,
) -> None:
    shutil.copytree(
        BOOKSHOP,
        pytester.path,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("reports", "__pycache__", ".pytest_cache"),
    )
    adapter = (pytester.path / "tests" / "conftest.py").read_text().splitlines()
    assert len([line for line in adapter if line.strip()]) <= 4  # + the ddb_scope line
    pytester.runpytest_subprocess("-n", "2", "--ddb-backend=all")
    outcomes = runs(pytester.path / "reports" / "runs")
    assert set(outcomes) >= REQUIRED
    for backend, tests in outcomes.items():
        assert len(tests) == 12, backend
        failed = {test for test, outcome in tests.items() if outcome != "passed"}
        assert failed == BOOKSHOP_FAILS.get(backend, set()), backend
    for path in (pytester.path / "reports" / "runs").glob("*.json"):
        run = json.loads(path.read_text())
        # The tables' creation and deletion are the module fixtures' calls, not the tests'.
        operations = {
            (f["id"], f["phase"]): [c["operation"] for c in f["calls"]] for f in run["fixtures"]
        }
        assert operations[("tests/test_catalog.py::books_table", "teardown")] == ["DeleteTable"]
        assert "CreateTable" in operations[("tests/test_orders.py::tables", "setup")]
        calls = [c for t in run["tests"] for c in t["calls"]]
        assert not {"CreateTable", "DeleteTable"} & {c["operation"] for c in calls}
        # The catalog's module-level client was built before any backend was known.
        assert any(c.get("routed") for c in calls), run["backend"]
        assert {c["served_by"] for c in calls if c["error"] is None} == {run["backend"]}
