"""Real credentials never reach a local backend, and nothing secret lands in any artifact."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from ddbmatrix.backends import local_backends
from ddbmatrix.cli import main

REAL = {
    "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7REALKEY",
    "AWS_SECRET_ACCESS_KEY": "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",
    "AWS_SESSION_TOKEN": "IQoJb3JpZ2luX2VjEREALSESSIONTOKEN",
    "AWS_PROFILE": "real-profile-of-the-user",
}

SUITE = """
import json, pathlib

import boto3
import botocore.session

SENT = pathlib.Path("sent-headers.jsonl")


def capture(request, **_):
    with SENT.open("a") as out:
        out.write(json.dumps({k: str(v) for k, v in request.headers.items()}) + "\\n")


def watch(client):
    client.meta.events.register("before-send.dynamodb", capture, unique_id="capture")
    return client


def test_fixture_clients(ddb_client, ddb_resource, make_table):
    table = make_table(keys={"pk": "S"})
    watch(ddb_client).put_item(TableName=table, Item={"pk": {"S": "a"}})
    watch(ddb_resource.meta.client).get_item(TableName=table, Key={"pk": "a"})


def test_code_under_test_builds_its_own_clients(ddb_endpoint, make_table):
    table = make_table(keys={"pk": "S"})
    watch(boto3.client("dynamodb")).put_item(TableName=table, Item={"pk": {"S": "b"}})
    resource = boto3.resource("dynamodb")
    watch(resource.meta.client)
    resource.Table(table).get_item(Key={"pk": "b"})


def test_a_failure_message_is_recorded(ddb_client):
    ddb_client.list_tables()
    assert False, "a failing test's message goes into the run file"
"""


@dataclass
class Run:
    path: Path
    log_dir: Path
    junit: Path


@pytest.fixture
def run(pytester, monkeypatch, tmp_path) -> Run:
    for name, value in REAL.items():
        monkeypatch.setenv(name, value)
    pytester.makepyfile(test_creds=SUITE)
    junit = tmp_path / "junit.xml"
    result = pytester.runpytest_subprocess(
        "--ddb-backend=all", "-n", "2", "--ddb-keep-logs", f"--junitxml={junit}"
    )
    # Each backend of 'all': two tests pass and one fails on purpose.
    result.assert_outcomes(passed=2 * len(local_backends()), failed=len(local_backends()))
    (kept,) = [line for line in result.stdout.lines if "server logs kept in" in line]
    assert (
        main(
            [
                "report",
                "--out",
                str(pytester.path / "reports"),
                *map(str, (pytester.path / "reports" / "runs").glob("*.json")),
            ]
        )
        == 0
    )
    return Run(pytester.path, Path(kept.split(" kept in ")[1].strip()), junit)


def test_local_backends_receive_only_the_fake_credentials(run):
    sent = [json.loads(line) for line in (run.path / "sent-headers.jsonl").read_text().splitlines()]
    # At least the four calls of the two tests on each backend (the fixture's clients are
    # shared with make_table, whose CreateTable and DeleteTable calls are seen too).
    targets = [headers["X-Amz-Target"] for headers in sent]
    assert sum("PutItem" in t for t in targets) == len(local_backends()) * 2
    assert sum("GetItem" in t for t in targets) == len(local_backends()) * 2
    for headers in sent:
        assert "Credential=ddbmatrix/" in headers["Authorization"]
        assert "X-Amz-Security-Token" not in headers
        for secret in REAL.values():
            assert secret not in json.dumps(headers)


def test_no_artifact_holds_a_credential_or_signature(run):
    artifacts = [
        *sorted((run.path / "reports").rglob("*.json")),
        *sorted((run.path / "reports").rglob("*.md")),
        *sorted((run.path / "reports").rglob("*.html")),
        *sorted((run.path / "reports").rglob("*.xml")),
        run.junit,
        *sorted(run.log_dir.glob("*.log")),
    ]
    assert len([a for a in artifacts if a.suffix == ".log"]) >= 3  # a log per backend
    for artifact in artifacts:
        text = artifact.read_text(errors="replace")
        for secret in (*REAL.values(), "Authorization", "Signature=", "X-Amz-Security-Token"):
            assert secret not in text, (artifact, secret)
