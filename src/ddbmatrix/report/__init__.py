"""Build the divergence report from run files, in every format, from one data dict.

``build_report`` loads and checks the runs (:mod:`ddbmatrix.inputs`), compares them (with a
recorded reference if one is given), marks divergences against a baseline if one is given,
and writes ``divergence.md``, ``divergence.html``, ``divergence.json`` and one JUnit file
per backend, all or nothing (:mod:`ddbmatrix.report.output`). Each renderer lives in its
own module and reads only the data dict (:mod:`ddbmatrix.report.data`), so every format
shows the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ddbmatrix.compare import compare, load_runs
from ddbmatrix.inputs import check_inputs
from ddbmatrix.reference import load_reference
from ddbmatrix.report.baseline import (
    apply_baseline,
    load_baseline,
    new_divergences,
    render_baseline,
)
from ddbmatrix.report.data import report_data
from ddbmatrix.report.html import render_html
from ddbmatrix.report.json import json_chunks
from ddbmatrix.report.junit import render_junit
from ddbmatrix.report.markdown import markdown_chunks
from ddbmatrix.report.output import Text, write_all
from ddbmatrix.runfile import Run
from ddbmatrix.shards import merge_shards

__all__ = ["ReportOptions", "ReportResult", "build_report"]


@dataclass(frozen=True)
class ReportOptions:
    out: Path = Path("reports")
    #: Write only the summary (matrix, classes, baseline changes) to divergence.md.
    summary_only: bool = False
    baseline: Path | None = None
    save_baseline: Path | None = None
    #: Where the JUnit files go (default: ``out/junit``).
    junit_dir: Path | None = None
    #: Link template for test locations in the HTML, with ``{path}`` and ``{line}``.
    source_url: str | None = None
    #: A recorded run file taken as right for the tests it covers (``--reference``).
    reference: Path | None = None


@dataclass
class ReportResult:
    data: dict[str, Any]
    written: list[Path] = field(default_factory=list)
    #: The runs the report was built from (the console summary counts their outcomes).
    runs: list[Run] = field(default_factory=list)

    @property
    def new(self) -> list[dict[str, Any]]:
        """Divergences not in the baseline (none when no baseline was given)."""
        return new_divergences(self.data) if self.data["baseline"] is not None else []


def build_report(paths: Sequence[Path], options: ReportOptions | None = None) -> ReportResult:
    """Compare the run files and write every format of the report, all or nothing."""
    options = options or ReportOptions()
    # Each run is observed as it is loaded, and its raw calls dropped before the next is read.
    runs, shard_warnings = merge_shards(load_runs(paths, observed=True))
    reference = load_reference(options.reference, runs) if options.reference else None
    warnings = [*shard_warnings, *check_inputs(runs, reference)]
    # After the comparison, the runs serve only the console summary's counts of outcomes.
    data = report_data(compare(runs, reference, release=True), warnings, packed=True)
    baseline = load_baseline(options.baseline) if options.baseline is not None else None
    if baseline is not None:
        apply_baseline(data, baseline)
    out = options.out
    junit_dir = options.junit_dir or out / "junit"
    files: dict[Path, Text] = {
        out / "divergence.md": markdown_chunks(data, options.summary_only),
        out / "divergence.html": render_html(data, out, options.source_url),
        out / "divergence.json": json_chunks(data),  # written as it is laid out
    }
    for backend in data["backends"]:
        files[junit_dir / f"{backend['name']}.xml"] = render_junit(data, backend["name"])
    if options.save_baseline is not None:
        files[options.save_baseline] = render_baseline(data, baseline)
    return ReportResult(data, write_all(files, [junit_dir]), runs=runs)
