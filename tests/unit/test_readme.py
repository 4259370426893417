"""README.md's report excerpt: generated from a report, and in step with the baseline."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

from ddbmatrix.compare import compare, load_runs
from ddbmatrix.report.data import report_data
from tests.unit.factories import sample_runs

ROOT = Path(__file__).parents[2]
_SPEC = importlib.util.spec_from_file_location(
    "readme_excerpt", ROOT / "docs" / "readme_excerpt.py"
)
readme_excerpt = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(readme_excerpt)
STALE = "README.md's report excerpt is stale: run `nox -s all-backends`, then `nox -s readme`"


def excerpt_of(text: str) -> str:
    start, end = text.index(readme_excerpt.START), text.index(readme_excerpt.END)
    return text[start:end]


def figures(excerpt: str) -> dict:
    """Return the versions, the divergent count and the example test the excerpt shows."""
    versions_line = next(line for line in excerpt.splitlines() if line.startswith("> **"))
    return {
        "versions": dict(re.findall(r"\*\*([\w.-]+)\*\* ([^\s·]+)", versions_line)),
        "divergent": int(re.search(r"\*\*(\d+) divergent\*\*", excerpt).group(1)),
        "example": re.search(r"> \*\*`([^`]+)`\*\* · .* · `([^`:]+):\d+`", excerpt).groups(),
    }


def test_the_readme_excerpt_has_the_committed_baselines_figures():
    shown = figures(excerpt_of((ROOT / "README.md").read_text()))
    baseline = json.loads((ROOT / "reports" / "baseline.json").read_text())
    tests = {entry["test"] for entry in baseline["divergences"]}
    assert shown["versions"] == baseline["backends"], STALE
    assert shown["divergent"] == len(tests), STALE
    name, path = shown["example"]
    assert f"{path}::{name}" in tests, STALE


def test_the_excerpt_is_generated_from_a_report_and_replaces_the_old_one(write_runs, tmp_path):
    data = report_data(compare(load_runs(write_runs(sample_runs()))))
    report = tmp_path / "divergence.json"
    report.write_text(json.dumps(data))
    readme = tmp_path / "README.md"
    old = f"{readme_excerpt.START}\nold figures\n{readme_excerpt.END}"
    readme.write_text(f"# Title\n\n{old}\n\nThe rest.\n")
    assert readme_excerpt.main([str(report), "--readme", str(readme)]) == 0
    text = readme.read_text()
    assert text.startswith("# Title\n\n")
    assert text.endswith("\n\nThe rest.\n")
    assert "old figures" not in text
    shown = figures(excerpt_of(text))
    assert shown["versions"] == {b["name"]: b["version"] for b in data["backends"]}
    assert shown["divergent"] == data["summary"]["divergent"]
    name, path = shown["example"]
    assert f"{path}::{name}" in {d["test"] for d in data["divergences"]}
    for area in data["areas"]:
        assert f"> | {area} | " in text
    # Generating again from the same report changes nothing.
    assert readme_excerpt.main([str(report), "--readme", str(readme)]) == 0
    assert readme.read_text() == text


def test_a_missing_report_says_which_session_makes_it(tmp_path, capsys):
    assert readme_excerpt.main([str(tmp_path / "none.json"), "--readme", str(tmp_path)]) == 2
    assert "run `nox -s all-backends` first" in capsys.readouterr().err
