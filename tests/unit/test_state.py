"""The process state: where each client of a backend is pointed."""

from __future__ import annotations

import pytest

from ddbmatrix.state import streams_endpoint


@pytest.mark.parametrize(
    ("endpoint", "streams"),
    [
        (
            "https://dynamodb.us-east-1.amazonaws.com",
            "https://streams.dynamodb.us-east-1.amazonaws.com",
        ),
        (
            "https://dynamodb.eu-west-2.amazonaws.com/",
            "https://streams.dynamodb.eu-west-2.amazonaws.com/",
        ),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        (
            "https://dynamodb.us-east-1.amazonaws.com.example.org",
            "https://dynamodb.us-east-1.amazonaws.com.example.org",
        ),
        ("http://dynamodb.us-east-1.amazonaws.com", "http://dynamodb.us-east-1.amazonaws.com"),
    ],
    ids=["aws", "aws-trailing-slash", "emulator", "lookalike-host", "plain-http"],
)
def test_streams_go_to_the_streams_host_only_on_aws(endpoint, streams):
    # AWS serves DynamoDB Streams at streams.dynamodb.<region>.amazonaws.com; an emulator
    # (or a stand-in endpoint) serves both APIs at its one address.
    assert streams_endpoint(endpoint) == streams
