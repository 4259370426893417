"""The plugin end to end, through pytester, on moto (pure Python: no Node or Java needed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

SUITE = """
import os

import boto3


def test_put_and_get(ddb_client, make_table):
    table = make_table(keys={"pk": "S"})
    ddb_client.put_item(TableName=table, Item={"pk": {"S": "a"}, "n": {"N": "1"}})
    item = ddb_client.get_item(TableName=table, Key={"pk": {"S": "a"}})["Item"]
    assert item["n"] == {"N": "1"}


def test_code_under_test_builds_its_own_client(ddb_endpoint, make_table):
    table = make_table(keys={"pk": "S"}, label="people")
    resource = boto3.resource("dynamodb")  # no endpoint, region or credentials given
    resource.Table(table).put_item(Item={"pk": "x"})
    assert os.environ["AWS_ENDPOINT_URL_DYNAMODB"] == ddb_endpoint
    assert os.environ["AWS_ACCESS_KEY_ID"] == "ddbmatrix"
    assert "AWS_SESSION_TOKEN" not in os.environ


def test_fails_on_purpose(ddb_client):
    ddb_client.list_tables()
    assert False, "this failure is data"


def test_without_dynamodb():
    assert True
"""


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(test_suite=SUITE)
    return pytester


def run_file(pytester: pytest.Pytester, backend: str) -> dict:
    return json.loads((pytester.path / "reports" / "runs" / f"{backend}.json").read_text())


def outcomes(run: dict) -> dict[str, str]:
    return {test["id"]: test["outcome"] for test in run["tests"]}


def test_tests_are_parametrized_by_backend_and_recorded(suite):
    result = suite.runpytest_subprocess("--ddb-backend=moto", "-v")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(
        ["*test_put_and_get?moto? PASSED*", "*test_without_dynamodb PASSED*"]
    )
    run = run_file(suite, "moto")
    assert run["backend"] == "moto"
    assert run["backend_version"]
    assert set(run["versions"]) >= {"boto3", "botocore", "python"}
    assert outcomes(run) == {
        "test_suite.py::test_code_under_test_builds_its_own_client": "passed",
        "test_suite.py::test_fails_on_purpose": "failed",
        "test_suite.py::test_put_and_get": "passed",
    }
    put_and_get = next(t for t in run["tests"] if t["id"].endswith("test_put_and_get"))
    assert [c["operation"] for c in put_and_get["calls"]] == ["PutItem", "GetItem"]
    assert put_and_get["calls"][1]["response"] == {"Item": {"pk": {"S": "a"}, "n": {"N": "1"}}}
    own = next(t for t in run["tests"] if "own_client" in t["id"])
    assert [c["operation"] for c in own["calls"]] == ["PutItem"]
    assert list(own["tables"].values()) == ["people"]
    failed = next(t for t in run["tests"] if t["outcome"] == "failed")
    assert "this failure is data" in failed["message"]


def test_xdist_and_single_process_give_the_same_records(suite):
    suite.runpytest_subprocess("--ddb-backend=moto", "-n", "2").assert_outcomes(passed=3, failed=1)
    parallel = run_file(suite, "moto")
    suite.runpytest_subprocess("--ddb-backend=moto", "-n", "0").assert_outcomes(passed=3, failed=1)
    single = run_file(suite, "moto")

    def comparable(run):
        return [(t["id"], t["outcome"], [c["operation"] for c in t["calls"]]) for t in run["tests"]]

    assert comparable(parallel) == comparable(single)


STREAMS_SUITE = """
def test_reads_its_stream(ddb_client, ddb_streams_client, new_table_name):
    table = new_table_name()
    ddb_client.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"},
    )
    arn = ddb_client.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    ddb_client.put_item(TableName=table, Item={"pk": {"S": "a"}})
    shard = ddb_streams_client.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]
    iterator = ddb_streams_client.get_shard_iterator(
        StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    records = ddb_streams_client.get_records(ShardIterator=iterator)["Records"]
    assert [r["dynamodb"]["Keys"] for r in records] == [{"pk": {"S": "a"}}]
"""


def test_streams_calls_are_recorded_with_the_tests_calls(pytester):
    pytester.makepyfile(test_streams=STREAMS_SUITE)
    pytester.runpytest_subprocess("--ddb-backend=moto").assert_outcomes(passed=1)
    (test,) = run_file(pytester, "moto")["tests"]
    assert [c["operation"] for c in test["calls"]] == [
        "CreateTable",
        "DescribeTable",
        "PutItem",
        "DescribeStream",
        "GetShardIterator",
        "GetRecords",
    ]
    assert test["calls"][-1]["response"]["Records"][0]["dynamodb"]["Keys"] == {"pk": {"S": "a"}}


def test_unknown_backend_is_a_usage_error(suite):
    result = suite.runpytest_subprocess("--ddb-backend=moto,dynamo")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*unknown backend 'dynamo'; choose from: dynalite*"])


def test_missing_toolchain_names_the_install_command(suite, monkeypatch, tmp_path):
    monkeypatch.setenv("DDBMATRIX_NPM_DIR", str(tmp_path / "empty"))
    result = suite.runpytest_subprocess("--ddb-backend=dynalite")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    # Without Node.js the fix is to install it, then the emulator; with it, the emulator.
    assert "run `ddbmatrix install dynalite`" in result.stderr.str() or (
        "run `pip install 'ddbmatrix[dynalite]' && ddbmatrix install dynalite`"
        in result.stderr.str()
    )


def test_aws_without_opt_in_is_skipped_with_the_reason(suite, monkeypatch):
    monkeypatch.delenv("DDBMATRIX_AWS", raising=False)
    result = suite.runpytest_subprocess("--ddb-backend=aws", "-rs")
    result.assert_outcomes(passed=1, skipped=3)
    result.stdout.fnmatch_lines(["*set DDBMATRIX_AWS=1*"])
    assert not (suite.path / "reports" / "runs" / "aws.json").exists()


def test_real_credentials_are_hidden_for_the_whole_run_and_come_back_after(pytester, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALLOOKINGKEY00")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "real-session-token")
    monkeypatch.setenv("AWS_PROFILE", "production")
    before = {name: value for name, value in os.environ.items() if name.startswith("AWS_")}
    pytester.makepyfile(
        test_env="""
        import os

        def test_inside(ddb_endpoint):
            assert os.environ["AWS_ACCESS_KEY_ID"] == "ddbmatrix"
            assert "AWS_SESSION_TOKEN" not in os.environ
            assert "AWS_PROFILE" not in os.environ

        def test_outside_any_backend_zz():
            # From the start of the run to its end, not only while a test uses a backend.
            assert os.environ["AWS_ACCESS_KEY_ID"] == "ddbmatrix"
            assert "AWS_PROFILE" not in os.environ
            assert os.environ["AWS_ENDPOINT_URL_DYNAMODB"] == "http://127.0.0.1:9"
        """
    )
    # In this process, so that the environment after the run can be looked at.
    pytester.runpytest_inprocess("--ddb-backend=moto").assert_outcomes(passed=2)
    after = {name: value for name, value in os.environ.items() if name.startswith("AWS_")}
    assert after == before
    run = run_file(pytester, "moto")
    assert "AKIAREALLOOKINGKEY00" not in json.dumps(run)


def test_tables_are_deleted_and_servers_stopped_after_the_run(pytester):
    pytester.makepyfile(
        test_leftovers="""
        import pathlib

        def test_make(ddb_client, ddb_server, make_table):
            make_table(keys={"pk": "S"})
            pathlib.Path("pid").write_text(str(ddb_server.pid))
            pathlib.Path("endpoint").write_text(ddb_server.endpoint)
        """
    )
    pytester.runpytest_subprocess("--ddb-backend=moto").assert_outcomes(passed=1)
    pid = int((pytester.path / "pid").read_text())
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


def test_run_file_is_not_written_for_a_backend_without_tests(pytester):
    pytester.makepyfile(test_plain="def test_plain():\n    assert True\n")
    pytester.runpytest_subprocess("--ddb-backend=moto").assert_outcomes(passed=1)
    assert not (pytester.path / "reports" / "runs").exists()


def test_runs_dir_option_and_ini(pytester):
    pytester.makeini("[pytest]\nddb_backend = moto\nddb_runs_dir = out/runs\n")
    pytester.makepyfile(test_one="def test_one(ddb_client):\n    ddb_client.list_tables()\n")
    pytester.runpytest_subprocess().assert_outcomes(passed=1)
    assert (pytester.path / "out" / "runs" / "moto.json").is_file()
    pytester.runpytest_subprocess("--ddb-runs-dir", "other").assert_outcomes(passed=1)
    assert (Path(pytester.path) / "other" / "moto.json").is_file()
    assert os.listdir(pytester.path / "out" / "runs") == ["moto.json"]


def test_sigterm_still_writes_what_was_recorded(pytester):
    pytester.makepyfile(
        test_slow="""
        import pathlib, time

        def test_quick(ddb_client):
            ddb_client.list_tables()

        def test_slow(ddb_client):
            pathlib.Path("started").write_text("")
            time.sleep(60)
        """
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pytest",
            "--ddb-backend=moto",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
        ],
        cwd=pytester.path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not (pytester.path / "started").exists():  # bounded by the deadline
        assert time.monotonic() < deadline
        time.sleep(0.1)
    process.terminate()
    assert process.wait(30) == pytest.ExitCode.INTERRUPTED
    run = run_file(pytester, "moto")
    assert run["complete"] is False
    # The test SIGTERM stopped is recorded too, as interrupted (issue 11.6).
    assert outcomes(run) == {
        "test_slow.py::test_quick": "passed",
        "test_slow.py::test_slow": "interrupted",
    }
