from __future__ import annotations

import json

import pytest

from ddbmatrix.errors import RunFileError
from ddbmatrix.runfile import SCHEMA_VERSION, load_run
from ddbmatrix.runschema import valid_backend_name
from tests.unit.factories import make_call, make_record


def test_written_runs_load_back_sorted(write_runs):
    (path,) = write_runs({"moto": [make_record("t::b", "moto"), make_record("t::a", "moto")]})
    run = load_run(path)
    assert run.backend == "moto"
    assert [t["id"] for t in run.tests] == ["t::a", "t::b"]


def test_each_record_is_one_line_of_its_own(write_runs):
    records = [make_record(f"t::{name}", "moto", calls=[make_call()]) for name in "ab"]
    (path,) = write_runs({"moto": records})
    lines = path.read_text().splitlines()
    start = lines.index('"tests": [')
    assert [json.loads(line.rstrip(","))["id"] for line in lines[start + 1 : start + 3]] == [
        "t::a",
        "t::b",
    ]
    assert lines[start + 3 :] == ["]", "}"]


def _run(tests, **envelope):
    return json.dumps(
        {
            "schema": "ddbmatrix-run",
            "schema_version": SCHEMA_VERSION,
            "backend": "x",
            "tests": tests,
            **envelope,
        }
    )


GOOD = {"id": "t.py::a", "outcome": "passed", "calls": []}
CALL = {"operation": "GetItem", "request": {}, "status": 200, "response": {}, "error": None}


def _load(tmp_path, content: str | bytes):
    path = tmp_path / "x.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    with pytest.raises(RunFileError) as raised:
        load_run(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: ")
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"schema": "ddbmatrix-run", "tests": [', "truncated or corrupt"),
        ('{"benchmarks": []}', "not a ddbmatrix run file"),
        (b'{"schema": "ddbmatrix-run", "x": "\xff\xfe"}', "not UTF-8 text (byte 0xff at offset"),
    ],
    ids=["truncated", "foreign", "not-utf8"],
)
def test_unreadable_files_are_one_line_naming_the_file(tmp_path, content, message):
    assert message in _load(tmp_path, content)


def test_a_missing_file_names_it(tmp_path):
    with pytest.raises(RunFileError, match="cannot read run file"):
        load_run(tmp_path / "gone.json")


def test_version_1_is_refused_naming_the_version_needed(tmp_path):
    v1 = '{"schema": "ddbmatrix-run", "schema_version": 1, "backend": "x", "tests": []}'
    message = _load(tmp_path, v1)
    assert "schema version 1" in message
    assert f"reads version {SCHEMA_VERSION} only" in message
    assert "record the run again" in message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (_run([{**GOOD, "tables": ["t"]}]), "tests[0] (t.py::a).tables: must be object, not array"),
        (_run([{**GOOD, "message": 5}]), "tests[0] (t.py::a).message: must be string or null"),
        (
            _run([{**GOOD, "calls": [{**CALL, "error": "boom"}]}]),
            "tests[0] (t.py::a).calls[0].error: must be object or null, not string 'boom'",
        ),
        (
            _run([{**GOOD, "calls": [{**CALL, "status": "200"}]}]),
            "tests[0] (t.py::a).calls[0].status: must be integer or null, not string '200'",
        ),
        (
            '{"schema": "ddbmatrix-run", "schema_version": 2, "tests": []}',
            "the file has no 'backend'",
        ),
        (_run([GOOD], backend="../../evil"), "backend: must be a backend name"),
        (_run([GOOD], backend="all"), "backend: must not be 'all': all, no-backend are reserved"),
        (_run([{**GOOD, "backend": "Moto"}]), "tests[0] (t.py::a).backend: must be a backend"),
        (_run({"t.py::a": GOOD}), "tests: must be array, not object"),
        (_run(["t.py::a"]), "tests[0]: must be object, not string"),
        (_run([{**GOOD, "id": None}]), "tests[0].id: must be string, not null"),
        (_run([GOOD, {**GOOD, "outcome": "won"}]), "tests[1] (t.py::a).outcome: must be one of"),
        (_run([{**GOOD, "backend": "y"}]), "belongs to backend 'y', not 'x'"),
        (_run([{**GOOD, "calls": [{"request": {}}]}]), "calls[0] has no 'operation'"),
        (_run([{**GOOD, "backend_failure": "exploded"}]), "backend_failure: must be one of"),
        (_run([GOOD, GOOD]), "tests[1] (t.py::a) appears twice"),
        (_run([GOOD], incidents="crashed"), "incidents: must be array"),
        (_run([GOOD], backend=""), "backend: must be a backend name"),
        (_run([{**GOOD, "phase": "later"}]), "phase: must be one of"),
        (_run([{**GOOD, "exception": "ClientError"}]), "exception: must be object or null"),
        (_run([GOOD], shard={"index": 0, "count": 2}), "shard.index"),
    ],
)
def test_malformed_files_are_refused_whole_naming_file_and_field(tmp_path, content, message):
    assert message in _load(tmp_path, content)


def test_the_fields_of_version_2_are_accepted(tmp_path):
    call = {
        **CALL,
        "endpoint": "http://127.0.0.1:8000",
        "served_by": "dynalite",
        "routed": True,
    }
    record = {
        **GOOD,
        "outcome": "raised",
        "phase": "call",
        "exception": {"type": "ClientError", "code": "ValidationException"},
        "calls": [call],
    }
    fixture = {
        "id": "tests/t.py::orders",
        "scope": "module",
        "backend": "x",
        "phase": "setup",
        "outcome": "passed",
        "message": None,
        "calls": [call],
    }
    path = tmp_path / "x.json"
    path.write_text(_run([record], fixtures=[fixture], shard={"index": 1, "count": 3}, expected=1))
    run = load_run(path)
    assert run.fixtures == [fixture]
    assert run.tests[0]["exception"]["code"] == "ValidationException"


def test_incidents_are_read_from_the_envelope(tmp_path):
    incident = {"kind": "crashed", "worker": "gw0", "message": "exit 137", "log_tail": "..."}
    path = tmp_path / "x.json"
    path.write_text(_run([{**GOOD, "backend_failure": "crashed"}], incidents=[incident]))
    assert load_run(path).incidents == [incident]


def test_write_is_atomic_and_leaves_no_partial_file(write_runs, tmp_path):
    (path,) = write_runs({"moto": [make_record("t::a", "moto", calls=[make_call()])]})
    assert [p.name for p in path.parent.iterdir()] == ["moto.json"]
    assert json.loads(path.read_text())["schema_version"] == 2


@pytest.mark.parametrize(
    ("name", "valid"),
    [("dynalite", True), ("dynamodb-local", True), ("a1", True), ("../../evil", False),
     ("-x", False), ("Moto", False), ("", False), ("a/b", False), ("a.b", False),
     ("all", False), ("no-backend", False)],
)  # fmt: skip
def test_backend_names_can_never_hold_a_path(name, valid):
    assert valid_backend_name(name) is valid
