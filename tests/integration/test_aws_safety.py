"""Real AWS only when asked, for real (issue 11): whole runs against moto posing as AWS.

Every test here points the aws backend at a moto server on 127.0.0.1
(``DDBMATRIX_AWS_ENDPOINT``) holding a table of someone else's, ``prod``, runs pytest on
the aws backend in a subprocess, and checks afterwards, on the server itself, what changed.
Nothing here reaches AWS. The inner runs use one xdist worker: in a run without workers the
captured (stand-in) access key is refused on its way to a loopback endpoint.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator

import boto3
import pytest

from ddbmatrix.backends import get_backend
from ddbmatrix.cli import main

KEY_SCHEMA = {
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
    "BillingMode": "PAY_PER_REQUEST",
}
PROD_ITEM = {"pk": {"S": "a"}, "v": {"N": "1"}}


def opt_in(monkeypatch: pytest.MonkeyPatch, endpoint: str) -> None:
    """The environment of someone who opted in to AWS, with a stand-in at ``endpoint``."""
    monkeypatch.setenv("DDBMATRIX_AWS", "1")
    monkeypatch.setenv("DDBMATRIX_AWS_ENDPOINT", endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "standin")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "standin")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


@pytest.fixture
def stand_in(tmp_path, monkeypatch) -> Iterator[tuple[str, object]]:
    """A moto server playing AWS with the table ``prod`` of someone else; (endpoint, client)."""
    server = get_backend("moto").start("127.0.0.1", None, tmp_path / "moto.log")
    opt_in(monkeypatch, server.endpoint)
    client = boto3.client("dynamodb", endpoint_url=server.endpoint)
    client.create_table(TableName="prod", **KEY_SCHEMA)
    client.put_item(TableName="prod", Item=PROD_ITEM)
    yield server.endpoint, client
    server.stop()


def tables(client) -> list[str]:
    return sorted(client.list_tables()["TableNames"])


def prod_items(client) -> list[dict]:
    return client.scan(TableName="prod")["Items"]


def run_on_aws(pytester, source: str, *args: str):
    pytester.makepyfile(test_inner=source)
    return pytester.runpytest_subprocess("--ddb-backend=aws", "-n", "1", "-p", "no:randomly", *args)


# -- 1. the write guard ----------------------------------------------------------------------

PARTIQL = '''
import pytest
from ddbmatrix.errors import DdbMatrixError

STATEMENTS = [
    """INSERT INTO"prod" VALUE {'pk': 'new', 'v': 9}""",
    """UPDATE"prod" SET v = 2 WHERE pk = 'a'""",
    """DELETE FROM"prod" WHERE pk = 'a'""",
]

@pytest.mark.parametrize("statement", STATEMENTS)
def test_execute_statement(ddb_client, statement):
    with pytest.raises(DdbMatrixError, match="refused"):
        ddb_client.execute_statement(Statement=statement)

@pytest.mark.parametrize("statement", STATEMENTS)
def test_batch_execute_statement(ddb_client, statement):
    with pytest.raises(DdbMatrixError, match="refused"):
        ddb_client.batch_execute_statement(Statements=[{"Statement": statement}])

@pytest.mark.parametrize("statement", STATEMENTS)
def test_execute_transaction(ddb_client, statement):
    with pytest.raises(DdbMatrixError, match="refused"):
        ddb_client.execute_transaction(TransactStatements=[{"Statement": statement}])

def test_own_tables_still_take_partiql(ddb_client, make_table):
    table = make_table(keys={"pk": "S"})
    # (moto's PartiQL parser needs the spaces; the guard does not.)
    ddb_client.execute_statement(Statement=f"""INSERT INTO "{table}" VALUE {{'pk': 'x'}}""")
    assert ddb_client.scan(TableName=table)["Count"] == 1
'''


def test_partiql_with_no_space_before_the_table_changes_no_foreign_table(pytester, stand_in):
    # Refused before it is sent: the old guard's regular expression let each of them through
    # (on AWS they ran; moto answers these unspaced spellings with a 500).
    _, client = stand_in
    result = run_on_aws(pytester, PARTIQL)
    result.assert_outcomes(passed=10)
    assert prod_items(client) == [PROD_ITEM]


UNGUARDED = """
import pytest
from ddbmatrix.errors import DdbMatrixError

def test_update_global_table(ddb_client):
    with pytest.raises(DdbMatrixError, match="refused"):
        ddb_client.update_global_table(
            GlobalTableName="prod", ReplicaUpdates=[{"Create": {"RegionName": "eu-west-1"}}]
        )

def test_update_global_table_settings(ddb_client):
    with pytest.raises(DdbMatrixError, match="refused"):
        ddb_client.update_global_table_settings(
            GlobalTableName="prod", GlobalTableProvisionedWriteCapacityUnits=10
        )

def test_delete_backup(ddb_client):
    with pytest.raises(DdbMatrixError, match="refused"):
        ddb_client.delete_backup(BackupArn=BACKUP)

def test_update_kinesis_streaming_destination(ddb_client):
    with pytest.raises(DdbMatrixError, match="refused"):
        ddb_client.update_kinesis_streaming_destination(
            TableName="prod",
            StreamArn="arn:aws:kinesis:us-east-1:123456789012:stream/s",
            UpdateKinesisStreamingConfiguration={
                "ApproximateCreationDateTimePrecision": "MILLISECOND"
            },
        )

def test_restore_table_to_point_in_time(ddb_client):
    with pytest.raises(DdbMatrixError, match="refused"):
        ddb_client.restore_table_to_point_in_time(
            SourceTableName="prod", TargetTableName="prod-restored", UseLatestRestorableTime=True
        )
"""


def test_the_operations_the_old_guard_missed_are_refused(pytester, stand_in):
    _, client = stand_in
    client.update_continuous_backups(
        TableName="prod", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    backup = client.create_backup(TableName="prod", BackupName="nightly")["BackupDetails"]
    result = run_on_aws(pytester, f"BACKUP = {backup['BackupArn']!r}\n{UNGUARDED}")
    result.assert_outcomes(passed=5)
    assert client.describe_backup(BackupArn=backup["BackupArn"])["BackupDescription"]
    assert tables(client) == ["prod"]


EARLY_CLIENTS = """
import boto3
import pytest
from ddbmatrix.errors import DdbMatrixError

def own_client():
    # Credentials and endpoint of its own, as code that configures itself does.
    return boto3.client(
        "dynamodb", endpoint_url=STANDIN, region_name="us-east-1",
        aws_access_key_id="own", aws_secret_access_key="own",
    )

AT_IMPORT = own_client()

@pytest.fixture(scope="session")
def session_client():
    return own_client()

def test_a_test_on_no_backend_sets_the_session_fixture_up(session_client):
    pass

def test_a_client_built_at_import_time(ddb_backend):
    with pytest.raises(DdbMatrixError, match="refused"):
        AT_IMPORT.put_item(TableName="prod", Item={"pk": {"S": "import"}})

def test_a_client_of_a_session_fixture(ddb_backend, session_client):
    with pytest.raises(DdbMatrixError, match="refused"):
        session_client.delete_item(TableName="prod", Key={"pk": {"S": "a"}})

def test_reads_of_those_clients_still_go(ddb_backend):
    assert AT_IMPORT.get_item(TableName="prod", Key={"pk": {"S": "a"}})["Item"]
"""


def test_clients_built_before_the_backend_was_current_cannot_write_elsewhere(pytester, stand_in):
    endpoint, client = stand_in
    result = run_on_aws(pytester, f"STANDIN = {endpoint!r}\n{EARLY_CLIENTS}")
    result.assert_outcomes(passed=4)
    assert prod_items(client) == [PROD_ITEM]


# -- 3. cleanup --------------------------------------------------------------------------------

KILLED = """
import os

def test_killed_while_its_table_exists(make_table):
    make_table(keys={"pk": "S"})
    os._exit(3)
"""


def tags_of(client, name) -> dict[str, str]:
    arn = client.describe_table(TableName=name)["Table"]["TableArn"]
    tags = client.list_tags_of_resource(ResourceArn=arn)["Tags"]
    return {tag["Key"]: tag["Value"] for tag in tags}


def test_a_killed_runs_tables_are_tagged_and_cleanup_deletes_only_those(
    pytester, stand_in, monkeypatch, capsys
):
    _, client = stand_in
    run_on_aws(pytester, KILLED, "--max-worker-restart=0")
    (left,) = [name for name in tables(client) if name.startswith("ddbm-")]
    run = left.split("-")[1]
    tags = tags_of(client, left)
    assert tags["ddbmatrix:created-by"] == "ddbmatrix"
    assert tags["ddbmatrix:run"] == run
    assert "@" in tags["ddbmatrix:owner"]
    # The user's own tables, named like ddbmatrix's: one like that run's, one like another's.
    client.create_table(TableName=f"ddbm-{run}-mine", **KEY_SCHEMA)
    client.create_table(TableName="ddbm-0ther000-mine", **KEY_SCHEMA)
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    assert main(["aws-cleanup", "--run", run]) == 0
    assert f"  {left}  (run {run}" in capsys.readouterr().out
    assert tables(client) == ["ddbm-0ther000-mine", f"ddbm-{run}-mine", "prod"]
    assert main(["aws-cleanup", "--all-mine", "--yes"]) == 0
    assert tables(client) == ["ddbm-0ther000-mine", f"ddbm-{run}-mine", "prod"]


@pytest.mark.parametrize("argv", [["aws-cleanup"], ["aws-cleanup", "--run", ""]])
def test_cleanup_without_a_run_deletes_nothing(stand_in, argv, capsys):
    _, client = stand_in
    client.create_table(TableName="ddbm-deadbeef-0001", **KEY_SCHEMA)
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse's usage error
        code = exit_.code
    assert code == 2
    assert "--run" in capsys.readouterr().err
    assert tables(client) == ["ddbm-deadbeef-0001", "prod"]


def test_cleanup_asks_before_deleting(stand_in, monkeypatch, capsys):
    _, client = stand_in
    tags = [
        {"Key": "ddbmatrix:created-by", "Value": "ddbmatrix"},
        {"Key": "ddbmatrix:run", "Value": "deadbeef"},
    ]
    client.create_table(TableName="ddbm-deadbeef-0001", Tags=tags, **KEY_SCHEMA)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    assert main(["aws-cleanup", "--run", "deadbeef"]) == 1
    assert "ddbm-deadbeef-0001" in capsys.readouterr().out
    assert tables(client) == ["ddbm-deadbeef-0001", "prod"]


# -- 6. offline --------------------------------------------------------------------------------

OFFLINE = """
import pytest

@pytest.mark.parametrize("i", range(5))
def test_needs_a_table(make_table, i):
    make_table(keys={"pk": "S"})
"""


def test_an_unreachable_endpoint_fails_the_backend_once_and_fast(pytester, monkeypatch):
    with socket.socket() as sock:  # a port nobody listens on: connections are refused
        sock.bind(("127.0.0.1", 0))
        endpoint = f"http://127.0.0.1:{sock.getsockname()[1]}"
    opt_in(monkeypatch, endpoint)
    result = run_on_aws(pytester, OFFLINE, "--durations=0", "--durations-min=0")
    result.assert_outcomes(errors=5)
    result.stdout.fnmatch_lines([f"*start-failed: aws: cannot reach DynamoDB at {endpoint}: *"])
    phases = [
        float(match.group(1))
        for line in result.outlines
        if (match := re.match(r"(\d+\.\d+)s (?:setup|call|teardown) +test_inner", line))
    ]
    # Before: 6 to 9 s a phase (the control plane's 10 attempts), about 15 s a test.
    assert phases, result.outlines
    assert max(phases) < 5, phases
