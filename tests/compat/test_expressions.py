"""Filter and projection expressions, and the rules for expression attribute names and values.

Sources: Amazon DynamoDB Developer Guide, "Filter expressions for Query", "Projection
expressions", "Expression attribute names", "Condition and filter expressions, operators,
and functions".
"""

from __future__ import annotations

import pytest
from support import assert_error, error_of, n, put_all, s, sort_keys


@pytest.fixture
def people(ddb_client, make_table):
    table = make_table(keys={"pk": "S", "sk": "S"})
    put_all(
        ddb_client,
        table,
        [
            {
                "pk": s("p"),
                "sk": s("ann"),
                "age": n(31),
                "city": s("Oslo"),
                "tags": {"SS": ["a", "b"]},
                "address": {
                    "M": {"zip": s("0150"), "street": {"L": [s("Main St 1"), s("Flat 2")]}}
                },
            },
            {
                "pk": s("p"),
                "sk": s("bob"),
                "age": n(17),
                "city": s("Bergen"),
                "tags": {"SS": ["b"]},
            },
            {"pk": s("p"), "sk": s("cid"), "age": n(45), "nickname": s("C")},
            {"pk": s("p"), "sk": s("dee"), "age": n(31), "city": s("Oslo"), "a.b": s("dotted")},
        ],
    )
    return table


def filtered(client, table, expression, values=None, names=None):
    kwargs = {"ExpressionAttributeValues": {":p": s("p"), **(values or {})}}
    if names:
        kwargs["ExpressionAttributeNames"] = names
    return client.query(
        TableName=table, KeyConditionExpression="pk = :p", FilterExpression=expression, **kwargs
    )


@pytest.mark.parametrize(
    ("expression", "values", "expected"),
    [
        ("age = :v", {":v": n(31)}, ["ann", "dee"]),
        ("age <> :v", {":v": n(31)}, ["bob", "cid"]),
        ("age > :v", {":v": n(30)}, ["ann", "cid", "dee"]),
        ("age BETWEEN :lo AND :hi", {":lo": n(18), ":hi": n(40)}, ["ann", "dee"]),
        ("age IN (:a, :b)", {":a": n(17), ":b": n(45)}, ["bob", "cid"]),
        ("city = :c AND age > :v", {":c": s("Oslo"), ":v": n(18)}, ["ann", "dee"]),
        ("city = :c OR age > :v", {":c": s("Bergen"), ":v": n(40)}, ["bob", "cid"]),
        ("NOT city = :c", {":c": s("Oslo")}, ["bob", "cid"]),
        ("attribute_exists(nickname)", {}, ["cid"]),
        ("attribute_not_exists(city)", {}, ["cid"]),
        ("begins_with(city, :c)", {":c": s("Os")}, ["ann", "dee"]),
        ("contains(tags, :t)", {":t": s("b")}, ["ann", "bob"]),
        ("contains(city, :c)", {":c": s("erg")}, ["bob"]),
        ("size(tags) = :two", {":two": n(2)}, ["ann"]),
        ("attribute_type(age, :type)", {":type": s("N")}, ["ann", "bob", "cid", "dee"]),
    ],
    ids=[
        "eq",
        "ne",
        "gt",
        "between",
        "in",
        "and",
        "or",
        "not",
        "exists",
        "not-exists",
        "begins-with",
        "contains-set",
        "contains-string",
        "size",
        "attribute-type",
    ],
)
def test_filter(ddb_client, people, expression, values, expected):
    response = filtered(ddb_client, people, expression, values)
    assert sort_keys(response["Items"]) == expected
    assert response["ScannedCount"] == 4


def test_filter_on_nested_map_path(ddb_client, people):
    response = filtered(ddb_client, people, "address.zip = :z", {":z": s("0150")})
    assert sort_keys(response["Items"]) == ["ann"]


def test_filter_on_list_element(ddb_client, people):
    response = filtered(ddb_client, people, "address.street[1] = :l", {":l": s("Flat 2")})
    assert sort_keys(response["Items"]) == ["ann"]


def test_name_with_a_dot_needs_a_placeholder(ddb_client, people):
    # In an expression "a.b" is a path; an attribute literally named "a.b" needs #name.
    response = filtered(ddb_client, people, "#ab = :v", {":v": s("dotted")}, {"#ab": "a.b"})
    assert sort_keys(response["Items"]) == ["dee"]


def test_projection_returns_only_named_attributes(ddb_client, people):
    response = ddb_client.get_item(
        TableName=people, Key={"pk": s("p"), "sk": s("ann")}, ProjectionExpression="age, city"
    )
    assert response["Item"] == {"age": n(31), "city": s("Oslo")}


def test_projection_of_nested_paths(ddb_client, people):
    response = ddb_client.get_item(
        TableName=people,
        Key={"pk": s("p"), "sk": s("ann")},
        ProjectionExpression="address.zip, address.street[0]",
    )
    assert response["Item"] == {
        "address": {"M": {"zip": s("0150"), "street": {"L": [s("Main St 1")]}}}
    }


def test_projection_of_missing_attribute_is_omitted(ddb_client, people):
    response = ddb_client.get_item(
        TableName=people, Key={"pk": s("p"), "sk": s("bob")}, ProjectionExpression="nickname, age"
    )
    assert response["Item"] == {"age": n(17)}


def test_reserved_word_without_placeholder_is_rejected(ddb_client, people):
    # "name" is a DynamoDB reserved word (Developer Guide, "Reserved words in DynamoDB").
    error = error_of(
        ddb_client.get_item,
        TableName=people,
        Key={"pk": s("p"), "sk": s("ann")},
        ProjectionExpression="name",
    )
    assert_error(error, "ValidationException", "reserved keyword")


def test_unused_expression_attribute_name_is_rejected(ddb_client, people):
    error = error_of(
        ddb_client.get_item,
        TableName=people,
        Key={"pk": s("p"), "sk": s("ann")},
        ProjectionExpression="age",
        ExpressionAttributeNames={"#unused": "city"},
    )
    assert_error(error, "ValidationException", "unused in expressions")


def test_unused_expression_attribute_value_is_rejected(ddb_client, people):
    error = error_of(
        ddb_client.query,
        TableName=people,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": s("p"), ":unused": s("x")},
    )
    assert_error(error, "ValidationException", "unused in expressions")


def test_undefined_expression_attribute_value_is_rejected(ddb_client, people):
    error = error_of(
        ddb_client.query,
        TableName=people,
        KeyConditionExpression="pk = :p",
        FilterExpression="age = :missing",
        ExpressionAttributeValues={":p": s("p")},
    )
    assert_error(error, "ValidationException", ":missing")


def test_filter_on_key_attribute_is_rejected_in_query(ddb_client, people):
    # "A filter expression cannot contain partition key or sort key attributes" (Query).
    error = error_of(
        ddb_client.query,
        TableName=people,
        KeyConditionExpression="pk = :p",
        FilterExpression="sk = :k",
        ExpressionAttributeValues={":p": s("p"), ":k": s("ann")},
    )
    assert_error(error, "ValidationException")


def test_projection_syntax_error(ddb_client, people):
    error = error_of(
        ddb_client.get_item,
        TableName=people,
        Key={"pk": s("p"), "sk": s("ann")},
        ProjectionExpression="!!! INVALID !!!",
    )
    assert_error(error, "ValidationException", "Invalid ProjectionExpression", "Syntax error")
