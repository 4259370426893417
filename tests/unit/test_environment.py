"""The isolated process environment: no identity of the user, the endpoint of the backend of now."""

from __future__ import annotations

import os

from ddbmatrix.environment import PLACEHOLDER_ENDPOINT, ProcessEnvironment

USER = {
    "AWS_ACCESS_KEY_ID": "AKIAPLANTEDREALKEY",
    "AWS_SECRET_ACCESS_KEY": "planted-secret",
    "AWS_SESSION_TOKEN": "planted-token",
    "AWS_PROFILE": "production",
    "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/x",
    "AWS_ENDPOINT_URL": "https://example.com",
    "AWS_ACCOUNT_ID": "123456789012",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "AWS_CA_BUNDLE": "/etc/ssl/corp.pem",
    "HOME": "/home/user",
}


def test_isolating_leaves_only_fake_credentials_and_the_placeholder():
    environ = dict(USER)
    env = ProcessEnvironment(environ)
    env.isolate()
    assert environ["AWS_ACCESS_KEY_ID"] == "ddbmatrix"
    assert environ["AWS_SECRET_ACCESS_KEY"] == "ddbmatrix"
    assert environ["AWS_DEFAULT_REGION"] == environ["AWS_REGION"] == "us-east-1"
    assert environ["AWS_ENDPOINT_URL_DYNAMODB"] == PLACEHOLDER_ENDPOINT
    assert environ["AWS_CONFIG_FILE"] == environ["AWS_SHARED_CREDENTIALS_FILE"] == os.devnull
    for name in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ROLE_ARN", "AWS_ENDPOINT_URL"):
        assert name not in environ
    assert "AWS_ACCOUNT_ID" not in environ
    assert "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS" not in environ
    assert environ["AWS_CA_BUNDLE"] == "/etc/ssl/corp.pem"  # no identity in it
    assert "planted" not in repr(environ)
    assert env.original("AWS_ACCESS_KEY_ID") == "AKIAPLANTEDREALKEY"


def test_pointing_at_a_backend_changes_the_endpoints_only():
    environ = dict(USER)
    env = ProcessEnvironment(environ)
    env.isolate()
    env.point_at("http://127.0.0.1:4567")
    assert environ["AWS_ENDPOINT_URL_DYNAMODB"] == "http://127.0.0.1:4567"
    assert environ["AWS_ENDPOINT_URL_DYNAMODB_STREAMS"] == "http://127.0.0.1:4567"
    assert environ["AWS_ACCESS_KEY_ID"] == "ddbmatrix"
    env.point_at("https://dynamodb.eu-west-1.amazonaws.com", region="eu-west-1")
    assert environ["AWS_REGION"] == "eu-west-1"
    assert environ["AWS_ACCESS_KEY_ID"] == "ddbmatrix"  # even for real AWS


def test_restoring_gives_back_exactly_what_the_user_had():
    environ = dict(USER)
    env = ProcessEnvironment(environ)
    env.isolate()
    env.point_at("http://127.0.0.1:4567")
    env.restore()
    assert environ == USER
    env.restore()  # twice is harmless
    assert environ == USER
