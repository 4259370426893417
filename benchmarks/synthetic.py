"""The benchmark test, written the ways a team could write it, as pytest projects on disk.

One body everywhere: 5 PutItem, 1 Query, 1 GetItem, 1 conditional UpdateItem (a typical
small repository test). Only what surrounds it differs:

==================  =========================================================================
``table``           ddbmatrix, a new table per test (``make_table``): full isolation
``shared``          ddbmatrix, one table per module (``make_shared_table``), unique keys
``fixture``         ddbmatrix, a test asking for ``ddb_client`` and making no call: set-up only
``bare``            plain pytest, the same empty test without DynamoDB (``fixture``'s baseline)
``own_client``      ddbmatrix, the test builds its own ``boto3.client("dynamodb")``
``own_client_plain``the same test in plain pytest, the endpoint in the environment
``handwritten``     plain pytest, the dynalite tutorial's way: one server, one client, one table
``pytest_dynamodb`` pytest-dynamodb's DynamoDB Local fixtures, a table per test (its fixture
                    deletes every table after each test)
==================  =========================================================================

Each project is a folder with its own ``pytest.ini`` (so the repository's settings do not
apply) and ``count`` tests (a parametrized test: the growth figures use 100 to 1,300).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

__all__ = ["VARIANTS", "write_project"]

_BODY = """
    for n in range(5):
        item = {"pk": {"S": key}, "sk": {"N": str(n)}, "v": {"N": "1"}}
        client.put_item(TableName=table, Item=item)
    client.query(
        TableName=table,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": key}},
    )
    client.get_item(TableName=table, Key={"pk": {"S": key}, "sk": {"N": "0"}})
    client.update_item(
        TableName=table,
        Key={"pk": {"S": key}, "sk": {"N": "0"}},
        UpdateExpression="SET v = v + :one",
        ConditionExpression="attribute_exists(pk)",
        ExpressionAttributeValues={":one": {"N": "1"}},
    )
"""
_KEYS = '{"pk": "S", "sk": "N"}'
_SPEC = """
KEYS = [
    {"AttributeName": "pk", "KeyType": "HASH"},
    {"AttributeName": "sk", "KeyType": "RANGE"},
]
ATTRIBUTES = [
    {"AttributeName": "pk", "AttributeType": "S"},
    {"AttributeName": "sk", "AttributeType": "N"},
]
"""

_TESTS: dict[str, str] = {
    "table": f"""
import pytest

@pytest.mark.parametrize("i", range(COUNT))
def test_repository(i, ddb_client, make_table):
    client, table, key = ddb_client, make_table(keys={_KEYS}), "k"
{_BODY}
""",
    "shared": f"""
import pytest

@pytest.fixture(scope="module")
def shared(make_shared_table):
    return make_shared_table(keys={_KEYS})

@pytest.mark.parametrize("i", range(COUNT))
def test_repository(i, ddb_client, shared):
    client, table, key = ddb_client, shared, f"k{{i}}"
{_BODY}
""",
    "fixture": """
import pytest

@pytest.mark.parametrize("i", range(COUNT))
def test_nothing(i, ddb_client):
    pass
""",
    "bare": """
import pytest

@pytest.mark.parametrize("i", range(COUNT))
def test_nothing(i):
    pass
""",
    "own_client": """
import boto3
import pytest

@pytest.mark.parametrize("i", range(COUNT))
def test_own_client(i, ddb_endpoint):
    boto3.client("dynamodb").list_tables()
""",
    "own_client_plain": """
import boto3
import pytest

@pytest.mark.parametrize("i", range(COUNT))
def test_own_client(i):
    boto3.client("dynamodb").list_tables()
""",
    "handwritten": f"""
import json
import os
import subprocess
import time
import uuid

import boto3
import pytest
{_SPEC}

@pytest.fixture(scope="session")
def dynalite():
    port = os.environ["BENCH_PORT"]
    command = json.loads(os.environ["BENCH_DYNALITE"])  # dynalite --host 127.0.0.1 --port P
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = boto3.client(
        "dynamodb",
        endpoint_url=f"http://127.0.0.1:{{port}}",
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",
    )
    for _ in range(600):  # up to a minute
        try:
            client.list_tables()
            break
        except Exception:
            time.sleep(0.05)
    yield client
    server.terminate()
    server.wait(30)

@pytest.fixture(scope="session")
def shared(dynalite):
    name = f"t{{uuid.uuid4().hex}}"
    dynalite.create_table(
        TableName=name, KeySchema=KEYS, AttributeDefinitions=ATTRIBUTES,
        BillingMode="PAY_PER_REQUEST",
    )
    dynalite.get_waiter("table_exists").wait(TableName=name, WaiterConfig={{"Delay": 0.05}})
    return name

@pytest.mark.parametrize("i", range(COUNT))
def test_repository(i, dynalite, shared):
    client, table, key = dynalite, shared, f"k{{i}}"
{_BODY}
""",
    "pytest_dynamodb": f"""
import pytest
{_SPEC}

@pytest.mark.parametrize("i", range(COUNT))
def test_repository(i, dynamodb):
    client, key = dynamodb.meta.client, "k"
    table = dynamodb.create_table(
        TableName=f"t{{i}}", KeySchema=KEYS, AttributeDefinitions=ATTRIBUTES,
        BillingMode="PAY_PER_REQUEST",
    ).name
{_BODY}
""",
}
VARIANTS = tuple(_TESTS)


def write_project(root: Path, variant: str, count: int) -> Path:
    """Write ``variant`` with ``count`` tests under ``root``; return the project folder."""
    project = root / f"{variant}-{count}"
    project.mkdir(parents=True, exist_ok=True)
    (project / "pytest.ini").write_text("[pytest]\naddopts = -p no:cacheprovider\n")
    source = textwrap.dedent(_TESTS[variant]).replace("COUNT", str(count))
    (project / "test_bench.py").write_text(source.lstrip())
    return project
