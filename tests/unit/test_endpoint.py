"""--ddb-endpoint: a backend ddbmatrix neither starts nor stops, compared like the others."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import boto3
import pytest

from ddbmatrix.backends.endpoint import endpoint_backend
from ddbmatrix.cli import main
from ddbmatrix.errors import UnknownBackendError
from ddbmatrix.ports import reserve_port
from tests.unit.conftest import Stub

SUITE = """
def test_put_get(ddb_client, make_table):
    table = make_table(keys={"pk": "S"})
    ddb_client.put_item(TableName=table, Item={"pk": {"S": "a"}, "n": {"N": "01.50"}})
    item = ddb_client.get_item(TableName=table, Key={"pk": {"S": "a"}})["Item"]
    assert item["n"] == {"N": "1.5"}  # what AWS does: numbers are normalized
"""


@pytest.fixture
def outside_server():
    """moto started by hand, the way a container or a colleague's server would be."""
    reservation = reserve_port()
    reservation.release()
    url = f"http://127.0.0.1:{reservation.port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(reservation.port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = boto3.client(
        "dynamodb",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",
    )
    deadline = time.monotonic() + 30
    while True:  # bounded by the deadline
        try:
            client.list_tables()
            break
        except Exception:
            assert time.monotonic() < deadline, "moto did not start"
            time.sleep(0.1)
    yield url, process
    process.terminate()
    process.wait(10)


def test_an_endpoint_is_recorded_compared_and_left_running(pytester, outside_server):
    url, process = outside_server
    pytester.makepyfile(test_suite=SUITE)
    result = pytester.runpytest_subprocess(
        "--ddb-backend=moto", f"--ddb-endpoint=outside={url}", "-n", "2", "-v"
    )
    result.assert_outcomes(failed=2)  # moto keeps "01.50" as written; so does the same moto
    runs = pytester.path / "reports" / "runs"
    outside = json.loads((runs / "outside.json").read_text())
    assert outside["backend_version"] == f"endpoint {url}"
    assert [c["operation"] for c in outside["tests"][0]["calls"]] == ["PutItem", "GetItem"]
    assert process.poll() is None, "ddbmatrix must not stop a server it did not start"
    out = pytester.path / "report"
    assert (
        main(["report", str(runs / "moto.json"), str(runs / "outside.json"), "--out", str(out)])
        == 0
    )
    report = json.loads((out / "divergence.json").read_text())
    assert {backend["name"] for backend in report["backends"]} == {"moto", "outside"}


def test_an_unreachable_endpoint_fails_its_tests_with_the_reason(pytester):
    reservation = reserve_port()
    pytester.makepyfile(test_suite=SUITE)
    result = pytester.runpytest_subprocess(
        "--ddb-backend=nowhere", f"--ddb-endpoint=nowhere=http://127.0.0.1:{reservation.port}"
    )
    reservation.release()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*nowhere: no DynamoDB answered ListTables at http://127.0.0.1*(nothing listens there)*"]
    )


def test_an_endpoint_that_comes_up_after_the_run_starts_is_waited_for(tmp_path):
    """A container or a server on a loaded machine may refuse the first connection."""
    reservation = reserve_port()
    reservation.release()
    servers: list[Stub] = []

    def come_up() -> None:
        servers.append(Stub(reservation.port))
        servers[0].serve_forever()

    late = threading.Timer(0.5, come_up)
    url = f"http://127.0.0.1:{reservation.port}"
    late.start()
    try:
        started = time.monotonic()
        server = endpoint_backend("late", url)().start("127.0.0.1", None, tmp_path / "late.log")
        assert server.endpoint == url
        assert time.monotonic() - started >= 0.4  # it was refused at first, then waited for
    finally:
        late.join(5)
        for stub in servers:
            stub.shutdown()
            stub.server_close()


def test_the_ini_twin_adds_endpoints(pytester, outside_server):
    url, _ = outside_server
    pytester.makeini(f"[pytest]\nddb_backend = moto\nddb_endpoint =\n    outside={url}\n")
    pytester.makepyfile(test_suite=SUITE)
    pytester.runpytest_subprocess().assert_outcomes(failed=2)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://dynamodb.us-east-1.amazonaws.com", "is real AWS: use --ddb-backend=aws"),
        ("https://dynamodb.eu-west-1.api.aws", "is real AWS"),
        ("localhost:8000", r"not an http\(s\) URL"),
    ],
)
def test_real_aws_and_non_urls_are_refused(url, message):
    with pytest.raises(UnknownBackendError, match=message):
        endpoint_backend("x", url)


def test_a_malformed_option_is_a_usage_error(pytester):
    pytester.makepyfile(test_suite=SUITE)
    result = pytester.runpytest_subprocess("--ddb-endpoint=just-a-name")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*expected NAME=URL*"])
