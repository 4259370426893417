"""Secondary indexes: projections, sparse indexes, Query and Scan on GSIs and LSIs, index errors.

Sources: Amazon DynamoDB Developer Guide, "Global secondary indexes", "Local secondary
indexes" (attribute projections, sparse indexes, read consistency), "Improving data access
with secondary indexes"; API Reference, Query and Scan (IndexName, Select, ConsistentRead),
Projection. Recorded AWS answers: /work/shared/AWS-TRUTH.md.
"""

from __future__ import annotations

import pytest
from support import assert_error, error_of, n, put_all, s

#: One item with every attribute the indexes below use, plus two they never key on.
FULL = {
    "pk": s("p1"),
    "sk": s("a"),
    "g": s("red"),
    "gs": n(1),
    "ls": n(5),
    "color": s("blue"),
    "price": n(9),
}
#: Another partition, so that a query proves it selects.
OTHER = {"pk": s("p2"), "sk": s("a"), "g": s("green"), "gs": n(2), "ls": n(6), "color": s("x")}

GSI_KEYS = {"g": "S", "gs": "N"}
LSI_KEYS = {"pk": "S", "ls": "N"}
PROJECTIONS = {"ALL": "ALL", "KEYS_ONLY": "KEYS_ONLY", "INCLUDE": ["color"]}


def pick(item, *names):
    return {name: item[name] for name in names if name in item}


#: What an index holds of FULL for each projection: the table key and the index key always
#: ("KEYS_ONLY - Only the index and primary keys are projected"), INCLUDE adds its list.
GSI_VIEW = {
    "ALL": FULL,
    "KEYS_ONLY": pick(FULL, "pk", "sk", "g", "gs"),
    "INCLUDE": pick(FULL, "pk", "sk", "g", "gs", "color"),
}
LSI_VIEW = {
    "ALL": FULL,
    "KEYS_ONLY": pick(FULL, "pk", "sk", "ls"),
    "INCLUDE": pick(FULL, "pk", "sk", "ls", "color"),
}


def table_with(make_table, gsi=None, lsi=None):
    """A pk/sk table with an optional GSI ``by_g`` and LSI ``by_ls`` of the given projections."""
    return make_table(
        keys={"pk": "S", "sk": "S"},
        gsis={"by_g": {"keys": GSI_KEYS, "projection": PROJECTIONS[gsi]}} if gsi else None,
        lsis={"by_ls": {"keys": LSI_KEYS, "projection": PROJECTIONS[lsi]}} if lsi else None,
    )


def query_gsi(client, table, g="red", **kwargs):
    return client.query(
        TableName=table,
        IndexName="by_g",
        KeyConditionExpression="g = :g",
        ExpressionAttributeValues={":g": s(g)},
        **kwargs,
    )


def query_lsi(client, table, pk="p1", **kwargs):
    return client.query(
        TableName=table,
        IndexName="by_ls",
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": s(pk)},
        **kwargs,
    )


def pks(items):
    return sorted(item["pk"]["S"] for item in items)


# --- Projections -------------------------------------------------------------------------------


@pytest.mark.parametrize("projection", list(PROJECTIONS))
def test_gsi_query_returns_the_projected_attributes(ddb_client, make_table, projection):
    table = table_with(make_table, gsi=projection)
    put_all(ddb_client, table, [FULL, OTHER])
    assert query_gsi(ddb_client, table)["Items"] == [GSI_VIEW[projection]]


@pytest.mark.parametrize("projection", list(PROJECTIONS))
def test_lsi_query_returns_the_projected_attributes(ddb_client, make_table, projection):
    # Without Select or a projection, reading an index means ALL_PROJECTED_ATTRIBUTES
    # (API Reference, Query: Select).
    table = table_with(make_table, lsi=projection)
    put_all(ddb_client, table, [FULL, OTHER])
    assert query_lsi(ddb_client, table)["Items"] == [LSI_VIEW[projection]]


@pytest.mark.parametrize("projection", list(PROJECTIONS))
def test_gsi_scan_returns_the_projected_attributes(ddb_client, make_table, projection):
    table = table_with(make_table, gsi=projection)
    put_all(ddb_client, table, [FULL])
    assert ddb_client.scan(TableName=table, IndexName="by_g")["Items"] == [GSI_VIEW[projection]]


def test_select_all_projected_attributes_on_a_keys_only_gsi(ddb_client, make_table):
    table = table_with(make_table, gsi="KEYS_ONLY")
    put_all(ddb_client, table, [FULL])
    response = query_gsi(ddb_client, table, Select="ALL_PROJECTED_ATTRIBUTES")
    assert response["Items"] == [GSI_VIEW["KEYS_ONLY"]]


@pytest.mark.parametrize("projection", ["KEYS_ONLY", "INCLUDE"])
def test_select_all_attributes_on_a_gsi_not_projecting_all_is_rejected(
    ddb_client, make_table, projection
):
    # "Global secondary index queries cannot fetch attributes from the parent table." AWS:
    # "Select type ALL_ATTRIBUTES is not supported for global secondary index by_g because its
    # projection type is not ALL" (quoted from AWS in localstack#805 and mapbox/dyno#23).
    table = table_with(make_table, gsi=projection)
    put_all(ddb_client, table, [FULL])
    error = error_of(
        query_gsi,
        client=ddb_client,
        table=table,
        Select="ALL_ATTRIBUTES",
    )
    assert_error(error, "ValidationException", "ALL_ATTRIBUTES")


def test_select_all_attributes_on_a_keys_only_gsi_scan_is_rejected(ddb_client, make_table):
    table = table_with(make_table, gsi="KEYS_ONLY")
    error = error_of(ddb_client.scan, TableName=table, IndexName="by_g", Select="ALL_ATTRIBUTES")
    assert_error(error, "ValidationException", "ALL_ATTRIBUTES")


def test_select_all_attributes_on_an_all_gsi_returns_whole_items(ddb_client, make_table):
    # Only a GSI whose projection is not ALL refuses ALL_ATTRIBUTES.
    table = table_with(make_table, gsi="ALL")
    put_all(ddb_client, table, [FULL])
    assert query_gsi(ddb_client, table, Select="ALL_ATTRIBUTES")["Items"] == [FULL]


@pytest.mark.parametrize("projection", ["KEYS_ONLY", "INCLUDE"])
def test_select_all_attributes_on_an_lsi_fetches_the_whole_item(ddb_client, make_table, projection):
    # API Reference, Query: ALL_ATTRIBUTES on a local secondary index makes DynamoDB fetch
    # "the entire item from the parent table".
    table = table_with(make_table, lsi=projection)
    put_all(ddb_client, table, [FULL])
    assert query_lsi(ddb_client, table, Select="ALL_ATTRIBUTES")["Items"] == [FULL]


def test_projecting_an_unprojected_attribute_from_an_lsi_fetches_it(ddb_client, make_table):
    # API Reference, Query (Select): "If any of the requested attributes are not projected
    # into the local secondary index, DynamoDB fetches each of these attributes from the
    # parent table."
    table = table_with(make_table, lsi="KEYS_ONLY")
    put_all(ddb_client, table, [FULL])
    response = query_lsi(ddb_client, table, ProjectionExpression="ls, price")
    assert response["Items"] == [{"ls": n(5), "price": n(9)}]


def test_projecting_an_unprojected_attribute_from_a_gsi_is_rejected(ddb_client, make_table):
    # API Reference, Query (Select): "If you query or scan a global secondary index, you can
    # only request attributes that are projected into the index." AWS: "Global secondary index
    # by_g does not project [price]" (quoted from AWS in localstack#478).
    table = table_with(make_table, gsi="INCLUDE")
    put_all(ddb_client, table, [FULL])
    error = error_of(
        query_gsi,
        client=ddb_client,
        table=table,
        ProjectionExpression="color, price",
    )
    assert_error(error, "ValidationException")


# --- Sparse indexes and index maintenance ------------------------------------------------------


def test_sparse_gsi_leaves_out_items_without_the_index_key(ddb_client, make_table):
    # "For any item in a table, DynamoDB writes a corresponding index entry only if the index
    # sort key value is present in the item" (Developer Guide, "Take advantage of sparse
    # indexes"); the same holds for the index partition key.
    table = table_with(make_table, gsi="ALL")
    bare = {"pk": s("p3"), "sk": s("a"), "color": s("blue")}
    put_all(ddb_client, table, [FULL, OTHER, bare])
    assert pks(ddb_client.scan(TableName=table, IndexName="by_g")["Items"]) == ["p1", "p2"]
    assert pks(ddb_client.scan(TableName=table)["Items"]) == ["p1", "p2", "p3"]


def test_sparse_gsi_leaves_out_items_missing_the_index_sort_key(ddb_client, make_table):
    table = table_with(make_table, gsi="ALL")
    half = {"pk": s("p3"), "sk": s("a"), "g": s("red")}
    put_all(ddb_client, table, [FULL, half])
    assert pks(query_gsi(ddb_client, table)["Items"]) == ["p1"]


def test_sparse_lsi_leaves_out_items_without_the_index_sort_key(ddb_client, make_table):
    table = table_with(make_table, lsi="ALL")
    bare = {"pk": s("p1"), "sk": s("b")}
    put_all(ddb_client, table, [FULL, bare])
    response = query_lsi(ddb_client, table)
    assert [item["sk"] for item in response["Items"]] == [s("a")]


def test_select_count_on_a_sparse_index_counts_indexed_items(ddb_client, make_table):
    table = table_with(make_table, gsi="KEYS_ONLY")
    put_all(ddb_client, table, [FULL, OTHER, {"pk": s("p3"), "sk": s("a")}])
    response = ddb_client.scan(TableName=table, IndexName="by_g", Select="COUNT")
    assert "Items" not in response
    assert response["Count"] == 2


def test_gsi_key_values_need_not_be_unique(ddb_client, make_table):
    # "In a DynamoDB table, each key value must be unique. However, the key values in a global
    # secondary index do not need to be unique." (Developer Guide, Global secondary indexes)
    table = table_with(make_table, gsi="KEYS_ONLY")
    twins = [{"pk": s(f"t{i}"), "sk": s("a"), "g": s("red"), "gs": n(1)} for i in range(3)]
    put_all(ddb_client, table, twins)
    assert pks(query_gsi(ddb_client, table)["Items"]) == ["t0", "t1", "t2"]


def test_updating_the_index_key_moves_the_item_in_the_gsi(ddb_client, make_table):
    # "When you add, update, or delete an item in the base table, DynamoDB adds, updates, or
    # deletes the corresponding item in any indexes that belong to that table" (Developer
    # Guide, "Improving data access with secondary indexes").
    table = table_with(make_table, gsi="KEYS_ONLY")
    put_all(ddb_client, table, [FULL])
    ddb_client.update_item(
        TableName=table,
        Key={"pk": s("p1"), "sk": s("a")},
        UpdateExpression="SET g = :g",
        ExpressionAttributeValues={":g": s("blue")},
    )
    assert query_gsi(ddb_client, table, g="red")["Items"] == []
    assert pks(query_gsi(ddb_client, table, g="blue")["Items"]) == ["p1"]


def test_removing_the_index_key_takes_the_item_out_of_the_gsi(ddb_client, make_table):
    table = table_with(make_table, gsi="KEYS_ONLY")
    put_all(ddb_client, table, [FULL])
    ddb_client.update_item(
        TableName=table, Key={"pk": s("p1"), "sk": s("a")}, UpdateExpression="REMOVE gs"
    )
    assert ddb_client.scan(TableName=table, IndexName="by_g")["Items"] == []


def test_deleting_an_item_removes_it_from_its_indexes(ddb_client, make_table):
    table = table_with(make_table, gsi="KEYS_ONLY", lsi="KEYS_ONLY")
    put_all(ddb_client, table, [FULL, OTHER])
    ddb_client.delete_item(TableName=table, Key={"pk": s("p1"), "sk": s("a")})
    assert pks(ddb_client.scan(TableName=table, IndexName="by_g")["Items"]) == ["p2"]
    assert pks(ddb_client.scan(TableName=table, IndexName="by_ls")["Items"]) == ["p2"]


# --- Query and Scan on indexes -----------------------------------------------------------------


def test_gsi_query_orders_by_the_index_sort_key(ddb_client, make_table):
    table = table_with(make_table, gsi="KEYS_ONLY")
    rows = [("x", 3), ("y", 1), ("z", 2)]
    put_all(
        ddb_client, table, [{"pk": s(p), "sk": s("a"), "g": s("red"), "gs": n(v)} for p, v in rows]
    )
    forward = query_gsi(ddb_client, table)["Items"]
    backward = query_gsi(ddb_client, table, ScanIndexForward=False)["Items"]
    assert [item["pk"]["S"] for item in forward] == ["y", "z", "x"]
    assert [item["pk"]["S"] for item in backward] == ["x", "z", "y"]


def test_lsi_query_with_a_range_on_the_index_sort_key(ddb_client, make_table):
    table = table_with(make_table, lsi="KEYS_ONLY")
    rows = [("a", 30), ("b", 10), ("c", 20), ("d", 40)]
    put_all(ddb_client, table, [{"pk": s("p1"), "sk": s(k), "ls": n(v)} for k, v in rows])
    response = ddb_client.query(
        TableName=table,
        IndexName="by_ls",
        KeyConditionExpression="pk = :p AND ls BETWEEN :lo AND :hi",
        ExpressionAttributeValues={":p": s("p1"), ":lo": n(10), ":hi": n(30)},
    )
    assert [item["sk"]["S"] for item in response["Items"]] == ["b", "c", "a"]


def test_gsi_query_needs_the_index_partition_key(ddb_client, make_table):
    # A Query on an index is keyed by the index's key schema, not the table's.
    table = table_with(make_table, gsi="ALL")
    error = error_of(
        ddb_client.query,
        TableName=table,
        IndexName="by_g",
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": s("p1")},
    )
    assert_error(error, "ValidationException", "key schema element")


@pytest.mark.parametrize("operation", ["query", "scan"])
def test_consistent_read_on_a_gsi_is_rejected(ddb_client, make_table, operation):
    # AWS-TRUTH.md: "Consistent reads are not supported on global secondary indexes"; the
    # Scan half is the API Reference's ("not supported on global secondary indexes").
    table = table_with(make_table, gsi="ALL")
    kwargs = {"TableName": table, "IndexName": "by_g", "ConsistentRead": True}
    if operation == "query":
        kwargs.update(KeyConditionExpression="g = :g", ExpressionAttributeValues={":g": s("x")})
    error = error_of(getattr(ddb_client, operation), **kwargs)
    assert_error(error, "ValidationException", "consistent reads")


@pytest.mark.parametrize("operation", ["query", "scan"])
def test_consistent_read_on_an_lsi_is_allowed(ddb_client, make_table, operation):
    # Local secondary indexes support strongly consistent reads (Developer Guide).
    table = table_with(make_table, lsi="ALL")
    put_all(ddb_client, table, [FULL])
    kwargs = {"TableName": table, "IndexName": "by_ls", "ConsistentRead": True}
    if operation == "query":
        kwargs.update(KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": s("p1")})
    assert getattr(ddb_client, operation)(**kwargs)["Items"] == [FULL]


def test_gsi_last_evaluated_key_holds_table_and_index_keys(ddb_client, make_table):
    # An index page's LastEvaluatedKey carries the index key and the table key, which is what
    # makes items that tie on the index key resumable.
    table = table_with(make_table, gsi="ALL")
    put_all(ddb_client, table, [FULL, {**OTHER, "g": s("red"), "gs": n(7)}])
    response = query_gsi(ddb_client, table, Limit=1)
    assert response["LastEvaluatedKey"] == pick(FULL, "pk", "sk", "g", "gs")


def test_lsi_last_evaluated_key_holds_table_and_index_keys(ddb_client, make_table):
    table = table_with(make_table, lsi="ALL")
    put_all(ddb_client, table, [FULL, {**FULL, "sk": s("b"), "ls": n(6)}])
    response = query_lsi(ddb_client, table, Limit=1)
    assert response["LastEvaluatedKey"] == pick(FULL, "pk", "sk", "ls")


def test_gsi_pagination_over_tied_index_keys_visits_every_item_once(ddb_client, make_table):
    table = table_with(make_table, gsi="KEYS_ONLY")
    twins = [{"pk": s(f"t{i}"), "sk": s("a"), "g": s("red"), "gs": n(1)} for i in range(5)]
    put_all(ddb_client, table, twins)
    seen, kwargs = [], {}
    for _ in range(10):  # bounded: five items in pages of two need three pages
        page = query_gsi(ddb_client, table, Limit=2, **kwargs)
        seen += [item["pk"]["S"] for item in page["Items"]]
        if "LastEvaluatedKey" not in page:
            break
        kwargs = {"ExclusiveStartKey": page["LastEvaluatedKey"]}
    assert sorted(seen) == ["t0", "t1", "t2", "t3", "t4"]


def test_gsi_exclusive_start_key_without_the_index_key_is_rejected(ddb_client, make_table):
    # A GSI query's start key must hold the index key as well as the table key.
    table = table_with(make_table, gsi="ALL")
    put_all(ddb_client, table, [FULL])
    error = error_of(
        query_gsi,
        client=ddb_client,
        table=table,
        ExclusiveStartKey={"pk": s("p1"), "sk": s("a")},
    )
    assert_error(error, "ValidationException")


# --- Errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("index", "value"),
    [("gsi", s("one")), ("gsi", {"M": {"a": s("b")}}), ("lsi", s("five"))],
    ids=["gsi-string-for-number", "gsi-map", "lsi-string-for-number"],
)
def test_put_with_wrong_type_for_an_index_key_is_rejected(ddb_client, make_table, index, value):
    # AWS: "One or more parameter values were invalid: Type mismatch for Index Key gs
    # Expected: N Actual: S IndexName: by_g" (ScyllaDB's alternator tests, run against AWS);
    # the item is written neither to the table nor to the index.
    table = table_with(make_table, gsi="ALL", lsi="ALL")
    attribute = "gs" if index == "gsi" else "ls"
    error = error_of(ddb_client.put_item, TableName=table, Item={**FULL, attribute: value})
    assert_error(error, "ValidationException", "mismatch")
    assert "Item" not in ddb_client.get_item(TableName=table, Key={"pk": s("p1"), "sk": s("a")})


def test_update_with_wrong_type_for_an_index_key_is_rejected(ddb_client, make_table):
    table = table_with(make_table, gsi="ALL")
    put_all(ddb_client, table, [FULL])
    error = error_of(
        ddb_client.update_item,
        TableName=table,
        Key={"pk": s("p1"), "sk": s("a")},
        UpdateExpression="SET gs = :v",
        ExpressionAttributeValues={":v": s("one")},
    )
    assert_error(error, "ValidationException", "mismatch")
    item = ddb_client.get_item(TableName=table, Key={"pk": s("p1"), "sk": s("a")})["Item"]
    assert item["gs"] == n(1)


@pytest.mark.parametrize(("index", "attribute"), [("gsi", "g"), ("lsi", "ls")])
def test_empty_value_for_an_index_key_is_rejected(ddb_client, make_table, index, attribute):
    # Empty strings and binaries are allowed except as table or index key values (Developer
    # Guide, Data types: "String" / "Binary"); alternator's test_gsi_empty_value runs on AWS.
    lsi_keys = {"pk": "S", "ls": "S"} if index == "lsi" else None
    table = make_table(
        keys={"pk": "S", "sk": "S"},
        gsis={"by_g": {"keys": GSI_KEYS}} if index == "gsi" else None,
        lsis={"by_ls": {"keys": lsi_keys}} if lsi_keys else None,
    )
    item = {"pk": s("p1"), "sk": s("a"), "gs": n(1), attribute: s("")}
    error = error_of(ddb_client.put_item, TableName=table, Item=item)
    assert_error(error, "ValidationException", "empty")


@pytest.mark.parametrize("operation", ["query", "scan"])
def test_reading_an_index_that_does_not_exist_is_rejected(ddb_client, make_table, operation):
    # A missing index of an existing table is a ValidationException naming the index ("The
    # table does not have the specified index: no_such_index"), not ResourceNotFound.
    table = table_with(make_table, gsi="ALL")
    kwargs = {"TableName": table, "IndexName": "no_such_index"}
    if operation == "query":
        kwargs.update(KeyConditionExpression="g = :g", ExpressionAttributeValues={":g": s("x")})
    error = error_of(getattr(ddb_client, operation), **kwargs)
    assert_error(error, "ValidationException", "no_such_index")


def test_reading_an_index_of_a_missing_table(ddb_client):
    error = error_of(
        ddb_client.query,
        TableName="ddbmatrix-no-such-table",
        IndexName="by_g",
        KeyConditionExpression="g = :g",
        ExpressionAttributeValues={":g": s("x")},
    )
    assert error["Code"] == "ResourceNotFoundException"
