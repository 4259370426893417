"""``--ddb-record=off``: outcomes are still recorded, calls are not, and no client is hooked."""

from __future__ import annotations

import json

import boto3
import pytest

from ddbmatrix.recording import MAX_STRING, Recorder, _decode

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


@pytest.mark.parametrize("size", [MAX_STRING - 20, MAX_STRING, MAX_STRING + 1, 5 * MAX_STRING])
def test_a_recorded_body_keeps_strings_up_to_the_limit_and_shrinks_longer_ones(size):
    body = json.dumps({"Item": {"v": {"S": "x" * size}, "n": {"N": "1"}}}).encode()
    recorded = _decode(body)
    value = recorded["Item"]["v"]["S"]
    if size <= MAX_STRING:
        assert value == "x" * size
    else:
        assert value.startswith(f"<str len={size} sha256=")
    assert recorded["Item"]["n"] == {"N": "1"}


def test_a_short_body_with_escapes_is_recorded_as_decoded():
    body = json.dumps({"v": "é\n" * 10}).encode()
    assert _decode(body) == {"v": "é\n" * 10}
