"""The aws backend's safety, checked against moto standing in for AWS (no traffic to AWS)."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import boto3
import pytest

from ddbmatrix.backends import get_backend
from ddbmatrix.backends.aws import (
    MARKER_TAG,
    OWNER_TAG,
    RUN_TAG,
    control_plane_slot,
    owner,
    probe,
    run_tags,
)
from ddbmatrix.cli import main
from ddbmatrix.errors import BackendStartError

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


def create(client, name, tags=()):
    arn = client.create_table(TableName=name, **KEY_SCHEMA)["TableDescription"]["TableArn"]
    if tags:
        client.tag_resource(ResourceArn=arn, Tags=list(tags))


def foreign_owner(run):
    return [
        {**tag, "Value": "someone@elsewhere"} if tag["Key"] == OWNER_TAG else tag
        for tag in run_tags(run)
    ]


@pytest.fixture
def left_behind(stand_in):
    """What interrupted runs left, beside a user's own tables (one named like ddbmatrix's)."""
    create(stand_in, "ddbm-deadbeef-0001", run_tags("deadbeef"))
    create(stand_in, "ddbm-deadbeef-0002")  # the user's own, named like ours, untagged
    create(stand_in, "ddbm-cafe0000-0001", run_tags("cafe0000"))
    create(stand_in, "ddbm-feed0000-0001", foreign_owner("feed0000"))
    # Tagged as another run's than its name says: not provably of either.
    create(stand_in, "ddbm-deadbeef-0003", run_tags("cafe0000"))
    create(stand_in, "prod-x")
    return stand_in


def test_cleanup_deletes_only_the_tables_tagged_as_the_runs(left_behind, capsys):
    assert main(["aws-cleanup", "--run", "deadbeef", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "deleted 1 table" in out
    assert "left alone: 2 tables" in out
    assert sorted(tables(left_behind)) == [
        "ddbm-cafe0000-0001",
        "ddbm-deadbeef-0002",
        "ddbm-deadbeef-0003",
        "ddbm-feed0000-0001",
        "prod-x",
    ]


def test_cleanup_of_all_mine_leaves_other_owners_and_untagged_tables(left_behind, capsys):
    assert main(["aws-cleanup", "--all-mine", "--yes"]) == 0
    assert sorted(tables(left_behind)) == [
        "ddbm-deadbeef-0002",
        "ddbm-deadbeef-0003",
        "ddbm-feed0000-0001",
        "prod-x",
    ]


def test_cleanup_asks_first_and_lists_what_would_go(left_behind, capsys, monkeypatch):
    answers = []
    monkeypatch.setattr("builtins.input", lambda prompt: answers.append(prompt) or "n")
    assert main(["aws-cleanup", "--run", "deadbeef"]) == 1
    out = capsys.readouterr().out
    assert answers == ["delete these 1 table? [y/N] "]
    assert "  ddbm-deadbeef-0001  (run deadbeef" in out
    assert "nothing deleted" in out
    assert len(tables(left_behind)) == 6
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    assert main(["aws-cleanup", "--run", "deadbeef"]) == 0
    assert "ddbm-deadbeef-0001" not in tables(left_behind)


def test_cleanup_without_a_terminal_deletes_nothing_without_yes(left_behind, monkeypatch):
    def no_terminal(prompt):
        raise EOFError

    monkeypatch.setattr("builtins.input", no_terminal)
    assert main(["aws-cleanup", "--all-mine"]) == 1
    assert len(tables(left_behind)) == 6


def test_cleanup_dry_run_lists_and_deletes_nothing(left_behind, capsys):
    assert main(["aws-cleanup", "--all-mine", "--dry-run"]) == 0
    assert "would delete 2 tables" in capsys.readouterr().out
    assert len(tables(left_behind)) == 6


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["aws-cleanup"], "one of the arguments --run --all-mine is required"),
        (["aws-cleanup", "--run", ""], "--run needs the id of one run"),
        (["aws-cleanup", "--run", "dead-"], "--run needs the id of one run"),
        (["aws-cleanup", "--run", "deadbeef", "--all-mine"], "not allowed with"),
    ],
)
def test_cleanup_never_widens_to_every_table(left_behind, capsys, argv, message):
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse's usage errors
        code = exit_.code
    assert code == 2
    assert message in capsys.readouterr().err
    assert len(tables(left_behind)) == 6


def test_the_run_tags_name_the_marker_the_run_and_the_owner():
    assert {tag["Key"]: tag["Value"] for tag in run_tags("1a2b3c4d")} == {
        MARKER_TAG: "ddbmatrix",
        RUN_TAG: "1a2b3c4d",
        OWNER_TAG: owner(),
    }


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_unreachable_endpoint_fails_the_start_at_once_naming_the_cause(monkeypatch, tmp_path):
    endpoint = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.setenv("DDBMATRIX_AWS", "1")
    monkeypatch.setenv("DDBMATRIX_AWS_ENDPOINT", endpoint)
    started = time.monotonic()
    with pytest.raises(BackendStartError, match=rf"cannot reach DynamoDB at {endpoint}: .*refused"):
        get_backend("aws").start("127.0.0.1", None, tmp_path / "aws.log")
    assert time.monotonic() - started < 2


def test_a_name_that_does_not_resolve_is_named(monkeypatch):
    for proxy in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(proxy, raising=False)
    with pytest.raises(BackendStartError, match=r"does not resolve"):
        probe("https://dynamodb.no-such-region.invalid", timeout=1)


def test_behind_a_proxy_the_proxy_is_probed(monkeypatch):
    proxy = f"127.0.0.1:{closed_port()}"
    monkeypatch.setenv("HTTPS_PROXY", f"http://{proxy}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with pytest.raises(BackendStartError, match=rf"through the proxy {proxy}: .*refused"):
        probe("https://dynamodb.example.invalid", timeout=1)


def test_cleanup_needs_the_opt_in(monkeypatch, capsys):
    monkeypatch.delenv("DDBMATRIX_AWS", raising=False)
    assert main(["aws-cleanup", "--all-mine"]) == 2
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
