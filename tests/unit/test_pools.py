"""The table pool, through pytester on moto: what a test sees and records is as without it."""

from __future__ import annotations

import json

import pytest

from ddbmatrix.backends import get_backend
from ddbmatrix.backends.base import fake_session
from ddbmatrix.pools import leaves_tables_as_made

SUITE = """
import json, pathlib

NAMES = pathlib.Path("names.jsonl")


def note(test, *names):
    with NAMES.open("a") as out:
        out.write(json.dumps([test, *names]) + "\\n")


def test_a_fills_its_table(ddb_client, make_table):
    name = make_table(keys={"pk": "S"})
    for n in range(30):  # more than one BatchWriteItem of emptying
        ddb_client.put_item(TableName=name, Item={"pk": {"S": str(n)}})
    note("a", name)


def test_b_gets_an_empty_active_table_of_its_spec(ddb_client, make_table):
    name = make_table(keys={"pk": "S"})
    assert ddb_client.scan(TableName=name)["Count"] == 0
    table = ddb_client.describe_table(TableName=name)["Table"]
    assert table["TableStatus"] == "ACTIVE"
    assert table["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]
    assert "StreamSpecification" not in table
    note("b", name)


def test_c_changes_its_table(ddb_client, make_table):
    name = make_table(keys={"pk": "S"})
    ddb_client.update_time_to_live(
        TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "ttl"}
    )
    note("c", name)


def test_d_two_tables_in_name_order(ddb_client, make_table):
    first = make_table(keys={"pk": "S"})
    second = make_table(keys={"pk": "S"})
    ttl = ddb_client.describe_time_to_live(TableName=first)["TimeToLiveDescription"]
    assert ttl["TimeToLiveStatus"] == "DISABLED"
    assert first < second
    note("d", first, second)


def test_e_another_spec(ddb_client, make_table):
    name = make_table(keys={"pk": "S", "sk": "N"}, billing_mode="PROVISIONED")
    table = ddb_client.describe_table(TableName=name)["Table"]
    assert table["BillingModeSummary"]["BillingMode"] == "PROVISIONED"
    assert len(table["KeySchema"]) == 2
    note("e", name)


def test_f_fills_its_table_beyond_emptying(ddb_client, make_table):
    name = make_table(keys={"id": "S"})
    for start in range(0, 150, 25):
        ddb_client.batch_write_item(RequestItems={name: [
            {"PutRequest": {"Item": {"id": {"S": str(n)}}}} for n in range(start, start + 25)
        ]})
    note("f", name)


def test_g_gets_a_new_empty_table_instead(ddb_client, make_table):
    name = make_table(keys={"id": "S"})
    assert ddb_client.scan(TableName=name)["Count"] == 0
    note("g", name)
"""


def _run(pytester: pytest.Pytester, pool: str) -> tuple[dict, dict]:
    pytester.makepyfile(test_suite=SUITE)
    names = pytester.path / "names.jsonl"
    names.unlink(missing_ok=True)
    result = pytester.runpytest_subprocess(
        "--ddb-backend=moto", f"--ddb-table-pool={pool}", "-p", "no:randomly", "-n", "0"
    )
    result.assert_outcomes(passed=7)
    run = json.loads((pytester.path / "reports" / "runs" / "moto.json").read_text())
    seen = {line[0]: line[1:] for line in map(json.loads, names.read_text().splitlines())}
    return run, seen


def test_a_recycled_table_is_empty_and_the_test_records_only_its_own_calls(pytester):
    run, seen = _run(pytester, "on")
    assert seen["b"] == seen["a"]  # reused, emptied
    assert seen["g"] != seen["f"]  # too full to empty: deleted, and a new one made
    assert seen["c"][0] not in seen["d"]  # changed by c: never handed out again
    assert [name[-10:-8] for name in seen["d"]] == ["00", "01"]  # a new table's order
    # Each test's own calls, and nothing of the pool's (CreateTable, Scan, DeleteTable...).
    operations = {
        test["id"].rsplit("::test_", 1)[1][0]: sorted({c["operation"] for c in test["calls"]})
        for test in run["tests"]
    }
    assert operations == {
        "a": ["PutItem"],
        "b": ["DescribeTable", "Scan"],
        "c": ["UpdateTimeToLive"],
        "d": ["DescribeTimeToLive"],
        "e": ["DescribeTable"],
        "f": ["BatchWriteItem"],
        "g": ["Scan"],
    }
    labels = [sorted(test["tables"].values()) for test in run["tests"]]
    assert labels == [["table1"]] * 3 + [["table1", "table2"]] + [["table1"]] * 3


def test_pool_on_and_off_record_the_same_calls(pytester):
    on, _ = _run(pytester, "on")
    off, _ = _run(pytester, "off")

    def calls(run):
        return {t["id"]: ([c["operation"] for c in t["calls"]], t["outcome"]) for t in run["tests"]}

    assert calls(on) == calls(off)


def test_a_bad_pool_value_is_a_usage_error(pytester):
    pytester.makepyfile(test_suite="def test_x():\n    pass\n")
    result = pytester.runpytest("--ddb-table-pool=maybe")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--ddb-table-pool 'maybe': choose on or off*"])


@pytest.mark.parametrize(
    ("operations", "reusable"),
    [
        ([], True),
        (["PutItem", "Query", "DescribeTable", "ExecuteStatement"], True),
        (["PutItem", "UpdateTable"], False),
        (["TagResource"], False),
        (["DeleteTable"], False),
    ],
)
def test_only_item_work_leaves_tables_reusable(operations, reusable):
    assert leaves_tables_as_made([{"operation": op} for op in operations]) is reusable


def test_a_test_whose_calls_were_not_recorded_does_not_give_its_tables_back():
    assert leaves_tables_as_made(None) is False


@pytest.fixture
def running_moto(tmp_path):
    server = get_backend("moto").start("127.0.0.1", None, tmp_path / "moto.log")
    yield server.endpoint
    server.stop()


def test_the_pool_deletes_its_tables_of_a_server_it_does_not_stop(pytester, running_moto):
    pytester.makepyfile(test_suite=SUITE)
    pytester.runpytest_subprocess(
        f"--ddb-endpoint=mine={running_moto}", "--ddb-backend=mine", "--ddb-table-pool=on"
    ).assert_outcomes(passed=7)
    client = fake_session().client("dynamodb", endpoint_url=running_moto)
    assert [name for name in client.list_tables()["TableNames"] if name.startswith("ddbm-")] == []


LISTING = """
def test_lists_only_its_own_table(ddb_client, make_table):
    name = make_table(keys={"pk": "S"})
    listed = ddb_client.list_tables()["TableNames"]
    assert [table for table in listed if table.startswith("ddbm-")] == [name]
"""


def test_a_test_that_lists_tables_sees_no_idle_table_of_the_pool(pytester):
    pytester.makepyfile(test_suite=SUITE, test_z_listing=LISTING)
    result = pytester.runpytest_subprocess(
        "--ddb-backend=moto", "--ddb-table-pool=on", "-p", "no:randomly", "-n", "0"
    )
    result.assert_outcomes(passed=8)
