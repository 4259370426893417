"""Conditional writes: ConditionExpression on PutItem, UpdateItem and DeleteItem.

Sources: Amazon DynamoDB Developer Guide, "Condition expressions"; API Reference, PutItem
(ConditionalCheckFailedException, ReturnValuesOnConditionCheckFailure).
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
