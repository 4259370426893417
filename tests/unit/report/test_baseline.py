from __future__ import annotations

import copy
import json

import pytest

from ddbmatrix.compare import compare, load_runs
from ddbmatrix.errors import RunFileError
from ddbmatrix.report import ReportOptions, build_report
from ddbmatrix.report.baseline import (
    apply_baseline,
    baseline_document,
    load_baseline,
    new_divergences,
)
from ddbmatrix.report.data import report_data
from tests.unit.factories import make_call, sample_runs

INJECTED = "tests/compat/test_items.py::test_same"


def _inject_divergence(runs):
    """Make moto answer one agreeing test differently: exactly one new divergence."""
    runs = copy.deepcopy(runs)
    (record,) = [r for r in runs["moto"] if r["id"] == INJECTED]
    record["calls"] = [make_call(response={"Item": {"n": {"N": "2"}}})]
    return runs


def test_the_gate_catches_exactly_the_injected_divergence(write_runs, tmp_path):
    before = write_runs(sample_runs(), tmp_path / "before")
    baseline = tmp_path / "baseline.json"
    build_report(before, ReportOptions(out=tmp_path / "r1", save_baseline=baseline))

    after = write_runs(_inject_divergence(sample_runs()), tmp_path / "after")
    result = build_report(after, ReportOptions(out=tmp_path / "r2", baseline=baseline))

    assert [d["test"] for d in result.new] == [INJECTED]
    assert result.data["baseline"]["known"] == result.data["summary"]["divergent"] - 1
    assert result.data["baseline"]["gone"] == []
    known = [d for d in result.data["divergences"] if d["status"] == "known"]
    assert len(known) == 4


def test_a_fixed_divergence_is_gone_and_not_new(write_runs, tmp_path):
    baseline = tmp_path / "baseline.json"
    build_report(
        write_runs(_inject_divergence(sample_runs()), tmp_path / "before"),
        ReportOptions(out=tmp_path / "r1", save_baseline=baseline),
    )
    result = build_report(
        write_runs(sample_runs(), tmp_path / "after"),
        ReportOptions(out=tmp_path / "r2", baseline=baseline),
    )
    assert result.new == []
    assert [g["test"] for g in result.data["baseline"]["gone"]] == [INJECTED]


def test_a_changed_class_is_new_and_its_old_form_gone(sample_data, tmp_path):
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps(baseline_document(sample_data)))
    changed = copy.deepcopy(sample_data)
    number = next(d for d in changed["divergences"] if d["test"].endswith("test_number"))
    number["key"] = number["key"].replace("content", "shape")
    apply_baseline(changed, load_baseline(path))
    assert [d["test"] for d in new_divergences(changed)] == [number["test"]]
    assert [g["test"] for g in changed["baseline"]["gone"]] == [number["test"]]


def test_a_report_json_serves_as_a_baseline_and_versions_changes_are_shown(write_runs, tmp_path):
    before = build_report(write_runs(sample_runs(), tmp_path / "a"), ReportOptions(tmp_path / "a"))
    upgraded = write_runs(sample_runs(), tmp_path / "b", backend_version="2.0")
    data = report_data(compare(load_runs(upgraded)))
    apply_baseline(data, load_baseline(tmp_path / "a" / "divergence.json"))
    assert data["baseline"]["new"] == 0
    assert data["baseline"]["known"] == before.data["summary"]["divergent"]
    assert data["baseline"]["version_changes"]["moto"] == ["1.0", "2.0"]


def test_a_baseline_of_other_backends_is_refused(write_runs, tmp_path, sample_data):
    path = tmp_path / "baseline.json"
    document = baseline_document(sample_data)
    del document["backends"]["moto"]
    path.write_text(json.dumps(document))
    with pytest.raises(RunFileError, match="compare reports of the same backends") as raised:
        apply_baseline(sample_data, load_baseline(path))
    assert str(path) in str(raised.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read baseline"),
        ("{", "not valid JSON"),
        ('{"schema": "ddbmatrix-run"}', "not a ddbmatrix baseline"),
        ('{"schema": "ddbmatrix-baseline", "schema_version": 7}', "schema version 7"),
        (
            '{"schema": "ddbmatrix-baseline", "schema_version": 1, "divergences": []}',
            "baseline schema version 1, but this ddbmatrix reads version 2 only",
        ),
        (
            '{"schema": "ddbmatrix-report", "schema_version": 1, "divergences": []}',
            "report schema version 1, but this ddbmatrix reads version 2 only",
        ),
        ('{"schema": "ddbmatrix-baseline", "schema_version": 2}', "no valid 'divergences'"),
    ],
    ids=["missing", "not-json", "foreign", "future", "baseline-v1", "report-v1", "incomplete"],
)
def test_bad_baselines_name_the_file(tmp_path, content, message):
    path = tmp_path / "baseline.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(RunFileError, match=message) as raised:
        load_baseline(path)
    assert str(path) in str(raised.value)


def _flip(runs):
    """The same runs, with test_order's odd backend flipped from moto to dynalite."""
    runs = copy.deepcopy(runs)
    order = "tests/compat/test_scan.py::test_order"
    records = {b: next(r for r in runs[b] if r["id"] == order) for b in runs}
    records["moto"]["calls"], records["dynalite"]["calls"] = (
        records["dynalite"]["calls"],
        records["moto"]["calls"],
    )
    return runs


def test_a_flaky_test_may_have_several_accepted_forms(write_runs, tmp_path):
    baseline = tmp_path / "baseline.json"
    first = write_runs(sample_runs(), tmp_path / "first")
    build_report(first, ReportOptions(out=tmp_path / "r1", save_baseline=baseline))
    flipped = write_runs(_flip(sample_runs()), tmp_path / "flipped")

    seen = build_report(flipped, ReportOptions(tmp_path / "r2", baseline=baseline))
    assert [d["test"] for d in seen.new] == ["tests/compat/test_scan.py::test_order"]
    assert [g["test"] for g in seen.data["baseline"]["gone"]] == [
        "tests/compat/test_scan.py::test_order"
    ]

    # Accept the second form too: saving while comparing keeps the first form.
    options = ReportOptions(tmp_path / "r3", baseline=baseline, save_baseline=baseline)
    build_report(flipped, options)
    for paths in (first, flipped):
        result = build_report(paths, ReportOptions(tmp_path / "r4", baseline=baseline))
        assert result.new == []
        assert result.data["baseline"]["gone"] == []


def test_saving_without_a_baseline_starts_afresh(write_runs, tmp_path, sample_data):
    baseline = tmp_path / "baseline.json"
    build_report(
        write_runs(_flip(sample_runs()), tmp_path / "a"),
        ReportOptions(tmp_path / "r1", save_baseline=baseline),
    )
    build_report(
        write_runs(sample_runs(), tmp_path / "b"),
        ReportOptions(tmp_path / "r2", save_baseline=baseline),
    )
    keys = [entry["key"] for entry in json.loads(baseline.read_text())["divergences"]]
    assert keys == sorted(d["key"] for d in sample_data["divergences"])
