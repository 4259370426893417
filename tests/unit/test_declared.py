"""Declared tables end to end through pytester, on moto: ini, conftest, template, seeds, scope."""

from __future__ import annotations

import json

import pytest

PEOPLE = [
    {"PK": "PERSON", "SK": "Public#John#Q", "middle_initial": "Q"},
    {"PK": "PERSON", "SK": "Doe#Jane#"},
]

APP = """
import os

import boto3


def people():
    table = boto3.resource("dynamodb").Table(os.environ["PEOPLE_TABLE"])
    return sorted(item["SK"] for item in table.scan()["Items"])
"""


def run_file(pytester: pytest.Pytester) -> dict:
    return json.loads((pytester.path / "reports" / "runs" / "moto.json").read_text())


def records(pytester: pytest.Pytester) -> dict[str, dict]:
    return {test["id"].split("::")[-1]: test for test in run_file(pytester)["tests"]}


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(app=APP)
    (pytester.path / "people.json").write_text(json.dumps(PEOPLE))
    return pytester


def test_ini_declared_table_is_created_seeded_named_in_env_and_deleted(project):
    project.makeini(
        """
        [pytest]
        ddb_backend = moto
        ddb_declared_tables =
            PersonTestTable  PK:S SK:S  env=PEOPLE_TABLE  seed=people.json
        """
    )
    project.makepyfile(
        test_people="""
        import os

        import app

        def test_app_reads_the_seeded_table(declared_tables):
            assert app.people() == ["Doe#Jane#", "Public#John#Q"]
            assert os.environ["PEOPLE_TABLE"] == declared_tables["PersonTestTable"]
            assert declared_tables["PersonTestTable"].startswith("ddbm-")

        def test_each_test_gets_its_own_table(declared_tables, ddb_client):
            ddb_client.delete_item(
                TableName=declared_tables["PersonTestTable"],
                Key={"PK": {"S": "PERSON"}, "SK": {"S": "Doe#Jane#"}},
            )
            assert app.people() == ["Public#John#Q"]

        def test_zz_tables_are_gone_and_env_restored(ddb_client):
            assert ddb_client.list_tables()["TableNames"] == []
            assert "PEOPLE_TABLE" not in os.environ
        """
    )
    project.runpytest_subprocess("-p", "no:randomly").assert_outcomes(passed=3)
    tests = records(project)
    seeded = tests["test_app_reads_the_seeded_table"]
    # Creating and seeding are the fixture's calls, not the test's; the label is the name.
    assert [call["operation"] for call in seeded["calls"]] == ["Scan"]
    assert list(seeded["tables"].values()) == ["PersonTestTable"]


def test_module_scope_shares_one_table_per_module_and_deletes_it_after(project):
    project.makeini(
        """
        [pytest]
        ddb_backend = moto
        ddb_declared_tables =
            PersonTestTable  PK:S SK:S  env=PEOPLE_TABLE  seed=people.json  scope=module
        """
    )
    test_module = """
        import os

        import app

        def test_1_writes(declared_tables, ddb_resource):
            table = ddb_resource.Table(declared_tables["PersonTestTable"])
            table.put_item(Item={{"PK": "PERSON", "SK": "{module}"}})

        def test_2_sees_the_write(declared_tables):
            assert "{module}" in app.people()
            assert len(app.people()) == 3  # seeded once, one write: nothing of the other module
            os.environ["SEEN_{module}"] = declared_tables["PersonTestTable"]
        """
    project.makepyfile(
        test_a=test_module.format(module="a"),
        test_b=test_module.format(module="b"),
        test_c="""
        import os

        def test_earlier_modules_tables_are_gone(ddb_client):
            names = ddb_client.list_tables()["TableNames"]
            assert names == [], names
        """,
    )
    project.runpytest_subprocess("-p", "no:randomly").assert_outcomes(passed=5)
    run = run_file(project)
    by_id = {test["id"]: test for test in run["tests"]}
    first, second = by_id["test_a.py::test_1_writes"], by_id["test_a.py::test_2_sees_the_write"]
    assert first["tables"] == second["tables"]  # the same table, labelled in both records
    assert list(first["tables"].values()) == ["PersonTestTable"]
    assert by_id["test_b.py::test_1_writes"]["tables"] != first["tables"]
    # Deleting the table at the module's end is not the last test's call.
    assert [call["operation"] for call in second["calls"]] == ["Scan", "Scan"]


def test_conftest_declarations_and_a_template_with_its_env_mapping(project):
    project.makeini("[pytest]\nddb_backend = moto\n")
    (project.path / "template.yaml").write_text(
        """
Resources:
  PersonTestTable:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub "${AWS::StackName}-people"
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - {AttributeName: PK, AttributeType: S}
        - {AttributeName: SK, AttributeType: S}
      KeySchema:
        - {AttributeName: PK, KeyType: HASH}
        - {AttributeName: SK, KeyType: RANGE}
  Finder:
    Type: AWS::Serverless::Function
    Properties:
      Environment:
        Variables:
          PEOPLE_TABLE: !Ref PersonTestTable
"""
    )
    project.makeconftest(
        """
        import pytest

        from ddbmatrix import DeclaredTable, load_template

        @pytest.fixture(scope="session")
        def table_declarations(table_declarations):
            people = [t.with_options(seed="people.json") for t in load_template("template.yaml")]
            counters = DeclaredTable(
                "Counters", keys={"id": "S"}, env="COUNTERS", items=[{"id": "hits", "n": 3}]
            )
            return [*table_declarations, *people, counters]
        """
    )
    project.makepyfile(
        test_people="""
        import os

        import boto3

        import app

        def test_template_table_and_conftest_table(declared_tables):
            assert sorted(declared_tables) == ["Counters", "PersonTestTable"]
            assert app.people() == ["Doe#Jane#", "Public#John#Q"]
            counters = boto3.resource("dynamodb").Table(os.environ["COUNTERS"])
            assert counters.get_item(Key={"id": "hits"})["Item"]["n"] == 3
        """
    )
    project.runpytest_subprocess().assert_outcomes(passed=1)


def test_pynamodb_model_needs_no_change(project):
    pytest.importorskip("pynamodb")
    project.makeini(
        """
        [pytest]
        ddb_backend = moto
        ddb_declared_tables =
            PersonTestTable  PK:S SK:S  seed=people.json  models=models:Person
        """
    )
    project.makepyfile(
        models="""
        from pynamodb.attributes import UnicodeAttribute
        from pynamodb.models import Model

        class Person(Model):
            class Meta:
                table_name = "PersonTestTable"  # no host, no region: as deployed

            PK = UnicodeAttribute(hash_key=True)
            SK = UnicodeAttribute(range_key=True)
            middle_initial = UnicodeAttribute(null=True)
        """,
        test_models="""
        from models import Person

        def test_query_through_the_model(declared_tables):
            people = Person.query("PERSON", filter_condition=Person.middle_initial.exists())
            assert [p.SK for p in people] == ["Public#John#Q"]
            Person(PK="PERSON", SK="Roe#Richard#").save()
            assert Person.count("PERSON") == 3

        def test_a_fresh_table_and_connection_each_test(declared_tables):
            assert Person.count("PERSON") == 2
            assert Person.Meta.table_name == declared_tables["PersonTestTable"]

        def test_zz_restored_afterwards():
            assert Person.Meta.table_name == "PersonTestTable"
        """,
    )
    project.runpytest_subprocess("-p", "no:randomly").assert_outcomes(passed=3)
    calls = records(project)["test_query_through_the_model"]["calls"]
    assert [call["operation"] for call in calls] == ["Query", "PutItem", "Query"]


def test_tests_that_ask_only_for_ddb_backend_reach_the_backend_too(pytester):
    pytester.makeini("[pytest]\nddb_backend = moto\n")
    pytester.makepyfile(
        test_env="""
        import boto3
        import pytest

        @pytest.fixture
        def client_built_by_a_user_fixture():
            return boto3.client("dynamodb")  # before the test, after ddbmatrix's set-up

        def test_backend_only(ddb_backend, client_built_by_a_user_fixture):
            assert client_built_by_a_user_fixture.list_tables()["TableNames"] == []
            boto3.client("dynamodb").list_tables()
        """
    )
    pytester.runpytest_subprocess().assert_outcomes(passed=1)
    (test,) = run_file(pytester)["tests"]
    assert [call["operation"] for call in test["calls"]] == ["ListTables", "ListTables"]


def test_a_bad_declaration_is_a_usage_error_naming_the_line(pytester):
    pytester.makeini("[pytest]\nddb_backend = moto\nddb_declared_tables =\n    People PK:Q\n")
    pytester.makepyfile(test_x="def test_x(declared_tables):\n    pass\n")
    result = pytester.runpytest_subprocess()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*ddb_declared_tables line 1*'PK:Q' is not ATTRIBUTE:TYPE*"])
