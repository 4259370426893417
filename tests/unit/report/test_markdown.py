from __future__ import annotations

import copy

from ddbmatrix.report.markdown import render_markdown


def _section(markdown: str, title: str) -> str:
    return markdown.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_root_causes_come_first_then_scores_then_each_test(sample_data):
    markdown = render_markdown(sample_data)
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Root causes",
        "## Scores",
        "## Compatibility by area",
        "## Root causes by area",
        "## Divergent tests",
        "## Informational (shown, never counted)",
        "## Broken backends",
        "## Legend",
    ]
    matrix = _section(markdown, "Compatibility by area")
    assert "| area | dynalite | dynamodb-local | moto |" in matrix
    assert "| scan | 3/3 | 3/3 | 1/2 |" in matrix
    assert "| **overall** | **85.7%** | **100.0%** | **66.7%** |" in matrix


def test_each_root_cause_is_one_sentence_with_links_to_its_tests(sample_data):
    causes = _section(render_markdown(sample_data), "Root causes")
    first = next(line for line in causes.splitlines() if line.startswith("1. "))
    assert first.startswith("1. dynalite does not implement GetItem (UnknownOperationException)")
    number = next(d for d in sample_data["divergences"] if d["test"].endswith("test_number"))
    assert f"[`test_number`](#{number['id']})" in causes
    assert "Wording only (not behaviour; counted apart):" in causes
    assert (
        "dynamodb-local words ValidationException messages otherwise than dynalite, moto" in causes
    )


def test_the_scores_count_wording_in_its_own_column(sample_data):
    scores = _section(render_markdown(sample_data), "Scores")
    assert "| backend | compared | agree | behaviour differs | wording only |" in scores
    assert "| dynamodb-local | 7 | 6 | 0 | 1 | 0 | 0 | 0 | **100.0%** |" in scores


def test_a_divergence_shows_the_decisive_call_first(sample_data):
    divergences = _section(render_markdown(sample_data), "Divergent tests")
    number = divergences.split("**`test_number`**", 1)[1].split("**`", 1)[0]
    assert "result content differs" in number
    assert "| | dynalite, dynamodb-local (reference) | moto |" in number.replace("|  |", "| |")
    assert "| decisive call | #1 GetItem | #1 GetItem |" in number
    assert 'response (differing fields) | `{"Item":{"n":{"N":"1.5"}}}`' in number
    assert "failed: assert '01.500' == '1.5'" in number


def test_the_summary_form_is_short_and_has_no_details(sample_data):
    summary = render_markdown(sample_data, summary_only=True)
    assert "## Divergent tests" not in summary
    assert "## Root causes" in summary
    assert "**moto is broken** (crashed): tests left out of the comparison: 1." in summary
    assert "](#d-" not in summary  # no links to sections the summary leaves out
    assert "commit abc" in summary
    assert len(summary) < 4000


def test_the_summary_stays_short_for_a_large_suite(sample_data):
    data = copy.deepcopy(sample_data)
    data["divergences"] = data["divergences"] * 500
    data["causes"] = data["causes"] * 200
    data["areas"] = [f"area{i}" for i in range(30)]
    assert len(render_markdown(data, summary_only=True)) < 20_000


def test_an_unknown_commit_is_said_so_never_none(sample_data):
    data = copy.deepcopy(sample_data)
    for backend in data["backends"]:
        backend["commit"] = None
    markdown = render_markdown(data)
    assert "commit unknown" in markdown
    assert "None" not in markdown


def test_new_and_gone_divergences_are_named_with_a_baseline(sample_data):
    data = copy.deepcopy(sample_data)
    data["divergences"][0]["status"] = "new"
    gone = {"key": "k", "test": "tests/compat/test_x.py::test_fixed", "classes": ["shape"]}
    data["baseline"] = {
        "backends": {},
        "version_changes": {"moto": ["5.2.5", "5.2.6"]},
        "known": 3,
        "new": 1,
        "gone": [gone],
    }
    summary = render_markdown(data, summary_only=True)
    assert "(moto 5.2.5 → 5.2.6): **1 new**, 3 known, 1 gone" in summary
    assert f"`{data['divergences'][0]['test']}`" in _section(summary, "New since the baseline")
    assert "`tests/compat/test_x.py::test_fixed`: response shape differs" in summary


def test_the_legend_lists_classes_rules_with_sources_and_transformers(sample_data):
    legend = _section(render_markdown(sample_data), "Legend")
    for transformer in sample_data["legend"]["transformers"]:
        assert f"**{transformer['name']}**" in legend
    assert "**scan-order** (informational)" in legend
    assert (
        "(https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html)" in legend
    )
    assert "**message wording differs**: both rejected" in legend


def test_the_pieces_are_the_text_a_divergence_at_a_time(sample_data):
    from ddbmatrix.report.markdown import markdown_chunks

    for summary_only in (False, True):
        pieces = list(markdown_chunks(sample_data, summary_only))
        assert "".join(pieces) == render_markdown(sample_data, summary_only)
        assert all(piece.endswith("\n") for piece in pieces)
    assert len(list(markdown_chunks(sample_data))) > len(sample_data["divergences"])
