"""The ``scale`` section of ``nox -s bench``: the report built at 1x, 4x and 16x the runs.

A thin layer over :mod:`benchmarks.report_scale`, which scales the run files and measures
one build; this module repeats the builds and lays out the table. Quick mode measures 1x and
4x only. A build's figures (wall and CPU seconds, peak RSS) are the median of ``repeat``
builds while a build takes under :data:`REPEAT_UNDER_S`; a slower scale is built once, and
the table says how many builds each row is the median of.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.report_scale import default_sources, open_html, run_report, scale_runs

__all__ = ["REPEAT_UNDER_S", "SCALES", "measure", "table"]

#: (full, quick)
SCALES = ((1, 4, 16), (1, 4))
#: A build slower than this (CPU seconds) is not repeated: one 16x build can take minutes.
REPEAT_UNDER_S = 20.0
_FIGURES = ("seconds", "cpu_seconds", "peak_mib")


def _builds(paths: list[Path], out: Path, repeat: int) -> dict[str, Any]:
    """Build the report up to ``repeat`` times; the median of each figure, and how many."""
    runs = [run_report(paths, out)]
    while len(runs) < repeat and runs[0]["cpu_seconds"] < REPEAT_UNDER_S:
        runs.append(run_report(paths, out))
    figures: dict[str, Any] = {f: statistics.median(r[f] for r in runs) for f in _FIGURES}
    figures["builds"] = len(runs)
    return figures


def _scale(
    k: int, sources: Sequence[Path], work: Path, repeat: int, progress: Callable[[str], None]
) -> dict[str, Any]:
    folder = work / f"{k}x"
    paths = scale_runs(sources, k, folder / "runs")
    progress(f"report at {k}x the runs")
    figures: dict[str, Any] = {"scale": k, "runs_bytes": sum(p.stat().st_size for p in paths)}
    figures.update(_builds(paths, folder / "report", repeat))
    page = folder / "report" / "divergence.html"
    figures["html_bytes"] = page.stat().st_size
    opened = open_html(page)
    figures["paint_seconds"] = opened["paint_seconds"]
    figures["html_open_seconds"] = opened["open_seconds"]
    shutil.rmtree(folder, ignore_errors=True)  # a 16x input is large: one scale on disk at once
    return figures


def _cell(value: float | None, unit: str = "") -> str:
    return "—" if value is None else f"{value:g}{unit}"


def table(rows: Sequence[dict[str, Any]]) -> str:
    """Lay out the measured scales as a Markdown table, with the linearity of build time."""
    lines = [
        "| scale | runs | build s | CPU s | CPU s / 1x | peak RSS | HTML | paint s | load s "
        "| builds |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    one = next((r["cpu_seconds"] for r in rows if r["scale"] == 1), None)
    for r in rows:
        ratio = f"{r['cpu_seconds'] / one:.1f}" if one else "—"
        lines.append(
            f"| {r['scale']}x | {r['runs_bytes'] / 1e6:.1f} MB | {r['seconds']:.2f} "
            f"| {r['cpu_seconds']:.2f} | {ratio} | {r['peak_mib']:.0f} MiB "
            f"| {r['html_bytes'] / 1e6:.1f} MB | {_cell(r['paint_seconds'])} "
            f"| {_cell(r['html_open_seconds'])} | {r['builds']} |"
        )
    return "\n".join(lines)


def measure(
    quick: bool,
    repeat: int,
    sources: Sequence[Path] | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Measure the report at each scale; JSON-ready, with the table under ``markdown``."""
    sources = list(sources) if sources is not None else default_sources()
    progress = progress or (lambda line: print(line, file=sys.stderr, flush=True))
    work = Path(tempfile.mkdtemp(prefix="ddbmatrix-scale-"))
    try:
        rows = [_scale(k, sources, work, repeat, progress) for k in SCALES[int(quick)]]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    names = sorted({p.name for p in sources})
    note = (
        f"From {len(sources)} run files ({', '.join(names)}), every test cloned k times "
        "(benchmarks/report_scale.py). Build figures are the median of `builds` builds in a "
        "fresh process; CPU s / 1x is k where build time is linear. Paint and load: the HTML "
        "opened once in headless Chromium (— without Chromium or playwright)."
    )
    return {"scales": rows, "markdown": note + "\n\n" + table(rows)}
