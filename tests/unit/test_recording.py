"""``--ddb-record=off``: outcomes are still recorded, calls are not, and no client is hooked."""

from __future__ import annotations

import json

import boto3
import pytest

from ddbmatrix.recording import Recorder

SUITE = """
def test_lists(ddb_client):
    ddb_client.list_tables()
"""


def _hooks(client, recorder: Recorder) -> list[str]:
    unique = client.meta.events._emitter._unique_id_handlers
    return [key for key in unique if str(key).startswith(recorder._id)]


@pytest.mark.parametrize(("enabled", "hooked"), [(True, 3), (False, 0)])
def test_a_disabled_recorder_leaves_clients_unhooked(enabled, hooked):
    client = boto3.client(
        "dynamodb",
        endpoint_url="http://127.0.0.1:9",
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="y",
    )
    recorder = Recorder()
    recorder.enabled = enabled
    assert recorder.attach(client) is client
    assert len(_hooks(client, recorder)) == hooked


@pytest.mark.parametrize(("value", "calls"), [("on", 1), ("off", 0)])
def test_record_switch_keeps_outcomes_and_drops_calls(pytester, value, calls):
    pytester.makepyfile(test_suite=SUITE)
    pytester.runpytest_subprocess("--ddb-backend=moto", f"--ddb-record={value}").assert_outcomes(
        passed=1
    )
    run = json.loads((pytester.path / "reports" / "runs" / "moto.json").read_text())
    [test] = run["tests"]
    assert test["outcome"] == "passed"
    assert len(test["calls"]) == calls


def test_record_switch_has_an_ini_twin_and_checks_its_value(pytester):
    pytester.makepyfile(test_suite=SUITE)
    pytester.makeini("[pytest]\nddb_record = maybe\n")
    result = pytester.runpytest_subprocess("--ddb-backend=moto")
    result.stderr.fnmatch_lines(["*--ddb-record 'maybe': choose on or off*"])
    assert result.ret == pytest.ExitCode.USAGE_ERROR
