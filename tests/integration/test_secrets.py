"""No secret given to a run lands in anything it records (issue 11.4).

A password and a query string in an endpoint URL, and the values of options named like
secrets, are planted in one run on moto plus an endpoint of the user's own; every artifact
(run files, the md, HTML and JSON reports, both kinds of JUnit file) is scanned for them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ddbmatrix.backends import get_backend
from ddbmatrix.cli import main

PLANTED = {
    "password in the endpoint URL": "PLANTEDURLPASSWORD",
    "query string of the endpoint URL": "PLANTEDURLQUERY",
    "--db-password=VALUE": "PLANTEDOPTPASSWORD",
    "--api-token VALUE": "PLANTEDOPTTOKEN",
    "--signing-key=VALUE": "PLANTEDOPTKEY",
    "a URL in a failure message": "PLANTEDMESSAGEPASSWORD",
}

CONFTEST = """
def pytest_addoption(parser):
    parser.addoption("--db-password")
    parser.addoption("--api-token")
    parser.addoption("--signing-key")
"""

SUITE = """
import boto3, pytest


def test_a_call(ddb_client):
    ddb_client.list_tables()


def test_a_call_that_misses_an_endpoint_with_a_password(ddb_backend):
    client = boto3.client(
        "dynamodb", endpoint_url="http://someone:PLANTEDMESSAGEPASSWORD@127.0.0.1:1"
    )
    client.list_tables()  # EndpointConnectionError, naming the URL
"""


@pytest.fixture
def own_endpoint(tmp_path):
    server = get_backend("moto").start("127.0.0.1", None, tmp_path / "own.log")
    yield server.endpoint
    server.stop()


def artifacts(root: Path) -> list[Path]:
    found = [
        path
        for pattern in ("*.json", "*.md", "*.html", "*.xml")
        for path in sorted(root.rglob(pattern))
        if ".pytest_cache" not in path.parts
    ]
    return found


def test_no_artifact_holds_a_planted_secret(pytester, own_endpoint):
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_secrets=SUITE)
    host = own_endpoint.removeprefix("http://")
    result = pytester.runpytest_subprocess(
        "--ddb-backend=moto,mine",
        f"--ddb-endpoint=mine=http://user:PLANTEDURLPASSWORD@{host}/?token=PLANTEDURLQUERY",
        "--db-password=PLANTEDOPTPASSWORD",
        "--api-token",
        "PLANTEDOPTTOKEN",
        "--signing-key=PLANTEDOPTKEY",
        "-n",
        "2",
        "--junitxml=pytest-junit.xml",
    )
    result.assert_outcomes(passed=2, failed=2)
    runs = sorted((pytester.path / "reports" / "runs").glob("*.json"))
    assert [run.name for run in runs] == ["mine.json", "moto.json"]
    assert main(["report", "--out", str(pytester.path / "reports"), *map(str, runs)]) == 0
    found = artifacts(pytester.path)
    kinds = {path.suffix for path in found}
    assert kinds == {".json", ".md", ".html", ".xml"}, found
    assert len([p for p in found if p.parent.name == "junit"]) == 2  # one per backend
    for path in found:
        text = path.read_text(errors="replace")
        for what, secret in PLANTED.items():
            if path.name == "pytest-junit.xml" and what == "a URL in a failure message":
                continue  # pytest's own file shows the test's failure as pytest saw it
            assert secret not in text, f"{path.relative_to(pytester.path)} holds the {what}"
    # What was redacted still says what was run, and where.
    moto = (pytester.path / "reports" / "runs" / "mine.json").read_text()
    assert f"http://***@{host}/?***" in moto
    assert '"--db-password=***"' in moto
    argv = json.loads(moto)["argv"]
    assert argv[argv.index("--api-token") + 1] == "***"
