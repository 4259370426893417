"""The aws write guard: an allow-list over every operation of the DynamoDB API."""

from __future__ import annotations

import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import EndpointConnectionError

from ddbmatrix.aws_guard import RULES, AwsGuardError, HttpGuard, check, guard, tables_changed
from ddbmatrix.context import BackendContext

RUN = "ddbm-1234abcd-"
MINE = f"{RUN}00aa"
OTHER_RUN = "ddbm-99999999-00aa"
ARN = "arn:aws:dynamodb:us-east-1:111122223333:table/"


def arn(table, tail=""):
    return f"{ARN}{table}{tail}"


def backup(table):
    return arn(table, "/backup/01700000000000-abcd1234")


#: Every operation that changes something, with a request of it for a given table. Each is
#: refused for a foreign table and allowed for one of the run (unless it is always refused).
WRITES = {
    "PutItem": lambda t: {"TableName": t, "Item": {}},
    "UpdateItem": lambda t: {"TableName": t, "Key": {}},
    "DeleteItem": lambda t: {"TableName": t, "Key": {}},
    "CreateTable": lambda t: {"TableName": t},
    "UpdateTable": lambda t: {"TableName": t},
    "DeleteTable": lambda t: {"TableName": t},
    "UpdateTimeToLive": lambda t: {"TableName": t},
    "UpdateContinuousBackups": lambda t: {"TableName": t},
    "UpdateContributorInsights": lambda t: {"TableName": t},
    "UpdateTableReplicaAutoScaling": lambda t: {"TableName": t},
    "EnableKinesisStreamingDestination": lambda t: {"TableName": t, "StreamArn": "s"},
    "DisableKinesisStreamingDestination": lambda t: {"TableName": t, "StreamArn": "s"},
    "UpdateKinesisStreamingDestination": lambda t: {"TableName": t, "StreamArn": "s"},
    "CreateBackup": lambda t: {"TableName": t, "BackupName": "b"},
    "DeleteBackup": lambda t: {"BackupArn": backup(t)},
    "RestoreTableFromBackup": lambda t: {"TargetTableName": t, "BackupArn": backup(MINE)},
    "RestoreTableToPointInTime": lambda t: {"TargetTableName": t, "SourceTableName": MINE},
    "CreateGlobalTable": lambda t: {"GlobalTableName": t, "ReplicationGroup": []},
    "UpdateGlobalTable": lambda t: {"GlobalTableName": t, "ReplicaUpdates": []},
    "UpdateGlobalTableSettings": lambda t: {"GlobalTableName": t},
    "TagResource": lambda t: {"ResourceArn": arn(t), "Tags": []},
    "UntagResource": lambda t: {"ResourceArn": arn(t), "TagKeys": []},
    "PutResourcePolicy": lambda t: {"ResourceArn": arn(t), "Policy": "{}"},
    "DeleteResourcePolicy": lambda t: {"ResourceArn": arn(t, "/stream/2026-01-01T00:00:00.000")},
    "ImportTable": lambda t: {"TableCreationParameters": {"TableName": t}},
    "CancelBulkOperation": lambda t: {"BulkOperationArn": arn(t, "/bulk-operation/1")},
    "BatchWriteItem": lambda t: {"RequestItems": {MINE: [], t: []}},
    "TransactWriteItems": lambda t: {
        "TransactItems": [{"Put": {"TableName": MINE}}, {"ConditionCheck": {"TableName": t}}]
    },
    "ExecuteStatement": lambda t: {"Statement": f'UPDATE "{t}" SET a = 1 WHERE pk = ?'},
    "BatchExecuteStatement": lambda t: {
        "Statements": [
            {"Statement": f'SELECT * FROM "{t}"'},
            {"Statement": f'DELETE FROM"{t}"WHERE pk=1'},
        ]
    },
    "ExecuteTransaction": lambda t: {
        "TransactStatements": [{"Statement": f'INSERT INTO"{t}"VALUE{{}}'}]
    },
    "ExportTableToPointInTime": lambda t: {"TableArn": arn(t), "S3Bucket": "b"},
    "StartBulkPutItems": lambda t: {"TableName": t},
}
#: Those that reach outside DynamoDB (an S3 bucket): refused whatever the table.
ALWAYS_REFUSED = {"ExportTableToPointInTime", "StartBulkPutItems"}


def operations():
    session = botocore.session.get_session()
    return {
        name
        for service in ("dynamodb", "dynamodbstreams")
        for name in session.get_service_model(service).operation_names
    }


def test_every_operation_of_the_service_model_is_classified():
    # A write operation a newer botocore adds is refused (no rule) and fails this test.
    assert operations() <= set(RULES)


def test_an_operation_the_guard_does_not_know_is_refused():
    with pytest.raises(AwsGuardError, match="does not know"):
        check("DeleteEverything", {"TableName": MINE}, RUN)


def changes_nothing(operation):
    try:
        return tables_changed(operation, {"TableName": "prod"}) == []
    except AwsGuardError:
        return False


def test_this_table_lists_every_write():
    reads = {op for op in RULES if changes_nothing(op)}
    assert set(WRITES) == set(RULES) - reads
    assert {"Query", "Scan", "GetItem", "DescribeTable", "GetRecords"} <= reads


@pytest.mark.parametrize("operation", sorted(WRITES))
@pytest.mark.parametrize("table", ["prod", OTHER_RUN])
def test_a_write_to_a_table_of_no_run_or_of_another_run_is_refused(operation, table):
    with pytest.raises(AwsGuardError):
        check(operation, WRITES[operation](table), RUN)


@pytest.mark.parametrize("operation", ["PutItem", "CreateTable", "BatchWriteItem", "UpdateTable"])
@pytest.mark.parametrize("table", [arn("prod"), arn(OTHER_RUN)])
def test_a_foreign_table_given_by_its_arn_is_refused(operation, table):
    with pytest.raises(AwsGuardError):
        check(operation, WRITES[operation](table), RUN)


@pytest.mark.parametrize("operation", sorted(set(WRITES) - ALWAYS_REFUSED))
def test_a_write_to_the_runs_own_tables_goes(operation):
    check(operation, WRITES[operation](MINE), RUN)


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        # Names no table can have: validation tests send them, and DynamoDB rejects them.
        ("CreateTable", {"TableName": "ab"}),
        ("DeleteTable", {"TableName": "x" * 256}),
        # A name of the run's, however DynamoDB judges the rest of it.
        ("CreateTable", {"TableName": f"{MINE} bad!@#"}),
        # Empty batches change nothing.
        ("BatchWriteItem", {"RequestItems": {}}),
        ("TransactWriteItems", {"TransactItems": []}),
        ("BatchExecuteStatement", {"Statements": []}),
        ("ExecuteTransaction", {"TransactStatements": []}),
    ],
)
def test_what_can_change_no_foreign_table_goes(operation, params):
    check(operation, params, RUN)


def test_a_table_arn_counts_as_its_table():
    check("PutItem", {"TableName": arn(MINE), "Item": {}}, RUN)
    assert tables_changed("TagResource", {"ResourceArn": arn(MINE)}) == [MINE]


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        # The sources of a restore: a foreign backup or table restored into a table of ours.
        ("RestoreTableFromBackup", {"TargetTableName": MINE, "BackupArn": backup("prod")}),
        ("RestoreTableToPointInTime", {"TargetTableName": MINE, "SourceTableName": "prod"}),
        ("RestoreTableToPointInTime", {"TargetTableName": MINE, "SourceTableArn": arn("prod")}),
        ("RestoreTableToPointInTime", {"TargetTableName": MINE}),
        # A replica of a foreign global table changes that global table.
        ("CreateTable", {"TableName": MINE, "GlobalTableSourceArn": arn("prod")}),
        # A backup ARN where a table's goes, and the other way round.
        ("TagResource", {"ResourceArn": backup(MINE)}),
        ("DeleteBackup", {"BackupArn": arn(MINE)}),
        # What the request's fields do not say for certain.
        ("PutItem", {"Item": {}}),
        ("PutItem", {"TableName": 7}),
        ("PutItem", {"TableName": [MINE]}),
        ("PutItem", {"TableName": " prod"}),
        ("PutItem", {"TableName": "prod\x00"}),
        ("BatchWriteItem", {"RequestItems": []}),
        ("BatchWriteItem", {}),
        ("TransactWriteItems", {"TransactItems": [{"Put": {"TableName": MINE}, "Delete": {}}]}),
        ("TransactWriteItems", {"TransactItems": [{"Upsert": {"TableName": MINE}}]}),
        ("TransactWriteItems", {"TransactItems": "nope"}),
        ("ExecuteStatement", {}),
        ("ExecuteStatement", {"Statement": 1}),
        ("BatchExecuteStatement", {"Statements": [{"Statement": None}]}),
        ("ExecuteTransaction", {"TransactStatements": ["UPDATE ..."]}),
    ],
)
def test_what_is_unsure_or_sourced_elsewhere_is_refused(operation, params):
    with pytest.raises(AwsGuardError):
        check(operation, params, RUN)


#: Spellings of PartiQL writes to "prod" that a regular expression misses or misreads.
ADVERSARIAL = [
    'INSERT INTO"prod" VALUE {}',
    'UPDATE"prod" SET a = 1',
    'DELETE FROM"prod" WHERE pk = 1',
    'insert into"prod"value{}',
    'Update\t"prod"\nSET a = 1',
    'DELETE/**/FROM/**/"prod"/**/WHERE pk = 1',
    'DELETE -- a comment\nFROM "prod" WHERE pk = 1',
    f'/* DELETE FROM "{MINE}" */ DELETE FROM "prod" WHERE pk = 1',
    "UPDATE prod SET a = 1",
    'UPDATE "prod""" SET a = 1',
    f'UPDATE "{MINE}" SET a = 1; DELETE FROM "prod" WHERE pk = 1',
    f'SELECT * FROM "{MINE}"; DELETE FROM "prod" WHERE pk = 1',
    f'SELECT * FROM "{MINE}" WHERE a = \'\'\'; DELETE FROM "prod" WHERE pk = 1',
    f'UPDATE "{MINE}" "prod" SET a = 1',
    f'UPDATE "{MINE}"."prod" SET a = 1',
    f'INSERT INTO "{ARN}prod" VALUE {{}}',
    'UPSERT INTO "prod" VALUE {}',
    'EXISTS(SELECT * FROM "prod" WHERE pk = 1)',
    '\ufeffDELETE FROM "prod" WHERE pk = 1',
]


@pytest.mark.parametrize("statement", ADVERSARIAL)
@pytest.mark.parametrize(
    "request_of",
    [
        lambda s: ("ExecuteStatement", {"Statement": s}),
        lambda s: ("BatchExecuteStatement", {"Statements": [{"Statement": s}]}),
        lambda s: ("ExecuteTransaction", {"TransactStatements": [{"Statement": s}]}),
    ],
    ids=["ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction"],
)
def test_adversarial_partiql_is_refused_in_every_partiql_operation(statement, request_of):
    operation, params = request_of(statement)
    with pytest.raises(AwsGuardError):
        check(operation, params, RUN)


@pytest.mark.parametrize(
    "statement",
    [
        'SELECT * FROM "prod"',  # reading someone's table changes nothing
        f"INSERT INTO\"{MINE}\"VALUE{{'pk': 'a'}}",
        f'update "{MINE}" set a = 1 where pk = ?',
        f'DELETE FROM "{MINE}" WHERE pk = ?;',
        f'INSERT INTO "{ARN}{MINE}" VALUE {{}}',
        f'UPDATE "{MINE}" SET a = \'DELETE FROM "prod"\' WHERE pk = ?',
    ],
)
def test_partiql_on_the_runs_tables_goes(statement):
    check("ExecuteStatement", {"Statement": statement}, RUN)


# -- on a client, and at the HTTP layer --------------------------------------------------------


def client(endpoint):
    return botocore.session.get_session().create_client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",
        config=Config(retries={"total_max_attempts": 1}, connect_timeout=1),
    )


def test_a_guarded_client_refuses_before_building_the_request():
    guarded = guard(client("http://127.0.0.1:9"), RUN)
    with pytest.raises(AwsGuardError, match=r"DeleteTable .* 'orders'"):
        guarded.delete_table(TableName="orders")


@pytest.fixture
def http_guard(unused_loopback):
    context = BackendContext()
    context.activate()
    context.register("aws", unused_loopback)
    context.register("moto", "http://127.0.0.1:1")
    guard_ = HttpGuard(context, RUN, frozenset({"aws"}))
    guard_.install()
    yield guard_
    guard_.uninstall()
    context.deactivate()


@pytest.fixture
def unused_loopback():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def test_every_client_is_held_to_the_guard_at_the_http_layer(http_guard, unused_loopback):
    # Built with no ddbmatrix hook: as a client of a module imported early would be.
    unhooked = client(unused_loopback)
    with pytest.raises(AwsGuardError, match="'prod'"):
        unhooked.put_item(TableName="prod", Item={})
    with pytest.raises(AwsGuardError, match="'prod'"):
        unhooked.execute_statement(Statement='DELETE FROM"prod"WHERE pk = 1')
    # Allowed: it goes on to the (closed) port.
    with pytest.raises(EndpointConnectionError):
        unhooked.put_item(TableName=MINE, Item={})
    with pytest.raises(EndpointConnectionError):
        unhooked.scan(TableName="prod")


def test_the_http_guard_leaves_local_backends_alone(http_guard):
    with pytest.raises(EndpointConnectionError):
        client("http://127.0.0.1:1").put_item(TableName="orders", Item={})


def test_the_http_guard_refuses_what_it_cannot_read(http_guard, unused_loopback):
    with pytest.raises(AwsGuardError, match="X-Amz-Target"):
        http_guard.inspect(unused_loopback, {}, b"{}")
    with pytest.raises(AwsGuardError, match="cannot be read"):
        http_guard.inspect(unused_loopback, {"X-Amz-Target": "DynamoDB_20120810.PutItem"}, b"{")
    headers = {"X-Amz-Target": "DynamoDB_20120810.PutItem", "Content-Encoding": "br"}
    with pytest.raises(AwsGuardError, match="cannot be read"):
        http_guard.inspect(unused_loopback, headers, b"{}")
    # An AWS host off the machine, named like no backend: a DynamoDB request is checked.
    with pytest.raises(AwsGuardError, match="'prod'"):
        http_guard.inspect(
            "https://dynamodb.eu-west-1.amazonaws.com/",
            {"X-Amz-Target": b"DynamoDB_20120810.DeleteTable"},
            b'{"TableName": "prod"}',
        )
    # Credential refreshes (STS) are not DynamoDB requests: the router decides those.
    http_guard.inspect("https://sts.amazonaws.com/", {}, b"Action=AssumeRole")


def test_uninstall_puts_back_what_was_there():
    import botocore.httpsession

    before = botocore.httpsession.URLLib3Session.send
    guard_ = HttpGuard(BackendContext(), RUN, frozenset({"aws"}))
    guard_.install()
    assert botocore.httpsession.URLLib3Session.send is not before
    guard_.uninstall()
    assert botocore.httpsession.URLLib3Session.send is before
