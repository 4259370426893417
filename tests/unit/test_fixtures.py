"""The backend fixtures at a wider scope, and the shared tables of wider fixtures."""

from __future__ import annotations

import json

import pytest

from ddbmatrix.backends import get_backend


@pytest.fixture
def second_moto(tmp_path):
    server = get_backend("moto").start("127.0.0.1", None, tmp_path / "other.log")
    yield server.endpoint
    server.stop()


SHARED = """
import pytest


@pytest.fixture(scope="module")
def orders(make_shared_table):
    return make_shared_table(keys={"id": "S"}, label="orders")


def test_put(ddb_client, orders):
    ddb_client.put_item(TableName=orders, Item={"id": {"S": "1"}})


def test_get(ddb_client, orders):
    assert ddb_client.get_item(TableName=orders, Key={"id": {"S": "1"}})["Item"]
"""

LATER = """
def test_the_first_modules_table_is_gone(ddb_client):
    assert ddb_client.list_tables()["TableNames"] == []
"""


def test_shared_tables_live_for_the_scope_and_are_labelled(pytester):
    pytester.makepyfile(test_a_shared=SHARED, test_b_later=LATER)
    result = pytester.runpytest_subprocess("--ddb-backend=moto", "--ddb-scope=module", "-n", "0")
    result.assert_outcomes(passed=3)
    run = json.loads((pytester.path / "reports" / "runs" / "moto.json").read_text())
    put = next(t for t in run["tests"] if t["id"].endswith("test_put"))
    assert list(put["tables"].values()) == ["orders"]
    (name,) = put["tables"]
    assert name.startswith("ddbm-")  # run-unique, so shared endpoints and workers never clash
    assert put["calls"][0]["request"]["TableName"] == name
    assert run["fixtures"] == []  # creating and deleting it are ddbmatrix's own calls


def test_the_backend_fixtures_take_the_scope_given(pytester):
    pytester.makepyfile(
        test_scope="""
        import pytest

        @pytest.fixture(scope="session")
        def session_client(ddb_client, ddb_endpoint, ddb_resource, ddb_server, ddb_backend):
            return ddb_client

        def test_one(session_client, ddb_client):
            assert session_client is ddb_client

        def test_two(request, session_client):
            names = ["ddb_backend", "ddb_server", "ddb_endpoint", "ddb_client", "ddb_resource"]
            scopes = {request._fixturemanager.getfixturedefs(n, request.node)[-1].scope
                      for n in names}
            assert scopes == {"session"}
        """
    )
    result = pytester.runpytest_subprocess("--ddb-backend=moto", "--ddb-scope=session")
    result.assert_outcomes(passed=2)
    pytester.makeini("[pytest]\nddb_scope = session\n")
    pytester.runpytest_subprocess("--ddb-backend=moto").assert_outcomes(passed=2)


def test_tests_are_grouped_by_backend_at_the_scope(pytester, second_moto):
    pytester.makepyfile(
        test_a="def test_1(ddb_backend):\n    pass\n\ndef test_2(ddb_backend):\n    pass\n",
        test_b="def test_3(ddb_backend):\n    pass\n",
    )
    args = ("--ddb-backend=moto", f"--ddb-endpoint=other={second_moto}", "--collect-only", "-q")

    def order(*extra):
        result = pytester.runpytest_subprocess(*args, *extra)
        return [line for line in result.stdout.lines if "::" in line]

    assert order("--ddb-scope=module") == [
        "test_a.py::test_1[moto]",
        "test_a.py::test_2[moto]",
        "test_a.py::test_1[other]",
        "test_a.py::test_2[other]",
        "test_b.py::test_3[moto]",
        "test_b.py::test_3[other]",
    ]
    assert order("--ddb-scope=session") == [
        "test_a.py::test_1[moto]",
        "test_a.py::test_2[moto]",
        "test_b.py::test_3[moto]",
        "test_a.py::test_1[other]",
        "test_a.py::test_2[other]",
        "test_b.py::test_3[other]",
    ]
