from __future__ import annotations

import json

from ddbmatrix.compare import compare, load_runs
from ddbmatrix.report.data import REPORT_SCHEMA, divergence_id, report_data
from tests.unit.factories import make_call, make_record

#: Per-run details that differ between two runs of the same commit.
VOLATILE = {"started_at", "finished_at", "argv", "duration", "exit_status", "nodeid", "file"}


def _keys(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


def test_summary_counts_compared_agreeing_and_divergent_tests(sample_data):
    assert sample_data["schema"] == REPORT_SCHEMA
    assert sample_data["summary"] == {
        "tests": 6,
        "compared": 6,
        "agreeing": 2,
        "divergent": 4,
        "by_class": {"unsupported": 1, "error-message": 1, "order": 1, "content": 1},
        "broken": 1,
    }
    assert sample_data["areas"] == ["items", "query", "scan"]


def test_each_divergence_has_its_class_groups_and_verdict(sample_data):
    by_test = {d["test"].split("::")[1]: d for d in sample_data["divergences"]}
    number = by_test["test_number"]
    assert number["classes"] == ["content"]
    assert [g["backends"] for g in number["groups"]] == [["dynalite", "dynamodb-local"], ["moto"]]
    assert number["basis"] == "assertions"
    assert number["verdict"] == (
        "the suite's assertions hold on dynalite, dynamodb-local and fail on moto"
    )
    assert number["location"] == {"path": "tests/compat/test_items.py", "line": 1}
    assert number["id"] == divergence_id(number["key"])
    assert by_test["test_wording"]["verdict"].endswith(
        "the majority (dynalite, moto) is the reference"
    )


def test_a_broken_backend_is_shown_with_its_incidents_not_as_a_divergence(sample_data):
    moto = sample_data["backends"][2]
    assert (moto["name"], moto["status"]) == ("moto", "broken")
    assert moto["broken_tests"] == {"tests/compat/test_scan.py::test_crash": "crashed"}
    assert moto["incidents"][0]["kind"] == "crashed"
    assert "tests/compat/test_scan.py::test_crash" not in {
        d["test"] for d in sample_data["divergences"]
    }
    results = sample_data["tests"]["tests/compat/test_scan.py::test_crash"]["results"]
    assert results["moto"] == {"outcome": "failed", "verdict": "broken"}


def test_nothing_that_varies_between_runs_is_in_the_data(sample_data):
    assert not VOLATILE & set(_keys(sample_data))
    assert "t0" not in json.dumps(sample_data)  # the runs' started_at


def test_with_aws_the_aws_group_is_the_reference_even_when_its_test_failed(write_runs):
    ok = make_call(response={"Count": 1})
    other = make_call(response={"Count": 2})
    runs = {
        "aws": [make_record("t.py::a", "aws", "failed", calls=[other])],
        "x": [make_record("t.py::a", "x", calls=[ok])],
        "y": [make_record("t.py::a", "y", "failed", calls=[other])],
    }
    data = report_data(compare(load_runs(write_runs(runs))))
    (divergence,) = data["divergences"]
    assert data["reference"] == "aws"
    assert [b["name"] for b in data["backends"]] == ["aws", "x", "y"]
    assert divergence["basis"] == "aws"
    assert divergence["verdict"] == "reference: real AWS, like y"
    assert data["scores"]["y"]["overall"]["agree"] == 1
    assert data["scores"]["x"]["overall"]["diverge"] == 1
