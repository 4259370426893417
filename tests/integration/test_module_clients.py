"""Clients built at any time reach the running test's backend or are refused here (issue 11.2).

The user has real credentials in the environment. A plugin loaded before ddbmatrix wraps the
HTTP layer *below* ddbmatrix's router: it writes down every request really sent, and stops
(before sending) any that would leave loopback, so a leak fails the test instead of reaching
AWS. Each way code builds a client early is then used from tests on moto and dynalite,
with and without xdist.
"""

from __future__ import annotations

import json
import os

import pytest

PLANTED = {
    "AWS_ACCESS_KEY_ID": "AKIAPLANTEDREALKEY01",
    "AWS_SECRET_ACCESS_KEY": "planted/real/secret/key",
    "AWS_SESSION_TOKEN": "PLANTEDREALSESSIONTOKEN",
    "AWS_DEFAULT_REGION": "eu-west-1",
}

#: Loaded with -p, before ddbmatrix: sees what is really sent, refuses what would leave.
WIRE = """
import json, os, pathlib

import botocore.httpsession

_send = botocore.httpsession.URLLib3Session.send


def _text(value):
    return value.decode() if isinstance(value, bytes) else value


def send(session, request):
    record = {
        "url": request.url,
        "authorization": _text(request.headers.get("Authorization", "")),
        "token": _text(request.headers.get("X-Amz-Security-Token", "")),
    }
    with pathlib.Path(os.environ["WIRE_LOG"]).open("a") as out:
        out.write(json.dumps(record) + "\\n")
    if not request.url.startswith("http://127.0.0.1:"):
        raise RuntimeError(f"LEAK: about to leave the machine: {request.url}")
    return _send(session, request)


botocore.httpsession.URLLib3Session.send = send

# Built before ddbmatrix loaded: the user's real keys and the real regional endpoint.
EARLY = __import__("boto3").client("dynamodb")
"""

CONFTEST = """
import boto3, pytest

CONFTEST_CLIENT = boto3.client("dynamodb")  # at import of a conftest


@pytest.fixture(scope="session")
def session_client():
    # Set up during the first test that asks for it, on that test's backend.
    return boto3.client("dynamodb")
"""

SUITE = """
import boto3, os, pytest
from botocore.config import Config
from pynamodb.attributes import UnicodeAttribute
from pynamodb.models import Model

import conftest, wire
from ddbmatrix import EgressRefusedError, RequestRefusedError, StaleEndpointError

MODULE_CLIENT = boto3.client("dynamodb")
NONE_ENDPOINT = boto3.client("dynamodb", endpoint_url=None)
RESOURCE = boto3.resource("dynamodb")
EXPLICIT_REAL = boto3.client(
    "dynamodb",
    aws_access_key_id="AKIAPLANTEDREALKEY01",
    aws_secret_access_key="planted/real/secret/key",
    aws_session_token="PLANTEDREALSESSIONTOKEN",
)
REGIONAL = boto3.client("dynamodb", endpoint_url="https://dynamodb.eu-west-1.amazonaws.com")
IGNORES_ENV = boto3.client("dynamodb", config=Config(ignore_configured_endpoint_urls=True))


class Item(Model):
    class Meta:
        table_name = "not-yet"  # set per test

    pk = UnicodeAttribute(hash_key=True)


@pytest.mark.parametrize(
    "name", ["MODULE_CLIENT", "NONE_ENDPOINT", "conftest.CONFTEST_CLIENT", "RESOURCE"]
)
def test_an_import_time_client_reaches_the_tests_backend(name, ddb_client, make_table):
    table = make_table(keys={"pk": "S"})
    client = eval(name)
    if name == "RESOURCE":
        client.Table(table).put_item(Item={"pk": name})
    else:
        client.put_item(TableName=table, Item={"pk": {"S": name}})
    assert ddb_client.get_item(TableName=table, Key={"pk": {"S": name}})["Item"]


def test_a_pynamodb_model_reaches_the_tests_backend(ddb_client, make_table):
    Item.Meta.table_name = make_table(keys={"pk": "S"})
    Item("p").save()
    assert ddb_client.get_item(TableName=Item.Meta.table_name, Key={"pk": {"S": "p"}})["Item"]


def test_a_session_fixture_client_serves_its_backend_and_refuses_the_other(
    ddb_backend, session_client, ddb_client
):
    # session_client is built in whichever test on whichever backend asks first.
    try:
        session_client.list_tables()
    except StaleEndpointError as error:
        assert "built for" in str(error)


def test_explicit_real_credentials_never_reach_an_emulator(ddb_client):
    with pytest.raises(RequestRefusedError, match="real AWS access key"):
        EXPLICIT_REAL.list_tables()


@pytest.mark.parametrize("name", ["REGIONAL", "IGNORES_ENV"])
def test_a_client_for_real_aws_is_refused_here(name, ddb_client):
    with pytest.raises(EgressRefusedError, match="nothing leaves this machine"):
        eval(name).list_tables()


def test_a_client_built_before_ddbmatrix_is_refused_or_reaches_the_backend(request, ddb_client):
    # Without xdist it holds the real regional endpoint: refused. An xdist worker builds it
    # after its controller isolated the environment it inherits: the placeholder, routed.
    if hasattr(request.config, "workerinput"):
        wire.EARLY.list_tables()
    else:
        with pytest.raises(EgressRefusedError, match="nothing leaves this machine"):
            wire.EARLY.list_tables()
"""


@pytest.fixture
def planted(monkeypatch):
    """The user's environment: real keys, and none of the settings this (outer) run made."""
    for name in [n for n in os.environ if n.startswith("AWS_")]:
        monkeypatch.delenv(name)
    for name, value in PLANTED.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


@pytest.mark.parametrize("workers", ["0", "2"])
def test_clients_built_early_reach_the_tests_backend_or_are_refused(pytester, planted, workers):
    wire = pytester.path / "wire.jsonl"
    planted.setenv("WIRE_LOG", str(wire))
    pytester.makepyfile(wire=WIRE, conftest=CONFTEST, test_clients=SUITE)
    args = ["-p", "wire", "--ddb-backend=moto,dynalite", "-p", "no:randomly"]
    args += ["-p", "no:xdist"] if workers == "0" else ["-n", workers]
    result = pytester.runpytest_subprocess(*args)
    result.assert_outcomes(passed=2 * 10)
    sent = [json.loads(line) for line in wire.read_text().splitlines()]
    assert len(sent) > 40
    for request in sent:
        assert request["url"].startswith("http://127.0.0.1:"), request
        assert "AKIAPLANTED" not in request["authorization"], request
        assert "PLANTED" not in request["token"], request
    runs = {
        backend: json.loads((pytester.path / "reports" / "runs" / f"{backend}.json").read_text())
        for backend in ("moto", "dynalite")
    }
    for backend, run in runs.items():
        for test in run["tests"]:
            for call in test["calls"]:
                if call["error"] is None:
                    assert call["served_by"] == backend, (backend, test["id"], call)


AIO_WIRE = """
import json, os, pathlib

import aiobotocore.httpsession

_send = aiobotocore.httpsession.AIOHTTPSession.send


async def send(session, request):
    with pathlib.Path(os.environ["WIRE_LOG"]).open("a") as out:
        out.write(json.dumps({"url": request.url}) + "\\n")
    if not request.url.startswith("http://127.0.0.1:"):
        raise RuntimeError(f"LEAK: about to leave the machine: {request.url}")
    return await _send(session, request)


aiobotocore.httpsession.AIOHTTPSession.send = send
"""

AIO_SUITE = """
import asyncio, os

import pytest
from aiobotocore.session import get_session

from ddbmatrix import EgressRefusedError

#: Read at import time, as a settings module does: the placeholder.
ENDPOINT = os.environ["AWS_ENDPOINT_URL_DYNAMODB"]


async def list_tables(**kwargs):
    async with get_session().create_client("dynamodb", **kwargs) as client:
        return await client.list_tables()


def test_an_aiobotocore_client_reaches_the_tests_backend(ddb_client, make_table):
    table = make_table(keys={"pk": "S"})
    assert table in asyncio.run(list_tables(endpoint_url=ENDPOINT))["TableNames"]
    assert table in asyncio.run(list_tables())["TableNames"]


def test_an_aiobotocore_client_for_real_aws_is_refused_here(ddb_client):
    with pytest.raises(EgressRefusedError, match="nothing leaves this machine"):
        asyncio.run(list_tables(endpoint_url="https://dynamodb.eu-west-1.amazonaws.com"))
"""


def test_aiobotocore_clients_reach_the_tests_backend_or_are_refused(pytester, planted):
    pytest.importorskip("aiobotocore", reason="aiobotocore is not installed here")
    wire = pytester.path / "wire.jsonl"
    planted.setenv("WIRE_LOG", str(wire))
    pytester.makepyfile(aio_wire=AIO_WIRE, test_aio=AIO_SUITE)
    result = pytester.runpytest_subprocess("-p", "aio_wire", "--ddb-backend=moto", "-n", "2")
    result.assert_outcomes(passed=2)
    sent = [json.loads(line)["url"] for line in wire.read_text().splitlines()]
    assert len(sent) == 2  # the refused one never reached the wire
    assert all(url.startswith("http://127.0.0.1:") and ":9/" not in url for url in sent), sent
