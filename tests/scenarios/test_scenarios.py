"""The labelled scenarios: small tests whose verdict a reviewer labelled by hand.

Each test makes DynamoDB calls on every backend; some assert what real DynamoDB does (from
AWS-TRUTH.md or the API reference), most assert nothing, so the report's rules, not the
assertions, must find the odd side. ``labels.toml`` holds, for each, what the report must
say: divergent or not, the class, the odd side. They are recorded on the five local
backends into ``runs/`` (see README.md here) and checked by tests/unit/test_scenarios.py.
"""

from __future__ import annotations

import contextlib

import pytest
from botocore.exceptions import ClientError

S = {"S": "a"}


def _key_table(make_table):
    return make_table(keys={"pk": "S"})


def _put_set(client, table, kind, values):
    client.put_item(TableName=table, Item={"pk": S, "v": {kind: values}})


def _batch_26(client, table):
    requests = [{"PutRequest": {"Item": {"pk": {"S": f"k{i}"}}}} for i in range(26)]
    client.batch_write_item(RequestItems={table: requests})


# -- accept/reject splits, no assertion in play --------------------------------------------


def test_accept_duplicate_string_set_no_assertion(ddb_client, make_table):
    _put_set(ddb_client, _key_table(make_table), "SS", ["a", "a"])


def test_accept_duplicate_number_set_no_assertion(ddb_client, make_table):
    _put_set(ddb_client, _key_table(make_table), "NS", ["1", "1"])


def test_accept_batch_write_of_26_no_assertion(ddb_client, make_table):
    _batch_26(ddb_client, _key_table(make_table))


def test_accept_key_of_39_digits_no_assertion(ddb_client, make_table):
    table = make_table(keys={"pk": "N"})
    ddb_client.put_item(TableName=table, Item={"pk": {"N": "1" * 39}})


def test_accept_segment_without_total_no_assertion(ddb_client, make_table):
    ddb_client.scan(TableName=_key_table(make_table), Segment=0)


def test_accept_specific_attributes_without_projection_no_assertion(ddb_client, make_table):
    ddb_client.query(
        TableName=_key_table(make_table),
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": S},
        Select="SPECIFIC_ATTRIBUTES",
    )


def test_accept_table_name_of_two_characters_no_assertion(ddb_client):
    ddb_client.create_table(
        TableName="ab",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


def test_accept_on_demand_with_throughput_no_assertion(ddb_client, new_table_name):
    ddb_client.create_table(
        TableName=new_table_name(),
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
    )


def test_accept_zero_read_capacity_no_assertion(ddb_client, new_table_name):
    ddb_client.create_table(
        TableName=new_table_name(),
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PROVISIONED",
        ProvisionedThroughput={"ReadCapacityUnits": 0, "WriteCapacityUnits": 1},
    )


def test_reject_valid_transaction_no_assertion(ddb_client, make_table):
    table = _key_table(make_table)
    ddb_client.transact_write_items(
        TransactItems=[{"Put": {"TableName": table, "Item": {"pk": S}}}]
    )


# -- accept/reject splits, asserted as AWS answers (AWS-TRUTH.md) ----------------------------


def test_accept_duplicate_string_set_asserted(ddb_client, make_table):
    # AWS: ValidationException "Input collection ... contains duplicates".
    with pytest.raises(ClientError) as raised:
        _put_set(ddb_client, _key_table(make_table), "SS", ["a", "a"])
    assert raised.value.response["Error"]["Code"] == "ValidationException"


def test_accept_batch_write_of_26_asserted(ddb_client, make_table):
    # AWS: ValidationException, "...Member must have length less than or equal to 25".
    with pytest.raises(ClientError) as raised:
        _batch_26(ddb_client, _key_table(make_table))
    assert raised.value.response["Error"]["Code"] == "ValidationException"


def test_accept_segment_without_total_asserted(ddb_client, make_table):
    # AWS: "The TotalSegments parameter is required but was not present in the request...".
    with pytest.raises(ClientError) as raised:
        ddb_client.scan(TableName=_key_table(make_table), Segment=0)
    assert raised.value.response["Error"]["Code"] == "ValidationException"


def test_accept_empty_batch_get_keys_asserted(ddb_client, make_table):
    # API reference: KeysAndAttributes.Keys has at least 1 member.
    table = _key_table(make_table)
    with pytest.raises(ClientError) as raised:
        ddb_client.batch_get_item(RequestItems={table: {"Keys": []}})
    assert raised.value.response["Error"]["Code"] == "ValidationException"


def test_content_number_read_back_normalized_asserted(ddb_client, make_table):
    # AWS: a Number "01.500" stored then read comes back as "1.5".
    table = _key_table(make_table)
    ddb_client.put_item(TableName=table, Item={"pk": S, "n": {"N": "01.500"}})
    item = ddb_client.get_item(TableName=table, Key={"pk": S})["Item"]
    assert item["n"] == {"N": "1.5"}


def test_content_number_read_back_no_assertion(ddb_client, make_table):
    table = _key_table(make_table)
    ddb_client.put_item(TableName=table, Item={"pk": S, "n": {"N": "01.500"}})
    ddb_client.get_item(TableName=table, Key={"pk": S})


def test_shape_batch_write_reports_nothing_unless_asked_asserted(ddb_client, make_table):
    # API reference: ConsumedCapacity and ItemCollectionMetrics only when asked for.
    table = _key_table(make_table)
    answer = ddb_client.batch_write_item(
        RequestItems={table: [{"PutRequest": {"Item": {"pk": S}}}]}
    )
    assert "ConsumedCapacity" not in answer


def test_shape_update_item_reports_no_capacity_no_assertion(ddb_client, make_table):
    table = _key_table(make_table)
    ddb_client.update_item(
        TableName=table,
        Key={"pk": S},
        UpdateExpression="SET v = :v",
        ExpressionAttributeValues={":v": S},
    )


# -- three-way splits ------------------------------------------------------------------------


def test_three_way_delete_of_a_missing_index_no_assertion(ddb_client, make_table):
    table = make_table(keys={"pk": "S"}, gsis={"by_g": {"keys": {"g": "S"}}})
    ddb_client.update_table(
        TableName=table,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "no_such_index"}}],
    )


@pytest.fixture
def arn(ddb_client, make_table):
    table = make_table(keys={"pk": "S"})
    return ddb_client.describe_table(TableName=table)["Table"]["TableArn"]


def test_three_way_tags_of_a_missing_table_no_assertion(ddb_client, arn, new_table_name):
    missing = arn.rsplit("/", 1)[0] + "/" + new_table_name()
    ddb_client.list_tags_of_resource(ResourceArn=missing)


def test_three_way_tagging_a_missing_table_no_assertion(ddb_client, arn, new_table_name):
    missing = arn.rsplit("/", 1)[0] + "/" + new_table_name()
    ddb_client.tag_resource(ResourceArn=missing, Tags=[{"Key": "k", "Value": "v"}])


def test_error_code_of_ttl_of_a_missing_table_no_assertion(ddb_client, new_table_name):
    ddb_client.describe_time_to_live(TableName=new_table_name())


def test_accept_scan_limit_zero_no_assertion(ddb_client, make_table):
    ddb_client.scan(TableName=_key_table(make_table), Limit=0)


def test_server_error_unknown_billing_mode_no_assertion(ddb_client, new_table_name):
    ddb_client.create_table(
        TableName=new_table_name(),
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="FREE",
    )


# -- set and Scan order ----------------------------------------------------------------------


def test_set_order_string_set_round_trip(ddb_client, make_table):
    table = _key_table(make_table)
    _put_set(ddb_client, table, "SS", ["pear", "apple", "fig", "kiwi", "date"])
    ddb_client.get_item(TableName=table, Key={"pk": S})


def test_set_order_number_set_round_trip(ddb_client, make_table):
    table = _key_table(make_table)
    _put_set(ddb_client, table, "NS", ["10", "-3", "2.5", "7", "100"])
    ddb_client.get_item(TableName=table, Key={"pk": S})


def _stock(client, make_table):
    table = make_table(keys={"pk": "S", "sk": "N"})
    for pk, count in (("a", 3), ("b", 2), ("c", 2), ("d", 1)):
        for sk in range(count):
            client.put_item(TableName=table, Item={"pk": {"S": pk}, "sk": {"N": str(sk)}})
    return table


def test_scan_order_the_test_sorts(ddb_client, make_table):
    items = ddb_client.scan(TableName=_stock(ddb_client, make_table))["Items"]
    keys = sorted((i["pk"]["S"], int(i["sk"]["N"])) for i in items)
    assert keys == [("a", 0), ("a", 1), ("a", 2), ("b", 0), ("b", 1), ("c", 0), ("c", 1), ("d", 0)]


def test_scan_order_no_assertion(ddb_client, make_table):
    ddb_client.scan(TableName=_stock(ddb_client, make_table))


def test_scan_order_of_one_parallel_segment(ddb_client, make_table):
    ddb_client.scan(TableName=_stock(ddb_client, make_table), Segment=0, TotalSegments=1)


def test_scan_order_asserted_across_partitions(ddb_client, make_table):
    # Asserts an order DynamoDB does not document: the assertions decide, and the report
    # counts it, because the outcome differs with the order.
    items = ddb_client.scan(TableName=_stock(ddb_client, make_table))["Items"]
    assert [i["pk"]["S"] for i in items] == ["a", "a", "a", "b", "b", "c", "c", "d"]


# -- wording only ------------------------------------------------------------------------------


def test_wording_get_from_a_missing_table_asserted(ddb_client, new_table_name):
    with pytest.raises(ClientError) as raised:
        ddb_client.get_item(TableName=new_table_name(), Key={"pk": S})
    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_wording_query_of_a_missing_table_no_assertion(ddb_client, new_table_name):
    ddb_client.query(
        TableName=new_table_name(),
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": S},
    )


def test_wording_get_with_half_a_key_asserted(ddb_client, make_table):
    table = make_table(keys={"pk": "S", "sk": "S"})
    with pytest.raises(ClientError) as raised:
        ddb_client.get_item(TableName=table, Key={"pk": S})
    assert raised.value.response["Error"]["Code"] == "ValidationException"


def test_wording_three_key_elements_asserted(ddb_client, new_table_name):
    with pytest.raises(ClientError) as raised:
        ddb_client.create_table(
            TableName=new_table_name(),
            KeySchema=[
                {"AttributeName": "a", "KeyType": "HASH"},
                {"AttributeName": "b", "KeyType": "RANGE"},
                {"AttributeName": "c", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": name, "AttributeType": "S"} for name in ("a", "b", "c")
            ],
            BillingMode="PAY_PER_REQUEST",
        )
    assert raised.value.response["Error"]["Code"] == "ValidationException"


# -- set-up errors, and tests that never reach a backend ----------------------------------------


@pytest.fixture
def broken_fixture(ddb_client):
    raise RuntimeError("the fixture cannot build what the test needs")


@pytest.fixture
def broken_on_dynalite(ddb_backend, ddb_client):
    if ddb_backend == "dynalite":
        raise RuntimeError("this fixture needs streams, which dynalite lacks")


@pytest.fixture
def transactional_fixture(ddb_client, make_table):
    table = _key_table(make_table)
    ddb_client.transact_write_items(
        TransactItems=[{"Put": {"TableName": table, "Item": {"pk": S}}}]
    )
    return table


def test_setup_error_everywhere(ddb_client, broken_fixture):
    ddb_client.list_tables()


def test_setup_error_on_one_backend(ddb_client, broken_on_dynalite, make_table):
    table = _key_table(make_table)
    ddb_client.put_item(TableName=table, Item={"pk": S})


def test_setup_error_from_an_unsupported_call(ddb_client, transactional_fixture):
    assert ddb_client.get_item(TableName=transactional_fixture, Key={"pk": S})["Item"]


def test_not_compared_raises_before_any_call(ddb_client):
    settings: dict[str, str] = {}
    ddb_client.get_item(TableName=settings["table"], Key={"pk": S})


def test_not_compared_makes_no_call(ddb_client, ddb_endpoint):
    assert ddb_endpoint.startswith("http")


# -- a noisy first call, then the decisive one ----------------------------------------------------


def test_noisy_not_found_then_accept(ddb_client, make_table, new_table_name):
    with contextlib.suppress(ClientError):  # "not found", each backend in its own words
        ddb_client.get_item(TableName=new_table_name(), Key={"pk": S})
    _put_set(ddb_client, _key_table(make_table), "SS", ["a", "a"])


def test_noisy_describe_then_accept_asserted(ddb_client, make_table):
    table = _key_table(make_table)
    ddb_client.describe_table(TableName=table)  # every backend has its own field set
    with pytest.raises(ClientError):
        _put_set(ddb_client, table, "SS", ["a", "a"])


def test_noisy_describe_then_accept_no_assertion(ddb_client, make_table):
    table = _key_table(make_table)
    ddb_client.describe_table(TableName=table)
    _put_set(ddb_client, table, "SS", ["a", "a"])


def test_noisy_describe_alone(ddb_client, make_table):
    ddb_client.describe_table(TableName=_key_table(make_table))


def test_unsupported_partiql_asserted(ddb_client, make_table):
    table = _key_table(make_table)
    ddb_client.put_item(TableName=table, Item={"pk": S, "v": {"S": "x"}})
    answer = ddb_client.execute_statement(Statement=f"SELECT * FROM \"{table}\" WHERE pk = 'a'")
    assert answer["Items"] == [{"pk": S, "v": {"S": "x"}}]


def test_agreement_put_then_get(ddb_client, make_table):
    table = _key_table(make_table)
    ddb_client.put_item(TableName=table, Item={"pk": S, "v": {"S": "x"}})
    assert ddb_client.get_item(TableName=table, Key={"pk": S})["Item"]["v"] == {"S": "x"}


@pytest.mark.ddb_diverges("moto", reason="moto keeps a Number as written (AWS-TRUTH.md)")
def test_content_number_marked_as_diverging_on_moto(ddb_client, make_table):
    table = _key_table(make_table)
    ddb_client.put_item(TableName=table, Item={"pk": S, "n": {"N": "01.500"}})
    assert ddb_client.get_item(TableName=table, Key={"pk": S})["Item"]["n"] == {"N": "1.5"}
