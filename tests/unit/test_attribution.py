"""Backends at wider scopes: order, environment and recording of fixtures at every scope.

Two backends without Node or Java: moto, and a second moto server given as an endpoint.
"""

from __future__ import annotations

import json

import pytest

from ddbmatrix.backends import get_backend
from ddbmatrix.collector import unique_fixtures

CONFTEST = """
import json, os, pathlib

import boto3, pytest

from ddbmatrix import current_backend

KEYS = {
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
    "BillingMode": "PAY_PER_REQUEST",
}


def log(event, server):
    with pathlib.Path(os.environ["EVENTS"]).open("a") as out:
        out.write(json.dumps({
            "event": event,
            "backend": current_backend(),
            "server": server,
            "environment": os.environ["AWS_ENDPOINT_URL_DYNAMODB"],
            "key": os.environ["AWS_ACCESS_KEY_ID"],
        }) + "\\n")


def table(name, server, scope):
    # Clients built from the environment, as code under test builds them. The name is the
    # worker's: the second backend is one server that every xdist worker shares.
    name = f"{name}-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    log(f"{scope}-setup", server)
    boto3.client("dynamodb").create_table(TableName=name, **KEYS)
    yield name
    log(f"{scope}-teardown", server)
    boto3.resource("dynamodb").Table(name).delete()


@pytest.fixture(scope="session")
def session_table(ddb_endpoint):
    yield from table("s", ddb_endpoint, "session")


@pytest.fixture(scope="module")
def module_table(ddb_endpoint, session_table):
    yield from table("m", ddb_endpoint, "module")
"""

PACKAGE_CONFTEST = """
import pytest

from conftest import table


@pytest.fixture(scope="package")
def package_table(ddb_endpoint):
    yield from table("p", ddb_endpoint, "package")
"""

TESTS = """
import boto3, pytest

from conftest import table


@pytest.fixture(scope="class")
def class_table(ddb_endpoint):
    yield from table("c", ddb_endpoint, "class")


class TestWrites:
    def test_put(self, module_table, package_table, class_table, session_table):
        client = boto3.client("dynamodb")
        for name in (module_table, package_table, class_table, session_table):
            client.put_item(TableName=name, Item={"pk": {"S": "NAME"}})

    def test_get(self, module_table, ddb_client):
        ddb_client.get_item(TableName=module_table, Key={"pk": {"S": "x"}})
"""


@pytest.fixture
def second_moto(tmp_path):
    server = get_backend("moto").start("127.0.0.1", None, tmp_path / "other.log")
    yield server.endpoint
    server.stop()


@pytest.fixture
def scoped(pytester, monkeypatch, tmp_path, second_moto):
    pytester.makeconftest(CONFTEST)
    pytester.mkpydir("pkg")
    (pytester.path / "pkg" / "conftest.py").write_text(PACKAGE_CONFTEST)
    for name in ("one", "two"):
        (pytester.path / "pkg" / f"test_{name}.py").write_text(TESTS.replace("NAME", name))
    events = tmp_path / "events.jsonl"
    monkeypatch.setenv("EVENTS", str(events))

    def run(*args: str) -> tuple[list[dict], dict[str, dict]]:
        events.unlink(missing_ok=True)
        result = pytester.runpytest_subprocess(
            "--ddb-backend=moto",
            f"--ddb-endpoint=other={second_moto}",
            "--ddb-scope=session",
            "-p",
            "pytester",
            *args,
        )
        result.assert_outcomes(passed=8)
        runs = {
            b: json.loads((pytester.path / "reports" / "runs" / f"{b}.json").read_text())
            for b in ("moto", "other")
        }
        return [json.loads(line) for line in events.read_text().splitlines()], runs

    return run


def test_each_backends_fixtures_run_on_it_with_its_environment_and_in_turn(scoped):
    events, _ = scoped("-n", "0")
    for event in events:
        # Set-up and teardown at every scope: the fixture's backend is the backend of now,
        # and the environment points at its server, with the fake key.
        assert event["backend"] in ("moto", "other")
        assert event["environment"] == event["server"], event
        assert event["key"] == "ddbmatrix"
    order = [event["backend"] for event in events]
    # One backend's fixtures are all torn down before the next backend's are set up.
    assert order == sorted(order, key=order.index)
    assert len(set(order)) == 2
    first = [e["event"] for e in events if e["backend"] == order[0]]
    assert first[0] == "session-setup"
    assert first[-1] == "session-teardown"
    assert first.count("module-setup") == first.count("module-teardown") == 2
    assert first.count("class-setup") == 2
    assert first.count("package-setup") == 1


def test_wider_fixtures_calls_are_theirs_not_the_tests(scoped):
    _, runs = scoped("-n", "0")
    moto = runs["moto"]
    fixtures = {(f["id"], f["phase"]): f for f in moto["fixtures"]}
    assert {key: [c["operation"] for c in f["calls"]] for key, f in fixtures.items()} == {
        ("::session_table", "setup"): ["CreateTable"],
        ("::session_table", "teardown"): ["DeleteTable"],
        ("pkg::package_table", "setup"): ["CreateTable"],
        ("pkg::package_table", "teardown"): ["DeleteTable"],
        ("pkg/test_one.py::module_table", "setup"): ["CreateTable"],
        ("pkg/test_one.py::module_table", "teardown"): ["DeleteTable"],
        ("pkg/test_one.py::TestWrites::class_table", "setup"): ["CreateTable"],
        ("pkg/test_one.py::TestWrites::class_table", "teardown"): ["DeleteTable"],
        ("pkg/test_two.py::module_table", "setup"): ["CreateTable"],
        ("pkg/test_two.py::module_table", "teardown"): ["DeleteTable"],
        ("pkg/test_two.py::TestWrites::class_table", "setup"): ["CreateTable"],
        ("pkg/test_two.py::TestWrites::class_table", "teardown"): ["DeleteTable"],
    }
    for record in moto["fixtures"]:
        assert record["backend"] == "moto"
        assert record["outcome"] == "passed"
        assert {call["served_by"] for call in record["calls"]} == {"moto"}
    for test in moto["tests"]:
        operations = {call["operation"] for call in test["calls"]}
        assert operations <= {"PutItem", "GetItem"}, test["id"]
        assert {call["served_by"] for call in test["calls"]} == {"moto"}
    other = runs["other"]
    assert len(other["fixtures"]) == 12
    assert {c["served_by"] for f in other["fixtures"] for c in f["calls"]} == {"other"}


def test_the_records_do_not_depend_on_the_distribution(scoped):
    def comparable(runs):
        return {
            backend: (
                [
                    (t["id"], t["outcome"], [c["operation"] for c in t["calls"]])
                    for t in run["tests"]
                ],
                [
                    (f["id"], f["phase"], [c["operation"] for c in f["calls"]])
                    for f in run["fixtures"]
                ],
            )
            for backend, run in runs.items()
        }

    _, single = scoped("-n", "0")
    _, parallel = scoped("-n", "2")
    _, by_module = scoped("-n", "2", "--dist", "loadscope")
    assert comparable(parallel) == comparable(single) == comparable(by_module)


def test_a_failing_fixture_is_recorded_with_its_phase(pytester):
    pytester.makepyfile(
        test_fail="""
        import pytest

        @pytest.fixture(scope="module")
        def broken_teardown(ddb_client):
            ddb_client.list_tables()
            yield
            ddb_client.list_tables()
            raise RuntimeError("teardown broke")

        def test_uses_it(broken_teardown):
            pass
        """
    )
    result = pytester.runpytest_subprocess("--ddb-backend=moto", "--ddb-scope=module")
    result.assert_outcomes(passed=1, errors=1)
    run = json.loads((pytester.path / "reports" / "runs" / "moto.json").read_text())
    (setup, teardown) = run["fixtures"]
    assert (setup["phase"], setup["outcome"]) == ("setup", "passed")
    assert (teardown["phase"], teardown["outcome"]) == ("teardown", "error")
    assert "teardown broke" in teardown["message"]
    assert [c["operation"] for c in teardown["calls"]] == ["ListTables"]
    (test,) = run["tests"]
    assert test["calls"] == []


def test_one_record_is_kept_per_fixture_backend_and_phase_whatever_the_order():
    def record(worker_table: str) -> dict:
        return {
            "id": "t.py::orders",
            "scope": "module",
            "backend": "moto",
            "phase": "setup",
            "outcome": "passed",
            "message": None,
            "calls": [{"operation": "CreateTable", "request": {"TableName": worker_table}}],
        }

    one, two = record("ddbm-1234abcd-00aaaaaaaa"), record("ddbm-1234abcd-00bbbbbbbb")
    assert unique_fixtures([one, two]) == unique_fixtures([two, one])
    assert len(unique_fixtures([one, two])) == 1


def test_an_unknown_scope_is_a_usage_error(pytester):
    pytester.makepyfile(test_x="def test_x(ddb_backend):\n    pass\n")
    result = pytester.runpytest_subprocess("--ddb-backend=moto", "--ddb-scope=modul")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--ddb-scope 'modul': choose one of function, class, module*"])


def test_a_module_fixture_without_a_wide_enough_scope_says_so(pytester):
    pytester.makepyfile(
        test_x="""
        import pytest

        @pytest.fixture(scope="module")
        def table(ddb_client):
            return "t"

        def test_x(table):
            pass
        """
    )
    result = pytester.runpytest_subprocess("--ddb-backend=moto")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*ScopeMismatch*"])
