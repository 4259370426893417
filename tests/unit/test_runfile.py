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


def test_write_is_atomic_and_leaves_no_partial_file(write_runs, tmp_path):
    (path,) = write_runs({"moto": [make_record("t::a", "moto")]})
    assert [p.name for p in path.parent.iterdir()] == ["moto.json"]
    assert json.loads(path.read_text())["schema_version"] == 1
