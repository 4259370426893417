"""Query: key conditions, sort order, Limit and pagination, Select, and Query's own errors.

Sources: Amazon DynamoDB Developer Guide, "Key condition expressions for Query",
"Paginating table query results"; API Reference, "Query".
"""

from __future__ import annotations

import pytest
from support import assert_error, error_of, n, put_all, s, sort_keys


@pytest.fixture
def numbers(ddb_client, make_table):
    """A table with pk "p" holding sort keys 1..10 (N) and pk "q" holding 100."""
    table = make_table(keys={"pk": "S", "sk": "N"})
    put_all(ddb_client, table, [{"pk": s("p"), "sk": n(i), "v": n(i * 10)} for i in range(1, 11)])
    put_all(ddb_client, table, [{"pk": s("q"), "sk": n(100)}])
    return table


@pytest.fixture
def words(ddb_client, make_table):
    """A table with pk "p" holding string sort keys."""
    table = make_table(keys={"pk": "S", "sk": "S"})
    keys = ["apple", "apricot", "banana", "blueberry", "cherry", "Zebra", "ábaco", "a"]
    put_all(ddb_client, table, [{"pk": s("p"), "sk": s(k)} for k in keys])
    return table


def query(client, table, condition, values, **kwargs):
    return client.query(
        TableName=table,
        KeyConditionExpression=condition,
        ExpressionAttributeValues=values,
        **kwargs,
    )


@pytest.mark.parametrize(
    ("condition", "values", "expected"),
    [
        ("sk = :a", {":a": n(3)}, ["3"]),
        ("sk < :a", {":a": n(3)}, ["1", "2"]),
        ("sk <= :a", {":a": n(3)}, ["1", "2", "3"]),
        ("sk > :a", {":a": n(8)}, ["9", "10"]),
        ("sk >= :a", {":a": n(8)}, ["8", "9", "10"]),
        ("sk BETWEEN :a AND :b", {":a": n(4), ":b": n(6)}, ["4", "5", "6"]),
    ],
    ids=["eq", "lt", "le", "gt", "ge", "between"],
)
def test_number_sort_key_operator(ddb_client, numbers, condition, values, expected):
    response = query(ddb_client, numbers, f"pk = :p AND {condition}", {":p": s("p"), **values})
    assert sort_keys(response["Items"]) == expected
    assert response["Count"] == len(expected)


def test_between_with_reversed_bounds_is_rejected(ddb_client, numbers):
    # "BETWEEN a AND b: true if sk >= a and sk <= b"; a > b is a validation error on AWS.
    error = error_of(
        ddb_client.query,
        TableName=numbers,
        KeyConditionExpression="pk = :p AND sk BETWEEN :a AND :b",
        ExpressionAttributeValues={":p": s("p"), ":a": n(6), ":b": n(4)},
    )
    assert_error(error, "ValidationException", "BETWEEN")


def test_string_begins_with(ddb_client, words):
    response = query(
        ddb_client, words, "pk = :p AND begins_with(sk, :x)", {":p": s("p"), ":x": s("ap")}
    )
    assert sort_keys(response["Items"]) == ["apple", "apricot"]


def test_begins_with_on_number_sort_key_is_rejected(ddb_client, numbers):
    # begins_with is defined for S and B only.
    error = error_of(
        ddb_client.query,
        TableName=numbers,
        KeyConditionExpression="pk = :p AND begins_with(sk, :x)",
        ExpressionAttributeValues={":p": s("p"), ":x": n(1)},
    )
    assert_error(error, "ValidationException")


def test_strings_sort_by_utf8_bytes(ddb_client, words):
    # "strings are compared using the UTF-8 bytes" (Developer Guide, Comparison operators):
    # uppercase before lowercase, and non-ASCII after every ASCII letter.
    response = query(ddb_client, words, "pk = :p", {":p": s("p")})
    assert sort_keys(response["Items"]) == [
        "Zebra",
        "a",
        "apple",
        "apricot",
        "banana",
        "blueberry",
        "cherry",
        "ábaco",
    ]


def test_numbers_sort_numerically(ddb_client, numbers):
    response = query(ddb_client, numbers, "pk = :p", {":p": s("p")})
    assert sort_keys(response["Items"]) == [str(i) for i in range(1, 11)]


def test_negative_and_fractional_numbers_sort_numerically(ddb_client, make_table):
    table = make_table(keys={"pk": "S", "sk": "N"})
    put_all(
        ddb_client, table, [{"pk": s("p"), "sk": n(v)} for v in ["-10", "2.5", "-0.5", "0", "11"]]
    )
    response = query(ddb_client, table, "pk = :p", {":p": s("p")})
    assert sort_keys(response["Items"]) == ["-10", "-0.5", "0", "2.5", "11"]


def test_scan_index_forward_false_reverses_order(ddb_client, numbers):
    response = query(
        ddb_client,
        numbers,
        "pk = :p AND sk <= :a",
        {":p": s("p"), ":a": n(4)},
        ScanIndexForward=False,
    )
    assert sort_keys(response["Items"]) == ["4", "3", "2", "1"]


def test_query_returns_only_the_partition(ddb_client, numbers):
    response = query(ddb_client, numbers, "pk = :p", {":p": s("q")})
    assert sort_keys(response["Items"]) == ["100"]


def test_query_on_missing_partition_is_empty(ddb_client, numbers):
    response = query(ddb_client, numbers, "pk = :p", {":p": s("nobody")})
    assert response["Items"] == []
    assert response["Count"] == 0
    assert "LastEvaluatedKey" not in response


def test_limit_returns_first_items_and_last_evaluated_key(ddb_client, numbers):
    response = query(ddb_client, numbers, "pk = :p", {":p": s("p")}, Limit=3)
    assert sort_keys(response["Items"]) == ["1", "2", "3"]
    assert response["LastEvaluatedKey"] == {"pk": s("p"), "sk": n(3)}


def test_limit_equal_to_matches_still_returns_last_evaluated_key(ddb_client, numbers):
    # Query stops when it has evaluated Limit items and returns LastEvaluatedKey without
    # looking further (API Reference, Query: Limit); the next page is then empty.
    response = query(ddb_client, numbers, "pk = :p", {":p": s("q")}, Limit=1)
    assert response["LastEvaluatedKey"] == {"pk": s("q"), "sk": n(100)}
    following = query(
        ddb_client,
        numbers,
        "pk = :p",
        {":p": s("q")},
        Limit=1,
        ExclusiveStartKey=response["LastEvaluatedKey"],
    )
    assert following["Items"] == []
    assert "LastEvaluatedKey" not in following


def test_pagination_visits_every_item_once(ddb_client, numbers):
    seen, start = [], None
    for _ in range(20):  # bounded: 10 items in pages of 3 need 4 pages
        kwargs = {"ExclusiveStartKey": start} if start else {}
        page = query(ddb_client, numbers, "pk = :p", {":p": s("p")}, Limit=3, **kwargs)
        seen += sort_keys(page["Items"])
        start = page.get("LastEvaluatedKey")
        if not start:
            break
    assert seen == [str(i) for i in range(1, 11)]


def test_pagination_backwards(ddb_client, numbers):
    first = query(ddb_client, numbers, "pk = :p", {":p": s("p")}, Limit=4, ScanIndexForward=False)
    second = query(
        ddb_client,
        numbers,
        "pk = :p",
        {":p": s("p")},
        Limit=4,
        ScanIndexForward=False,
        ExclusiveStartKey=first["LastEvaluatedKey"],
    )
    assert sort_keys(first["Items"]) == ["10", "9", "8", "7"]
    assert sort_keys(second["Items"]) == ["6", "5", "4", "3"]


def test_limit_applies_before_filter(ddb_client, numbers):
    # "A filter expression is applied after a Query finishes, but before the results are
    # returned" and Limit caps the items *evaluated*: ScannedCount is 5, Count what matched.
    response = query(
        ddb_client,
        numbers,
        "pk = :p",
        {":p": s("p"), ":v": n(30)},
        Limit=5,
        FilterExpression="v > :v",
    )
    assert sort_keys(response["Items"]) == ["4", "5"]
    assert response["ScannedCount"] == 5
    assert response["Count"] == 2
    assert response["LastEvaluatedKey"] == {"pk": s("p"), "sk": n(5)}


def test_select_count_returns_no_items(ddb_client, numbers):
    response = query(ddb_client, numbers, "pk = :p", {":p": s("p")}, Select="COUNT")
    assert response["Count"] == 10
    assert "Items" not in response


def test_limit_zero_is_rejected(ddb_client, numbers):
    error = error_of(
        ddb_client.query,
        TableName=numbers,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": s("p")},
        Limit=0,
    )
    assert_error(error, "ValidationException", "greater than or equal to 1")


def test_key_condition_without_partition_key_is_rejected(ddb_client, numbers):
    error = error_of(
        ddb_client.query,
        TableName=numbers,
        KeyConditionExpression="sk = :a",
        ExpressionAttributeValues={":a": n(1)},
    )
    assert_error(error, "ValidationException", "Query condition missed key schema element")


def test_partition_key_range_condition_is_rejected(ddb_client, numbers):
    # The partition key condition must be an equality.
    error = error_of(
        ddb_client.query,
        TableName=numbers,
        KeyConditionExpression="pk > :p",
        ExpressionAttributeValues={":p": s("p")},
    )
    assert_error(error, "ValidationException")


def test_key_condition_on_non_key_attribute_is_rejected(ddb_client, numbers):
    error = error_of(
        ddb_client.query,
        TableName=numbers,
        KeyConditionExpression="pk = :p AND v = :v",
        ExpressionAttributeValues={":p": s("p"), ":v": n(10)},
    )
    assert_error(error, "ValidationException")


def test_key_value_of_wrong_type_is_rejected(ddb_client, numbers):
    error = error_of(
        ddb_client.query,
        TableName=numbers,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": n(1)},
    )
    assert_error(error, "ValidationException")


def test_query_on_missing_table(ddb_client):
    error = error_of(
        ddb_client.query,
        TableName="ddbmatrix-no-such-table",
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": s("p")},
    )
    assert error["Code"] == "ResourceNotFoundException"


def test_select_specific_attributes_without_projection_is_rejected(ddb_client, numbers):
    error = error_of(
        ddb_client.query,
        TableName=numbers,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": s("p")},
        Select="SPECIFIC_ATTRIBUTES",
    )
    assert_error(error, "ValidationException", "SPECIFIC_ATTRIBUTES")
