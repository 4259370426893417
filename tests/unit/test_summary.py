"""The summary block a run ends with."""

from __future__ import annotations

from pathlib import Path

from ddbmatrix.summary import NEW_LIMIT, backend_line, headline, report_summary, tally


def _records(*outcomes, **fields):
    return [{"outcome": outcome, **fields} for outcome in outcomes]


def test_tally_counts_what_failed_and_what_broke():
    records = [
        *_records("passed", "passed", "xpassed", "failed", "raised", "error", "skipped"),
        *_records("error", backend_failure="crashed"),
        *_records("interrupted", "xfailed"),
    ]
    assert tally(records) == {
        "passed": 2,
        "failed": 4,
        "broken": 2,
        "skipped": 1,
        "xfailed": 1,
    }


def test_a_backend_line_has_counts_and_the_run_file():
    line = backend_line("moto", "5.2.5", _records("passed", "failed", "skipped"), "runs/moto.json")
    assert line.split() == [
        "moto",
        "5.2.5",
        "1",
        "passed,",
        "1",
        "failed,",
        "0",
        "broken,",
        "1",
        "skipped",
        "runs/moto.json",
    ]
    assert "? " in backend_line("x", None, [], "x.json")


def _data(divergences=(), baseline=None, **extra):
    return {
        "backends": [
            {"name": "x", "version": "1", "status": "ok"},
            {"name": "y", "version": "2", "status": "broken"},
        ],
        "summary": {"tests": 9, "compared": 8, "divergent": len(divergences)},
        "divergences": list(divergences),
        "baseline": baseline,
        **extra,
    }


def test_the_headline_counts_divergences_and_names_broken_backends():
    assert headline(_data([{"key": "a"}])) == [
        "1 of 8 tests compared diverge",
        "broken: y (see the report's 'Broken backends')",
    ]


def test_the_headline_leads_with_root_causes_when_the_report_has_them():
    # Ranked by severity first: the largest is named, wherever it stands.
    causes = [
        {"sentence": "moto answers HTTP 500 to Query", "tests": ["a"]},
        {"sentence": "moto adds WarmThroughput", "tests": ["a", "b"]},
    ]
    assert headline(_data(root_causes=causes))[:2] == [
        "0 of 8 tests compared diverge",
        "2 root causes; the largest: moto adds WarmThroughput (2 tests)",
    ]


def test_the_headline_splits_behaviour_from_wording():
    data = _data(root_causes=[{"sentence": "s", "tests": ["a"]}])
    data["summary"] |= {
        "behaviour": 3,
        "wording_only": 1,
        "informational": 2,
        "not_compared": 0,
        "behaviour_causes": 4,
        "wording_families": 1,
    }
    assert headline(data)[:2] == [
        "0 of 8 tests compared diverge: 3 in behaviour, 1 in wording only "
        "(2 informational, 0 not compared)",
        "1 root causes (4 of behaviour, 1 wording families); the largest: s (1 tests)",
    ]


def test_new_divergences_are_named_up_to_a_limit():
    new = [{"key": f"t{i}", "status": "new"} for i in range(NEW_LIMIT + 3)]
    baseline = {"new": len(new), "known": 1, "gone": [{}]}
    lines = headline(_data([*new, {"key": "old", "status": "known"}], baseline))
    assert lines[2] == f"since the baseline: {NEW_LIMIT + 3} new, 1 known, 1 gone"
    assert lines[3:-1] == [f"  new: t{i}" for i in range(NEW_LIMIT)]
    assert lines[-1] == "  ... and 3 more new (see divergence.md)"


def test_the_block_ends_with_the_report_as_a_clickable_url(tmp_path):
    runs = [(Path("runs/x.json"), {"backend": "x", "tests": _records("passed")})]
    lines = report_summary(_data(), runs, tmp_path / "divergence.html")
    assert lines[0] == "ddbmatrix: 2 backends, 9 tests"
    assert lines[1].split()[:2] == ["x", "1"]
    assert lines[-1] == f"report: file://{tmp_path}/divergence.html"
