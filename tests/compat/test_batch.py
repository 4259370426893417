"""BatchGetItem and BatchWriteItem: reads and writes across tables, their limits and errors.

Sources: Amazon DynamoDB API Reference, BatchGetItem ("up to 100 items", "If a requested item
does not exist, it is not returned in the result", UnprocessedKeys, ConsistentRead,
ProjectionExpression) and BatchWriteItem ("up to 25 item put or delete operations", and "If
one or more of the following is true, DynamoDB rejects the entire batch write operation":
a missing table, keys not matching the key schema, several operations on one item, more than
25 requests, an item over 400 KB, keys over their length limits); Developer Guide,
"Read/write capacity mode". "Recorded AWS answer" marks behaviour observed against real
DynamoDB by the public conformance suite nubo-db/dynamodb-conformance, or listed in
/work/shared/AWS-TRUTH.md.
"""

from __future__ import annotations

import pytest
from support import assert_error, error_of, n, observe, s

MAX_ITEM_BYTES = 400 * 1024


@pytest.fixture
def missing_table(new_table_name):
    """A name no table has. It carries the run's prefix, so that on aws the write guard lets
    the call through (it can change no table but the run's); it is never created."""
    return new_table_name("missing")


@pytest.fixture
def users(ddb_client, make_table):
    """A hash-key table holding u1..u3."""
    table = make_table(keys={"pk": "S"}, label="users")
    for i in range(1, 4):
        ddb_client.put_item(TableName=table, Item={"pk": s(f"u{i}"), "name": s(f"user {i}")})
    return table


@pytest.fixture
def orders(ddb_client, make_table):
    """A hash+range table holding (u1, 1), (u1, 2) and (u2, 1)."""
    table = make_table(keys={"pk": "S", "sk": "N"}, label="orders")
    for pk, sk in [("u1", 1), ("u1", 2), ("u2", 1)]:
        ddb_client.put_item(TableName=table, Item={"pk": s(pk), "sk": n(sk), "qty": n(sk * 10)})
    return table


def keys_of(items, *names):
    """The key tuples of `items`, sorted: BatchGetItem returns items in no particular order."""
    return sorted(tuple(next(iter(item[name].values())) for name in names) for item in items)


def read(client, table, key):
    return client.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")


def put(item):
    return {"PutRequest": {"Item": item}}


def delete(key):
    return {"DeleteRequest": {"Key": key}}


# --- BatchGetItem ----------------------------------------------------------------------------


def test_batch_get_reads_items_from_two_tables(ddb_client, users, orders):
    response = ddb_client.batch_get_item(
        RequestItems={
            users: {"Keys": [{"pk": s("u1")}, {"pk": s("u3")}]},
            orders: {"Keys": [{"pk": s("u1"), "sk": n(2)}, {"pk": s("u2"), "sk": n(1)}]},
        }
    )
    assert keys_of(response["Responses"][users], "pk") == [("u1",), ("u3",)]
    assert keys_of(response["Responses"][orders], "pk", "sk") == [("u1", "2"), ("u2", "1")]
    assert {"pk": s("u3"), "name": s("user 3")} in response["Responses"][users]


def test_batch_get_returns_whole_items(ddb_client, orders):
    response = ddb_client.batch_get_item(
        RequestItems={orders: {"Keys": [{"pk": s("u1"), "sk": n(2)}]}}
    )
    assert response["Responses"][orders] == [{"pk": s("u1"), "sk": n(2), "qty": n(20)}]


def test_batch_get_leaves_out_missing_items(ddb_client, users):
    # "If a requested item does not exist, it is not returned in the result."
    response = ddb_client.batch_get_item(
        RequestItems={users: {"Keys": [{"pk": s("u1")}, {"pk": s("ghost")}, {"pk": s("u2")}]}}
    )
    assert keys_of(response["Responses"][users], "pk") == [("u1",), ("u2",)]


def test_batch_get_table_with_no_matches_has_an_empty_list(ddb_client, users, orders):
    # Recorded AWS answer: a table none of whose keys matched is in Responses with [].
    response = ddb_client.batch_get_item(
        RequestItems={
            users: {"Keys": [{"pk": s("u1")}]},
            orders: {"Keys": [{"pk": s("nobody"), "sk": n(9)}]},
        }
    )
    assert response["Responses"][orders] == []
    assert len(response["Responses"][users]) == 1


def test_batch_get_unprocessed_keys_is_empty_on_success(ddb_client, users):
    # Recorded AWS answer: UnprocessedKeys is always present, {} when everything was read.
    response = ddb_client.batch_get_item(RequestItems={users: {"Keys": [{"pk": s("u1")}]}})
    assert response["UnprocessedKeys"] == {}


def test_batch_get_same_key_from_two_tables_reads_both(ddb_client, make_table):
    # Keys identify items within a table: the same key value in two tables names two items.
    first = make_table(keys={"pk": "S"}, label="first")
    second = make_table(keys={"pk": "S"}, label="second")
    ddb_client.put_item(TableName=first, Item={"pk": s("k"), "from": s("first")})
    ddb_client.put_item(TableName=second, Item={"pk": s("k"), "from": s("second")})
    response = ddb_client.batch_get_item(
        RequestItems={first: {"Keys": [{"pk": s("k")}]}, second: {"Keys": [{"pk": s("k")}]}}
    )
    assert response["Responses"][first] == [{"pk": s("k"), "from": s("first")}]
    assert response["Responses"][second] == [{"pk": s("k"), "from": s("second")}]


def test_batch_get_projection_returns_only_named_attributes(ddb_client, orders):
    # Recorded AWS answer: the key is not added to a projection that does not name it.
    response = ddb_client.batch_get_item(
        RequestItems={
            orders: {"Keys": [{"pk": s("u1"), "sk": n(1)}], "ProjectionExpression": "qty"}
        }
    )
    assert response["Responses"][orders] == [{"qty": n(10)}]


def test_batch_get_projection_with_attribute_names(ddb_client, users):
    # "name" is a reserved word, so it needs a placeholder.
    response = ddb_client.batch_get_item(
        RequestItems={
            users: {
                "Keys": [{"pk": s("u2")}],
                "ProjectionExpression": "pk, #n",
                "ExpressionAttributeNames": {"#n": "name"},
            }
        }
    )
    assert response["Responses"][users] == [{"pk": s("u2"), "name": s("user 2")}]


def test_batch_get_projection_matching_nothing_keeps_an_empty_item(ddb_client, users):
    # Recorded AWS answer: an existing item whose projection selects nothing comes back as {}.
    response = ddb_client.batch_get_item(
        RequestItems={users: {"Keys": [{"pk": s("u1")}], "ProjectionExpression": "nothing"}}
    )
    assert response["Responses"][users] == [{}]


def test_batch_get_consistent_read_sees_the_latest_write(ddb_client, users):
    ddb_client.put_item(TableName=users, Item={"pk": s("u1"), "name": s("renamed")})
    response = ddb_client.batch_get_item(
        RequestItems={users: {"Keys": [{"pk": s("u1")}], "ConsistentRead": True}}
    )
    assert response["Responses"][users] == [{"pk": s("u1"), "name": s("renamed")}]


def test_batch_get_reports_consumed_capacity_per_table(ddb_client, users, orders):
    # Each item is read as a GetItem: a small item costs 1 unit strongly consistent and 0.5
    # eventually consistent, so ConsistentRead is set per table (Developer Guide, capacity).
    response = ddb_client.batch_get_item(
        RequestItems={
            users: {"Keys": [{"pk": s("u1")}, {"pk": s("u2")}], "ConsistentRead": True},
            orders: {"Keys": [{"pk": s("u1"), "sk": n(1)}], "ConsistentRead": False},
        },
        ReturnConsumedCapacity="TOTAL",
    )
    consumed = {e["TableName"]: e["CapacityUnits"] for e in response["ConsumedCapacity"]}
    assert consumed == {users: 2.0, orders: 0.5}


def test_batch_get_reports_no_consumed_capacity_unless_asked(ddb_client, users):
    # ReturnConsumedCapacity defaults to NONE: "No ConsumedCapacity details are included in
    # the response." (API Reference)
    response = ddb_client.batch_get_item(RequestItems={users: {"Keys": [{"pk": s("u1")}]}})
    assert "ConsumedCapacity" not in response


def test_batch_get_exactly_100_keys_is_accepted(ddb_client, users):
    keys = [{"pk": s(f"u{i}")} for i in range(1, 101)]
    response = ddb_client.batch_get_item(RequestItems={users: {"Keys": keys}})
    assert keys_of(response["Responses"][users], "pk") == [("u1",), ("u2",), ("u3",)]


def test_batch_get_101_keys_is_rejected(ddb_client, users):
    # AWS-TRUTH: "...member.Keys' failed to satisfy constraint: Member must have length less
    # than or equal to 100"; the API Reference quotes "Too many items requested for the
    # BatchGetItem call". Only the code is stable.
    keys = [{"pk": s(f"u{i}")} for i in range(101)]
    error = error_of(ddb_client.batch_get_item, RequestItems={users: {"Keys": keys}})
    assert_error(error, "ValidationException")


def test_batch_get_over_100_keys_across_tables_is_rejected(ddb_client, users, orders):
    # The 100-item limit is for the whole call: "If you request more than 100 items,
    # BatchGetItem returns a ValidationException" (API Reference).
    error = error_of(
        ddb_client.batch_get_item,
        RequestItems={
            users: {"Keys": [{"pk": s(f"u{i}")} for i in range(60)]},
            orders: {"Keys": [{"pk": s("u1"), "sk": n(i)} for i in range(41)]},
        },
    )
    assert_error(error, "ValidationException")


def test_batch_get_duplicate_keys_are_rejected(ddb_client, users):
    # AWS-TRUTH: "Provided list of item keys contains duplicates".
    error = error_of(
        ddb_client.batch_get_item,
        RequestItems={users: {"Keys": [{"pk": s("u1")}, {"pk": s("u1")}]}},
    )
    assert_error(error, "ValidationException", "contains duplicates")


def test_batch_get_with_empty_request_items_is_rejected(ddb_client):
    # Recorded AWS answers: "The requestItems parameter is required for BatchGetItem" or
    # "...'RequestItems' failed to satisfy constraint: Member must have length greater than
    # or equal to 1", by region.
    # (Omitting RequestItems altogether never reaches the server: botocore's endpoint
    # resolution reads the table names first.)
    error = error_of(ddb_client.batch_get_item, RequestItems={})
    assert_error(error, "ValidationException")


def test_batch_get_with_empty_keys_list_is_rejected(ddb_client, users):
    # KeysAndAttributes.Keys: "Minimum number of 1 item" (API Reference).
    error = error_of(ddb_client.batch_get_item, RequestItems={users: {"Keys": []}})
    assert_error(error, "ValidationException")


def test_batch_get_on_missing_table_is_rejected(ddb_client, users, missing_table):
    # AWS-TRUTH: ResourceNotFoundException "Requested resource not found", even when another
    # table of the request exists.
    error = error_of(
        ddb_client.batch_get_item,
        RequestItems={
            users: {"Keys": [{"pk": s("u1")}]},
            missing_table: {"Keys": [{"pk": s("u1")}]},
        },
    )
    assert_error(error, "ResourceNotFoundException")


@pytest.mark.parametrize(
    "key",
    [{"pk": s("u1")}, {"pk": n(1), "sk": n(1)}, {"pk": s("u1"), "sk": n(1), "x": s("y")}],
    ids=["missing-sort-key", "wrong-type", "extra-attribute"],
)
def test_batch_get_key_not_matching_the_schema_is_rejected(ddb_client, orders, key):
    # Recorded AWS wording: "The provided key element does not match the schema".
    error = error_of(ddb_client.batch_get_item, RequestItems={orders: {"Keys": [key]}})
    assert_error(error, "ValidationException", "does not match the schema")


def test_batch_get_invalid_projection_rejects_the_whole_call(ddb_client, users, orders):
    # Recorded AWS answer: one table's bad projection fails the request, clean tables too.
    error = error_of(
        ddb_client.batch_get_item,
        RequestItems={
            users: {"Keys": [{"pk": s("u1")}], "ProjectionExpression": "a, a"},
            orders: {"Keys": [{"pk": s("u1"), "sk": n(1)}], "ProjectionExpression": "qty"},
        },
    )
    assert_error(error, "ValidationException", "Invalid ProjectionExpression")


# --- BatchWriteItem --------------------------------------------------------------------------


def test_batch_write_puts_into_two_tables(ddb_client, users, orders):
    response = ddb_client.batch_write_item(
        RequestItems={
            users: [put({"pk": s("u8"), "name": s("eight")}), put({"pk": s("u9")})],
            orders: [put({"pk": s("u8"), "sk": n(1), "qty": n(5)})],
        }
    )
    # Recorded AWS answer: UnprocessedItems is present and {} when every request was done.
    assert response["UnprocessedItems"] == {}
    assert read(ddb_client, users, {"pk": s("u8")}) == {"pk": s("u8"), "name": s("eight")}
    assert read(ddb_client, users, {"pk": s("u9")}) == {"pk": s("u9")}
    assert read(ddb_client, orders, {"pk": s("u8"), "sk": n(1)})["qty"] == n(5)


def test_batch_write_deletes_from_two_tables(ddb_client, users, orders):
    response = ddb_client.batch_write_item(
        RequestItems={
            users: [delete({"pk": s("u1")}), delete({"pk": s("u2")})],
            orders: [delete({"pk": s("u1"), "sk": n(2)})],
        }
    )
    assert response["UnprocessedItems"] == {}
    assert read(ddb_client, users, {"pk": s("u1")}) is None
    assert read(ddb_client, users, {"pk": s("u2")}) is None
    assert read(ddb_client, users, {"pk": s("u3")}) is not None
    assert read(ddb_client, orders, {"pk": s("u1"), "sk": n(2)}) is None
    assert read(ddb_client, orders, {"pk": s("u1"), "sk": n(1)}) is not None


def test_batch_write_mixes_puts_and_deletes(ddb_client, users):
    ddb_client.batch_write_item(
        RequestItems={users: [put({"pk": s("new")}), delete({"pk": s("u3")})]}
    )
    assert read(ddb_client, users, {"pk": s("new")}) == {"pk": s("new")}
    assert read(ddb_client, users, {"pk": s("u3")}) is None


def test_batch_write_put_replaces_the_whole_item(ddb_client, users):
    # "If you perform a BatchWriteItem operation on an existing item, that item's values
    # will be overwritten" (API Reference).
    ddb_client.batch_write_item(RequestItems={users: [put({"pk": s("u1"), "age": n(40)})]})
    assert read(ddb_client, users, {"pk": s("u1")}) == {"pk": s("u1"), "age": n(40)}


def test_batch_write_delete_of_missing_item_succeeds(ddb_client, users):
    response = ddb_client.batch_write_item(RequestItems={users: [delete({"pk": s("ghost")})]})
    assert response["UnprocessedItems"] == {}


def test_batch_write_exactly_25_requests_is_accepted(ddb_client, users):
    requests = [put({"pk": s(f"w{i}")}) for i in range(25)]
    response = ddb_client.batch_write_item(RequestItems={users: requests})
    assert response["UnprocessedItems"] == {}
    assert read(ddb_client, users, {"pk": s("w24")}) == {"pk": s("w24")}


def test_batch_write_26_requests_is_rejected_and_writes_nothing(ddb_client, users):
    # AWS-TRUTH: ValidationException "...Member must have length less than or equal to 25...".
    requests = [put({"pk": s(f"w{i}")}) for i in range(26)]
    error = error_of(ddb_client.batch_write_item, RequestItems={users: requests})
    assert_error(error, "ValidationException")
    assert read(ddb_client, users, {"pk": s("w0")}) is None


def test_batch_write_over_25_requests_across_tables_is_rejected(ddb_client, users, orders):
    # "up to 25 item put or delete operations" per call; "There are more than 25 requests in
    # the batch" rejects the entire batch (API Reference).
    error = error_of(
        ddb_client.batch_write_item,
        RequestItems={
            users: [put({"pk": s(f"w{i}")}) for i in range(13)],
            orders: [put({"pk": s("w"), "sk": n(i)}) for i in range(13)],
        },
    )
    assert_error(error, "ValidationException")
    assert read(ddb_client, users, {"pk": s("w0")}) is None


@pytest.mark.parametrize(
    "requests",
    [
        [put({"pk": s("d"), "v": n(1)}), put({"pk": s("d"), "v": n(2)})],
        [put({"pk": s("d")}), delete({"pk": s("d")})],
        [delete({"pk": s("d")}), delete({"pk": s("d")})],
    ],
    ids=["put-put", "put-delete", "delete-delete"],
)
def test_batch_write_two_operations_on_one_item_are_rejected(ddb_client, users, requests):
    # "You try to perform multiple operations on the same item in the same BatchWriteItem
    # request." AWS-TRUTH: "Provided list of item keys contains duplicates".
    error = error_of(ddb_client.batch_write_item, RequestItems={users: requests})
    assert_error(error, "ValidationException", "contains duplicates")
    assert read(ddb_client, users, {"pk": s("d")}) is None


def test_batch_write_with_empty_request_items_is_rejected(ddb_client):
    # Recorded AWS answer: "The requestItems parameter is required for BatchWriteItem".
    error = error_of(ddb_client.batch_write_item, RequestItems={})
    assert_error(error, "ValidationException")


def test_batch_write_with_empty_request_list_is_rejected(ddb_client, users):
    # A table's list of WriteRequests: "Minimum number of 1 item" (API Reference).
    error = error_of(ddb_client.batch_write_item, RequestItems={users: []})
    assert_error(error, "ValidationException")


def test_batch_write_on_missing_table_rejects_the_whole_batch(ddb_client, users, missing_table):
    # "One or more tables specified in the BatchWriteItem request does not exist."
    error = error_of(
        ddb_client.batch_write_item,
        RequestItems={users: [put({"pk": s("w1")})], missing_table: [put({"pk": s("w1")})]},
    )
    assert_error(error, "ResourceNotFoundException")
    assert read(ddb_client, users, {"pk": s("w1")}) is None


@pytest.mark.parametrize(
    ("bad", "phrase"),
    [
        (put({"other": s("x")}), None),
        (put({"pk": n(5)}), "does not match the schema"),
        (put({"pk": {"L": [s("x")]}}), "does not match the schema"),
        (put({"pk": s("")}), "empty string"),
        (delete({"pk": s("u1"), "name": s("user 1")}), "does not match the schema"),
        (delete({"pk": n(1)}), "does not match the schema"),
    ],
    ids=[
        "put-without-key",
        "put-key-wrong-type",
        "put-key-non-scalar",
        "put-key-empty-string",
        "delete-key-extra-attribute",
        "delete-key-wrong-type",
    ],
)
def test_batch_write_with_key_not_matching_the_schema_rejects_the_whole_batch(
    ddb_client, users, bad, phrase
):
    # "Primary key attributes specified on an item in the request do not match those in the
    # corresponding table's primary key schema." Wording: recorded AWS answers.
    error = error_of(
        ddb_client.batch_write_item, RequestItems={users: [put({"pk": s("good")}), bad]}
    )
    assert_error(error, "ValidationException", *([phrase] if phrase else []))
    assert read(ddb_client, users, {"pk": s("good")}) is None
    assert read(ddb_client, users, {"pk": s("u1")}) is not None


def test_batch_write_item_over_400_kb_rejects_the_whole_batch(ddb_client, users):
    # "Any individual item in a batch exceeds 400 KB." Recorded AWS answer: "Item size has
    # exceeded the maximum allowed size" for an item of 409,601 bytes.
    big = {"pk": s("big"), "p": s("x" * (MAX_ITEM_BYTES + 1 - len("pk") - len("big") - 1))}
    error = error_of(
        ddb_client.batch_write_item, RequestItems={users: [put({"pk": s("good")}), put(big)]}
    )
    assert_error(error, "ValidationException", "Item size has exceeded")
    assert read(ddb_client, users, {"pk": s("good")}) is None


def test_batch_write_item_of_exactly_400_kb_is_accepted(ddb_client, users):
    # Recorded AWS answer: BatchWriteItem stores an item of exactly 409,600 bytes.
    big = {"pk": s("big"), "p": s("x" * (MAX_ITEM_BYTES - len("pk") - len("big") - 1))}
    response = ddb_client.batch_write_item(RequestItems={users: [put(big)]})
    assert response["UnprocessedItems"] == {}
    assert read(ddb_client, users, {"pk": s("big")}) == big


def test_batch_write_oversized_partition_key_rejects_the_whole_batch(ddb_client, users):
    # "Any individual items with keys exceeding the key length limits. For a partition key,
    # the limit is 2048 bytes" (API Reference).
    error = error_of(
        ddb_client.batch_write_item,
        RequestItems={users: [put({"pk": s("good")}), put({"pk": s("a" * 2049)})]},
    )
    assert_error(error, "ValidationException")
    assert read(ddb_client, users, {"pk": s("good")}) is None


@pytest.mark.parametrize(
    ("value", "phrase"),
    [({"SS": ["a", "a"]}, "contains duplicates"), ({"NS": []}, "empty")],
    ids=["duplicate-set-member", "empty-set"],
)
def test_batch_write_invalid_attribute_value_rejects_the_whole_batch(
    ddb_client, users, value, phrase
):
    # The same attribute-value rules as PutItem; recorded AWS answers for BatchWriteItem.
    error = error_of(
        ddb_client.batch_write_item,
        RequestItems={users: [put({"pk": s("good")}), put({"pk": s("bad"), "v": value})]},
    )
    assert_error(error, "ValidationException", phrase)
    assert read(ddb_client, users, {"pk": s("good")}) is None


def test_batch_write_reports_consumed_capacity_per_table(ddb_client, users, orders):
    # One write unit per small item (Developer Guide, capacity); one entry per table.
    response = ddb_client.batch_write_item(
        RequestItems={
            users: [put({"pk": s("w1")}), put({"pk": s("w2")})],
            orders: [put({"pk": s("w1"), "sk": n(1)})],
        },
        ReturnConsumedCapacity="TOTAL",
    )
    consumed = {e["TableName"]: e["CapacityUnits"] for e in response["ConsumedCapacity"]}
    assert consumed == {users: 2.0, orders: 1.0}


def test_batch_write_reports_no_capacity_or_collection_metrics_unless_asked(ddb_client, users):
    # ReturnConsumedCapacity and ReturnItemCollectionMetrics default to NONE: no
    # ConsumedCapacity, and "If set to NONE (the default), no statistics are returned."
    response = ddb_client.batch_write_item(RequestItems={users: [put({"pk": s("w1")})]})
    assert "ConsumedCapacity" not in response
    assert "ItemCollectionMetrics" not in response


def test_batch_write_request_with_both_put_and_delete_is_observed(ddb_client, users):
    # A WriteRequest holding both a PutRequest and a DeleteRequest: no documentation or
    # recorded AWS answer settles it.
    observe(
        ddb_client.batch_write_item,
        RequestItems={users: [{**put({"pk": s("x")}), **delete({"pk": s("u1")})}]},
    )


def test_batch_write_request_with_neither_put_nor_delete_is_observed(ddb_client, users):
    observe(ddb_client.batch_write_item, RequestItems={users: [{}]})
