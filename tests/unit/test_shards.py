from __future__ import annotations

import json

import pytest

from ddbmatrix.compare import load_runs
from ddbmatrix.errors import RunFileError
from ddbmatrix.report import ReportOptions, build_report
from ddbmatrix.shards import merge_shards
from tests.unit.factories import make_record, sample_runs


def _shard_runs(write_runs, tmp_path, runs, count, skip=(), **envelope):
    """Write each backend's records split into ``count`` shards (round robin by id)."""
    paths = []
    for index in range(1, count + 1):
        if index in skip:
            continue
        part = {
            backend: [r for n, r in enumerate(records) if n % count == index - 1]
            for backend, records in runs.items()
        }
        paths += write_runs(
            part,
            tmp_path / f"shard-{index}",
            shard={"index": index, "count": count},
            started_at=f"2026-01-0{index}T08:00:00+00:00",
            **envelope,
        )
    return paths


def _without_generation_time(path):
    data = json.loads(path.read_text())
    data.pop("generated_at")
    return data


def test_shards_merge_into_the_report_of_one_run(write_runs, tmp_path):
    runs = sample_runs()
    one = build_report(write_runs(runs, tmp_path / "all"), ReportOptions(out=tmp_path / "one"))
    paths = _shard_runs(write_runs, tmp_path, runs, 3)
    merged = build_report(paths[::-1], ReportOptions(out=tmp_path / "merged"))
    assert merged.data["warnings"] == one.data["warnings"]
    assert _without_generation_time(tmp_path / "one" / "divergence.json") == (
        _without_generation_time(tmp_path / "merged" / "divergence.json")
    )
    md = [(tmp_path / out / "divergence.md").read_text() for out in ("one", "merged")]
    assert md[0] == md[1]
    assert [run.backend for run in merged.runs] == [run.backend for run in one.runs][::-1]


def test_a_missing_shard_is_a_warning_naming_it(write_runs, tmp_path):
    paths = _shard_runs(write_runs, tmp_path, sample_runs(), 3, skip=(2,))
    result = build_report(paths, ReportOptions(out=tmp_path / "out"))
    warnings = [w for w in result.data["warnings"] if "shards missing" in w]
    assert any("moto.shard-2-of-3.json" in w for w in warnings)
    assert all(backend["complete"] is False for backend in result.data["backends"])


def test_a_shard_given_twice_is_refused(write_runs, tmp_path):
    runs = {"moto": [make_record("a::t", "moto")]}
    paths = write_runs(runs, tmp_path / "a", shard={"index": 1, "count": 2})
    paths += write_runs(runs, tmp_path / "b", shard={"index": 1, "count": 2})
    with pytest.raises(RunFileError, match="shard 1 of 2 of 'moto' is given twice"):
        merge_shards(load_runs(paths))


def test_shards_of_different_counts_or_versions_are_refused(write_runs, tmp_path):
    t, u = make_record("a::t", "moto"), make_record("a::u", "moto")
    first = write_runs({"moto": [t]}, tmp_path / "a", shard={"index": 1, "count": 2})
    other_count = write_runs({"moto": [u]}, tmp_path / "b", shard={"index": 2, "count": 3})
    with pytest.raises(RunFileError, match="different counts"):
        merge_shards(load_runs(first + other_count))
    other_version = write_runs(
        {"moto": [u]}, tmp_path / "c", shard={"index": 2, "count": 2}, backend_version="9"
    )
    with pytest.raises(RunFileError, match="different backend_version"):
        merge_shards(load_runs(first + other_version))


def test_overlapping_shards_and_a_whole_run_beside_shards_are_refused(write_runs, tmp_path):
    t = make_record("a::t", "moto")
    first = write_runs({"moto": [t]}, tmp_path / "a", shard={"index": 1, "count": 2})
    second = write_runs({"moto": [t]}, tmp_path / "b", shard={"index": 2, "count": 2})
    with pytest.raises(RunFileError, match="is in two shards"):
        merge_shards(load_runs(first + second))
    whole = write_runs({"moto": [t]}, tmp_path / "c")
    with pytest.raises(RunFileError, match="pass either the run or its shards"):
        merge_shards(load_runs(first + whole))


def test_runs_that_are_not_shards_pass_through(write_runs, tmp_path):
    runs = load_runs(write_runs(sample_runs()))
    merged, warnings = merge_shards(runs)
    assert merged == runs
    assert warnings == []


def test_shards_observed_as_they_load_keep_every_observation(write_runs, tmp_path):
    paths = _shard_runs(write_runs, tmp_path, sample_runs(), 3)
    merged, _ = merge_shards(load_runs(paths, observed=True))
    for run in merged:
        assert set(run.observed) == {record["id"] for record in run.data["tests"]}
