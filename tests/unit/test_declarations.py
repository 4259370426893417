"""Declared tables: ini lines, CloudFormation/SAM templates and seed files (no server)."""

from __future__ import annotations

import json

import pytest

from ddbmatrix.declarations import DeclarationError, DeclaredTable, parse_declarations
from ddbmatrix.seeds import load_seed, write_items
from ddbmatrix.templates import load_template

SAM = """
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Billing:
    Type: String
    Default: PAY_PER_REQUEST
Globals:
  Function:
    Environment:
      Variables:
        PEOPLE_TABLE: !Ref PersonTestTable
Resources:
  PersonTestTable:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub "${AWS::StackName}-people"
      BillingMode: !Ref Billing
      AttributeDefinitions:
        - {AttributeName: SK, AttributeType: S}
        - {AttributeName: PK, AttributeType: S}
        - {AttributeName: email, AttributeType: S}
      KeySchema:
        - {AttributeName: SK, KeyType: RANGE}
        - {AttributeName: PK, KeyType: HASH}
      GlobalSecondaryIndexes:
        - IndexName: by_email
          KeySchema: [{AttributeName: email, KeyType: HASH}]
          Projection: {ProjectionType: INCLUDE, NonKeyAttributes: [name]}
  Counters:
    Type: AWS::Serverless::SimpleTable
    Properties:
      PrimaryKey: {Name: counter, Type: Number}
  Handler:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Environment:
        Variables:
          COUNTERS: !Ref Counters
          ALSO_COUNTERS: !Sub "${Counters}"
          COUNTERS_ARN: !GetAtt Counters.Arn
  Bucket:
    Type: AWS::S3::Bucket
"""


def test_ini_lines_declare_tables_with_options(tmp_path):
    tables = parse_declarations(
        [
            "PersonTestTable  PK:S SK:S  env=PEOPLE_TABLE,PEOPLE  seed=people.json  # a comment",
            "",
            "Orders id:N scope=module billing=PROVISIONED gsi.by_user=user:S,date:S",
        ],
        tmp_path,
    )
    people, orders = tables
    assert people.name == "PersonTestTable"
    assert dict(people.keys) == {"PK": "S", "SK": "S"}
    assert people.env_names == ("PEOPLE_TABLE", "PEOPLE")
    assert people.seed == tmp_path / "people.json"
    assert people.scope == "function"
    assert orders.scope == "module"
    request = orders.spec.create_table_request("t")
    assert request["BillingMode"] == "PROVISIONED"
    assert request["GlobalSecondaryIndexes"][0]["KeySchema"] == [
        {"AttributeName": "user", "KeyType": "HASH"},
        {"AttributeName": "date", "KeyType": "RANGE"},
    ]


def test_a_line_without_keys_adds_options_to_a_template_table(tmp_path):
    (tmp_path / "template.yaml").write_text(SAM)
    tables = parse_declarations(
        ["template.yaml scope=module", "PersonTestTable seed=people.json env=EXTRA"], tmp_path
    )
    people = next(t for t in tables if t.name == "PersonTestTable")
    assert people.scope == "module"
    assert people.seed == tmp_path / "people.json"
    assert people.env_names == ("PEOPLE_TABLE", "EXTRA")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("People PK:X", "not ATTRIBUTE:TYPE"),
        ("People PK:S colour=red", "unknown option 'colour'"),
        ("People PK:S scope=session", "scope 'session' is not one of function, module"),
        ("People PK:S a:S b:S", "hash key and optionally a range key"),
        ("People seed=x.json", "no table of that name is declared above"),
        ("missing.yaml", "cannot read it"),
    ],
)
def test_bad_lines_say_which_line_and_why(tmp_path, line, message):
    with pytest.raises(DeclarationError, match="ddb_declared_tables line 1") as error:
        parse_declarations([line], tmp_path)
    assert message in str(error.value)


def test_declaring_a_table_twice_is_an_error(tmp_path):
    with pytest.raises(DeclarationError, match="declared twice"):
        parse_declarations(["T a:S", "T b:S"], tmp_path)


def test_sam_template_tables_keys_indexes_and_env(tmp_path):
    path = tmp_path / "template.yaml"
    path.write_text(SAM)
    people, counters = load_template(path)
    assert people.name == "PersonTestTable"
    assert list(people.keys.items()) == [("PK", "S"), ("SK", "S")]  # HASH first
    assert people.billing_mode == "PAY_PER_REQUEST"  # the parameter's default
    assert people.env_names == ("PEOPLE_TABLE",)
    request = people.spec.create_table_request("t")
    assert request["GlobalSecondaryIndexes"][0]["Projection"] == {
        "ProjectionType": "INCLUDE",
        "NonKeyAttributes": ["name"],
    }
    assert dict(counters.keys) == {"counter": "N"}
    assert counters.env_names == ("COUNTERS", "ALSO_COUNTERS")  # not the GetAtt


def test_json_template_and_cloudformation_default_billing(tmp_path):
    path = tmp_path / "stack.json"
    path.write_text(
        json.dumps(
            {
                "Resources": {
                    "T": {
                        "Type": "AWS::DynamoDB::Table",
                        "Properties": {
                            "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "B"}],
                            "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}],
                            "ProvisionedThroughput": {
                                "ReadCapacityUnits": 1,
                                "WriteCapacityUnits": 1,
                            },
                        },
                    }
                }
            }
        )
    )
    (table,) = load_template(path)
    assert table.billing_mode == "PROVISIONED"
    assert dict(table.keys) == {"k": "B"}


def test_template_problems_name_the_resource(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(
        "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n"
        "      BillingMode: !If [IsProd, PROVISIONED, PAY_PER_REQUEST]\n"
        "      AttributeDefinitions: [{AttributeName: k, AttributeType: S}]\n"
        "      KeySchema: [{AttributeName: k, KeyType: HASH}]\n"
    )
    with pytest.raises(DeclarationError, match=r"resource T: BillingMode is Fn::If"):
        load_template(path)
    path.write_text("Resources:\n  B:\n    Type: AWS::S3::Bucket\n")
    with pytest.raises(DeclarationError, match="no AWS::DynamoDB::Table"):
        load_template(path)
    path.write_text("Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties: {}\n")
    with pytest.raises(DeclarationError, match="resource T"):
        load_template(path)


def test_seed_files_plain_and_batch_write_forms(tmp_path):
    plain = tmp_path / "plain.json"
    plain.write_text('[{"PK": "a", "n": 1.5, "tags": ["x"], "m": {"S": "not a type"}}]')
    assert load_seed(plain) == [
        {
            "PK": {"S": "a"},
            "n": {"N": "1.5"},
            "tags": {"L": [{"S": "x"}]},
            "m": {"M": {"S": {"S": "not a type"}}},
        }
    ]
    batch = tmp_path / "batch.json"
    batch.write_text('{"PersonTestTable": [{"PutRequest": {"Item": {"PK": {"S": "b"}}}}]}')
    assert load_seed(batch) == [{"PK": {"S": "b"}}]
    bad = tmp_path / "bad.json"
    bad.write_text('"just a string"')
    with pytest.raises(DeclarationError, match="expected a list of items"):
        load_seed(bad)


def test_items_are_written_in_batches_of_25_until_none_are_left():
    class Client:
        def __init__(self):
            self.batches = []

        def batch_write_item(self, RequestItems):
            (requests,) = RequestItems.values()
            self.batches.append(len(requests))
            # The first attempt of each batch leaves one item unprocessed.
            if len(self.batches) % 2:
                return {"UnprocessedItems": {"t": requests[:1]}}
            return {"UnprocessedItems": {}}

    client = Client()
    assert write_items(client, "t", [{"PK": {"S": str(i)}} for i in range(30)]) == 30
    assert client.batches == [25, 1, 5, 1]


def test_a_declared_table_checks_itself_at_once():
    with pytest.raises(DeclarationError, match="table 'T'"):
        DeclaredTable("T", keys={"k": "S"}, gsis={"g": {"keys": {"k": "N"}}})
    assert DeclaredTable("T", keys={"k": "S"}, env="ONE").env_names == ("ONE",)
