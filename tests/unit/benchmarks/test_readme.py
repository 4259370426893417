"""README's Performance section is generated from the committed reports/bench.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from benchmarks.output import README_END, markdown, readme_section, replace_section

ROOT = Path(__file__).resolve().parents[3]


def test_readme_section_matches_reports_bench_json():
    bench_json = ROOT / "reports" / "bench.json"
    if not bench_json.is_file():
        pytest.skip("no reports/bench.json yet: run `nox -s bench`")
    readme = (ROOT / "README.md").read_text()
    section = readme_section(json.loads(bench_json.read_text()))
    assert section in readme, "README is stale: run `nox -s bench -- --readme`"


def test_the_section_is_replaced_in_place_or_added_once():
    added = replace_section("# Title\n\ntext\n", "<!-- bench:start x -->\nold\n" + README_END)
    assert added.count("## Performance") == 1
    replaced = replace_section(added, "<!-- bench:start y -->\nnew\n" + README_END)
    assert "new" in replaced
    assert "old" not in replaced
    assert replaced.count("## Performance") == 1


def test_the_header_names_each_section_kept_from_an_earlier_run():
    machine = {"cores": 2, "physical_cores": 2, "platform": "Linux x86_64", "python": "3.11"}
    machine |= {"boto3": "1", "load_before": 0.5, "load_after": 1.0}
    bench = {"date": "2026-12-03T13:00:00+00:00", "mode": "full", "repeat": 5}
    bench |= {"machine": machine, "versions": {}, "backends": [], "sections": {}}
    kept = {**bench, "kept": {"scale": "2026-12-01T09:30:00+00:00"}}
    header = markdown(kept).splitlines()[2]
    assert header.endswith("kept from an earlier run (--merge): scale at 2026-12-01 09:30 UTC.")
    assert "kept from" not in markdown(bench).splitlines()[2]
