from __future__ import annotations

from ddbmatrix.normalize import Context, error_free_body, normalize

CTX = Context(tables={"ddbm-0123abcd-0123456789": "orders"})


def test_generated_table_names_become_labels_everywhere():
    value = {
        "TableName": "ddbm-0123abcd-0123456789",
        "message": "Table: ddbm-0123abcd-0123456789 not found",
        "Other": "ddbm-ffffffff-ffffffffff",
    }
    assert normalize(value, CTX) == {
        "TableName": "<table:orders>",
        "message": "Table: <table:orders> not found",
        "Other": "<table:?>",
    }


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


def test_item_values_are_signal_and_stay():
    item = {"Item": {"pk": {"S": "a"}, "n": {"N": "01.500"}, "when": {"S": "2026-01-01"}}}
    assert normalize(item, CTX) == item


def test_error_body_drops_type_and_message_only():
    body = {"__type": "x#ConditionalCheckFailedException", "message": "m", "Item": {"a": 1}}
    assert error_free_body(body) == {"Item": {"a": 1}}
