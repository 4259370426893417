"""Queries of the people table, written as the application runs them in production."""

from __future__ import annotations

import os
from typing import Any

import boto3
from boto3.dynamodb.conditions import Attr, Key

#: Every person is an item of this partition; the sort key is "LAST#FIRST".
PEOPLE = "PERSON"


def people_table() -> Any:
    # No endpoint, region or credentials: deployed, the function's role and region apply;
    # in the tests, ddbmatrix points boto3 at the backend of each test.
    return boto3.resource("dynamodb").Table(os.environ["PEOPLE_TABLE"])


def full_name(item: dict[str, Any]) -> str:
    initial = f" {item['middle_initial']}." if item.get("middle_initial") else ""
    return f"{item['first_name']}{initial} {item['last_name']}"


def find_people_with_middle_initials() -> list[str]:
    """Return the full names of the people who have a middle initial, by last name."""
    table = people_table()
    query: dict[str, Any] = {
        "KeyConditionExpression": Key("PK").eq(PEOPLE),
        "FilterExpression": Attr("middle_initial").exists(),
    }
    names: list[str] = []
    while True:
        page = table.query(**query)
        names += [full_name(item) for item in page["Items"]]
        if "LastEvaluatedKey" not in page:
            return names
        query["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def add_person(first_name: str, last_name: str, middle_initial: str | None = None) -> None:
    item = {
        "PK": PEOPLE,
        "SK": f"{last_name}#{first_name}",
        "first_name": first_name,
        "last_name": last_name,
    }
    if middle_initial:
        item["middle_initial"] = middle_initial
    people_table().put_item(Item=item)
