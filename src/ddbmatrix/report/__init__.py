"""Build the divergence report from run files: Markdown for people, JSON for machines."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from ddbmatrix.compare import compare, load_runs
from ddbmatrix.report.data import report_data
from ddbmatrix.report.markdown import render_markdown

__all__ = ["build_report"]


def build_report(paths: Sequence[Path], out: Path, summary_only: bool = False) -> list[Path]:
    """Compare the run files and write ``divergence.md`` and ``divergence.json`` in ``out``."""
    data = report_data(compare(load_runs(paths)))
    out.mkdir(parents=True, exist_ok=True)
    markdown = out / "divergence.md"
    markdown.write_text(render_markdown(data, summary_only=summary_only))
    as_json = out / "divergence.json"
    as_json.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    return [markdown, as_json]
