"""Whenever a client was built, it reaches the running test's backend, or nothing.

On every local backend: a module-level client is re-addressed to the test's backend; one
built before ddbmatrix loaded (so re-addressed at the HTTP layer only, after signing: the
emulators do not check signatures) too; a call at import time is refused locally. With real
credentials planted in the environment and a local stand-in playing AWS, no emulator ever
sees them and no request leaves loopback: a wrapper below ddbmatrix's router records every
request that is really sent, and fails any that would leave the machine.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ddbmatrix.backends import get_backend, local_backends

PLANTED = {
    "AWS_ACCESS_KEY_ID": "AKIAPLANTEDREALKEY",
    "AWS_SECRET_ACCESS_KEY": "planted/real/secret",
    "AWS_SESSION_TOKEN": "PLANTEDSESSIONTOKEN",
}

#: Loaded with -p before ddbmatrix: its client is built before the run began, and its
#: wrapper of the HTTP layer sits below ddbmatrix's, seeing what is really sent.
EARLY = """
import json, os, pathlib

import boto3, botocore.httpsession

CLIENT = boto3.session.Session(
    aws_access_key_id="ddbmatrix", aws_secret_access_key="ddbmatrix", region_name="us-east-1"
).client("dynamodb", endpoint_url="http://127.0.0.1:9")

_send = botocore.httpsession.URLLib3Session.send


def send(session, request):
    url = request.url
    assert url.startswith("http://127.0.0.1:"), f"about to leave the machine: {url}"
    authorization = request.headers.get("Authorization", b"")
    if isinstance(authorization, bytes):
        authorization = authorization.decode()
    with pathlib.Path(os.environ["SENT"]).open("a") as out:
        out.write(json.dumps({"url": url, "authorization": authorization}) + "\\n")
    return _send(session, request)


botocore.httpsession.URLLib3Session.send = send
"""

SUITE = """
import boto3, pytest

import early
from ddbmatrix import EgressRefusedError, OutsideTestError

MODULE_CLIENT = boto3.client("dynamodb")  # built at import time: the placeholder endpoint


def test_a_module_level_client_reaches_the_tests_backend(ddb_backend, ddb_client, make_table):
    table = make_table(keys={"pk": "S"})
    if ddb_backend == "aws":
        with pytest.raises(OutsideTestError, match="fake credentials"):
            MODULE_CLIENT.put_item(TableName=table, Item={"pk": {"S": "m"}})
        return
    MODULE_CLIENT.put_item(TableName=table, Item={"pk": {"S": "m"}})
    assert ddb_client.get_item(TableName=table, Key={"pk": {"S": "m"}})["Item"]


def test_a_client_built_before_ddbmatrix_loaded_reaches_it_too(ddb_backend, ddb_client, make_table):
    table = make_table(keys={"pk": "S"})
    if ddb_backend == "aws":
        with pytest.raises(OutsideTestError, match="fake credentials"):
            early.CLIENT.put_item(TableName=table, Item={"pk": {"S": "e"}})
        return
    early.CLIENT.put_item(TableName=table, Item={"pk": {"S": "e"}})
    assert ddb_client.get_item(TableName=table, Key={"pk": {"S": "e"}})["Item"]


def test_a_client_the_code_builds(ddb_endpoint, make_table):
    table = make_table(keys={"pk": "S"})
    boto3.resource("dynamodb").Table(table).put_item(Item={"pk": "c"})


@pytest.mark.ddb_backends(exclude=["aws"])
def test_aws_is_not_reached_from_a_local_backend(ddb_backend):
    client = boto3.client("dynamodb", endpoint_url="https://dynamodb.us-east-1.amazonaws.com")
    with pytest.raises(EgressRefusedError):
        client.list_tables()
"""


def run_files(path: Path) -> dict[str, dict]:
    return {
        run["backend"]: run
        for run in (json.loads(p.read_text()) for p in (path / "reports" / "runs").glob("*.json"))
    }


def test_clients_of_any_age_reach_the_tests_backend_on_every_backend(pytester, monkeypatch):
    monkeypatch.setenv("SENT", str(pytester.path / "sent.jsonl"))
    pytester.makepyfile(early=EARLY, test_routing=SUITE)
    result = pytester.runpytest_subprocess("-p", "early", "--ddb-backend=all", "-n", "2")
    backends = local_backends()
    result.assert_outcomes(passed=4 * len(backends))
    for backend, run in run_files(pytester.path).items():
        module_level = next(t for t in run["tests"] if "module_level" in t["id"])
        (put, get) = module_level["calls"]
        assert (put["operation"], put["routed"], put["served_by"]) == ("PutItem", True, backend)
        assert put["endpoint"] == get["endpoint"]
        assert put["endpoint"].startswith("http://127.0.0.1:")
        assert "routed" not in get  # the fixture's client was built for the backend
        for test in run["tests"]:
            answered = [c for c in test["calls"] if c["error"] is None]
            assert {c["served_by"] for c in answered} <= {backend}, test["id"]
        refused = next(t for t in run["tests"] if "aws_is_not_reached" in t["id"])
        (call,) = refused["calls"]
        assert call["error"]["code"] == "EgressRefusedError"
    assert set(run_files(pytester.path)) == set(backends)


def test_a_call_at_import_time_is_refused_locally(pytester):
    pytester.makepyfile(
        test_import="""
        import boto3

        TABLES = boto3.client("dynamodb").list_tables()  # at import: no backend to ask

        def test_never_runs(ddb_backend):
            pass
        """
    )
    result = pytester.runpytest_subprocess("--ddb-backend=dynalite")
    assert result.ret == pytest.ExitCode.INTERRUPTED  # a collection error
    result.stdout.fnmatch_lines(["*OutsideTestError*outside any test on a backend*"])


@pytest.fixture
def aws_stand_in(tmp_path, monkeypatch):
    """A local moto server playing AWS, and a user with real credentials who opted in."""
    server = get_backend("moto").start("127.0.0.1", None, tmp_path / "stand-in.log")
    monkeypatch.setenv("DDBMATRIX_AWS", "1")
    monkeypatch.setenv("DDBMATRIX_AWS_ENDPOINT", server.endpoint)
    for name, value in PLANTED.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    yield server.endpoint
    server.stop()


def test_real_credentials_go_to_aws_only_and_nothing_leaves_loopback(
    pytester, monkeypatch, aws_stand_in
):
    sent_file = pytester.path / "sent.jsonl"
    monkeypatch.setenv("SENT", str(sent_file))
    pytester.makepyfile(early=EARLY, test_routing=SUITE)
    result = pytester.runpytest_subprocess("-p", "early", "--ddb-backend=all,aws", "-n", "2")
    backends = local_backends()
    result.assert_outcomes(passed=4 * len(backends) + 3)
    sent = [json.loads(line) for line in sent_file.read_text().splitlines()]
    to_aws = [s for s in sent if s["url"].startswith(aws_stand_in)]
    to_emulators = [s for s in sent if not s["url"].startswith(aws_stand_in)]
    assert len(to_aws) >= 6
    assert len(to_emulators) >= 6 * len(backends)
    for request in to_aws:  # the fixtures' clients and a client the code built on aws
        assert "Credential=AKIAPLANTEDREALKEY/" in request["authorization"], request
    for request in to_emulators:
        assert "Credential=ddbmatrix/" in request["authorization"], request
        assert "PLANTED" not in json.dumps(request)
    for artifact in (pytester.path / "reports").rglob("*.json"):
        text = artifact.read_text()
        for secret in PLANTED.values():
            assert secret not in text, artifact
