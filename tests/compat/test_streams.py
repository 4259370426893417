"""DynamoDB Streams: enabling a stream, the records each write leaves, iterators and limits.

Sources: Amazon DynamoDB Developer Guide, "Change data capture for DynamoDB Streams" (enabling,
view types, no record for a write that changes nothing, order per item, shards, disabling and
the 24-hour retention) and "DynamoDB Streams and Time to Live" (userIdentity of TTL deletes);
API Reference, DynamoDB Streams: "DescribeStream", "GetRecords", "GetShardIterator",
"ListStreams", "Record", "StreamRecord", "Identity", "SequenceNumberRange", "Shard" (their
limits and length constraints), and DynamoDB "CreateTable", "UpdateTable" (StreamSpecification),
"DeleteTable", "TableDescription" (LatestStreamArn, LatestStreamLabel).

Recorded AWS answers: the public conformance suites nubo-db/dynamodb-conformance and
paritysuite/dynamodb-conformance (tests/tier2/streams, run against real DynamoDB with every
case passing; a disabled stream with a view type is rejected), and ScyllaDB's Alternator suite,
whose test/alternator/test_streams.py is written to pass on real DynamoDB (iterator argument
errors, GetRecords and ListStreams limits, a second enable or a view-type change rejected as
ValidationException, a closed shard's missing NextShardIterator, a PutItem that changes nothing
or a DeleteItem of a missing item leaving no record). A comment "AWS-run" cites those.

UpdateTable's refusals of stream changes (a second enable, a view-type change, disabling a stream
the table lacks) are tested with the control plane, in test_control_plane.py.

Streams are read through ``ddb_streams_client``. Records arrive in near-real time on AWS, so a
read polls (bounded, see ``Stream.records``); emulators answer at once. A test that expects *no*
record writes a marker afterwards and reads up to it: records of one item keep their order, so
anything between would show.
"""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError
from support import (
    assert_error,
    error_of,
    eventually,
    n,
    observe,
    s,
    settle_budget,
    this_hour,
    wait_active,
)

VIEW_TYPES = ("KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES")
HASH = {"pk": "S"}
COMPOSITE = {"pk": "S", "sk": "S"}
#: The identity AWS gives the records of items deleted by Time to Live (API Reference, Identity).
TTL_IDENTITY = {"Type": "Service", "PrincipalId": "dynamodb.amazonaws.com"}


def create_request(name, view="NEW_AND_OLD_IMAGES", keys=HASH, enabled=True):
    """A CreateTable request for an on-demand table with a stream of ``view``."""
    spec = {"StreamEnabled": enabled}
    if view is not None:
        spec["StreamViewType"] = view
    return {
        "TableName": name,
        "KeySchema": [
            {"AttributeName": a, "KeyType": t}
            for a, t in zip(keys, ("HASH", "RANGE"), strict=False)
        ],
        "AttributeDefinitions": [{"AttributeName": a, "AttributeType": t} for a, t in keys.items()],
        "BillingMode": "PAY_PER_REQUEST",
        "StreamSpecification": spec,
    }


@dataclass
class Stream:
    """One table's latest stream, read through the test's streams client."""

    client: Any
    streams: Any
    table: str
    arn: str
    #: Seconds a read waits for records that have not arrived (see support.settle_budget).
    budget: float

    @property
    def status_budget(self):
        """Seconds to wait for the stream's status to change (AWS: up to about a minute)."""
        return 3 * self.budget

    def describe(self, **kwargs):
        return self.streams.describe_stream(StreamArn=self.arn, **kwargs)["StreamDescription"]

    def shards(self):
        """Every shard, following LastEvaluatedShardId (at most 20 pages)."""
        description = self.describe()
        shards = list(description["Shards"])
        for _ in range(20):
            last = description.get("LastEvaluatedShardId")
            if not last:
                break
            description = self.describe(ExclusiveStartShardId=last)
            shards += description["Shards"]
        return shards

    def shard_id(self):
        return self.shards()[0]["ShardId"]

    def iterator(self, shard_id=None, kind="TRIM_HORIZON", **kwargs):
        return self.streams.get_shard_iterator(
            StreamArn=self.arn,
            ShardId=shard_id or self.shard_id(),
            ShardIteratorType=kind,
            **kwargs,
        )["ShardIterator"]

    def records(self, count=1, until=None, budget=None, iterators=None):
        """Read every shard from ``iterators`` (default TRIM_HORIZON) until ``until(records)``.

        ``until`` defaults to "at least ``count`` records". GetRecords may answer an empty page
        before a later one holds records, so pages are read until one is empty, and again after
        a pause while the condition fails and the budget lasts.
        """
        done = until or (lambda found: len(found) >= count)
        positions = iterators or {
            shard["ShardId"]: self.iterator(shard["ShardId"]) for shard in self.shards()
        }
        found: list[dict[str, Any]] = []
        deadline = time.monotonic() + (self.budget if budget is None else budget)
        pause = 0.02
        while True:
            fresh = 0
            for shard, position in list(positions.items()):
                for _ in range(20):  # pages of one shard in one pass
                    if position is None:
                        break
                    page = self.streams.get_records(ShardIterator=position)
                    found += page["Records"]
                    fresh += len(page["Records"])
                    position = page.get("NextShardIterator")
                    if not page["Records"]:
                        break
                positions[shard] = position
            if (
                done(found)
                or time.monotonic() > deadline
                or all(p is None for p in positions.values())
            ):
                return found
            if not fresh:
                time.sleep(pause)
                pause = min(pause * 1.5, 0.5)


@pytest.fixture
def attach(ddb_client, ddb_streams_client, ddb_endpoint):
    """Return ``attach(table)``: the table's latest stream once the table is ACTIVE and the
    stream ENABLED."""

    def attach_to(table):
        description = wait_active(ddb_client, table)
        # TableDescription: LatestStreamArn identifies the table's latest stream.
        assert description.get("LatestStreamArn"), "the table describes no LatestStreamArn"
        arn = description["LatestStreamArn"]
        stream = Stream(ddb_client, ddb_streams_client, table, arn, settle_budget(ddb_endpoint))
        eventually(stream.describe, lambda d: d["StreamStatus"] == "ENABLED", stream.status_budget)
        return stream

    return attach_to


@pytest.fixture
def streamed(ddb_client, new_table_name, attach):
    """Return ``streamed(view, keys, label)``: a new table with a stream, as a ``Stream``."""

    def create(view="NEW_AND_OLD_IMAGES", keys=HASH, label=None):
        name = new_table_name(label)
        ddb_client.create_table(**create_request(name, view, keys))
        return attach(name)

    return create


def keys_of(record):
    return record["dynamodb"]["Keys"]


def of_key(records, key):
    return [r for r in records if keys_of(r) == key]


def summary(record):
    """(eventName, OldImage or None, NewImage or None) of a record."""
    body = record["dynamodb"]
    return record["eventName"], body.get("OldImage"), body.get("NewImage")


def marked(key):
    """``until`` for Stream.records: the marker write on ``key`` has arrived."""
    return lambda found: any(
        keys_of(r) == key and "marker" in (r["dynamodb"].get("NewImage") or {}) for r in found
    )


def mark(client, table, key):
    """Write the marker (a MODIFY or INSERT of attribute "marker") that ends a record check."""
    client.update_item(
        TableName=table,
        Key=key,
        UpdateExpression="SET marker = :m",
        ExpressionAttributeValues={":m": s("end")},
    )


def wait_disabled(stream):
    return eventually(
        stream.describe, lambda d: d["StreamStatus"] == "DISABLED", stream.status_budget
    )


def disable(client, table):
    client.update_table(TableName=table, StreamSpecification={"StreamEnabled": False})
    return wait_active(client, table)


def re_enabled(client, attach, stream, view):
    """Disable ``stream``, wait for it, enable a new one of ``view``; return the new one."""
    disable(client, stream.table)
    wait_disabled(stream)
    client.update_table(
        TableName=stream.table, StreamSpecification={"StreamEnabled": True, "StreamViewType": view}
    )
    return attach(stream.table)


def disabled_after_one_put(client, streamed, key="a"):
    """A KEYS_ONLY stream that recorded one PutItem of ``key``, then was disabled."""
    stream = streamed("KEYS_ONLY")
    client.put_item(TableName=stream.table, Item={"pk": s(key)})
    stream.records(1)
    disable(client, stream.table)
    wait_disabled(stream)
    return stream


# -- enabling a stream when the table is created ------------------------------------------------


def test_table_without_stream_describes_no_stream(ddb_client, make_table):
    # No stream was ever created, so there is no latest stream to name.
    description = ddb_client.describe_table(TableName=make_table(keys=HASH))["Table"]
    assert "LatestStreamArn" not in description
    assert description.get("StreamSpecification", {}).get("StreamEnabled", False) is False


@pytest.mark.parametrize("view", VIEW_TYPES)
def test_create_response_carries_the_stream(ddb_client, new_table_name, view):
    # AWS-run: CreateTable's TableDescription carries StreamSpecification, LatestStreamArn and
    # LatestStreamLabel.
    name = new_table_name()
    created = ddb_client.create_table(**create_request(name, view))["TableDescription"]
    wait_active(ddb_client, name)
    assert created["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": view}
    assert created["LatestStreamArn"].endswith(f"/stream/{created['LatestStreamLabel']}")


@pytest.mark.parametrize("view", VIEW_TYPES)
def test_describe_table_shows_the_stream_specification(ddb_client, streamed, view):
    stream = streamed(view)
    description = ddb_client.describe_table(TableName=stream.table)["Table"]
    assert description["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": view}
    assert description["LatestStreamArn"] == stream.arn


@pytest.mark.parametrize("view", VIEW_TYPES)
def test_describe_stream_reports_the_view_type_and_table(ddb_client, streamed, view):
    stream = streamed(view, keys=COMPOSITE)
    description = stream.describe()
    assert description["StreamViewType"] == view
    assert description["TableName"] == stream.table
    assert description["StreamArn"] == stream.arn
    # StreamDescription.KeySchema: "The key attribute(s) of the stream's DynamoDB table."
    table = ddb_client.describe_table(TableName=stream.table)["Table"]
    assert description["KeySchema"] == table["KeySchema"]


def test_stream_arn_extends_the_table_arn(ddb_client, streamed):
    # Developer Guide example: arn:aws:dynamodb:REGION:ACCOUNT:table/NAME/stream/LABEL.
    stream = streamed()
    table = ddb_client.describe_table(TableName=stream.table)["Table"]
    assert stream.arn == f"{table['TableArn']}/stream/{table['LatestStreamLabel']}"


def test_stream_label_is_an_iso_8601_timestamp(ddb_client, streamed):
    # TableDescription.LatestStreamLabel: "A timestamp, in ISO 8601 format, for this stream."
    label = ddb_client.describe_table(TableName=streamed().table)["Table"]["LatestStreamLabel"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?", label), label


def test_new_stream_is_enabled_with_a_creation_time(streamed):
    description = streamed().describe()
    # StreamStatus: ENABLING while being enabled, then ENABLED (the fixture waits for it).
    assert description["StreamStatus"] == "ENABLED"
    assert isinstance(description["CreationRequestDateTime"], datetime)


def test_new_stream_has_an_open_shard(streamed):
    # DescribeStream: a shard with a StartingSequenceNumber and no EndingSequenceNumber is open.
    shards = streamed().describe()["Shards"]
    assert shards
    assert all("EndingSequenceNumber" not in shard["SequenceNumberRange"] for shard in shards)


def test_shard_ids_and_sequence_numbers_are_well_formed(streamed):
    # API Reference: ShardId is 28 to 65 characters; a SequenceNumber 21 to 40 characters,
    # "numeric characters only".
    for shard in streamed().describe()["Shards"]:
        assert 28 <= len(shard["ShardId"]) <= 65, shard["ShardId"]
        start = shard["SequenceNumberRange"]["StartingSequenceNumber"]
        assert start.isdecimal(), start
        assert 21 <= len(start) <= 40, start


def test_stream_disabled_with_a_view_type_is_rejected(ddb_client, new_table_name):
    # AWS-run (paritysuite, 2026-06-26): CreateTable with StreamEnabled false and a
    # StreamViewType is a ValidationException.
    request = create_request(new_table_name(), "KEYS_ONLY", enabled=False)
    assert_error(error_of(ddb_client.create_table, **request), "ValidationException")


def test_stream_enabled_without_a_view_type_is_observed(ddb_client, new_table_name):
    # Unsettled: AWS may reject StreamEnabled true without a StreamViewType or pick a default;
    # a recorded AWS CreateTable answer (and DescribeTable's StreamSpecification) settles it.
    name = new_table_name()
    response = observe(ddb_client.create_table, **create_request(name, view=None))
    if "Error" not in response:
        wait_active(ddb_client, name)


def test_unknown_view_type_on_create_is_rejected(ddb_client, new_table_name):
    # StreamViewType is one of four values (API Reference, StreamSpecification).
    request = create_request(new_table_name(), "EVERYTHING")
    assert_error(error_of(ddb_client.create_table, **request), "ValidationException")


def test_create_with_a_disabled_stream_creates_none(ddb_client, new_table_name):
    name = new_table_name()
    ddb_client.create_table(**create_request(name, view=None, enabled=False))
    description = wait_active(ddb_client, name)
    assert "LatestStreamArn" not in description


# -- enabling, changing and disabling a stream with UpdateTable --------------------------------


@pytest.mark.parametrize("view", VIEW_TYPES)
def test_update_table_enables_a_stream(ddb_client, attach, make_table, view):
    # UpdateTable StreamSpecification; AWS-run: its TableDescription carries LatestStreamArn.
    table = make_table(keys=HASH)
    response = ddb_client.update_table(
        TableName=table, StreamSpecification={"StreamEnabled": True, "StreamViewType": view}
    )["TableDescription"]
    assert response["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": view}
    stream = attach(table)
    assert stream.arn == response["LatestStreamArn"]
    assert stream.describe()["StreamViewType"] == view


@pytest.mark.parametrize("view", VIEW_TYPES)
def test_stream_enabled_by_update_records_writes(ddb_client, attach, make_table, view):
    table = make_table(keys=HASH)
    ddb_client.update_table(
        TableName=table, StreamSpecification={"StreamEnabled": True, "StreamViewType": view}
    )
    stream = attach(table)
    ddb_client.put_item(TableName=table, Item={"pk": s("a"), "v": n(1)})
    (record,) = stream.records(1)
    assert record["eventName"] == "INSERT"
    assert record["dynamodb"]["StreamViewType"] == view


def test_unknown_view_type_on_update_is_rejected(ddb_client, make_table):
    # AWS-run: UpdateTable with StreamViewType "Fisk" is a ValidationException.
    error = error_of(
        ddb_client.update_table,
        TableName=make_table(keys=HASH),
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "Fisk"},
    )
    assert_error(error, "ValidationException")


def test_update_unrelated_to_streams_keeps_the_stream(ddb_client, streamed):
    # AWS-run: an UpdateTable that only repeats the billing mode answers the same
    # LatestStreamArn and StreamSpecification.
    stream = streamed("KEYS_ONLY")
    response = ddb_client.update_table(TableName=stream.table, BillingMode="PAY_PER_REQUEST")
    description = response["TableDescription"]
    wait_active(ddb_client, stream.table)
    assert description["LatestStreamArn"] == stream.arn
    assert description["StreamSpecification"] == {
        "StreamEnabled": True,
        "StreamViewType": "KEYS_ONLY",
    }


def test_disabled_stream_is_disabled_and_keeps_its_records(ddb_client, streamed):
    # Developer Guide: disabling closes the open shards; the data stays readable for 24 hours.
    stream = disabled_after_one_put(ddb_client, streamed)
    description = stream.describe()
    assert description["StreamStatus"] == "DISABLED"
    assert [keys_of(r) for r in stream.records(1)] == [{"pk": s("a")}]


def test_disabled_stream_has_only_closed_shards(ddb_client, streamed):
    # DescribeStream: a shard with both a Starting and an EndingSequenceNumber is closed;
    # AWS-run: every shard of a DISABLED stream has a decimal EndingSequenceNumber.
    stream = disabled_after_one_put(ddb_client, streamed)
    for shard in stream.shards():
        assert shard["SequenceNumberRange"]["EndingSequenceNumber"].isdecimal()


def test_closed_shard_read_to_its_end_has_no_next_iterator(ddb_client, streamed):
    # GetRecords: a null NextShardIterator means the shard is closed; AWS-run: it is absent.
    stream = disabled_after_one_put(ddb_client, streamed)
    position, read = stream.iterator(), []
    for _ in range(10):
        page = stream.streams.get_records(ShardIterator=position)
        read += page["Records"]
        position = page.get("NextShardIterator")
        if position is None:
            break
    assert position is None
    assert len(read) == 1


def test_writes_after_disabling_leave_no_record_in_the_old_stream(ddb_client, streamed):
    stream = disabled_after_one_put(ddb_client, streamed, "before")
    ddb_client.put_item(TableName=stream.table, Item={"pk": s("after")})
    # A closed shard "can no longer receive more data" (DescribeStream).
    keys = [keys_of(r) for r in stream.records(2, budget=1.0)]
    assert keys == [{"pk": s("before")}]


def test_describe_table_after_disabling_is_observed(ddb_client, streamed):
    # Unsettled: after disabling, AWS may drop StreamSpecification from DescribeTable or show
    # StreamEnabled false, and keep or drop LatestStreamArn; a recorded AWS DescribeTable
    # settles both.
    stream = streamed("KEYS_ONLY")
    disable(ddb_client, stream.table)
    observe(ddb_client.describe_table, TableName=stream.table)


def test_re_enabled_stream_is_a_new_stream(ddb_client, attach, streamed):
    # Developer Guide: disabling and re-enabling creates a new stream with a different
    # descriptor.
    first = streamed("KEYS_ONLY")
    second = re_enabled(ddb_client, attach, first, "NEW_IMAGE")
    assert second.arn != first.arn
    assert second.describe()["StreamViewType"] == "NEW_IMAGE"
    assert first.describe()["StreamStatus"] == "DISABLED"


def test_deleting_the_table_disables_its_stream(ddb_client, streamed):
    # DeleteTable: the table's stream "goes into the DISABLED state, and the stream is
    # automatically deleted after 24 hours".
    stream = streamed("KEYS_ONLY")
    ddb_client.put_item(TableName=stream.table, Item={"pk": s("a")})
    stream.records(1)
    ddb_client.delete_table(TableName=stream.table)
    description = wait_disabled(stream)
    assert description["StreamStatus"] in {"DISABLING", "DISABLED"}


# -- what each record holds, per view type and write ---------------------------------------------

OLD = {"pk": s("k"), "v": n(1), "tag": s("old")}
NEW = {"pk": s("k"), "v": n(2), "note": s("new")}
KEY = {"pk": s("k")}


def put(item):
    return lambda c, t: c.put_item(TableName=t, Item=item)


def batch(request):
    return lambda c, t: c.batch_write_item(RequestItems={t: [request]})


def transact(action):
    return lambda c, t: c.transact_write_items(TransactItems=[{**action(t)}])


def statement(text):
    return lambda c, t: c.execute_statement(Statement=text.format(t=t))


def update_to_new(c, t):
    c.update_item(
        TableName=t,
        Key=KEY,
        UpdateExpression="SET v = :v, note = :n REMOVE tag",
        ExpressionAttributeValues={":v": n(2), ":n": s("new")},
    )


UPDATE_ACTION = {
    "Key": KEY,
    "UpdateExpression": "SET v = :v, note = :n REMOVE tag",
    "ExpressionAttributeValues": {":v": n(2), ":n": s("new")},
}

#: write kind -> (item before the write or None, the write, eventName, OldImage, NewImage).
WRITES = {
    "put-new": (None, put(NEW), "INSERT", None, NEW),
    "put-replace": (OLD, put(NEW), "MODIFY", OLD, NEW),
    "update-new": (
        None,
        update_to_new,
        "INSERT",
        None,
        {"pk": s("k"), "v": n(2), "note": s("new")},
    ),
    "update-existing": (OLD, update_to_new, "MODIFY", OLD, NEW),
    "delete": (OLD, lambda c, t: c.delete_item(TableName=t, Key=KEY), "REMOVE", OLD, None),
    "batch-put-new": (None, batch({"PutRequest": {"Item": NEW}}), "INSERT", None, NEW),
    "batch-put-replace": (OLD, batch({"PutRequest": {"Item": NEW}}), "MODIFY", OLD, NEW),
    "batch-delete": (OLD, batch({"DeleteRequest": {"Key": KEY}}), "REMOVE", OLD, None),
    "transact-put": (
        None,
        transact(lambda t: {"Put": {"TableName": t, "Item": NEW}}),
        "INSERT",
        None,
        NEW,
    ),
    "transact-update": (
        OLD,
        transact(lambda t: {"Update": {"TableName": t, **UPDATE_ACTION}}),
        "MODIFY",
        OLD,
        NEW,
    ),
    "transact-delete": (
        OLD,
        transact(lambda t: {"Delete": {"TableName": t, "Key": KEY}}),
        "REMOVE",
        OLD,
        None,
    ),
    "partiql-insert": (
        None,
        statement("INSERT INTO \"{t}\" VALUE {{'pk': 'k', 'v': 2, 'note': 'new'}}"),
        "INSERT",
        None,
        NEW,
    ),
    "partiql-update": (
        OLD,
        statement("UPDATE \"{t}\" SET v = 2 SET note = 'new' REMOVE tag WHERE pk = 'k'"),
        "MODIFY",
        OLD,
        NEW,
    ),
    "partiql-delete": (OLD, statement("DELETE FROM \"{t}\" WHERE pk = 'k'"), "REMOVE", OLD, None),
}


@pytest.mark.parametrize("write", list(WRITES))
@pytest.mark.parametrize("view", VIEW_TYPES)
def test_record_of_each_write_holds_what_the_view_type_says(ddb_client, streamed, view, write):
    # StreamViewType: KEYS_ONLY only the key; NEW_IMAGE the item after the change; OLD_IMAGE the
    # item before it; NEW_AND_OLD_IMAGES both. An image is the entire item, and there is none
    # before an insert or after a removal (AWS-run: ScyllaDB test_streams.py). eventName is
    # INSERT for a new item, MODIFY for a changed one, REMOVE for a deleted one (Record).
    before, action, event, old, new = WRITES[write]
    stream = streamed(view)
    if before:
        ddb_client.put_item(TableName=stream.table, Item=before)
    action(ddb_client, stream.table)
    records = of_key(stream.records(2 if before else 1), KEY)
    assert len(records) == (2 if before else 1), [summary(r) for r in records]
    record = records[-1]
    assert record["eventName"] == event
    assert keys_of(record) == KEY
    assert record["dynamodb"]["StreamViewType"] == view
    expected_new = new if view in ("NEW_IMAGE", "NEW_AND_OLD_IMAGES") else None
    expected_old = old if view in ("OLD_IMAGE", "NEW_AND_OLD_IMAGES") else None
    assert record["dynamodb"].get("NewImage") == expected_new
    assert record["dynamodb"].get("OldImage") == expected_old


def test_new_image_keeps_the_key_when_every_other_attribute_is_removed(ddb_client, streamed):
    # AWS-run: removing every non-key attribute leaves a NewImage of just the key.
    stream = streamed("NEW_AND_OLD_IMAGES")
    ddb_client.put_item(TableName=stream.table, Item=OLD)
    ddb_client.update_item(TableName=stream.table, Key=KEY, UpdateExpression="REMOVE v, tag")
    record = stream.records(2)[-1]
    assert summary(record) == ("MODIFY", OLD, KEY)


def test_old_image_of_a_key_only_item_is_the_key(ddb_client, streamed):
    # AWS-run: the OldImage of an item that held only its key is that key, not missing.
    stream = streamed("OLD_IMAGE")
    ddb_client.put_item(TableName=stream.table, Item=KEY)
    ddb_client.update_item(
        TableName=stream.table,
        Key=KEY,
        UpdateExpression="SET v = :v",
        ExpressionAttributeValues={":v": n(1)},
    )
    assert summary(stream.records(2)[-1]) == ("MODIFY", KEY, None)


def test_keys_of_a_composite_key_record_are_both_key_attributes(ddb_client, streamed):
    # StreamRecord.Keys: "The primary key attribute(s) for the DynamoDB item that was modified."
    stream = streamed("KEYS_ONLY", keys=COMPOSITE)
    ddb_client.put_item(TableName=stream.table, Item={"pk": s("p"), "sk": s("s"), "v": n(1)})
    (record,) = stream.records(1)
    assert keys_of(record) == {"pk": s("p"), "sk": s("s")}


# -- writes that leave no record -----------------------------------------------------------------


def failing(**condition):
    """Call ``operation`` expecting a ConditionalCheckFailedException."""

    def run(operation, **kwargs):
        with pytest.raises(ClientError) as raised:
            operation(**kwargs, **condition)
        assert raised.value.response["Error"]["Code"] == "ConditionalCheckFailedException"

    return run


def cancelled_transaction(c, t):
    with pytest.raises(ClientError) as raised:
        c.transact_write_items(
            TransactItems=[
                {"Update": {"TableName": t, **UPDATE_ACTION}},
                {
                    "ConditionCheck": {
                        "TableName": t,
                        "Key": {"pk": s("absent")},
                        "ConditionExpression": "attribute_exists(pk)",
                    }
                },
            ]
        )
    assert raised.value.response["Error"]["Code"] == "TransactionCanceledException"


def rejected_batch(c, t):
    # A batch with an item lacking its key is refused as a whole: nothing is written.
    with pytest.raises(ClientError):
        c.batch_write_item(
            RequestItems={t: [{"PutRequest": {"Item": NEW}}, {"PutRequest": {"Item": {"v": n(1)}}}]}
        )


EXISTS = {"ConditionExpression": "attribute_not_exists(pk)"}
NEVER = {"ConditionExpression": "v = :x", "ExpressionAttributeValues": {":x": n(99)}}

#: case -> the write on OLD's key that must leave no record.
NO_RECORD = {
    "conditional-put-failing": lambda c, t: failing(**EXISTS)(c.put_item, TableName=t, Item=NEW),
    "conditional-update-failing": lambda c, t: failing(
        ConditionExpression="v = :x",
    )(
        c.update_item,
        TableName=t,
        Key=KEY,
        UpdateExpression="SET v = :v",
        ExpressionAttributeValues={":v": n(5), ":x": n(99)},
    ),
    "conditional-delete-failing": lambda c, t: failing(**NEVER)(
        c.delete_item, TableName=t, Key=KEY
    ),
    "put-of-the-identical-item": put(OLD),
    "update-to-the-same-value": lambda c, t: c.update_item(
        TableName=t, Key=KEY, UpdateExpression="SET v = :v", ExpressionAttributeValues={":v": n(1)}
    ),
    "update-removing-an-absent-attribute": lambda c, t: c.update_item(
        TableName=t, Key=KEY, UpdateExpression="REMOVE nothing_here"
    ),
    "cancelled-transaction": cancelled_transaction,
    "rejected-batch": rejected_batch,
}


@pytest.mark.parametrize("case", list(NO_RECORD))
def test_write_that_changes_nothing_leaves_no_record(ddb_client, streamed, case):
    # Developer Guide: a PutItem or UpdateItem "that does not change any data in an item"
    # writes no stream record; a write refused by its condition, a cancelled transaction or a
    # refused batch changes nothing. The marker write after it is the next record of the item.
    stream = streamed("NEW_AND_OLD_IMAGES")
    ddb_client.put_item(TableName=stream.table, Item=OLD)
    NO_RECORD[case](ddb_client, stream.table)
    mark(ddb_client, stream.table, KEY)
    records = of_key(stream.records(until=marked(KEY)), KEY)
    assert [summary(r)[0] for r in records] == ["INSERT", "MODIFY"]
    assert records[1]["dynamodb"]["OldImage"] == OLD


def test_delete_of_a_missing_item_leaves_no_record(ddb_client, streamed):
    # AWS-run: "deleting a non-existent item doesn't appear in the log at all".
    stream = streamed("NEW_AND_OLD_IMAGES")
    ddb_client.delete_item(TableName=stream.table, Key=KEY)
    mark(ddb_client, stream.table, KEY)
    records = of_key(stream.records(until=marked(KEY)), KEY)
    assert [summary(r)[0] for r in records] == ["INSERT"]


def test_condition_check_in_a_transaction_leaves_no_record(ddb_client, streamed):
    stream = streamed("NEW_AND_OLD_IMAGES")
    ddb_client.put_item(TableName=stream.table, Item=OLD)
    ddb_client.transact_write_items(
        TransactItems=[
            {
                "ConditionCheck": {
                    "TableName": stream.table,
                    "Key": KEY,
                    "ConditionExpression": "attribute_exists(pk)",
                }
            },
            {"Put": {"TableName": stream.table, "Item": {"pk": s("other")}}},
        ]
    )
    mark(ddb_client, stream.table, KEY)
    records = of_key(stream.records(until=marked(KEY)), KEY)
    assert [summary(r)[0] for r in records] == ["INSERT", "MODIFY"]


# -- several items: transactions and batches -----------------------------------------------------


def test_transaction_leaves_one_record_per_item(ddb_client, streamed):
    stream = streamed("NEW_AND_OLD_IMAGES")
    ddb_client.put_item(TableName=stream.table, Item={"pk": s("u"), "v": n(1)})
    ddb_client.put_item(TableName=stream.table, Item={"pk": s("d"), "v": n(1)})
    ddb_client.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": stream.table, "Item": {"pk": s("p"), "v": n(1)}}},
            {
                "Update": {
                    "TableName": stream.table,
                    "Key": {"pk": s("u")},
                    "UpdateExpression": "SET v = :v",
                    "ExpressionAttributeValues": {":v": n(2)},
                }
            },
            {"Delete": {"TableName": stream.table, "Key": {"pk": s("d")}}},
        ]
    )
    records = stream.records(5)[2:]
    events = sorted((keys_of(r)["pk"]["S"], r["eventName"]) for r in records)
    assert events == [("d", "REMOVE"), ("p", "INSERT"), ("u", "MODIFY")]


def test_batch_write_leaves_one_record_per_request(ddb_client, streamed):
    stream = streamed("KEYS_ONLY")
    ddb_client.put_item(TableName=stream.table, Item={"pk": s("gone")})
    ddb_client.batch_write_item(
        RequestItems={
            stream.table: [
                {"PutRequest": {"Item": {"pk": s("a")}}},
                {"PutRequest": {"Item": {"pk": s("b")}}},
                {"DeleteRequest": {"Key": {"pk": s("gone")}}},
            ]
        }
    )
    events = sorted((keys_of(r)["pk"]["S"], r["eventName"]) for r in stream.records(4)[1:])
    assert events == [("a", "INSERT"), ("b", "INSERT"), ("gone", "REMOVE")]


def test_records_of_one_table_do_not_reach_another_tables_stream(ddb_client, streamed):
    first, second = streamed(label="first"), streamed(label="second")
    ddb_client.put_item(TableName=first.table, Item={"pk": s("one")})
    ddb_client.put_item(TableName=second.table, Item={"pk": s("two")})
    assert [keys_of(r) for r in first.records(1)] == [{"pk": s("one")}]
    assert [keys_of(r) for r in second.records(1)] == [{"pk": s("two")}]


# -- record fields ---------------------------------------------------------------------------------


def one_record(client, streamed):
    """The record of one PutItem on a new NEW_AND_OLD_IMAGES stream, and when it was written."""
    stream = streamed("NEW_AND_OLD_IMAGES")
    written = time.time()
    client.put_item(TableName=stream.table, Item=OLD)
    (record,) = stream.records(1)
    return record, written


def test_record_names_its_source(ddb_client, streamed):
    one = one_record(ddb_client, streamed)
    # Record.eventSource: "For DynamoDB Streams, this is aws:dynamodb."
    assert one[0]["eventSource"] == "aws:dynamodb"


def test_record_names_the_region_of_the_request(ddb_client, streamed, ddb_streams_client):
    one = one_record(ddb_client, streamed)
    # Record.awsRegion: "The region in which the GetRecords request was received."
    assert one[0]["awsRegion"] == ddb_streams_client.meta.region_name


def test_record_has_an_event_id_and_version(ddb_client, streamed):
    one = one_record(ddb_client, streamed)
    record = one[0]
    assert isinstance(record["eventID"], str)
    assert record["eventID"]
    # eventVersion may change at any time (Record), so only its presence is asserted.
    assert isinstance(record["eventVersion"], str)
    assert record["eventVersion"]


def test_record_sequence_number_is_decimal_of_21_to_40_digits(ddb_client, streamed):
    one = one_record(ddb_client, streamed)
    # API Reference: SequenceNumber, length 21 to 40; numeric characters only.
    number = one[0]["dynamodb"]["SequenceNumber"]
    assert number.isdecimal(), number
    assert 21 <= len(number) <= 40, number


def test_record_size_is_a_positive_number_of_bytes(ddb_client, streamed):
    one = one_record(ddb_client, streamed)
    # StreamRecord.SizeBytes: "The size of the stream record, in bytes" (PositiveLongObject, >= 1).
    size = one[0]["dynamodb"]["SizeBytes"]
    assert isinstance(size, int)
    assert size >= 1


def test_record_creation_time_is_whole_seconds_near_the_write(ddb_client, streamed):
    one = one_record(ddb_client, streamed)
    # StreamRecord.ApproximateCreationDateTime: epoch time "rounded down to the closest second".
    record, written = one
    created = record["dynamodb"]["ApproximateCreationDateTime"]
    assert created.microsecond == 0, created
    # Clocks of the test host and the service differ little; five minutes is generous.
    assert abs(created.timestamp() - written) < 300
    assert created.tzinfo is not None
    assert created.utcoffset() == timezone.utc.utcoffset(None)


def test_record_of_a_user_write_carries_no_ttl_identity(ddb_client, streamed):
    one = one_record(ddb_client, streamed)
    # Only deletions by Time to Live carry userIdentity Service/dynamodb.amazonaws.com.
    assert one[0].get("userIdentity") != TTL_IDENTITY


def test_event_ids_are_unique(ddb_client, streamed):
    # Record.eventID: "A globally unique identifier for the event".
    stream = streamed("KEYS_ONLY")
    for key in "abc":
        ddb_client.put_item(TableName=stream.table, Item={"pk": s(key)})
    ddb_client.delete_item(TableName=stream.table, Key={"pk": s("a")})
    ids = [r["eventID"] for r in stream.records(4)]
    assert len(set(ids)) == 4


def test_user_delete_record_carries_no_ttl_identity(ddb_client, streamed):
    # "Items that are deleted by the Time to Live process after expiration have the following
    # fields" (Developer Guide): a user's DeleteItem is a normal delete, not a system delete.
    stream = streamed("KEYS_ONLY")
    ddb_client.put_item(TableName=stream.table, Item=KEY)
    ddb_client.delete_item(TableName=stream.table, Key=KEY)
    record = stream.records(2)[-1]
    assert record["eventName"] == "REMOVE"
    assert record.get("userIdentity") != TTL_IDENTITY


def test_ttl_deletion_record_is_observed(ddb_client, streamed):
    # AWS deletes an expired item within days (typically minutes; Alternator's AWS runs saw
    # 10-30), then writes a REMOVE record with userIdentity Service/dynamodb.amazonaws.com.
    # No test can wait that long, and emulators that expire items do so on their own clock,
    # so the stream is only observed once, right away. A recorded AWS read after expiry (for
    # nox -s aws, a long-running variant) settles what each backend writes.
    stream = streamed("NEW_AND_OLD_IMAGES")
    ddb_client.update_time_to_live(
        TableName=stream.table, TimeToLiveSpecification={"AttributeName": "exp", "Enabled": True}
    )
    ddb_client.put_item(TableName=stream.table, Item={**KEY, "exp": n(this_hour() - 60)})
    observe(stream.streams.get_records, ShardIterator=stream.iterator())


# -- order and sequence numbers ----------------------------------------------------------------


def test_records_of_one_item_come_in_the_order_of_its_writes(ddb_client, streamed):
    # Developer Guide: for each item, records appear in the same sequence as its changes.
    stream = streamed("NEW_AND_OLD_IMAGES")
    ddb_client.put_item(TableName=stream.table, Item=OLD)
    for value in (2, 3):
        ddb_client.update_item(
            TableName=stream.table,
            Key=KEY,
            UpdateExpression="SET v = :v",
            ExpressionAttributeValues={":v": n(value)},
        )
    ddb_client.delete_item(TableName=stream.table, Key=KEY)
    records = of_key(stream.records(4), KEY)
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY", "MODIFY", "REMOVE"]
    # Each change starts from the image the previous one left.
    for earlier, later in itertools.pairwise(records):
        assert later["dynamodb"]["OldImage"] == earlier["dynamodb"]["NewImage"]


def test_sequence_numbers_of_one_item_increase(ddb_client, streamed):
    # AWS-run: sequence numbers compare as integers and grow with each record of an item.
    stream = streamed("KEYS_ONLY")
    for value in range(4):
        ddb_client.put_item(TableName=stream.table, Item={**KEY, "v": n(value)})
    numbers = [int(r["dynamodb"]["SequenceNumber"]) for r in of_key(stream.records(4), KEY)]
    assert len(numbers) == 4
    assert numbers == sorted(numbers)
    assert len(set(numbers)) == 4


def test_sequence_numbers_increase_along_a_shard(ddb_client, streamed):
    # Each record's sequence number reflects "the order in which the record was published to
    # the stream" (Developer Guide), so a shard reads in increasing order.
    stream = streamed("KEYS_ONLY")
    for key in "abcdef":
        ddb_client.put_item(TableName=stream.table, Item={"pk": s(key)})
    stream.records(6)
    for shard in stream.shards():
        iterators = {shard["ShardId"]: stream.iterator(shard["ShardId"])}
        records = stream.records(until=lambda found: False, budget=0, iterators=iterators)
        numbers = [int(r["dynamodb"]["SequenceNumber"]) for r in records]
        assert numbers == sorted(numbers)


def test_interleaved_items_keep_their_own_order(ddb_client, streamed):
    stream = streamed("NEW_IMAGE")
    for value in range(3):
        for key in ("x", "y"):
            ddb_client.put_item(TableName=stream.table, Item={"pk": s(key), "v": n(value)})
    records = stream.records(6)
    for key in ("x", "y"):
        values = [r["dynamodb"]["NewImage"]["v"] for r in of_key(records, {"pk": s(key)})]
        assert values == [n(0), n(1), n(2)]


def test_reading_from_trim_horizon_again_returns_the_same_records(ddb_client, streamed):
    # AWS-run: a second TRIM_HORIZON iterator reads the same records in the same order.
    stream = streamed("KEYS_ONLY")
    for key in "abc":
        ddb_client.put_item(TableName=stream.table, Item={"pk": s(key)})
    first = [r["dynamodb"]["SequenceNumber"] for r in stream.records(3)]
    second = [r["dynamodb"]["SequenceNumber"] for r in stream.records(3)]
    assert first == second
    assert len(first) == 3


# -- shard iterators -----------------------------------------------------------------------------


def three_puts(client, streamed):
    """A new KEYS_ONLY stream holding the records of three puts (a, b, c); (stream, records)."""
    stream = streamed("KEYS_ONLY")
    for key in "abc":
        client.put_item(TableName=stream.table, Item={"pk": s(key)})
    records = stream.records(3)
    assert len(records) == 3
    return stream, records


def iterator_error(stream, **request):
    """The error of a GetShardIterator for the stream's first shard that should be refused."""
    request = {"StreamArn": stream.arn, "ShardId": stream.shard_id(), **request}
    return error_of(stream.streams.get_shard_iterator, **request)


def read_from(stream, kind, count, **kwargs):
    """Read one shard from an iterator of ``kind``: ``count`` records, or one pass if 0."""
    shard = stream.shard_id()
    iterators = {shard: stream.iterator(shard, kind, **kwargs)}
    if count:
        return stream.records(count, iterators=iterators)
    return stream.records(until=lambda found: False, budget=0, iterators=iterators)


def test_trim_horizon_starts_at_the_oldest_record(ddb_client, streamed):
    # GetShardIterator TRIM_HORIZON: start at the oldest untrimmed record of the shard.
    stream, records = three_puts(ddb_client, streamed)
    assert [keys_of(r) for r in read_from(stream, "TRIM_HORIZON", 3)] == [
        keys_of(r) for r in records
    ]


def test_latest_skips_the_records_already_written(ddb_client, streamed):
    # LATEST: "Start reading just after the most recent stream record in the shard".
    stream, _ = three_puts(ddb_client, streamed)
    assert read_from(stream, "LATEST", 0) == []


def test_latest_reads_what_is_written_after_it(ddb_client, streamed):
    # AWS-run (ScyllaDB suite, on fresh tables): a write after a LATEST iterator is read from it.
    stream, _ = three_puts(ddb_client, streamed)
    shard = stream.shard_id()
    iterators = {shard: stream.iterator(shard, "LATEST")}
    ddb_client.put_item(TableName=stream.table, Item={"pk": s("d")})
    assert [keys_of(r) for r in stream.records(1, iterators=iterators)] == [{"pk": s("d")}]


def test_at_sequence_number_starts_at_that_record(ddb_client, streamed):
    stream, records = three_puts(ddb_client, streamed)
    number = records[1]["dynamodb"]["SequenceNumber"]
    found = read_from(stream, "AT_SEQUENCE_NUMBER", 2, SequenceNumber=number)
    assert [r["dynamodb"]["SequenceNumber"] for r in found] == [
        r["dynamodb"]["SequenceNumber"] for r in records[1:]
    ]


def test_after_sequence_number_starts_after_that_record(ddb_client, streamed):
    stream, records = three_puts(ddb_client, streamed)
    number = records[1]["dynamodb"]["SequenceNumber"]
    found = read_from(stream, "AFTER_SEQUENCE_NUMBER", 1, SequenceNumber=number)
    assert [r["dynamodb"]["SequenceNumber"] for r in found] == [
        records[2]["dynamodb"]["SequenceNumber"]
    ]


def test_at_the_shards_starting_sequence_number_reads_every_record(ddb_client, streamed):
    # AWS-run: an AT_SEQUENCE_NUMBER iterator at StartingSequenceNumber reads the whole shard.
    stream, records = three_puts(ddb_client, streamed)
    start = stream.shards()[0]["SequenceNumberRange"]["StartingSequenceNumber"]
    found = read_from(stream, "AT_SEQUENCE_NUMBER", 3, SequenceNumber=start)
    assert [keys_of(r) for r in found] == [keys_of(r) for r in records]


@pytest.mark.parametrize("kind", ["AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"])
def test_sequence_iterator_without_a_sequence_number_is_rejected(streamed, kind):
    # AWS-run: these iterator types need a SequenceNumber; without one, ValidationException.
    stream = streamed("KEYS_ONLY")
    error = iterator_error(stream, ShardIteratorType=kind)
    assert_error(error, "ValidationException")


@pytest.mark.parametrize("kind", ["TRIM_HORIZON", "LATEST"])
def test_positional_iterator_with_a_sequence_number_is_rejected(ddb_client, streamed, kind):
    # AWS-run: TRIM_HORIZON and LATEST take no SequenceNumber; with one, ValidationException.
    stream, records = three_puts(ddb_client, streamed)
    error = iterator_error(
        stream, ShardIteratorType=kind, SequenceNumber=records[0]["dynamodb"]["SequenceNumber"]
    )
    assert_error(error, "ValidationException")


def test_unknown_iterator_type_is_rejected(streamed):
    # AWS-run: ShardIteratorType outside its enum is a ValidationException.
    stream = streamed("KEYS_ONLY")
    error = iterator_error(stream, ShardIteratorType="FROM_THE_MIDDLE")
    assert_error(error, "ValidationException")


def test_too_short_sequence_number_is_rejected(ddb_client, streamed):
    # API Reference: a SequenceNumber is 21 to 40 characters.
    stream = streamed("KEYS_ONLY")
    error = iterator_error(stream, ShardIteratorType="AT_SEQUENCE_NUMBER", SequenceNumber="12345")
    assert_error(error, "ValidationException")


def test_non_numeric_sequence_number_is_observed(ddb_client, streamed):
    # Unsettled: a SequenceNumber of the right length that is not a number. ScyllaDB's AWS runs
    # record a ValidationException only together with LATEST (which takes none); a recorded
    # AWS answer for AT_SEQUENCE_NUMBER settles it.
    stream = streamed("KEYS_ONLY")
    observe(
        stream.streams.get_shard_iterator,
        StreamArn=stream.arn,
        ShardId=stream.shard_id(),
        ShardIteratorType="AT_SEQUENCE_NUMBER",
        SequenceNumber="not-a-sequence-number-at-all",
    )


def test_iterator_for_an_unknown_shard_is_not_found(streamed):
    # AWS-run: a well-formed ShardId the stream does not have is a ResourceNotFoundException.
    stream = streamed("KEYS_ONLY")
    error = iterator_error(
        stream, ShardId="shardId-00000000000000000000-00000000", ShardIteratorType="TRIM_HORIZON"
    )
    assert_error(error, "ResourceNotFoundException")


def test_iterator_for_a_malformed_stream_arn_is_rejected(streamed):
    # AWS-run: a StreamArn that is no ARN is a ValidationException.
    stream = streamed("KEYS_ONLY")
    error = iterator_error(
        stream, StreamArn="this-is-not-the-arn-of-any-stream-at-all", ShardIteratorType="LATEST"
    )
    assert_error(error, "ValidationException")


def test_at_timestamp_in_the_future_is_rejected(ddb_client, streamed):
    # GetShardIterator Timestamp: "If the timestamp is in the future, the request returns a
    # ValidationException." A past timestamp is accepted first, so a backend that refuses
    # AT_TIMESTAMP altogether does not pass.
    stream = streamed("KEYS_ONLY")
    request = {
        "StreamArn": stream.arn,
        "ShardId": stream.shard_id(),
        "ShardIteratorType": "AT_TIMESTAMP",
    }
    # Whole hours (support.this_hour): every backend gets the same timestamps to compare.
    past = datetime.fromtimestamp(this_hour() - 3600, tz=timezone.utc)
    assert stream.streams.get_shard_iterator(**request, Timestamp=past)["ShardIterator"]
    future = datetime.fromtimestamp(this_hour() + 2 * 3600, tz=timezone.utc)
    error = error_of(stream.streams.get_shard_iterator, **request, Timestamp=future)
    assert_error(error, "ValidationException")


def test_at_timestamp_before_the_stream_reads_from_the_oldest_record(ddb_client, streamed):
    # Timestamp: older than the trim horizon, "the iterator points to the oldest untrimmed
    # stream record (TRIM_HORIZON)".
    stream, records = three_puts(ddb_client, streamed)
    found = read_from(
        stream, "AT_TIMESTAMP", 3, Timestamp=datetime(2020, 1, 1, tzinfo=timezone.utc)
    )
    assert [keys_of(r) for r in found] == [keys_of(r) for r in records]


def test_next_iterator_of_a_read_to_the_end_reads_nothing_more(ddb_client, streamed):
    # AWS-run: after the last record, the open shard's next iterator answers Records [] and
    # another NextShardIterator.
    stream, _ = three_puts(ddb_client, streamed)
    page = stream.streams.get_records(ShardIterator=stream.iterator())
    for _ in range(10):
        if not page["Records"]:
            break
        page = stream.streams.get_records(ShardIterator=page["NextShardIterator"])
    assert page["Records"] == []
    assert page["NextShardIterator"]


def test_next_iterator_sees_a_later_write(ddb_client, streamed):
    stream, _ = three_puts(ddb_client, streamed)
    position = stream.iterator()
    for _ in range(10):
        page = stream.streams.get_records(ShardIterator=position)
        position = page["NextShardIterator"]
        if not page["Records"]:
            break
    ddb_client.put_item(TableName=stream.table, Item={"pk": s("d")})
    found = stream.records(1, iterators={stream.shard_id(): position})
    assert [keys_of(r) for r in found] == [{"pk": s("d")}]


def test_garbage_iterator_is_rejected(ddb_streams_client):
    # AWS-run: GetRecords with an iterator DynamoDB never issued is a ValidationException.
    error = error_of(ddb_streams_client.get_records, ShardIterator="x" * 64 + "-not-an-iterator")
    assert_error(error, "ValidationException")


def test_empty_iterator_is_rejected(ddb_streams_client):
    # ShardIterator is 1 to 2048 characters (API Reference).
    assert_error(error_of(ddb_streams_client.get_records, ShardIterator=""), "ValidationException")


def test_iterator_used_twice_is_observed(ddb_client, streamed):
    # Unsettled: whether a shard iterator may be used again (Kinesis allows it until it
    # expires); a recorded AWS second GetRecords with the same iterator settles it.
    stream, _ = three_puts(ddb_client, streamed)
    position = stream.iterator()
    stream.streams.get_records(ShardIterator=position)
    observe(stream.streams.get_records, ShardIterator=position)


def test_expired_iterator_is_observed(ddb_client, streamed):
    # A shard iterator expires 15 minutes after it was issued: GetRecords then answers
    # ExpiredIteratorException (API Reference). No test waits 15 minutes; what it can check is
    # that an iterator of a disabled-then-deleted table's stream still answers like a service.
    # A recorded AWS GetRecords with a 16-minute-old iterator settles the expired case.
    stream, _ = three_puts(ddb_client, streamed)
    position = stream.iterator()
    stream.client.delete_table(TableName=stream.table)
    observe(stream.streams.get_records, ShardIterator=position)


# -- GetRecords, DescribeStream and ListStreams limits and pages ---------------------------------


@pytest.mark.parametrize("limit", [1, 2])
def test_get_records_never_returns_more_than_its_limit(ddb_client, streamed, limit):
    # GetRecords Limit: "The maximum number of records to return from the shard."
    stream, records = three_puts(ddb_client, streamed)
    position, pages = stream.iterator(), []
    for _ in range(12):
        page = stream.streams.get_records(ShardIterator=position, Limit=limit)
        pages.append(page["Records"])
        position = page.get("NextShardIterator")
        if sum(map(len, pages)) >= 3 or position is None:
            break
    assert all(len(page) <= limit for page in pages)
    # Paging with the NextShardIterator reads every record once, in order.
    read = [r["dynamodb"]["SequenceNumber"] for page in pages for r in page]
    assert read == [r["dynamodb"]["SequenceNumber"] for r in records]


def test_get_records_limit_of_1000_is_accepted(ddb_client, streamed):
    stream, _ = three_puts(ddb_client, streamed)
    assert (
        len(stream.streams.get_records(ShardIterator=stream.iterator(), Limit=1000)["Records"]) <= 3
    )


@pytest.mark.parametrize("limit", [0, -1, 1001])
def test_get_records_limit_out_of_range_is_rejected(ddb_client, streamed, limit):
    # AWS-run: Limit must be 1 to 1000 ("The upper limit is 1000"): 0, -1 and 1001 are
    # ValidationExceptions naming the limit.
    stream, _ = three_puts(ddb_client, streamed)
    error = error_of(stream.streams.get_records, ShardIterator=stream.iterator(), Limit=limit)
    assert_error(error, "ValidationException", "limit")


def test_describe_stream_limit_of_one_lists_one_shard(streamed):
    # DescribeStream Limit: "The maximum number of shard objects to return."
    assert len(streamed("KEYS_ONLY").describe(Limit=1)["Shards"]) <= 1


def test_describe_stream_limit_of_zero_is_rejected(streamed):
    # Limit is a PositiveIntegerObject (minimum 1).
    stream = streamed("KEYS_ONLY")
    assert_error(error_of(stream.describe, Limit=0), "ValidationException")


def test_describe_stream_limit_over_100_is_observed(streamed):
    # "The upper limit is 100" (DescribeStream Limit); whether 101 is refused or capped is not
    # recorded. A recorded AWS DescribeStream with Limit=101 settles it.
    stream = streamed("KEYS_ONLY")
    observe(stream.streams.describe_stream, StreamArn=stream.arn, Limit=101)


def test_describe_stream_after_the_last_shard_lists_none(streamed):
    # AWS-run: ExclusiveStartShardId of the last shard answers no shards.
    stream = streamed("KEYS_ONLY")
    last = stream.shards()[-1]["ShardId"]
    assert stream.describe(ExclusiveStartShardId=last)["Shards"] == []


def test_describe_stream_after_an_unknown_shard_is_not_an_error(streamed):
    # AWS-run: an ExclusiveStartShardId sorting after every shard answers no shards, no error.
    stream = streamed("KEYS_ONLY")
    assert (
        stream.describe(ExclusiveStartShardId="shardId-zzzzzzzzzzzzzzzzzzzzzzzzzzzz")["Shards"]
        == []
    )


def test_describe_stream_lists_shards_in_order_once(streamed):
    # AWS-run: paging through DescribeStream lists each shard once, in lexical order.
    shards = [shard["ShardId"] for shard in streamed("KEYS_ONLY").shards()]
    assert shards == sorted(set(shards))


def test_describe_stream_of_a_missing_stream_is_not_found(ddb_client, streamed):
    # DescribeStream throws ResourceNotFoundException for a stream that does not exist; the
    # ARN here is well formed, of this account and region.
    stream = streamed("KEYS_ONLY")
    table_arn = ddb_client.describe_table(TableName=stream.table)["Table"]["TableArn"]
    missing = f"{table_arn}/stream/2000-01-01T00:00:00.000"
    error = error_of(stream.streams.describe_stream, StreamArn=missing)
    assert_error(error, "ResourceNotFoundException")


def test_describe_stream_of_a_malformed_arn_is_rejected(ddb_streams_client):
    # AWS-run: a StreamArn that is no ARN is a ValidationException.
    error = error_of(
        ddb_streams_client.describe_stream, StreamArn="sdfadfsdfnlfkajakfgjalksfgklasjklasdjfklasdf"
    )
    assert_error(error, "ValidationException")


def test_list_streams_of_a_table_names_its_stream(streamed):
    stream = streamed("KEYS_ONLY")
    listed = stream.streams.list_streams(TableName=stream.table)["Streams"]
    label = stream.arn.rsplit("/", 1)[1]
    assert listed == [{"StreamArn": stream.arn, "TableName": stream.table, "StreamLabel": label}]


def test_list_streams_of_a_table_without_a_stream_is_empty(ddb_streams_client, make_table):
    # AWS-run: ListStreams of a table without a stream answers an empty list.
    table = make_table(keys=HASH)
    assert ddb_streams_client.list_streams(TableName=table)["Streams"] == []


def test_list_streams_of_a_missing_table_is_observed(ddb_streams_client):
    # Unsettled: ListStreams names ResourceNotFoundException among its errors, but whether a
    # missing table gets it or an empty list is not recorded. A recorded AWS answer settles it.
    observe(ddb_streams_client.list_streams, TableName="ddbmatrix-no-such-table")


def test_list_streams_without_a_table_includes_ours(streamed):
    # ListStreams: the stream ARNs "associated with the current account and endpoint".
    stream = streamed("KEYS_ONLY")
    arns, start = [], {}
    for _ in range(50):  # pages, bounded: other runs may own many streams
        page = stream.streams.list_streams(**start)
        arns += [listed["StreamArn"] for listed in page["Streams"]]
        if stream.arn in arns or "LastEvaluatedStreamArn" not in page:
            break
        start = {"ExclusiveStartStreamArn": page["LastEvaluatedStreamArn"]}
    assert stream.arn in arns


@pytest.mark.parametrize("limit", [0, 101])
def test_list_streams_limit_out_of_range_is_rejected(ddb_streams_client, limit):
    # AWS-run: ListStreams Limit 0 and 101 are ValidationExceptions ("The upper limit is 100").
    error = error_of(ddb_streams_client.list_streams, Limit=limit)
    assert_error(error, "ValidationException")


def test_list_streams_with_a_malformed_start_arn_is_rejected(streamed):
    # AWS-run: an ExclusiveStartStreamArn that is no ARN is a ValidationException.
    stream = streamed("KEYS_ONLY")
    error = error_of(
        stream.streams.list_streams,
        TableName=stream.table,
        ExclusiveStartStreamArn="kossaapaaasdafsdaasdasdasdasasdasfadfadfasdasdas",
    )
    assert_error(error, "ValidationException")


def test_list_streams_pages_through_a_tables_streams(
    ddb_client, ddb_streams_client, attach, streamed
):
    # A table has a new stream each time one is enabled, and a disabled one stays listed for
    # 24 hours (Developer Guide); Limit=1 pages through them with LastEvaluatedStreamArn.
    first = streamed("KEYS_ONLY")
    second = re_enabled(ddb_client, attach, first, "KEYS_ONLY")
    page = ddb_streams_client.list_streams(TableName=first.table, Limit=1)
    assert len(page["Streams"]) == 1
    rest = ddb_streams_client.list_streams(
        TableName=first.table, ExclusiveStartStreamArn=page["LastEvaluatedStreamArn"]
    )
    listed = {listed["StreamArn"] for listed in page["Streams"] + rest["Streams"]}
    assert listed == {first.arn, second.arn}
