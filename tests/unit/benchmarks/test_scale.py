"""benchmarks/scale.py: the bench's scale section, repeated builds and its table."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks import scale
from benchmarks.report_scale import SCENARIO_RUNS


def _row(k: int, cpu: float) -> dict:
    return {
        "scale": k,
        "runs_bytes": 2_000_000 * k,
        "seconds": cpu + 0.5,
        "cpu_seconds": cpu,
        "peak_mib": 100.0 * k,
        "html_bytes": 1_000_000 * k,
        "paint_seconds": 0.2,
        "html_open_seconds": None,
        "builds": 5 if k < 16 else 1,
    }


def test_the_table_has_a_row_per_scale_and_says_how_linear_and_how_many_builds():
    text = scale.table([_row(1, 2.0), _row(16, 30.0)])
    lines = text.splitlines()
    assert len(lines) == 4
    assert lines[2].startswith(
        "| 1x | 2.0 MB | 2.50 | 2.00 | 1.0 | 100 MiB | 1.0 MB | 0.2 | — | 5 |"
    )
    assert "| 16x |" in lines[3]
    assert "| 15.0 |" in lines[3]
    assert lines[3].endswith("| 1 |")


def test_a_slow_build_is_not_repeated(monkeypatch: pytest.MonkeyPatch):
    builds = []

    def run_report(paths, out):
        builds.append(out)
        return {"seconds": 30.0, "cpu_seconds": 25.0, "peak_mib": 50.0}

    monkeypatch.setattr(scale, "run_report", run_report)
    figures = scale._builds([], Path("x"), repeat=5)
    assert figures["builds"] == 1
    assert len(builds) == 1


def test_quick_measures_1x_and_4x_and_renders_markdown(monkeypatch: pytest.MonkeyPatch):
    times = iter([1.0, 1.2, 0.8, 4.0, 4.4, 3.6])
    monkeypatch.setattr(
        scale,
        "run_report",
        lambda paths, out: (
            out.mkdir(parents=True, exist_ok=True),
            (out / "divergence.html").write_text("<html></html>"),
            {"seconds": (t := next(times)), "cpu_seconds": t, "peak_mib": 10.0},
        )[-1],
    )
    monkeypatch.setattr(
        scale, "open_html", lambda page: {"paint_seconds": None, "open_seconds": None}
    )
    result = scale.measure(quick=True, repeat=3, sources=sorted(SCENARIO_RUNS.glob("*.json"))[:2])
    assert [row["scale"] for row in result["scales"]] == [1, 4]
    assert [row["cpu_seconds"] for row in result["scales"]] == [1.0, 4.0]
    assert result["scales"][0]["builds"] == 3
    assert "| 4x |" in result["markdown"]
