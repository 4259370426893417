"""The application's own tests: run on every backend by ddbmatrix, with no change to people/."""

from __future__ import annotations

import pytest
from boto3.dynamodb.conditions import Key
from people.handler import handler
from people.queries import add_person, find_people_with_middle_initials, people_table


def test_find_people_with_middle_initials(declared_tables):
    assert find_people_with_middle_initials() == [
        "John Q. Public",
        "Mary K. Smith",
        "Ann B. Zeta",
    ]


def test_someone_added_with_an_initial_is_found_in_order(declared_tables):
    add_person("Lee", "Kim", middle_initial="J")
    add_person("Max", "Able")
    assert find_people_with_middle_initials() == [
        "Lee J. Kim",
        "John Q. Public",
        "Mary K. Smith",
        "Ann B. Zeta",
    ]


def test_the_lambda_handler(declared_tables):
    assert handler({}, None) == {"people": ["John Q. Public", "Mary K. Smith", "Ann B. Zeta"]}


# The capacity the query above is budgeted at. AWS documents it; moto charges twice as much.
@pytest.mark.ddb_diverges(
    "moto",
    reason="an eventually consistent Query of under 4 KB consumes 1 read capacity unit, not 0.5",
    link="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html",
)
def test_an_eventually_consistent_query_costs_half_a_read_unit(declared_tables):
    page = people_table().query(
        KeyConditionExpression=Key("PK").eq("PERSON"), ReturnConsumedCapacity="TOTAL"
    )
    assert page["ConsumedCapacity"]["CapacityUnits"] == 0.5
