from __future__ import annotations

import pytest

from ddbmatrix.tables import TableFactory, TableSpec, poll_delays


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


class _SlowClient:
    """A backend that answers CreateTable with CREATING and is ACTIVE after ``polls`` describes."""

    def __init__(self, status: str, polls: int) -> None:
        self.status, self.polls, self.describes = status, polls, 0

    def create_table(self, **request):
        return {"TableDescription": {"TableName": request["TableName"], "TableStatus": self.status}}

    def describe_table(self, TableName):
        self.describes += 1
        status = "ACTIVE" if self.describes >= self.polls else "CREATING"
        return {"Table": {"TableName": TableName, "TableStatus": status}}


def test_polls_ask_again_at_once_then_back_off_from_a_millisecond_to_a_cap():
    delays = poll_delays(0.001, 0.05)
    assert [next(delays) for _ in range(9)] == [
        0.0,
        0.001,
        0.002,
        0.004,
        0.008,
        0.016,
        0.032,
        0.05,
        0.05,
    ]


def test_a_creating_table_is_polled_with_short_first_sleeps(monkeypatch):
    slept: list[float] = []
    monkeypatch.setattr("ddbmatrix.tables.time.sleep", slept.append)
    client = _SlowClient("CREATING", polls=4)
    TableFactory(client, "ddbm-x-").create(TableSpec.build({"pk": "S"}))
    assert client.describes == 4
    assert slept == [0.001, 0.002, 0.004]  # the first describe is sent at once


def test_a_table_created_active_is_not_polled(monkeypatch):
    slept: list[float] = []
    monkeypatch.setattr("ddbmatrix.tables.time.sleep", slept.append)
    client = _SlowClient("ACTIVE", polls=1)
    TableFactory(client, "ddbm-x-").create(TableSpec.build({"pk": "S"}))
    assert (client.describes, slept) == (0, [])
