"""The aws backend's safety, checked against moto standing in for AWS (no traffic to AWS)."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest

from ddbmatrix.backends import get_backend
from ddbmatrix.backends.aws import (
    AwsGuardError,
    _tables_written,
    control_plane_slot,
    guard,
)
from ddbmatrix.cli import main

KEY_SCHEMA = {
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
    "BillingMode": "PAY_PER_REQUEST",
}


@pytest.fixture
def stand_in(tmp_path, monkeypatch):
    """A moto server playing AWS, and the environment of someone who opted in to AWS."""
    server = get_backend("moto").start("127.0.0.1", None, tmp_path / "moto.log")
    monkeypatch.setenv("DDBMATRIX_AWS", "1")
    monkeypatch.setenv("DDBMATRIX_AWS_ENDPOINT", server.endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "standin")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "standin")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    client = boto3.client("dynamodb", endpoint_url=server.endpoint)
    yield client
    server.stop()


def tables(client) -> list[str]:
    return client.list_tables()["TableNames"]


@pytest.mark.parametrize(
    ("operation", "params", "written"),
    [
        ("GetItem", {"TableName": "prod"}, []),
        ("Query", {"TableName": "prod"}, []),
        ("PutItem", {"TableName": "prod"}, ["prod"]),
        ("BatchWriteItem", {"RequestItems": {"a": [], "b": []}}, ["a", "b"]),
        (
            "TransactWriteItems",
            {
                "TransactItems": [
                    {"Put": {"TableName": "a"}},
                    {"ConditionCheck": {"TableName": "b"}},
                ]
            },
            ["a", "b"],
        ),
        ("TagResource", {"ResourceArn": "arn:aws:dynamodb:us-east-1:1:table/prod"}, ["prod"]),
        ("ExecuteStatement", {"Statement": 'SELECT * FROM "prod"'}, []),
        ("ExecuteStatement", {"Statement": "update prod SET a = 1"}, ["prod"]),
        (
            "ExecuteTransaction",
            {
                "TransactStatements": [
                    {"Statement": 'INSERT INTO "x" VALUE {}'},
                    {"Statement": 'DELETE FROM "y"'},
                ]
            },
            ["x", "y"],
        ),
    ],
)
def test_writes_are_found_in_every_request_shape(operation, params, written):
    assert _tables_written(operation, params) == written


def test_the_guard_refuses_writes_to_other_tables_before_sending():
    client = guard(
        boto3.client(
            "dynamodb",
            endpoint_url="http://127.0.0.1:9",
            region_name="us-east-1",
            aws_access_key_id="x",
            aws_secret_access_key="x",
        ),
        "ddbm-1234abcd-",
    )
    with pytest.raises(AwsGuardError, match=r"refused to send DeleteTable .* 'orders'"):
        client.delete_table(TableName="orders")
    with pytest.raises(AwsGuardError, match="'ddbm-other000-x'"):
        client.put_item(TableName="ddbm-other000-x", Item={})


def test_an_aws_run_uses_only_its_own_tables_and_cleans_up(pytester, stand_in):
    stand_in.create_table(TableName="prod-orders", **KEY_SCHEMA)
    pytester.makepyfile(
        test_aws="""
        import boto3, pytest
        from ddbmatrix.backends.aws import AwsGuardError

        def test_own_table(ddb_client, make_table):
            table = make_table(keys={"pk": "S"})
            assert table.startswith("ddbm-")
            ddb_client.put_item(TableName=table, Item={"pk": {"S": "a"}})

        def test_fixture_client_cannot_write_elsewhere(ddb_client):
            with pytest.raises(AwsGuardError):
                ddb_client.put_item(TableName="prod-orders", Item={"pk": {"S": "x"}})
            ddb_client.describe_table(TableName="prod-orders")  # reads are fine

        def test_code_under_test_cannot_write_elsewhere(ddb_endpoint):
            with pytest.raises(AwsGuardError):
                boto3.resource("dynamodb").Table("prod-orders").put_item(Item={"pk": "x"})
        """
    )
    result = pytester.runpytest_subprocess("--ddb-backend=aws", "-n", "2")
    result.assert_outcomes(passed=3)
    assert tables(stand_in) == ["prod-orders"]
    assert stand_in.scan(TableName="prod-orders")["Count"] == 0
    run = json.loads((pytester.path / "reports" / "runs" / "aws.json").read_text())
    assert "stand-in" in run["backend_version"]


def test_aws_is_never_part_of_all_even_when_enabled(stand_in):
    from ddbmatrix.backends import resolve_backends

    assert "aws" not in resolve_backends("all")


def test_cleanup_deletes_only_ddbmatrix_tables(stand_in, capsys):
    for name in ("ddbm-deadbeef-0001", "ddbm-cafe0000-0002", "prod-x"):
        stand_in.create_table(TableName=name, **KEY_SCHEMA)
    assert main(["aws-cleanup", "--dry-run"]) == 0
    assert "would delete 2 tables" in capsys.readouterr().out
    assert len(tables(stand_in)) == 3
    assert main(["aws-cleanup", "--run", "deadbeef"]) == 0
    assert sorted(tables(stand_in)) == ["ddbm-cafe0000-0002", "prod-x"]
    assert main(["aws-cleanup"]) == 0
    assert tables(stand_in) == ["prod-x"]


def test_cleanup_needs_the_opt_in(monkeypatch, capsys):
    monkeypatch.delenv("DDBMATRIX_AWS", raising=False)
    assert main(["aws-cleanup"]) == 2
    assert "DDBMATRIX_AWS=1" in capsys.readouterr().err


def test_table_operations_share_a_bounded_number_of_slots():
    with (
        control_plane_slot(slots=1),
        pytest.raises(TimeoutError, match="no free slot"),
        control_plane_slot(slots=1, wait=0.3),
    ):
        pass


def test_slots_are_released(tmp_path):
    for _ in range(3):
        with control_plane_slot(slots=1, wait=1):
            pass
    assert Path(tmp_path).exists()
