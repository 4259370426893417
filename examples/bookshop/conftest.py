"""The suite's set-up, written for one DynamoDB Local started by hand on localhost:8000.

    docker run -p 8000:8000 amazon/dynamodb-local    # or: java -jar DynamoDBLocal.jar

Point it elsewhere with DDB_URL. The application itself reads its endpoint and
credentials from the environment, as it does in Lambda; the defaults below are for that
local DynamoDB.
"""

from __future__ import annotations

import os

import boto3
import pytest

os.environ.setdefault(
    "AWS_ENDPOINT_URL_DYNAMODB", os.environ.get("DDB_URL", "http://localhost:8000")
)
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.setdefault("AWS_ACCESS_KEY_ID", "local")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "local")


@pytest.fixture(scope="session")
def ddb_url():
    """Where DynamoDB Local listens."""
    return os.environ.get("DDB_URL", "http://localhost:8000")


@pytest.fixture(scope="session")
def dynamodb(ddb_url):
    """One low-level client for the whole session, for creating and seeding tables."""
    return boto3.client("dynamodb", endpoint_url=ddb_url)
