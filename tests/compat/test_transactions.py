"""Transactions: TransactWriteItems and TransactGetItems.

Sources: Amazon DynamoDB API Reference, "TransactWriteItems", "TransactGetItems",
"CancellationReason", "TransactionCanceledException"; Developer Guide, "Amazon DynamoDB
Transactions: How it works" (idempotency, error handling); /work/shared/AWS-TRUTH.md for the
answers recorded from real AWS (cancellation reasons, two actions on one item, empty lists).
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from support import assert_error, error_of, n, observe, s


@pytest.fixture
def tables(ddb_client, make_table):
    """Two hash-key tables, "orders" holding order o1 and "stock" holding item i1 (qty 5)."""
    orders = make_table(keys={"pk": "S"}, label="orders")
    stock = make_table(keys={"pk": "S"}, label="stock")
    ddb_client.put_item(TableName=orders, Item={"pk": s("o1"), "state": s("open")})
    ddb_client.put_item(TableName=stock, Item={"pk": s("i1"), "qty": n(5)})
    return orders, stock


def get(client, table, key):
    return client.get_item(TableName=table, Key={"pk": s(key)}, ConsistentRead=True).get("Item")


def cancelled(operation, **kwargs):
    """Call ``operation`` expecting a cancelled transaction; return the whole error response."""
    with pytest.raises(ClientError) as raised:
        operation(**kwargs)
    return raised.value.response


def reason_codes(response):
    return [reason.get("Code") for reason in response.get("CancellationReasons", [])]


def failing_check(table, key="o1"):
    """A ConditionCheck on ``key`` that fails: the item's state is "open"."""
    return {
        "ConditionCheck": {
            "TableName": table,
            "Key": {"pk": s(key)},
            "ConditionExpression": "#s = :closed",
            "ExpressionAttributeNames": {"#s": "state"},
            "ExpressionAttributeValues": {":closed": s("closed")},
        }
    }


# -- TransactWriteItems: the four actions ----------------------------------------------------


def test_write_puts_items_into_two_tables(ddb_client, tables):
    orders, stock = tables
    ddb_client.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": orders, "Item": {"pk": s("o2"), "state": s("new")}}},
            {"Put": {"TableName": stock, "Item": {"pk": s("i2"), "qty": n(1)}}},
        ]
    )
    assert get(ddb_client, orders, "o2") == {"pk": s("o2"), "state": s("new")}
    assert get(ddb_client, stock, "i2") == {"pk": s("i2"), "qty": n(1)}


def test_write_update_applies_its_expression(ddb_client, tables):
    _, stock = tables
    ddb_client.transact_write_items(
        TransactItems=[
            {
                "Update": {
                    "TableName": stock,
                    "Key": {"pk": s("i1")},
                    "UpdateExpression": "SET qty = qty - :one, note = :note",
                    "ExpressionAttributeValues": {":one": n(1), ":note": s("sold")},
                }
            }
        ]
    )
    assert get(ddb_client, stock, "i1") == {"pk": s("i1"), "qty": n(4), "note": s("sold")}


def test_write_delete_removes_item(ddb_client, tables):
    orders, _ = tables
    ddb_client.transact_write_items(
        TransactItems=[{"Delete": {"TableName": orders, "Key": {"pk": s("o1")}}}]
    )
    assert get(ddb_client, orders, "o1") is None


def test_passing_condition_check_lets_the_other_actions_apply(ddb_client, tables):
    orders, stock = tables
    ddb_client.transact_write_items(
        TransactItems=[
            {
                "ConditionCheck": {
                    "TableName": orders,
                    "Key": {"pk": s("o1")},
                    "ConditionExpression": "#s = :open",
                    "ExpressionAttributeNames": {"#s": "state"},
                    "ExpressionAttributeValues": {":open": s("open")},
                }
            },
            {
                "Update": {
                    "TableName": stock,
                    "Key": {"pk": s("i1")},
                    "UpdateExpression": "SET qty = :zero",
                    "ExpressionAttributeValues": {":zero": n(0)},
                }
            },
        ]
    )
    assert get(ddb_client, stock, "i1")["qty"] == n(0)
    # A ConditionCheck only reads: the checked item is unchanged.
    assert get(ddb_client, orders, "o1") == {"pk": s("o1"), "state": s("open")}


def test_mixed_actions_apply_together(ddb_client, tables):
    orders, stock = tables
    ddb_client.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": orders, "Item": {"pk": s("o2")}}},
            {"Delete": {"TableName": orders, "Key": {"pk": s("o1")}}},
            {
                "Update": {
                    "TableName": stock,
                    "Key": {"pk": s("i1")},
                    "UpdateExpression": "ADD qty :n",
                    "ExpressionAttributeValues": {":n": n(10)},
                }
            },
        ]
    )
    assert get(ddb_client, orders, "o2") == {"pk": s("o2")}
    assert get(ddb_client, orders, "o1") is None
    assert get(ddb_client, stock, "i1")["qty"] == n(15)


# -- all or nothing, and the cancellation reasons --------------------------------------------


def test_failed_condition_leaves_every_item_unchanged(ddb_client, tables):
    orders, stock = tables
    response = cancelled(
        ddb_client.transact_write_items,
        TransactItems=[
            {"Put": {"TableName": orders, "Item": {"pk": s("o2")}}},
            {
                "Update": {
                    "TableName": stock,
                    "Key": {"pk": s("i1")},
                    "UpdateExpression": "SET qty = :zero",
                    "ExpressionAttributeValues": {":zero": n(0)},
                }
            },
            {"Delete": {"TableName": stock, "Key": {"pk": s("i9")}}},
            failing_check(orders),
        ],
    )
    assert response["Error"]["Code"] == "TransactionCanceledException"
    assert get(ddb_client, orders, "o2") is None
    assert get(ddb_client, stock, "i1") == {"pk": s("i1"), "qty": n(5)}
    assert get(ddb_client, orders, "o1") == {"pk": s("o1"), "state": s("open")}


@pytest.mark.parametrize(
    ("failing", "expected"),
    [
        (0, ["ConditionalCheckFailed", "None", "None"]),
        (1, ["None", "ConditionalCheckFailed", "None"]),
        (2, ["None", "None", "ConditionalCheckFailed"]),
    ],
    ids=["first", "middle", "last"],
)
def test_cancellation_reasons_follow_request_order(ddb_client, tables, failing, expected):
    # "The values of the list are ordered according to the ordering of the TransactWriteItems
    # request parameter"; AWS-TRUTH: codes ["None", "ConditionalCheckFailed"] for 2nd of 2.
    orders, stock = tables
    actions = [
        {"Put": {"TableName": stock, "Item": {"pk": s("i2")}}},
        {"Put": {"TableName": stock, "Item": {"pk": s("i3")}}},
        {"Put": {"TableName": stock, "Item": {"pk": s("i4")}}},
    ]
    actions[failing] = failing_check(orders)
    response = cancelled(ddb_client.transact_write_items, TransactItems=actions)
    assert_error(response["Error"], "TransactionCanceledException", "Transaction cancelled")
    assert reason_codes(response) == expected


def test_cancellation_reasons_list_every_failed_condition(ddb_client, tables):
    orders, stock = tables
    response = cancelled(
        ddb_client.transact_write_items,
        TransactItems=[
            failing_check(orders),
            {
                "Put": {
                    "TableName": stock,
                    "Item": {"pk": s("i1")},
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
        ],
    )
    assert reason_codes(response) == ["ConditionalCheckFailed", "ConditionalCheckFailed"]


def test_condition_check_on_missing_item_fails(ddb_client, tables):
    # A condition on an item that does not exist is evaluated against no attributes.
    orders, _ = tables
    response = cancelled(
        ddb_client.transact_write_items,
        TransactItems=[
            {
                "ConditionCheck": {
                    "TableName": orders,
                    "Key": {"pk": s("ghost")},
                    "ConditionExpression": "attribute_exists(pk)",
                }
            }
        ],
    )
    assert reason_codes(response) == ["ConditionalCheckFailed"]


def _with_old_item_on_failure(action, table):
    """``action`` (Put, Update, Delete or ConditionCheck) on stock item i1, failing."""
    failing = {
        "TableName": table,
        "ConditionExpression": "qty > :max",
        "ExpressionAttributeValues": {":max": n(100)},
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }
    if action == "Put":
        return {"Put": {**failing, "Item": {"pk": s("i1"), "qty": n(0)}}}
    if action == "Update":
        failing["ExpressionAttributeValues"][":zero"] = n(0)
        return {
            "Update": {**failing, "Key": {"pk": s("i1")}, "UpdateExpression": "SET qty = :zero"}
        }
    return {action: {**failing, "Key": {"pk": s("i1")}}}


@pytest.mark.parametrize("action", ["Put", "Update", "Delete", "ConditionCheck"])
def test_failed_condition_reason_carries_old_item_when_asked(ddb_client, tables, action):
    # CancellationReason.Item: "Item in the request which caused the transaction to get
    # cancelled", returned when ReturnValuesOnConditionCheckFailure is ALL_OLD.
    _, stock = tables
    response = cancelled(
        ddb_client.transact_write_items, TransactItems=[_with_old_item_on_failure(action, stock)]
    )
    reasons = response["CancellationReasons"]
    assert reasons[0]["Code"] == "ConditionalCheckFailed"
    assert reasons[0]["Item"] == {"pk": s("i1"), "qty": n(5)}


def test_failed_condition_reason_has_no_item_by_default(ddb_client, tables):
    # ReturnValuesOnConditionCheckFailure defaults to NONE: nothing of the item comes back.
    orders, _ = tables
    response = cancelled(ddb_client.transact_write_items, TransactItems=[failing_check(orders)])
    reasons = response["CancellationReasons"]
    assert reasons[0]["Code"] == "ConditionalCheckFailed"
    assert "Item" not in reasons[0]


# -- request validation ----------------------------------------------------------------------


@pytest.mark.parametrize("operation", ["transact_write_items", "transact_get_items"])
def test_empty_transact_items_is_rejected(ddb_client, operation):
    # AWS-TRUTH: "...at 'transactItems' failed to satisfy constraint: Member must have length
    # greater than or equal to 1".
    error = error_of(getattr(ddb_client, operation), TransactItems=[])
    assert_error(error, "ValidationException", "greater than or equal to 1")


def test_write_of_101_actions_is_rejected(ddb_client, make_table):
    # TransactItems: "Array Members: Minimum number of 1 item. Maximum number of 100 items."
    table = make_table(keys={"pk": "S"})
    error = error_of(
        ddb_client.transact_write_items,
        TransactItems=[
            {"Put": {"TableName": table, "Item": {"pk": s(f"k{i}")}}} for i in range(101)
        ],
    )
    assert_error(error, "ValidationException", "less than or equal to 100")
    assert ddb_client.scan(TableName=table, Select="COUNT")["Count"] == 0


def test_write_of_100_actions_is_accepted(ddb_client, make_table):
    table = make_table(keys={"pk": "S"})
    ddb_client.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": table, "Item": {"pk": s(f"k{i}")}}} for i in range(100)
        ]
    )
    assert ddb_client.scan(TableName=table, Select="COUNT")["Count"] == 100


def test_get_of_101_items_is_rejected(ddb_client, make_table):
    table = make_table(keys={"pk": "S"})
    error = error_of(
        ddb_client.transact_get_items,
        TransactItems=[
            {"Get": {"TableName": table, "Key": {"pk": s(f"k{i}")}}} for i in range(101)
        ],
    )
    assert_error(error, "ValidationException", "less than or equal to 100")


@pytest.mark.parametrize(
    "second",
    [
        {"Update": {"UpdateExpression": "SET qty = :v", "ExpressionAttributeValues": {":v": n(1)}}},
        {"Delete": {}},
        {"ConditionCheck": {"ConditionExpression": "attribute_exists(pk)"}},
    ],
    ids=["put-and-update", "put-and-delete", "put-and-condition-check"],
)
def test_two_actions_on_one_item_are_rejected(ddb_client, tables, second):
    # "no two actions can target the same item"; AWS-TRUTH: ValidationException "Transaction
    # request cannot include multiple operations on one item".
    _, stock = tables
    ((kind, body),) = second.items()
    error = error_of(
        ddb_client.transact_write_items,
        TransactItems=[
            {"Put": {"TableName": stock, "Item": {"pk": s("i1"), "qty": n(99)}}},
            {kind: {"TableName": stock, "Key": {"pk": s("i1")}, **body}},
        ],
    )
    assert_error(error, "ValidationException", "multiple operations on one item")
    assert get(ddb_client, stock, "i1") == {"pk": s("i1"), "qty": n(5)}


def test_write_to_missing_table_is_rejected(ddb_client, tables):
    orders, _ = tables
    error = error_of(
        ddb_client.transact_write_items,
        TransactItems=[
            {"Put": {"TableName": orders, "Item": {"pk": s("o2")}}},
            {"Put": {"TableName": "ddbmatrix-no-such-table", "Item": {"pk": s("x")}}},
        ],
    )
    assert error["Code"] == "ResourceNotFoundException"
    assert get(ddb_client, orders, "o2") is None


def test_get_from_missing_table(ddb_client):
    # The API Reference lists ResourceNotFoundException for TransactGetItems, but no recorded
    # AWS answer says whether it comes plain or as a cancellation reason.
    observe(
        ddb_client.transact_get_items,
        TransactItems=[{"Get": {"TableName": "ddbmatrix-no-such-table", "Key": {"pk": s("x")}}}],
    )


def test_get_with_empty_key_is_cancelled_with_validation_error(ddb_client, tables):
    # AWS-TRUTH: TransactGetItems with Key {} -> TransactionCanceledException whose
    # CancellationReasons carry the code ValidationError.
    orders, _ = tables
    response = cancelled(
        ddb_client.transact_get_items, TransactItems=[{"Get": {"TableName": orders, "Key": {}}}]
    )
    assert response["Error"]["Code"] == "TransactionCanceledException"
    assert reason_codes(response) == ["ValidationError"]


def test_client_request_token_longer_than_36_characters_is_rejected(ddb_client, tables):
    # ClientRequestToken: "Length Constraints: Minimum length of 1. Maximum length of 36."
    orders, _ = tables
    error = error_of(
        ddb_client.transact_write_items,
        TransactItems=[{"Put": {"TableName": orders, "Item": {"pk": s("o2")}}}],
        ClientRequestToken="t" * 37,
    )
    assert error["Code"] == "ValidationException"


# -- idempotency -----------------------------------------------------------------------------


def _add_one(table):
    return [
        {
            "Update": {
                "TableName": table,
                "Key": {"pk": s("i1")},
                "UpdateExpression": "ADD qty :one",
                "ExpressionAttributeValues": {":one": n(1)},
            }
        }
    ]


def test_same_token_and_same_request_applies_once(ddb_client, tables):
    # "multiple identical calls have the same effect as one single call" (ClientRequestToken).
    _, stock = tables
    for _ in range(2):
        ddb_client.transact_write_items(TransactItems=_add_one(stock), ClientRequestToken="tok-1")
    assert get(ddb_client, stock, "i1")["qty"] == n(6)


def test_same_token_with_different_request_is_rejected(ddb_client, tables):
    # "If you submit a request with the same client token but a change in other parameters
    # within the 10-minute idempotency window, DynamoDB returns an IdempotentParameterMismatch
    # exception."
    orders, stock = tables
    ddb_client.transact_write_items(TransactItems=_add_one(stock), ClientRequestToken="tok-2")
    error = error_of(
        ddb_client.transact_write_items,
        TransactItems=[{"Put": {"TableName": orders, "Item": {"pk": s("o2")}}}],
        ClientRequestToken="tok-2",
    )
    assert error["Code"] == "IdempotentParameterMismatchException"
    assert get(ddb_client, orders, "o2") is None


def test_different_tokens_apply_twice(ddb_client, tables):
    _, stock = tables
    for token in ("tok-3", "tok-4"):
        ddb_client.transact_write_items(TransactItems=_add_one(stock), ClientRequestToken=token)
    assert get(ddb_client, stock, "i1")["qty"] == n(7)


# -- TransactGetItems ------------------------------------------------------------------------


def test_get_reads_items_from_two_tables_in_request_order(ddb_client, tables):
    # Responses: "An ordered array ... each of which corresponds to the TransactGetItem object
    # in the same position in the TransactItems array."
    orders, stock = tables
    response = ddb_client.transact_get_items(
        TransactItems=[
            {"Get": {"TableName": stock, "Key": {"pk": s("i1")}}},
            {"Get": {"TableName": orders, "Key": {"pk": s("o1")}}},
        ]
    )
    assert [entry["Item"] for entry in response["Responses"]] == [
        {"pk": s("i1"), "qty": n(5)},
        {"pk": s("o1"), "state": s("open")},
    ]


def test_get_of_missing_item_has_an_entry_without_item(ddb_client, tables):
    # "If a requested item could not be retrieved, the corresponding ItemResponse object is
    # Null": the entry keeps its position and holds no Item.
    orders, stock = tables
    response = ddb_client.transact_get_items(
        TransactItems=[
            {"Get": {"TableName": orders, "Key": {"pk": s("ghost")}}},
            {"Get": {"TableName": stock, "Key": {"pk": s("i1")}}},
        ]
    )
    entries = response["Responses"]
    assert len(entries) == 2
    assert "Item" not in (entries[0] or {})
    assert entries[1]["Item"] == {"pk": s("i1"), "qty": n(5)}


def test_get_applies_projection(ddb_client, tables):
    _, stock = tables
    response = ddb_client.transact_get_items(
        TransactItems=[
            {"Get": {"TableName": stock, "Key": {"pk": s("i1")}, "ProjectionExpression": "qty"}}
        ]
    )
    assert response["Responses"][0]["Item"] == {"qty": n(5)}


def test_get_sees_the_effect_of_a_committed_write(ddb_client, tables):
    orders, stock = tables
    ddb_client.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": orders, "Item": {"pk": s("o2"), "state": s("new")}}},
            {"Delete": {"TableName": stock, "Key": {"pk": s("i1")}}},
        ]
    )
    response = ddb_client.transact_get_items(
        TransactItems=[
            {"Get": {"TableName": orders, "Key": {"pk": s("o2")}}},
            {"Get": {"TableName": stock, "Key": {"pk": s("i1")}}},
        ]
    )
    entries = response["Responses"]
    assert entries[0]["Item"] == {"pk": s("o2"), "state": s("new")}
    assert "Item" not in (entries[1] or {})
