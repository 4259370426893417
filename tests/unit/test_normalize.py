from __future__ import annotations

import pytest

from ddbmatrix.normalize import (
    TRANSFORMERS,
    Context,
    error_free_body,
    normalize,
    normalize_calls,
    normalize_message,
    normalize_text,
)

CTX = Context(tables={"ddbm-0123abcd-0123456789": "orders"})


def test_generated_table_names_become_labels_everywhere():
    value = {
        "TableName": "ddbm-0123abcd-0123456789",
        "message": "Table: ddbm-0123abcd-0123456789 not found",
        "Other": "ddbm-ffffffff-ffffffffff",
        "ddbm-0123abcd-0123456789": [1],
    }
    assert normalize(value, CTX) == {
        "TableName": "<table:orders>",
        "message": "Table: <table:orders> not found",
        "Other": "<table:?>",
        "<table:orders>": [1],
    }


def test_tables_shortened_by_pytest_are_recognized_in_messages():
    message = "assert {'ddbm-0123ab...23456789': 1.0} == {'ddbm-ffff...0000': 2}"
    assert normalize_message(message, CTX) == "assert {'<table:orders>': 1.0} == {'<table:?>': 2}"


def test_arns_lose_region_and_account_but_keep_the_table():
    arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/ddbm-0123abcd-0123456789"
    assert normalize({"TableArn": arn}, CTX) == {
        "TableArn": "arn:aws:dynamodb:<region>:<account>:table/<table:orders>"
    }


def test_timestamps_and_generated_ids_are_replaced():
    value = {"CreationDateTime": 1700000000.5, "TableId": "abc", "ItemCount": 3}
    assert normalize(value, CTX) == {
        "CreationDateTime": "<timestamp>",
        "TableId": "<id>",
        "ItemCount": 3,
    }


def test_endpoints_and_uuids_in_messages_are_replaced():
    uuid = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    text = f"Could not connect to http://127.0.0.1:41234/ (request {uuid})"
    assert normalize(text, CTX) == "Could not connect to <endpoint>/ (request <uuid>)"


def test_map_key_order_is_made_canonical():
    assert list(normalize({"b": 1, "a": {"d": 1, "c": 2}}, CTX)) == ["a", "b"]
    assert list(normalize({"b": 1, "a": {"d": 1, "c": 2}}, CTX)["a"]) == ["c", "d"]


def test_python_reprs_in_failure_messages_lose_what_varies():
    message = (
        "assert x where x = read(<botocore.client.DynamoDB object at 0x7f0754820c90>) "
        "{'ResponseMetadata': {'RequestId': 'SLZO7EGVAU8...5788544', 'HTTPStat...4c7-b3fd-"
        "4fe2-afb7-f3973e04016a', 'date': 'Sat, 21 Nov 2026 10:00:00 GMT', "
        "'x-amzn-requestid': '5ItQ98lEqF2nA73l'}, "
        "'created': datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=tzlocal())}"
    )
    assert normalize_message(message, CTX) == (
        "assert x where x = read(<botocore.client.DynamoDB object>) "
        "{'ResponseMetadata': {'RequestId': '<id>', 'HTTPStat...<uuid>', 'date': '<id>', "
        "'x-amzn-requestid': '<id>'}, 'created': <timestamp>}"
    )


@pytest.mark.parametrize("value", ["0x7f0754820c90 at 0x1>", "datetime.datetime(2026, 1, 1)"])
def test_message_transformers_leave_item_values_alone(value):
    item = {"Item": {"v": {"S": value}}}
    assert normalize(item, CTX) == item


def test_item_values_are_signal_and_stay():
    item = {"Item": {"pk": {"S": "a"}, "n": {"N": "01.500"}, "when": {"S": "2026-01-01"}}}
    assert normalize(item, CTX) == item


def test_every_transformer_has_a_unique_name_and_a_description():
    names = [t.name for t in TRANSFORMERS]
    assert len(set(names)) == len(names)
    assert all(t.description for t in TRANSFORMERS)


def test_error_body_drops_type_and_message_only():
    body = {"__type": "x#ConditionalCheckFailedException", "message": "m", "Item": {"a": 1}}
    assert error_free_body(body) == {"Item": {"a": 1}}


def test_results_dynamodb_returns_in_no_order_are_sorted_after_normalizing():
    a = {"Responses": {"ddbm-0123abcd-0123456789": [{"k": "b"}, {"k": "a"}]}}
    b = {"Responses": {"ddbm-0123abcd-0123456789": [{"k": "a"}, {"k": "b"}]}}
    assert normalize(a, CTX) == normalize(b, CTX)
    capacity = [{"TableName": "ddbm-0123abcd-0123456789", "CapacityUnits": 2}, {"TableName": "a"}]
    assert normalize({"ConsumedCapacity": capacity}, CTX)["ConsumedCapacity"][0] == {
        "TableName": "<table:orders>",
        "CapacityUnits": 2,
    }


def test_ordered_results_keep_their_order():
    transact = {"Responses": [{"Item": {"k": "b"}}, {"Item": {"k": "a"}}]}
    scan = {"Items": [{"k": "b"}, {"k": "a"}]}
    assert normalize(transact, CTX) == transact
    assert normalize(scan, CTX) == scan


def test_pagination_tokens_are_opaque():
    assert normalize({"NextToken": "eyJjcmVhdGlvblRpbWUiOjE3OTUz"}, CTX) == {"NextToken": "<token>"}


def test_polling_describe_table_counts_as_its_last_call():
    def describe(status):
        return {
            "operation": "DescribeTable",
            "request": {"TableName": "<table:t>"},
            "response": {"Table": {"TableStatus": status}},
        }

    put = {"operation": "PutItem", "request": {}, "response": {}}
    calls = [describe("CREATING"), describe("CREATING"), describe("ACTIVE"), put]
    calls.append(describe("ACTIVE"))
    assert normalize_calls(calls) == [describe("ACTIVE"), put, describe("ACTIVE")]


def test_integral_json_numbers_compare_equal_and_item_numbers_stay_strings():
    value = {"ConsumedCapacity": {"CapacityUnits": 1.0}, "Item": {"n": {"N": "1.0"}}}
    assert normalize(value, CTX) == {
        "ConsumedCapacity": {"CapacityUnits": 1},
        "Item": {"n": {"N": "1.0"}},
    }
    assert normalize({"CapacityUnits": 0.5}, CTX) == {"CapacityUnits": 0.5}
    assert normalize({"Enabled": True}, CTX) == {"Enabled": True}


def test_dicts_in_failure_messages_read_alike_whatever_their_key_order():
    one = "AssertionError: assert {'qty': {'N': '1'}, 'pk': {'S': 'a'}} == {'pk': {'S': 'b'}}"
    other = "AssertionError: assert {'pk': {'S': 'a'}, 'qty': {'N': '1'}} == {'pk': {'S': 'b'}}"
    assert normalize_message(one, Context()) == normalize_message(other, Context()) == other
    shortened = "assert {'b': 1, ...} == {'a': 2}"  # pytest's ellipsis: left alone, not broken
    assert normalize_message(shortened, Context()) == shortened


def test_per_table_maps_in_messages_read_alike_whatever_their_entry_order():
    ctx = Context(tables={"ddbm-00000000-aaaaaaaaaa": "b", "ddbm-00000000-bbbbbbbbbb": "a"})
    one = "Value '{ddbm-00000000-aaaaaaaaaa=[[W {x: 1}, W]], ddbm-00000000-bbbbbbbbbb=[[W]]}' bad"
    other = "Value '{ddbm-00000000-bbbbbbbbbb=[[W]], ddbm-00000000-aaaaaaaaaa=[[W {x: 1}, W]]}' bad"
    expected = "Value '{<table:a>=[[W]], <table:b>=[[W {x: 1}, W]]}' bad"
    assert normalize_text(one, ctx) == normalize_text(other, ctx) == expected


def test_the_tests_own_name_on_a_backend_becomes_its_stable_name():
    # Suites make keys unique with request.node.name / nodeid, which carry the backend.
    ctx = Context.of({"id": "t.py::test_x[a]", "nodeid": "t.py::test_x[moto-a]", "tables": {}})
    request = {"Item": {"pk": {"S": "test_x[moto-a]"}, "from": {"S": "t.py::test_x[moto-a]"}}}
    assert normalize(request, ctx) == {
        "Item": {"from": {"S": "t.py::test_x[a]"}, "pk": {"S": "test_x[a]"}}
    }
    # Without parameters of its own, the name loses its brackets.
    bare = Context.of({"id": "t.py::test_y", "nodeid": "t.py::test_y[dynalite]"})
    assert normalize_text("key test_y[dynalite]", bare) == "key test_y"


def test_stream_labels_become_one_placeholder_in_fields_and_arns():
    table = "arn:aws:dynamodb:us-east-1:000000000000:table/ddbm-0123abcd-0123456789"
    value = {"LatestStreamLabel": "2026-12-02T12:00:00.123", "LatestStreamArn": table + "/stream/1"}
    assert normalize(value, Context(tables=CTX.tables)) == {
        "LatestStreamArn": "arn:aws:dynamodb:<region>:<account>:table/<table:orders>"
        "/stream/<stream-label>",
        "LatestStreamLabel": "<stream-label>",
    }


def test_stream_ids_are_numbered_by_first_appearance_so_references_still_match():
    ctx = Context()
    shards = normalize({"Shards": [{"ShardId": "a-9", "ParentShardId": "a-1"}]}, ctx)
    # A later request that names the first shard again gets the same placeholder.
    request = normalize({"ShardId": "a-9", "SequenceNumber": "000123"}, ctx)
    assert shards == {"Shards": [{"ParentShardId": "<shard:1>", "ShardId": "<shard:2>"}]}
    assert request == {"SequenceNumber": "<seq:1>", "ShardId": "<shard:2>"}


def test_numbering_does_not_depend_on_the_order_a_backend_writes_its_keys():
    one = normalize({"ShardId": "x", "ParentShardId": "y"}, Context())
    other = normalize({"ParentShardId": "p", "ShardId": "q"}, Context())
    assert one == other


def test_backup_ids_are_numbered_and_shard_iterators_are_opaque():
    ctx = Context(tables=CTX.tables)
    base = "arn:aws:dynamodb:us-east-1:000000000000:table/ddbm-0123abcd-0123456789/backup/0"
    value = {
        "BackupArn": base + "1700000000000-abcdef12",
        "Other": base + "1700000000001-99999999",
        "NextShardIterator": "AAAA|1700000000",
        "RevisionId": "r-1",
    }
    assert normalize(value, ctx) == {
        "BackupArn": "arn:aws:dynamodb:<region>:<account>:table/<table:orders>/backup/<backup:1>",
        "NextShardIterator": "<token>",
        "Other": "arn:aws:dynamodb:<region>:<account>:table/<table:orders>/backup/<backup:2>",
        "RevisionId": "<id>",
    }


# Texts and entries each shortcut must leave as the full pipeline would: every transformer's
# pattern, on text that holds it and on text that nearly does.
_TEXTS = [
    "plain",
    "",
    "a-b",
    "arn:aws:dynamodb:us-east-1:000000000000:table/ddbm-0123abcd-0123456789/stream/2024-01-01T00",
    "arn:aws:dynamodb:us-east-1:000000000000:table/t/backup/01700000000000-abcdef12",
    "see http://localhost:8000 and https://[::1]:4566/x",
    "id 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0 and ...4b5a-6978-8796-a5b4c3d2e1f0",
    "{'RequestId': 'X1', 'date': 'Mon'} datetime.datetime(2024, 1, 1, tzinfo=tzutc())",
    "Value '{<table:b>=[1], <table:a>=[2]}'",
    "{'b': 1, 'a': {'d': 2, 'c': 3}}",
    "<Thing object at 0x7f00aa>",
]


@pytest.mark.parametrize("text", _TEXTS)
@pytest.mark.parametrize("transformers", [TRANSFORMERS, TRANSFORMERS[:-3]])
def test_needed_substrings_only_skip_texts_a_transformer_leaves_alone(text, transformers):
    full = text
    for transformer in transformers:
        if transformer.text is not None:
            full = transformer.text(full, Context(tables=CTX.tables))
    assert normalize_text(text, Context(tables=CTX.tables), transformers) == full


_KEYS = [
    "TableId",
    "NextToken",
    "StreamLabel",
    "ShardId",
    "eventID",
    "CreationDateTime",
    "SS",
    "NS",
    "Other",
    "S",
]
_VALUES = ["v", 1.0, 2, ["b", "a"], None, True]


@pytest.mark.parametrize("key", _KEYS)
@pytest.mark.parametrize("transformers", [None, TRANSFORMERS])
def test_keys_only_skip_fields_a_transformer_leaves_alone(key, transformers):
    for value in _VALUES:
        full, ctx = value, Context()
        for transformer in TRANSFORMERS:
            if transformer.field is not None:
                full = transformer.field(key, full, ctx)
        # (No text transformer changes these values.)
        if transformers is None:
            assert normalize({key: value}, Context()) == {key: full}
        else:
            assert normalize({key: value}, Context(), transformers) == {key: full}


def test_maps_with_rewritten_keys_are_still_sorted():
    value = {"ddbm-0123abcd-0123456789": 1, "b": 2, "<table:zz>": 3}
    assert list(normalize(value, CTX)) == ["<table:orders>", "<table:zz>", "b"]
