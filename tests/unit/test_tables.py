from __future__ import annotations

import pytest

from ddbmatrix.tables import TableSpec


def test_keys_become_hash_then_range():
    request = TableSpec.build({"pk": "S", "sk": "N"}).create_table_request("t")
    assert request["KeySchema"] == [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]
    assert request["AttributeDefinitions"] == [
        {"AttributeName": "pk", "AttributeType": "S"},
        {"AttributeName": "sk", "AttributeType": "N"},
    ]
    assert request["BillingMode"] == "PAY_PER_REQUEST"
    assert "ProvisionedThroughput" not in request


def test_indexes_share_attribute_definitions_and_projections():
    spec = TableSpec.build(
        {"pk": "S", "sk": "S"},
        gsis={"g": {"keys": {"email": "S"}, "projection": "KEYS_ONLY"}},
        lsis={"l": {"keys": {"pk": "S", "date": "N"}, "projection": ["title"]}},
    )
    request = spec.create_table_request("t")
    assert [a["AttributeName"] for a in request["AttributeDefinitions"]] == [
        "pk",
        "sk",
        "email",
        "date",
    ]
    assert request["GlobalSecondaryIndexes"][0]["Projection"] == {"ProjectionType": "KEYS_ONLY"}
    assert request["LocalSecondaryIndexes"][0]["Projection"] == {
        "ProjectionType": "INCLUDE",
        "NonKeyAttributes": ["title"],
    }


def test_provisioned_tables_and_gsis_get_throughput():
    spec = TableSpec.build(
        {"pk": "S"}, gsis={"g": {"keys": {"x": "N"}}}, billing_mode="PROVISIONED"
    )
    request = spec.create_table_request("t")
    assert request["ProvisionedThroughput"] == {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
    assert "ProvisionedThroughput" in request["GlobalSecondaryIndexes"][0]


def test_conflicting_attribute_types_are_refused():
    spec = TableSpec.build({"pk": "S"}, gsis={"g": {"keys": {"pk": "N"}}})
    with pytest.raises(ValueError, match="'pk' is declared with two types"):
        spec.create_table_request("t")


def test_keys_must_be_one_or_two():
    with pytest.raises(ValueError, match="hash key"):
        TableSpec.build({"a": "S", "b": "S", "c": "S"}).create_table_request("t")
