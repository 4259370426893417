"""benchmarks/report_scale.py: the k-times inputs are real runs cloned, and compare alike."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.report_scale import SCENARIO_RUNS, _clone, _peak_mib, clone_id, scale_runs

from ddbmatrix.compare import compare, load_runs
from ddbmatrix.report.data import report_data

SOURCES = sorted(SCENARIO_RUNS.glob("*.json"))


def test_a_clone_keeps_its_area_and_name():
    assert clone_id("tests/compat/test_query.py::test_eq[a]", 0) == (
        "tests/compat/test_query.py::test_eq[a]"
    )
    assert clone_id("tests/compat/test_query.py::test_eq[a]", 3) == (
        "tests/compat/x3/test_query.py::test_eq[a]"
    )


def test_scaled_runs_hold_k_clones_of_every_test_and_load(tmp_path: Path):
    paths = scale_runs(SOURCES, 3, tmp_path)
    for source, path in zip(SOURCES, paths, strict=True):
        original = json.loads(source.read_text("utf-8"))["tests"]
        scaled = json.loads(path.read_text("utf-8"))["tests"]
        assert len(scaled) == 3 * len(original)
        ids = [record["id"] for record in scaled]
        assert ids == sorted(ids)
        assert len(set(ids)) == len(ids)
        clone = next(r for r in scaled if r["id"] == clone_id(original[0]["id"], 2))
        assert clone["nodeid"].startswith(clone["id"])
        assert clone["calls"] == original[0]["calls"]
    assert scale_runs(SOURCES, 3, tmp_path / "again")[0].read_bytes() == paths[0].read_bytes()
    load_runs(paths)  # the schema accepts them


def test_each_clone_diverges_as_its_original(tmp_path: Path):
    one = report_data(compare(load_runs(scale_runs(SOURCES, 1, tmp_path / "1"))))
    two = report_data(compare(load_runs(scale_runs(SOURCES, 2, tmp_path / "2"))))
    assert two["summary"]["divergent"] == 2 * one["summary"]["divergent"]
    assert [c["sentence"] for c in two["root_causes"]] == [
        c["sentence"] for c in one["root_causes"]
    ]


def test_a_parametrized_clone_keeps_its_nodeid_a_nodeid_of_its_id(tmp_path: Path):
    # test_x[a] runs as test_x[a-moto]: its nodeid does not start with its id.
    record = {
        "id": "tests/compat/test_query.py::test_eq[a]",
        "nodeid": "tests/compat/test_query.py::test_eq[a-moto]",
        "message": "in tests/compat/test_query.py::test_eq[a-moto]",
    }
    clone = _clone(record, 2)
    assert clone["id"] == "tests/compat/x2/test_query.py::test_eq[a]"
    assert clone["nodeid"] == "tests/compat/x2/test_query.py::test_eq[a-moto]"
    assert clone["message"] == "in tests/compat/x2/test_query.py::test_eq[a-moto]"


def test_the_peak_is_the_report_process_own_not_what_it_inherited_at_the_fork():
    # ru_maxrss of a child counts its parent's RSS at the fork; VmHWM, written last, does not.
    errors = b"a warning\nddbmatrix-bench-peak-kib 61440\n"
    assert _peak_mib(errors, maxrss_kib=1_900_000) == 60.0
    assert _peak_mib(b"no marker", maxrss_kib=2048) == 2.0  # not Linux: all there is
