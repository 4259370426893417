"""Conditional writes: ConditionExpression on PutItem, UpdateItem and DeleteItem.

Sources: Amazon DynamoDB Developer Guide, "Condition expressions", "Precedence in
conditions"; API Reference, PutItem and DeleteItem (ConditionalCheckFailedException,
ReturnValues, ReturnValuesOnConditionCheckFailure). Where the documentation is silent,
facts come from ScyllaDB's Alternator test suite (test/alternator/
test_condition_expression.py), whose tests are run against real DynamoDB; such assertions
say "(Alternator, on AWS)".
"""

from __future__ import annotations

import pytest
from support import assert_error, error_of, n, s

KEY = {"pk": s("k")}


@pytest.fixture
def table(ddb_client, make_table):
    name = make_table(keys={"pk": "S"})
    ddb_client.put_item(TableName=name, Item={**KEY, "version": n(1), "state": s("open")})
    return name


def item(client, table):
    return client.get_item(TableName=table, Key=KEY, ConsistentRead=True).get("Item")


def test_put_if_not_exists_fails_on_existing_item(ddb_client, table):
    error = error_of(
        ddb_client.put_item,
        TableName=table,
        Item={**KEY, "version": n(9)},
        ConditionExpression="attribute_not_exists(pk)",
    )
    assert_error(error, "ConditionalCheckFailedException", "The conditional request failed")
    assert item(ddb_client, table)["version"] == n(1)


def test_put_if_not_exists_succeeds_on_new_item(ddb_client, table):
    ddb_client.put_item(
        TableName=table, Item={"pk": s("new")}, ConditionExpression="attribute_not_exists(pk)"
    )
    assert ddb_client.get_item(TableName=table, Key={"pk": s("new")})["Item"] == {"pk": s("new")}


def test_optimistic_lock_update_succeeds_with_current_version(ddb_client, table):
    ddb_client.update_item(
        TableName=table,
        Key=KEY,
        UpdateExpression="SET version = :new",
        ConditionExpression="version = :old",
        ExpressionAttributeValues={":old": n(1), ":new": n(2)},
    )
    assert item(ddb_client, table)["version"] == n(2)


def test_optimistic_lock_update_fails_with_stale_version(ddb_client, table):
    error = error_of(
        ddb_client.update_item,
        TableName=table,
        Key=KEY,
        UpdateExpression="SET version = :new",
        ConditionExpression="version = :old",
        ExpressionAttributeValues={":old": n(0), ":new": n(2)},
    )
    assert_error(error, "ConditionalCheckFailedException")
    assert item(ddb_client, table)["version"] == n(1)


def test_conditional_delete_fails_and_keeps_item(ddb_client, table):
    error = error_of(
        ddb_client.delete_item,
        TableName=table,
        Key=KEY,
        ConditionExpression="#s = :closed",
        ExpressionAttributeNames={"#s": "state"},
        ExpressionAttributeValues={":closed": s("closed")},
    )
    assert_error(error, "ConditionalCheckFailedException")
    assert item(ddb_client, table) is not None


def test_conditional_delete_succeeds(ddb_client, table):
    ddb_client.delete_item(
        TableName=table,
        Key=KEY,
        ConditionExpression="#s = :open",
        ExpressionAttributeNames={"#s": "state"},
        ExpressionAttributeValues={":open": s("open")},
    )
    assert item(ddb_client, table) is None


def test_condition_on_missing_item_sees_no_attributes(ddb_client, table):
    # A condition on an item that does not exist is evaluated against no attributes.
    error = error_of(
        ddb_client.update_item,
        TableName=table,
        Key={"pk": s("ghost")},
        UpdateExpression="SET version = :v",
        ConditionExpression="attribute_exists(pk)",
        ExpressionAttributeValues={":v": n(1)},
    )
    assert_error(error, "ConditionalCheckFailedException")
    assert ddb_client.get_item(TableName=table, Key={"pk": s("ghost")}).get("Item") is None


def test_failed_condition_returns_old_item_when_asked(ddb_client, table):
    # ReturnValuesOnConditionCheckFailure=ALL_OLD puts the item into the error response.
    with pytest.raises(ddb_client.exceptions.ConditionalCheckFailedException) as raised:
        ddb_client.put_item(
            TableName=table,
            Item={**KEY, "version": n(5)},
            ConditionExpression="attribute_not_exists(pk)",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    assert raised.value.response["Item"] == {**KEY, "version": n(1), "state": s("open")}


def test_put_returns_old_item_with_return_values_all_old(ddb_client, table):
    response = ddb_client.put_item(
        TableName=table, Item={**KEY, "version": n(2)}, ReturnValues="ALL_OLD"
    )
    assert response["Attributes"] == {**KEY, "version": n(1), "state": s("open")}


def test_put_with_return_values_updated_new_is_rejected(ddb_client, table):
    # PutItem accepts only NONE and ALL_OLD (API Reference, PutItem: ReturnValues).
    error = error_of(ddb_client.put_item, TableName=table, Item=KEY, ReturnValues="UPDATED_NEW")
    assert_error(error, "ValidationException")


def test_update_of_key_attribute_is_rejected(ddb_client, table):
    error = error_of(
        ddb_client.update_item,
        TableName=table,
        Key=KEY,
        UpdateExpression="SET pk = :v",
        ExpressionAttributeValues={":v": s("x")},
    )
    assert_error(error, "ValidationException", "part of the key")


def test_get_with_incomplete_key_is_rejected(ddb_client, make_table):
    name = make_table(keys={"pk": "S", "sk": "S"})
    error = error_of(ddb_client.get_item, TableName=name, Key={"pk": s("a")})
    assert_error(error, "ValidationException")


# --- How conditions evaluate --------------------------------------------------------------


def conditional_update(client, table, condition, values=None, names=None):
    """SET touched = :touched under ``condition``; values and names are merged in."""
    kwargs = {"ExpressionAttributeValues": {":touched": n(1), **(values or {})}}
    if names:
        kwargs["ExpressionAttributeNames"] = names
    return client.update_item(
        TableName=table,
        Key=KEY,
        UpdateExpression="SET touched = :touched",
        ConditionExpression=condition,
        **kwargs,
    )


def failed_update(client, table, condition, values=None, names=None):
    error = error_of(
        conditional_update,
        client=client,
        table=table,
        condition=condition,
        values=values,
        names=names,
    )
    assert_error(error, "ConditionalCheckFailedException")
    assert "touched" not in item(client, table)


@pytest.mark.parametrize(
    ("condition", "values"),
    [
        ("nickname <> :v", {":v": s("x")}),
        ("version <> :v", {":v": s("1")}),
        ("ghost <> phantom", None),
        ("NOT nickname = :v", {":v": s("x")}),
    ],
    ids=[
        "missing-attribute",
        "value-of-another-type",
        "two-missing-attributes",
        "not-equal-via-not",
    ],
)
def test_not_equal_holds(ddb_client, table, condition, values):
    # "<>" is true when the types differ or an operand is missing (Alternator, on AWS).
    conditional_update(ddb_client, table, condition, values)
    assert item(ddb_client, table)["touched"] == n(1)


@pytest.mark.parametrize(
    ("condition", "values"),
    [
        ("version = :v", {":v": s("1")}),
        ("ghost = phantom", None),
        ("nickname < :v", {":v": s("x")}),
        (":v <= nickname", {":v": s("x")}),
        ("nickname BETWEEN :lo AND :hi", {":lo": n(0), ":hi": n(9)}),
        ("nickname IN (:v)", {":v": s("x")}),
        ("version > :v", {":v": s("0")}),
        ("size(version) = :v", {":v": n(1)}),
        ("begins_with(version, :v)", {":v": s("1")}),
        ("contains(version, :v)", {":v": n(1)}),
    ],
    ids=[
        "equal-across-types",
        "two-missing-attributes-are-not-equal",
        "missing-attribute-less-than",
        "value-less-or-equal-missing-attribute",
        "missing-attribute-between",
        "missing-attribute-in",
        "order-across-types",
        "size-of-a-number",
        "begins-with-on-a-number",
        "contains-on-a-number",
    ],
)
def test_condition_is_false_not_an_error(ddb_client, table, condition, values):
    # An operand from the item that is missing or of an unsuitable type makes the condition
    # false; it is not a validation error (Alternator, on AWS; ScyllaDB issue 14592).
    failed_update(ddb_client, table, condition, values)


@pytest.mark.parametrize(
    ("condition", "values"),
    [
        ("version < :v", {":v": {"L": [n(1)]}}),
        ("version BETWEEN :lo AND :hi", {":lo": n(2), ":hi": s("z")}),
        ("begins_with(#s, :v)", {":v": n(1)}),
        ("attribute_type(version, :v)", {":v": s("INTEGER")}),
        ("attribute_exists(:v)", {":v": n(1)}),
    ],
    ids=[
        "order-with-a-list-constant",
        "between-bounds-of-two-types",
        "begins-with-a-number-constant",
        "unknown-type-name",
        "function-on-a-value-not-a-path",
    ],
)
def test_condition_with_a_wrongly_typed_constant_is_rejected(ddb_client, table, condition, values):
    # When the request itself is wrong, DynamoDB answers ValidationException instead of
    # evaluating the condition (Alternator, on AWS).
    names = {"#s": "state"} if "#s" in condition else None
    error = error_of(
        conditional_update,
        client=ddb_client,
        table=table,
        condition=condition,
        values=values,
        names=names,
    )
    assert_error(error, "ValidationException")
    assert "touched" not in item(ddb_client, table)


@pytest.mark.parametrize(
    "condition",
    ["if_not_exists(version, :v) = :v", "list_append(version, :v) = :v", "size(version)", ""],
    ids=["if-not-exists", "list-append", "size-alone", "empty"],
)
def test_invalid_condition_expression_is_rejected(ddb_client, table, condition):
    # if_not_exists and list_append belong to update expressions; size() is an operand,
    # not a condition; an empty expression is invalid (Alternator, on AWS).
    values = {":v": n(1)} if ":v" in condition else None
    error = error_of(
        conditional_update, client=ddb_client, table=table, condition=condition, values=values
    )
    assert_error(error, "ValidationException")
    assert "touched" not in item(ddb_client, table)


def test_condition_compares_two_attributes_of_the_item(ddb_client, table):
    ddb_client.put_item(TableName=table, Item={**KEY, "low": n(1), "high": n(5)})
    conditional_update(ddb_client, table, "low < high")
    failed = error_of(conditional_update, client=ddb_client, table=table, condition="high < low")
    assert_error(failed, "ConditionalCheckFailedException")


def test_condition_on_nested_attributes(ddb_client, table):
    ddb_client.put_item(
        TableName=table, Item={**KEY, "doc": {"M": {"x": n(1), "y": {"L": [n(-1), n(2)]}}}}
    )
    conditional_update(ddb_client, table, "attribute_exists(doc.x) AND doc.x < doc.y[1]")
    assert item(ddb_client, table)["touched"] == n(1)


def test_condition_on_a_missing_nested_path_is_false(ddb_client, table):
    ddb_client.put_item(TableName=table, Item={**KEY, "doc": {"M": {"y": {"L": [n(2)]}}}})
    failed_update(ddb_client, table, "doc.z < doc.y[100]")


@pytest.mark.parametrize(
    ("condition", "passes"),
    [
        ("version = :one OR #s = :closed AND version = :two", True),
        ("(version = :one OR #s = :closed) AND version = :two", False),
        ("NOT #s = :closed AND version = :two", False),
        ("NOT (#s = :closed AND version = :two)", True),
    ],
    ids=[
        "and-before-or",
        "parentheses-first",
        "not-before-and",
        "not-of-parentheses",
    ],
)
def test_condition_precedence(ddb_client, table, condition, passes):
    # NOT binds tighter than AND, AND tighter than OR (Developer Guide, "Precedence in
    # conditions"). The item has version 1 and state "open".
    values = {":one": n(1), ":two": n(2), ":closed": s("closed")}
    values = {k: v for k, v in values.items() if k in condition}
    if passes:
        conditional_update(ddb_client, table, condition, values, {"#s": "state"})
        assert item(ddb_client, table)["touched"] == n(1)
    else:
        failed_update(ddb_client, table, condition, values, {"#s": "state"})


def test_attribute_type_condition_on_put(ddb_client, table):
    ddb_client.put_item(
        TableName=table,
        Item={**KEY, "version": n(2)},
        ConditionExpression="attribute_type(version, :n)",
        ExpressionAttributeValues={":n": s("N")},
    )
    assert item(ddb_client, table) == {**KEY, "version": n(2)}


def test_failed_delete_condition_returns_the_old_item_when_asked(ddb_client, table):
    with pytest.raises(ddb_client.exceptions.ConditionalCheckFailedException) as raised:
        ddb_client.delete_item(
            TableName=table,
            Key=KEY,
            ConditionExpression="version = :v",
            ExpressionAttributeValues={":v": n(9)},
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    assert raised.value.response["Item"] == {**KEY, "version": n(1), "state": s("open")}
    assert item(ddb_client, table) is not None


def test_delete_returns_the_old_item_with_return_values_all_old(ddb_client, table):
    response = ddb_client.delete_item(TableName=table, Key=KEY, ReturnValues="ALL_OLD")
    assert response["Attributes"] == {**KEY, "version": n(1), "state": s("open")}
    assert item(ddb_client, table) is None


def test_delete_with_return_values_all_new_is_rejected(ddb_client, table):
    # DeleteItem accepts only NONE and ALL_OLD (API Reference, DeleteItem: ReturnValues).
    error = error_of(ddb_client.delete_item, TableName=table, Key=KEY, ReturnValues="ALL_NEW")
    assert_error(error, "ValidationException")
    assert item(ddb_client, table) is not None
