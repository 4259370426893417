"""Control plane that local tools implement: tags, UpdateTable, limits, endpoints, backups, PITR.

Sources: Amazon DynamoDB Developer Guide, "Tagging restrictions in DynamoDB" (50 tags, keys of
128 and values of 256 Unicode characters, the aws: prefix), "Using deletion protection",
"Constraints in Amazon DynamoDB" (one GSI created or deleted per UpdateTable), "Backup and
restore for DynamoDB", "Point-in-time recovery for DynamoDB", "Using resource-based policies for
DynamoDB"; API Reference, "TagResource", "UntagResource", "ListTagsOfResource", "Tag",
"UpdateTable" (StreamSpecification: a ValidationException to enable a stream on a table that has
one, or to disable one on a table that has none; switching to PROVISIONED needs throughput),
"DeleteTable", "DescribeLimits", "DescribeEndpoints", "CreateBackup", "DescribeBackup",
"ListBackups", "DeleteBackup", "RestoreTableFromBackup", "BackupDetails",
"UpdateContinuousBackups", "DescribeContinuousBackups", "PointInTimeRecoverySpecification",
"PutResourcePolicy", "GetResourcePolicy", "DeleteResourcePolicy" (the same model botocore
ships). /work/shared/AWS-TRUTH.md for tagging a missing table and a bad ARN, and for AWS
checking the model's length, pattern and enum constraints on the server (its answers for a
2-character TableName, a TableName pattern, 101 BatchGetItem keys, an invalid BillingMode): so
a tag key of 129 characters or a BackupName with a space is a ValidationException. The basics of
tags, UpdateTable throughput and GSI changes are in test_tables.py.

Tags and resource policies are eventually consistent on AWS, so reads of them poll briefly
(bounded). Every table is made by ``make_table`` or named by ``new_table_name`` (restored
tables too) and every backup made is deleted, so nothing outlives a test; a table with
deletion protection has it switched off before the test's tables are deleted.
"""

from __future__ import annotations

import contextlib
import json
import time

import pytest
from botocore.exceptions import ClientError
from support import (
    assert_error,
    error_of,
    n,
    observe,
    put_all,
    refusal,
    s,
    untagged_table,
)

THROUGHPUT = {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}


@pytest.fixture
def missing_table(new_table_name):
    """A name no table has. It carries the run's prefix, so that on aws the write guard lets
    the call through (it can change no table but the run's); it is never created."""
    return new_table_name("missing")


def pause(attempt):
    """A short, growing sleep: emulators settle in milliseconds, AWS in seconds."""
    time.sleep(min(0.05 * 2**attempt, 1.0))


def describe(client, name):
    return client.describe_table(TableName=name)["Table"]


def settled(description):
    indexes = description.get("GlobalSecondaryIndexes", [])
    return description["TableStatus"] == "ACTIVE" and all(
        index["IndexStatus"] == "ACTIVE" for index in indexes
    )


def wait_settled(client, name, attempts=40):
    """DescribeTable until the table and its indexes are ACTIVE (bounded)."""
    description = describe(client, name)
    for attempt in range(attempts):
        if settled(description):
            break
        pause(attempt)
        description = describe(client, name)
    return description


@pytest.fixture
def plain(ddb_client, make_table):
    """A hash-key table, settled again after the test so that it can be deleted."""
    name = make_table(keys={"pk": "S"})
    yield name
    with contextlib.suppress(ClientError):  # a test may have deleted it
        wait_settled(ddb_client, name)


@pytest.fixture
def arn(ddb_client, new_table_name):
    # Untagged on every backend, aws included (support.untagged_table): tests count tags.
    return untagged_table(ddb_client, new_table_name())


# -- Tags ------------------------------------------------------------------------------------


def tags_of(client, arn):
    """Every tag of ``arn``, following NextToken (bounded)."""
    found, token = {}, None
    for _ in range(20):
        page = client.list_tags_of_resource(
            ResourceArn=arn, **({"NextToken": token} if token else {})
        )
        found.update({tag["Key"]: tag["Value"] for tag in page.get("Tags", [])})
        token = page.get("NextToken")
        if not token:
            break
    return found


def tags_once(client, arn, done):
    """Tags of ``arn``, read again (briefly) until ``done(tags)``: tagging is eventually
    consistent on AWS, instant on emulators."""
    found = tags_of(client, arn)
    for attempt in range(5):
        if done(found):
            break
        pause(attempt)
        found = tags_of(client, arn)
    return found


def tag(client, arn, pairs):
    client.tag_resource(ResourceArn=arn, Tags=[{"Key": k, "Value": v} for k, v in pairs.items()])


def test_fifty_tags_are_kept(ddb_client, arn):
    # "The maximum number of tags per resource is 50."
    pairs = {f"key{i:02}": f"value{i}" for i in range(50)}
    tag(ddb_client, arn, pairs)
    assert tags_once(ddb_client, arn, lambda found: len(found) >= 50) == pairs


def test_fifty_one_tags_in_one_request_are_refused(ddb_client, arn):
    # Refused, and the code is not recorded; none of the 51 is applied.
    refusal(
        ddb_client.tag_resource,
        ResourceArn=arn,
        Tags=[{"Key": f"key{i:02}", "Value": "v"} for i in range(51)],
    )
    assert tags_of(ddb_client, arn) == {}


def test_a_fifty_first_tag_is_refused(ddb_client, arn):
    pairs = {f"key{i:02}": "v" for i in range(50)}
    tag(ddb_client, arn, pairs)
    tags_once(ddb_client, arn, lambda found: len(found) >= 50)
    refusal(ddb_client.tag_resource, ResourceArn=arn, Tags=[{"Key": "one-more", "Value": "v"}])
    assert "one-more" not in tags_of(ddb_client, arn)


def test_retagging_an_existing_key_at_fifty_tags_is_accepted(ddb_client, arn):
    # "If you try to add an existing tag (same key), the existing tag value is updated": no
    # new tag, so the limit is not reached.
    tag(ddb_client, arn, {f"key{i:02}": "v" for i in range(50)})
    tags_once(ddb_client, arn, lambda found: len(found) >= 50)
    tag(ddb_client, arn, {"key07": "changed"})
    found = tags_once(ddb_client, arn, lambda found: found.get("key07") == "changed")
    assert (len(found), found["key07"]) == (50, "changed")


@pytest.mark.parametrize(
    ("key", "value"),
    [("k" * 128, "v"), ("k", "v" * 256), ("\u00e9" * 128, "\u4e2d" * 256), ("k", "")],
    ids=["key-128", "value-256", "unicode-at-both-limits", "empty-value"],
)
def test_tag_at_the_length_limits_is_kept(ddb_client, arn, key, value):
    # "The maximum key length is 128 Unicode characters"; "The maximum value length is 256
    # Unicode characters"; Tag.Value: "Minimum length of 0" (API Reference).
    tag(ddb_client, arn, {key: value})
    assert tags_once(ddb_client, arn, lambda found: key in found) == {key: value}


@pytest.mark.parametrize(
    ("key", "value"),
    [("k" * 129, "v"), ("k", "v" * 257), ("", "v")],
    ids=["key-129", "value-257", "empty-key"],
)
def test_tag_past_the_length_limits_is_rejected(ddb_client, arn, key, value):
    # Tag.Key: length 1 to 128; Tag.Value: 0 to 256 (API Reference).
    error = error_of(ddb_client.tag_resource, ResourceArn=arn, Tags=[{"Key": key, "Value": value}])
    assert error["Code"] == "ValidationException"
    assert tags_of(ddb_client, arn) == {}


def test_tag_key_with_the_aws_prefix_is_refused(ddb_client, arn):
    # "AWS-assigned tag names and values are automatically assigned the aws: prefix, which
    # you can't assign." Refused; the code is not recorded.
    refusal(ddb_client.tag_resource, ResourceArn=arn, Tags=[{"Key": "aws:team", "Value": "v"}])
    assert "aws:team" not in tags_of(ddb_client, arn)


def test_tag_key_with_an_uppercase_aws_prefix(ddb_client, arn):
    # The guide names "aws:" only; other AWS services reserve every case of it. An AWS run
    # settles whether DynamoDB refuses "AWS:".
    observe(ddb_client.tag_resource, ResourceArn=arn, Tags=[{"Key": "AWS:team", "Value": "v"}])


def test_tag_of_every_allowed_character_is_kept(ddb_client, arn):
    # "The allowed characters are letters, white space, and numbers, plus the following
    # special characters: + - = . _ : /"
    key = "Team name+1-2=3.4_5:6/7"
    tag(ddb_client, arn, {key: "a b+c-d=e.f_g:h/i"})
    assert tags_once(ddb_client, arn, lambda found: key in found) == {key: "a b+c-d=e.f_g:h/i"}


def test_tag_with_a_character_outside_the_allowed_set(ddb_client, arn):
    # "#" is not among the allowed characters; whether DynamoDB validates them (other services
    # do, with a pattern) is not recorded. An AWS run settles it.
    observe(ddb_client.tag_resource, ResourceArn=arn, Tags=[{"Key": "team#1", "Value": "v"}])


def test_tag_keys_are_case_sensitive(ddb_client, arn):
    # "Tag keys and values are case sensitive."
    tag(ddb_client, arn, {"env": "a", "Env": "b"})
    assert tags_once(ddb_client, arn, lambda found: len(found) >= 2) == {"env": "a", "Env": "b"}


def test_one_request_naming_a_key_twice(ddb_client, arn):
    # Not documented whether the later value wins or the request is refused.
    observe(
        ddb_client.tag_resource,
        ResourceArn=arn,
        Tags=[{"Key": "env", "Value": "a"}, {"Key": "env", "Value": "b"}],
    )
    observe(ddb_client.list_tags_of_resource, ResourceArn=arn)


def test_untagging_a_key_that_is_not_there(ddb_client, arn):
    # Not documented whether removing an absent key is a no-op or an error.
    tag(ddb_client, arn, {"env": "a"})
    observe(ddb_client.untag_resource, ResourceArn=arn, TagKeys=["nope"])


def test_create_table_with_fifty_one_tags_is_refused(ddb_client, new_table_name):
    name = new_table_name()
    request = {
        "TableName": name,
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
        "Tags": [{"Key": f"key{i:02}", "Value": "v"} for i in range(51)],
    }
    try:
        ddb_client.create_table(**request)
    except ClientError as error:
        response = error.response
    else:
        wait_settled(ddb_client, name)  # so that the test's cleanup can delete it
        pytest.fail("CreateTable accepted 51 tags; at most 50 are allowed")
    assert response["ResponseMetadata"]["HTTPStatusCode"] < 500, response


# -- UpdateTable -----------------------------------------------------------------------------


def test_provisioned_table_switches_to_on_demand(ddb_client, make_table):
    name = make_table(keys={"pk": "S"}, billing_mode="PROVISIONED")
    ddb_client.update_table(TableName=name, BillingMode="PAY_PER_REQUEST")
    description = wait_settled(ddb_client, name)
    assert description["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"


def test_switch_to_provisioned_without_throughput_is_rejected(ddb_client, plain):
    # UpdateTable.BillingMode: "When switching from pay-per-request to provisioned capacity,
    # initial provisioned capacity values must be set."
    error = error_of(ddb_client.update_table, TableName=plain, BillingMode="PROVISIONED")
    assert error["Code"] == "ValidationException"
    assert describe(ddb_client, plain)["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"


def gsi_create(name):
    return {
        "Create": {
            "IndexName": name,
            "KeySchema": [{"AttributeName": name, "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"},
        }
    }


def test_creating_two_indexes_in_one_update_is_refused(ddb_client, plain):
    # "You can create or delete only one global secondary index per UpdateTable operation."
    # Refused; the code is not recorded.
    refusal(
        ddb_client.update_table,
        TableName=plain,
        AttributeDefinitions=[
            {"AttributeName": "gone", "AttributeType": "S"},
            {"AttributeName": "gtwo", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexUpdates=[gsi_create("gone"), gsi_create("gtwo")],
    )
    assert "GlobalSecondaryIndexes" not in describe(ddb_client, plain)


def stream(enabled, view="NEW_IMAGE"):
    spec = {"StreamEnabled": enabled}
    if enabled:
        spec["StreamViewType"] = view
    return spec


def test_enabling_a_stream_twice_is_rejected(ddb_client, plain):
    # StreamSpecification: "You receive a ValidationException if you try to enable a stream on
    # a table that already has a stream".
    ddb_client.update_table(TableName=plain, StreamSpecification=stream(True))
    wait_settled(ddb_client, plain)
    error = error_of(ddb_client.update_table, TableName=plain, StreamSpecification=stream(True))
    assert error["Code"] == "ValidationException"


def test_changing_the_view_type_of_an_enabled_stream_is_rejected(ddb_client, plain):
    # A new view type is a new stream: the table already has one.
    ddb_client.update_table(TableName=plain, StreamSpecification=stream(True))
    wait_settled(ddb_client, plain)
    error = error_of(
        ddb_client.update_table, TableName=plain, StreamSpecification=stream(True, "KEYS_ONLY")
    )
    assert error["Code"] == "ValidationException"
    assert describe(ddb_client, plain)["StreamSpecification"]["StreamViewType"] == "NEW_IMAGE"


def test_disabling_a_stream_the_table_does_not_have_is_rejected(ddb_client, plain):
    # "... or if you try to disable a stream on a table that doesn't have a stream."
    error = error_of(ddb_client.update_table, TableName=plain, StreamSpecification=stream(False))
    assert error["Code"] == "ValidationException"


def test_disabled_stream_is_no_longer_described_as_enabled(ddb_client, plain):
    ddb_client.update_table(TableName=plain, StreamSpecification=stream(True))
    wait_settled(ddb_client, plain)
    ddb_client.update_table(TableName=plain, StreamSpecification=stream(False))
    description = wait_settled(ddb_client, plain)
    assert description.get("StreamSpecification", {}).get("StreamEnabled", False) is False


def test_table_class_changes_to_infrequent_access(ddb_client, plain):
    # UpdateTable.TableClass: STANDARD or STANDARD_INFREQUENT_ACCESS.
    ddb_client.update_table(TableName=plain, TableClass="STANDARD_INFREQUENT_ACCESS")
    description = wait_settled(ddb_client, plain)
    assert description["TableClassSummary"]["TableClass"] == "STANDARD_INFREQUENT_ACCESS"


def test_unknown_table_class_is_rejected(ddb_client, plain):
    error = error_of(ddb_client.update_table, TableName=plain, TableClass="GLACIER")
    assert error["Code"] == "ValidationException"


def test_update_of_a_missing_table_is_not_found(ddb_client, missing_table):
    error = error_of(
        ddb_client.update_table, TableName=missing_table, BillingMode="PAY_PER_REQUEST"
    )
    assert error["Code"] == "ResourceNotFoundException"


# -- Deletion protection ---------------------------------------------------------------------
# "When deletion protection is enabled for a table, it can't be deleted by anyone"; it is off
# by default (Using deletion protection). AWS's refusal reads "Resource cannot be deleted as it
# is currently protected against deletion. Disable deletion protection first." (quoted from
# AWS in nubo-db/dynoxide#46 and aws-bench#41); its code is not recorded.


def protect(client, name, enabled=True):
    client.update_table(TableName=name, DeletionProtectionEnabled=enabled)
    wait_settled(client, name)


@pytest.fixture
def unprotect(ddb_client):
    """Tables the test protects; protection is switched off afterwards so they can go."""
    names = []
    yield names
    for name in names:
        # A backend without deletion protection has nothing to switch off.
        with contextlib.suppress(ClientError):
            protect(ddb_client, name, enabled=False)


@pytest.fixture
def protected(ddb_client, plain, unprotect):
    """A hash-key table, to be protected by the test (its own first call)."""
    unprotect.append(plain)
    return plain


def test_new_table_has_deletion_protection_off(ddb_client, plain):
    assert describe(ddb_client, plain).get("DeletionProtectionEnabled", False) is False


def test_deletion_protection_is_described(ddb_client, protected):
    protect(ddb_client, protected)
    assert describe(ddb_client, protected)["DeletionProtectionEnabled"] is True


def test_protected_table_cannot_be_deleted(ddb_client, protected):
    protect(ddb_client, protected)
    error = refusal(ddb_client.delete_table, TableName=protected)
    assert "protected against deletion" in error.get("Message", "")
    assert describe(ddb_client, protected)["TableStatus"] == "ACTIVE"


def test_table_created_with_deletion_protection_cannot_be_deleted(
    ddb_client, new_table_name, unprotect
):
    name = new_table_name()
    unprotect.append(name)
    ddb_client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        DeletionProtectionEnabled=True,
    )
    wait_settled(ddb_client, name)
    error = refusal(ddb_client.delete_table, TableName=name)
    assert "protected against deletion" in error.get("Message", "")


def test_table_can_be_deleted_once_protection_is_off(ddb_client, protected):
    protect(ddb_client, protected)
    protect(ddb_client, protected, enabled=False)
    description = ddb_client.delete_table(TableName=protected)["TableDescription"]
    assert description["TableName"] == protected


# -- DescribeLimits and DescribeEndpoints ----------------------------------------------------


def test_describe_limits_answers_the_four_quotas(ddb_client):
    # DescribeLimits "Returns the current provisioned-capacity quotas for your account in a
    # Region, both for the Region as a whole and for any one DynamoDB table".
    limits = ddb_client.describe_limits()
    names = [
        "AccountMaxReadCapacityUnits",
        "AccountMaxWriteCapacityUnits",
        "TableMaxReadCapacityUnits",
        "TableMaxWriteCapacityUnits",
    ]
    assert all(isinstance(limits[name], int) and limits[name] > 0 for name in names)


def test_describe_limits_per_table_does_not_exceed_the_account(ddb_client):
    # A table's share is provisioned out of the account's.
    limits = ddb_client.describe_limits()
    assert limits["TableMaxReadCapacityUnits"] <= limits["AccountMaxReadCapacityUnits"]
    assert limits["TableMaxWriteCapacityUnits"] <= limits["AccountMaxWriteCapacityUnits"]


def test_describe_endpoints_answers_an_address_and_a_cache_period(ddb_client):
    # DescribeEndpoints "Returns the regional endpoint information": Endpoint.Address and
    # Endpoint.CachePeriodInMinutes, both required (API Reference). Which address a local
    # server names is its own business; the report shows it.
    endpoints = ddb_client.describe_endpoints()["Endpoints"]
    assert endpoints
    assert all(isinstance(e["Address"], str) and e["Address"] for e in endpoints)
    assert all(isinstance(e["CachePeriodInMinutes"], int) for e in endpoints)


# -- Backups ---------------------------------------------------------------------------------


@pytest.fixture
def backups(ddb_client):
    """Backup ARNs the test made; each is deleted afterwards."""
    made = []
    yield made
    for backup in made:
        # Already deleted by the test is fine.
        with contextlib.suppress(ClientError):
            ddb_client.delete_backup(BackupArn=backup)


@pytest.fixture
def source(ddb_client, make_table):
    """A table holding two items, to back up."""
    name = make_table(keys={"pk": "S"})
    put_all(ddb_client, name, [{"pk": s("a"), "v": n(1)}, {"pk": s("b"), "v": n(2)}])
    return name


def backup_of(client, table, backups, name="nightly"):
    details = client.create_backup(TableName=table, BackupName=name)["BackupDetails"]
    backups.append(details["BackupArn"])
    return details


def available(client, backup, attempts=40):
    """DescribeBackup until the backup is AVAILABLE (bounded); its description."""
    description = client.describe_backup(BackupArn=backup)["BackupDescription"]
    for attempt in range(attempts):
        if description["BackupDetails"]["BackupStatus"] == "AVAILABLE":
            break
        pause(attempt)
        description = client.describe_backup(BackupArn=backup)["BackupDescription"]
    return description


def test_create_backup_describes_the_new_backup(ddb_client, source, backups):
    details = backup_of(ddb_client, source, backups)
    assert details["BackupName"] == "nightly"
    assert details["BackupArn"].startswith(describe(ddb_client, source)["TableArn"] + "/backup/")
    assert details["BackupStatus"] in {"CREATING", "AVAILABLE"}
    assert details["BackupType"] == "USER"
    assert "BackupCreationDateTime" in details


def test_describe_backup_names_its_source_table(ddb_client, source, backups):
    details = backup_of(ddb_client, source, backups)
    description = available(ddb_client, details["BackupArn"])
    assert description["BackupDetails"]["BackupStatus"] == "AVAILABLE"
    table = description["SourceTableDetails"]
    assert table["TableName"] == source
    assert table["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]


def test_list_backups_of_the_table_lists_it(ddb_client, source, backups):
    details = backup_of(ddb_client, source, backups)
    summaries = ddb_client.list_backups(TableName=source)["BackupSummaries"]
    assert [summary["BackupArn"] for summary in summaries] == [details["BackupArn"]]
    assert summaries[0]["TableName"] == source


def test_delete_backup_answers_deleted(ddb_client, source, backups):
    details = backup_of(ddb_client, source, backups)
    available(ddb_client, details["BackupArn"])
    deleted = ddb_client.delete_backup(BackupArn=details["BackupArn"])["BackupDescription"]
    assert deleted["BackupDetails"]["BackupStatus"] == "DELETED"


def restore_budget(backend):
    """How many polls a restore may take: minutes on AWS, moments on an emulator."""
    return 400 if backend == "aws" else 40


def test_restore_answers_the_new_table_and_its_source(
    ddb_client, ddb_backend, source, backups, new_table_name
):
    details = backup_of(ddb_client, source, backups)
    available(ddb_client, details["BackupArn"], restore_budget(ddb_backend))
    target = new_table_name("restored")
    table = ddb_client.restore_table_from_backup(
        TargetTableName=target, BackupArn=details["BackupArn"]
    )["TableDescription"]
    assert table["TableName"] == target
    assert table["RestoreSummary"]["SourceBackupArn"] == details["BackupArn"]
    assert "RestoreInProgress" in table["RestoreSummary"]
    wait_settled(ddb_client, target, restore_budget(ddb_backend))


def test_restored_table_holds_the_items_of_the_backup(
    ddb_client, ddb_backend, source, backups, new_table_name
):
    details = backup_of(ddb_client, source, backups)
    available(ddb_client, details["BackupArn"], restore_budget(ddb_backend))
    ddb_client.put_item(TableName=source, Item={"pk": s("after"), "v": n(3)})  # not in it
    target = new_table_name("restored")
    ddb_client.restore_table_from_backup(TargetTableName=target, BackupArn=details["BackupArn"])
    assert wait_settled(ddb_client, target, restore_budget(ddb_backend))["TableStatus"] == "ACTIVE"
    items = ddb_client.scan(TableName=target, ConsistentRead=True)["Items"]
    assert sorted(item["pk"]["S"] for item in items) == ["a", "b"]


def test_restore_onto_an_existing_table_is_rejected(ddb_client, source, backups):
    details = backup_of(ddb_client, source, backups)
    available(ddb_client, details["BackupArn"])
    error = error_of(
        ddb_client.restore_table_from_backup, TargetTableName=source, BackupArn=details["BackupArn"]
    )
    assert error["Code"] == "TableAlreadyExistsException"


def test_backup_of_a_missing_table_is_not_found(ddb_client, missing_table):
    error = error_of(ddb_client.create_backup, TableName=missing_table, BackupName="nightly")
    assert error["Code"] == "TableNotFoundException"


@pytest.mark.parametrize("operation", ["describe_backup", "delete_backup"])
def test_backup_that_does_not_exist_is_not_found(ddb_client, arn, operation):
    missing = f"{arn}/backup/01700000000000-abcd1234"
    error = error_of(getattr(ddb_client, operation), BackupArn=missing)
    assert error["Code"] == "BackupNotFoundException"


@pytest.mark.parametrize("name", ["no spaces", "ab", "x" * 256], ids=["space", "2-chars", "256"])
def test_invalid_backup_name_is_rejected(ddb_client, source, backups, name):
    # BackupName: 3 to 255 characters of [a-zA-Z0-9_.-] (API Reference, CreateBackup).
    try:
        details = ddb_client.create_backup(TableName=source, BackupName=name)["BackupDetails"]
    except ClientError as error:
        code = error.response["Error"]["Code"]
    else:
        backups.append(details["BackupArn"])
        pytest.fail(f"CreateBackup accepted the name {name!r}")
    assert code == "ValidationException"


# -- Point-in-time recovery ------------------------------------------------------------------
# "Continuous backups are ENABLED on all tables at table creation. If point in time recovery
# is enabled, PointInTimeRecoveryStatus will be set to ENABLED" (DescribeContinuousBackups).


def pitr(client, name):
    description = client.describe_continuous_backups(TableName=name)
    return description["ContinuousBackupsDescription"]


def set_pitr(client, name, enabled, **extra):
    specification = {"PointInTimeRecoveryEnabled": enabled, **extra}
    return client.update_continuous_backups(
        TableName=name, PointInTimeRecoverySpecification=specification
    )["ContinuousBackupsDescription"]


def test_new_table_has_continuous_backups_but_no_point_in_time_recovery(ddb_client, plain):
    description = pitr(ddb_client, plain)
    assert description["ContinuousBackupsStatus"] == "ENABLED"
    assert description["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == (
        "DISABLED"
    )


def test_enabling_point_in_time_recovery(ddb_client, plain):
    answer = set_pitr(ddb_client, plain, True)
    assert answer["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
    described = pitr(ddb_client, plain)["PointInTimeRecoveryDescription"]
    assert described["PointInTimeRecoveryStatus"] == "ENABLED"
    assert "EarliestRestorableDateTime" in described


def test_disabling_point_in_time_recovery(ddb_client, plain):
    set_pitr(ddb_client, plain, True)
    answer = set_pitr(ddb_client, plain, False)
    assert answer["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "DISABLED"


def test_recovery_period_is_described(ddb_client, plain):
    # RecoveryPeriodInDays: 1 to 35, 35 if not given (PointInTimeRecoverySpecification).
    set_pitr(ddb_client, plain, True, RecoveryPeriodInDays=7)
    assert pitr(ddb_client, plain)["PointInTimeRecoveryDescription"]["RecoveryPeriodInDays"] == 7


@pytest.mark.parametrize("days", [0, 36])
def test_recovery_period_out_of_range_is_rejected(ddb_client, plain, days):
    error = error_of(
        set_pitr, client=ddb_client, name=plain, enabled=True, RecoveryPeriodInDays=days
    )
    assert error["Code"] == "ValidationException"


@pytest.mark.parametrize("operation", ["describe", "update"])
def test_point_in_time_recovery_of_a_missing_table_is_not_found(
    ddb_client, operation, missing_table
):
    if operation == "describe":
        error = error_of(ddb_client.describe_continuous_backups, TableName=missing_table)
    else:
        error = error_of(set_pitr, client=ddb_client, name=missing_table, enabled=True)
    assert error["Code"] == "TableNotFoundException"


# -- Resource-based policies -----------------------------------------------------------------
# PutResourcePolicy is idempotent ("running it multiple times on the same resource using the
# same policy document will return the same revision ID"); an ExpectedRevisionId that does not
# match, or NO_POLICY when a policy exists, is a PolicyNotFoundException; GetResourcePolicy of
# a resource without one is a PolicyNotFoundException; DeleteResourcePolicy is idempotent; a
# policy holds at most 20 KB (API Reference). All of it is eventually consistent on AWS.


def policy_for(table_arn, action="dynamodb:GetItem"):
    account = table_arn.split(":")[4]
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                    "Action": action,
                    "Resource": table_arn,
                }
            ],
        }
    )


def policy_once(client, arn, done):
    """GetResourcePolicy, read again (briefly) until ``done(answer)``; the answer or error."""
    answer = observe(client.get_resource_policy, ResourceArn=arn)
    for attempt in range(5):
        if done(answer):
            break
        pause(attempt)
        answer = observe(client.get_resource_policy, ResourceArn=arn)
    return answer


def test_table_without_a_policy_has_none(ddb_client, arn):
    error = error_of(ddb_client.get_resource_policy, ResourceArn=arn)
    assert error["Code"] == "PolicyNotFoundException"


def test_put_policy_is_read_back_with_its_revision(ddb_client, arn):
    document = policy_for(arn)
    revision = ddb_client.put_resource_policy(ResourceArn=arn, Policy=document)["RevisionId"]
    answer = policy_once(ddb_client, arn, lambda got: "Policy" in got)
    assert json.loads(answer["Policy"]) == json.loads(document)
    assert answer["RevisionId"] == revision


def test_putting_the_same_policy_again_keeps_its_revision(ddb_client, arn):
    document = policy_for(arn)
    first = ddb_client.put_resource_policy(ResourceArn=arn, Policy=document)["RevisionId"]
    policy_once(ddb_client, arn, lambda got: "Policy" in got)
    again = ddb_client.put_resource_policy(ResourceArn=arn, Policy=document)["RevisionId"]
    assert again == first


def test_put_with_a_stale_revision_is_rejected(ddb_client, arn):
    revision = ddb_client.put_resource_policy(ResourceArn=arn, Policy=policy_for(arn))["RevisionId"]
    policy_once(ddb_client, arn, lambda got: "Policy" in got)
    error = error_of(
        ddb_client.put_resource_policy,
        ResourceArn=arn,
        Policy=policy_for(arn, "dynamodb:Query"),
        ExpectedRevisionId=revision + "0",
    )
    assert_error(error, "PolicyNotFoundException")


@pytest.mark.parametrize("existing", [False, True], ids=["none-yet", "one-exists"])
def test_put_only_if_there_is_no_policy(ddb_client, arn, existing):
    # "To conditionally attach a policy when no policy exists for the resource, specify
    # NO_POLICY for the revision ID."
    if existing:
        ddb_client.put_resource_policy(ResourceArn=arn, Policy=policy_for(arn))
        policy_once(ddb_client, arn, lambda got: "Policy" in got)
    request = {
        "ResourceArn": arn,
        "Policy": policy_for(arn, "dynamodb:Query"),
        "ExpectedRevisionId": "NO_POLICY",
    }
    if existing:
        assert error_of(ddb_client.put_resource_policy, **request)["Code"] == (
            "PolicyNotFoundException"
        )
    else:
        assert ddb_client.put_resource_policy(**request)["RevisionId"]


def test_deleted_policy_is_gone(ddb_client, arn):
    ddb_client.put_resource_policy(ResourceArn=arn, Policy=policy_for(arn))
    policy_once(ddb_client, arn, lambda got: "Policy" in got)
    ddb_client.delete_resource_policy(ResourceArn=arn)
    answer = policy_once(ddb_client, arn, lambda got: "Error" in got)
    assert answer["Error"]["Code"] == "PolicyNotFoundException"


def test_deleting_a_policy_that_is_not_there_is_no_error(ddb_client, arn):
    # "running it multiple times on the same resource doesn't result in an error response".
    ddb_client.delete_resource_policy(ResourceArn=arn)


def test_policy_that_is_not_json_is_refused(ddb_client, arn):
    # Policy: "An Amazon Web Services resource-based policy document in JSON format". Refused;
    # the code is not recorded.
    refusal(ddb_client.put_resource_policy, ResourceArn=arn, Policy="{not json")


def test_policy_over_20_kb_is_refused(ddb_client, arn):
    # "The maximum size supported for a resource-based policy document is 20 KB. DynamoDB
    # counts whitespaces": a valid document padded with spaces. The code is not recorded.
    document = policy_for(arn)
    refusal(
        ddb_client.put_resource_policy,
        ResourceArn=arn,
        Policy=document[:-1] + " " * (20 * 1024 - len(document) + 1) + "}",
    )


def test_policy_of_a_missing_table_is_not_found(ddb_client, arn, new_table_name):
    missing = arn.rsplit("/", 1)[0] + "/" + new_table_name()
    error = error_of(
        ddb_client.put_resource_policy, ResourceArn=missing, Policy=policy_for(missing)
    )
    assert error["Code"] == "ResourceNotFoundException"
