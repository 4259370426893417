"""Report outputs are written all or nothing, and never outside their folders."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest

from ddbmatrix.cli import main
from ddbmatrix.errors import DdbMatrixError
from ddbmatrix.report import ReportOptions, build_report, output
from tests.unit.factories import make_call, make_record, sample_runs


@pytest.fixture
def previous(write_runs, tmp_path):
    """A report already in place, and run files whose report differs from it."""
    out = tmp_path / "out"
    build_report(write_runs(sample_runs(), tmp_path / "old"), ReportOptions(out=out))
    before = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
    runs = sample_runs()
    runs["moto"][0]["calls"] = [make_call(response={"Item": {"n": {"N": "2"}}})]
    return out, before, write_runs(runs, tmp_path / "new")


def _unchanged(out, before):
    after = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
    assert after == before  # no new file, no partial file, nothing rewritten


def test_a_full_disk_leaves_the_previous_report_intact(previous, monkeypatch):
    out, before, paths = previous
    stage = output._stage

    def full(staged, text):
        if staged.name.startswith(".divergence.html"):
            with staged.open("w") as stream:
                stream.write(text[:100])
            raise OSError(errno.ENOSPC, "No space left on device", str(staged))
        stage(staged, text)

    monkeypatch.setattr(output, "_stage", full)
    with pytest.raises(DdbMatrixError, match=r"No space left on device.*previous report is as it"):
        build_report(paths, ReportOptions(out=out))
    _unchanged(out, before)


def test_an_unwritable_junit_folder_leaves_the_previous_report_intact(previous, tmp_path):
    out, before, paths = previous
    blocked = tmp_path / "junit-is-a-file"
    blocked.write_text("not a folder")
    with pytest.raises(DdbMatrixError, match="cannot write the report"):
        build_report(paths, ReportOptions(out=out, junit_dir=blocked / "junit"))
    _unchanged(out, before)


def test_a_new_report_replaces_every_file_and_removes_stale_junit_files(write_runs, tmp_path):
    out = tmp_path / "out"
    build_report(write_runs(sample_runs(), tmp_path / "a"), ReportOptions(out=out))
    foreign = out / "junit" / "mine.xml"
    foreign.write_text("<testsuite name='not ours'/>")
    runs = {b: r for b, r in sample_runs().items() if b != "moto"}
    result = build_report(write_runs(runs, tmp_path / "b"), ReportOptions(out=out))
    assert sorted(p.name for p in (out / "junit").iterdir()) == [
        "dynalite.xml",
        "dynamodb-local.xml",
        "mine.xml",
    ]
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []
    assert json.loads((out / "divergence.json").read_text())["summary"] == result.data["summary"]


def test_a_backend_name_from_a_run_file_can_never_write_outside_the_folders(
    write_runs, tmp_path, capsys
):
    (good,) = write_runs({"moto": [make_record("t.py::a", "moto")]})
    evil = tmp_path / "evil.json"
    data = json.loads(good.read_text())
    data["backend"] = "../../evil"
    data["tests"][0]["backend"] = "../../evil"
    evil.write_text(json.dumps(data))
    out = tmp_path / "deep" / "er" / "out"
    assert main(["report", str(good), str(evil), "--out", str(out)]) == 2
    assert "backend: must be a backend name" in capsys.readouterr().err
    assert not (tmp_path / "deep").exists()
    assert not list(tmp_path.rglob("evil.xml"))


def test_a_rename_failing_half_way_puts_back_the_files_renamed_before_it(previous, monkeypatch):
    out, before, paths = previous
    replace = Path.replace

    def json_fails(self, target):
        if Path(target).name == "divergence.json" and self.name.endswith(".tmp"):
            raise OSError(errno.EIO, "Input/output error", str(target))
        return replace(self, target)

    monkeypatch.setattr(Path, "replace", json_fails)
    with pytest.raises(DdbMatrixError, match=r"Input/output error.*previous report is as it"):
        build_report(paths, ReportOptions(out=out))
    _unchanged(out, before)


def test_a_folder_where_a_file_goes_leaves_the_previous_report_intact(previous, tmp_path):
    out, before, paths = previous
    (tmp_path / "baseline.json").mkdir()
    with pytest.raises(DdbMatrixError, match="Is a directory"):
        build_report(paths, ReportOptions(out=out, save_baseline=tmp_path / "baseline.json"))
    _unchanged(out, before)
    assert list((tmp_path / "baseline.json").iterdir()) == []


def test_no_previous_file_is_kept_once_the_report_is_replaced(previous):
    out, _, paths = previous
    build_report(paths, ReportOptions(out=out))
    assert [p for p in out.rglob(".*")] == []


def test_an_error_while_a_file_is_rendered_as_it_is_written_leaves_nothing(previous, monkeypatch):
    out, before, paths = previous

    def failing(data):
        yield "{"
        raise RuntimeError("renderer bug")

    monkeypatch.setattr("ddbmatrix.report.json_chunks", failing)
    with pytest.raises(RuntimeError, match="renderer bug"):
        build_report(paths, ReportOptions(out=out))
    _unchanged(out, before)
    assert not [p for p in out.rglob(".*.tmp")]
