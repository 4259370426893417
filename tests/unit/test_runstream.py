"""ddbmatrix.runstream: a run file read record by record is the run load_run reads."""

from __future__ import annotations

import json

import pytest

from ddbmatrix.runfile import load_run
from ddbmatrix.runstream import stream_run
from tests.unit.factories import sample_runs


@pytest.fixture
def run_file(write_runs):
    return write_runs(sample_runs())[0]


def test_it_reads_the_run_load_run_reads_and_hands_over_each_record(run_file):
    seen = []
    run = stream_run(run_file, seen.append)
    assert run is not None
    assert run.data == load_run(run_file).data
    assert list(run.data) == list(load_run(run_file).data)  # keys in the file's order
    assert [r["id"] for r in seen] == [r["id"] for r in run.data["tests"]]


def test_what_the_caller_does_to_a_record_is_what_the_run_holds(run_file):
    run = stream_run(run_file, lambda record: record.pop("calls"))
    assert run is not None
    assert all("calls" not in record for record in run.data["tests"])


def test_the_envelope_may_come_in_any_order_if_the_backend_comes_before_the_tests(run_file):
    data = json.loads(run_file.read_text())
    tests = data.pop("tests")
    run_file.write_text(json.dumps({"tests": [], **data, "incidents": []}))
    assert stream_run(run_file, lambda record: None) is None  # the tests before the backend
    run_file.write_text(json.dumps({**data, "tests": tests, "incidents": []}, indent=None))
    run = stream_run(run_file, lambda record: None)
    assert run is not None
    assert run.data == load_run(run_file).data


def _broken(data):
    first = data["tests"][0]
    yield "not utf-8", b"\xff"
    yield "not json", b"{"
    yield "extra data", json.dumps(data).encode() + b" x"
    yield "a key twice", json.dumps(data)[:-1].encode() + b', "backend": "moto"}'
    yield "not an object", b"[]"
    yield "old schema", json.dumps({**data, "schema_version": 1}).encode()
    yield "bad envelope", json.dumps({**data, "complete": "yes"}).encode()
    yield "bad record", json.dumps({**data, "tests": [{**first, "outcome": "odd"}]}).encode()
    yield "test twice", json.dumps({**data, "tests": [first, first]}).encode()
    other = {**first, "backend": "somewhere-else"}
    yield "other backend", json.dumps({**data, "tests": [other]}).encode()
    nodeid = {**first, "nodeid": "tests/other.py::t[moto]"}
    yield "foreign nodeid", json.dumps({**data, "tests": [nodeid]}).encode()


def test_anything_it_cannot_check_as_it_goes_is_left_to_load_run(run_file):
    data = json.loads(run_file.read_text())
    for name, content in _broken(data):
        run_file.write_bytes(content)
        assert stream_run(run_file, lambda record: None) is None, name


def test_an_empty_run_reads(run_file):
    data = json.loads(run_file.read_text())
    run_file.write_text(json.dumps({**data, "tests": []}))
    run = stream_run(run_file, lambda record: None)
    assert run is not None
    assert run.data["tests"] == []
