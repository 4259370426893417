from __future__ import annotations

import json

import pytest

from ddbmatrix.errors import RunFileError
from ddbmatrix.runfile import load_run
from tests.unit.factories import make_record


def test_written_runs_load_back_sorted(write_runs):
    (path,) = write_runs({"moto": [make_record("t::b", "moto"), make_record("t::a", "moto")]})
    run = load_run(path)
    assert run.backend == "moto"
    assert [t["id"] for t in run.tests] == ["t::a", "t::b"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read run file"),
        ('{"schema": "ddbmatrix-run", "tests": [', "truncated or corrupt"),
        ('{"benchmarks": []}', "not a ddbmatrix run file"),
        (
            '{"schema": "ddbmatrix-run", "schema_version": 99, "backend": "x", "tests": []}',
            "schema version 99",
        ),
        ('{"schema": "ddbmatrix-run", "schema_version": 1, "tests": []}', "has no 'backend'"),
    ],
    ids=["missing", "truncated", "foreign", "version", "incomplete"],
)
def test_bad_run_files_name_the_file(tmp_path, content, message):
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(RunFileError, match=message) as raised:
        load_run(path)
    assert str(path) in str(raised.value)


def _run(tests, **envelope):
    return json.dumps(
        {"schema": "ddbmatrix-run", "schema_version": 1, "backend": "x", "tests": tests, **envelope}
    )


GOOD = {"id": "t.py::a", "outcome": "passed", "calls": []}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (_run({"t.py::a": GOOD}), "'tests' must be a list"),
        (_run(["t.py::a"]), r"test record 0 is a str, not an object"),
        (_run([{**GOOD, "id": None}]), "test record 0 has no test id"),
        (_run([GOOD, {**GOOD, "outcome": "won"}]), r"test record 1 \(t.py::a\) has outcome 'won'"),
        (_run([{**GOOD, "backend": "y"}]), "belongs to backend 'y', not 'x'"),
        (_run([{**GOOD, "calls": [{"request": {}}]}]), "calls that are not a list"),
        (_run([{**GOOD, "backend_failure": "exploded"}]), "unknown backend_failure 'exploded'"),
        (_run([GOOD, GOOD]), r"test record 1 \(t.py::a\) appears twice"),
        (_run([GOOD], incidents="crashed"), "'incidents' must be a list"),
        (_run([GOOD], backend=""), "'backend' must be a backend name"),
    ],
    ids=[
        "tests-not-a-list",
        "record-not-an-object",
        "no-id",
        "unknown-outcome",
        "other-backend",
        "call-without-operation",
        "unknown-backend-failure",
        "duplicate",
        "incidents-not-a-list",
        "empty-backend",
    ],
)
def test_malformed_records_are_refused_whole_naming_file_and_record(tmp_path, content, message):
    path = tmp_path / "x.json"
    path.write_text(content)
    with pytest.raises(RunFileError, match=message) as raised:
        load_run(path)
    assert str(path) in str(raised.value)


def test_files_from_before_the_lifecycle_fields_still_load(tmp_path):
    path = tmp_path / "x.json"
    path.write_text(_run([GOOD]))
    run = load_run(path)
    assert run.incidents == []
    assert "backend_failure" not in run.tests[0]


def test_incidents_are_read_from_the_envelope(tmp_path):
    incident = {"kind": "crashed", "worker": "gw0", "message": "exit 137", "log_tail": "..."}
    path = tmp_path / "x.json"
    path.write_text(_run([{**GOOD, "backend_failure": "crashed"}], incidents=[incident]))
    assert load_run(path).incidents == [incident]


def test_write_is_atomic_and_leaves_no_partial_file(write_runs, tmp_path):
    (path,) = write_runs({"moto": [make_record("t::a", "moto")]})
    assert [p.name for p in path.parent.iterdir()] == ["moto.json"]
    assert json.loads(path.read_text())["schema_version"] == 1
