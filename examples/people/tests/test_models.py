"""The PynamoDB side: the model is unchanged, ddbmatrix points it at each test's table."""

from __future__ import annotations

from people.models import Person
from people.queries import find_people_with_middle_initials


def test_model_and_boto3_query_agree(declared_tables):
    people = Person.query("PERSON", filter_condition=Person.middle_initial.exists())
    via_model = [f"{p.first_name} {p.middle_initial}. {p.last_name}" for p in people]
    assert via_model == find_people_with_middle_initials()


def test_model_round_trip(declared_tables):
    Person(PK="PERSON", SK="Kim#Lee", first_name="Lee", last_name="Kim", middle_initial="J").save()
    assert Person.get("PERSON", "Kim#Lee").middle_initial == "J"
    assert Person.count("PERSON") == 6
