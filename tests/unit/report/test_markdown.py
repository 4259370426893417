from __future__ import annotations

import copy

from ddbmatrix.report.markdown import render_markdown


def _section(markdown: str, title: str) -> str:
    return markdown.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_the_matrix_comes_first_then_each_divergence(sample_data):
    markdown = render_markdown(sample_data)
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Compatibility by area",
        "## Divergences by class",
        "## Divergent tests",
        "## Broken backends",
        "## Legend",
    ]
    matrix = _section(markdown, "Compatibility by area")
    assert "| area | dynalite | dynamodb-local | moto |" in matrix
    assert "| scan | 2/2 | 2/2 | 0/1 |" in matrix
    assert "| **overall** | **83.3%** | **83.3%** | **60.0%** |" in matrix


def test_a_divergence_shows_class_split_and_the_differing_call(sample_data):
    divergences = _section(render_markdown(sample_data), "Divergent tests")
    number = divergences.split("**`test_number`**", 1)[1].split("**`", 1)[0]
    assert "result content differs" in number
    assert "| | dynalite, dynamodb-local (reference) | moto |" in number.replace("|  |", "| |")
    assert 'response (differing fields) | `{"Item":{"n":{"N":"1.5"}}}`' in number
    assert "failed: assert '01.500' == '1.5'" in number


def test_the_summary_form_is_short_and_has_no_details(sample_data):
    summary = render_markdown(sample_data, summary_only=True)
    assert "## Divergent tests" not in summary
    assert "## Compatibility by area" in summary
    assert "**moto is broken** (crashed): tests left out of the comparison: 1." in summary
    assert len(summary) < 3000


def test_the_summary_stays_short_for_a_large_suite(sample_data):
    data = copy.deepcopy(sample_data)
    data["divergences"] = data["divergences"] * 500
    data["areas"] = [f"area{i}" for i in range(30)]
    assert len(render_markdown(data, summary_only=True)) < 10_000


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


def test_the_legend_lists_every_transformer(sample_data):
    legend = _section(render_markdown(sample_data), "Legend")
    for transformer in sample_data["legend"]["transformers"]:
        assert f"**{transformer['name']}**" in legend
