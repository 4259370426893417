from __future__ import annotations

import json

from ddbmatrix.compare import compare, load_runs
from ddbmatrix.report.data import REPORT_SCHEMA, REPORT_SCHEMA_VERSION, divergence_id, report_data
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


def test_summary_counts_behaviour_wording_informational_and_causes(sample_data):
    assert (sample_data["schema"], sample_data["schema_version"]) == (REPORT_SCHEMA, 2)
    assert REPORT_SCHEMA_VERSION == 2
    assert sample_data["summary"] == {
        "tests": 7,
        "compared": 7,
        "agreeing": 3,
        "divergent": 4,
        "behaviour": 3,
        "wording_only": 1,
        "informational": 1,
        "not_compared": 0,
        "by_class": {"unsupported": 1, "content": 1, "order": 1, "message": 1},
        "broken": 1,
        "root_causes": 4,
        "behaviour_causes": 3,
        "wording_families": 1,
        "wording_causes": 1,
    }
    assert sample_data["areas"] == ["items", "query", "scan"]


def test_each_divergence_has_its_class_groups_verdict_and_causes(sample_data):
    by_test = {d["test"].split("::")[1]: d for d in sample_data["divergences"]}
    number = by_test["test_number"]
    assert number["classes"] == ["content"]
    assert [g["backends"] for g in number["groups"]] == [["dynalite", "dynamodb-local"], ["moto"]]
    assert [g["verdict"] for g in number["groups"]] == ["agree", "diverge"]
    assert number["basis"] == "assertions"
    assert number["verdict"] == (
        "an assertion failed on moto and held on dynalite, dynamodb-local: "
        "the passing side is right"
    )
    assert number["location"] == {"path": "tests/compat/test_items.py", "line": 1}
    assert number["id"] == divergence_id(number["key"])
    assert number["decisive"] == {
        "group": 1,
        "class": "content",
        "operation": "GetItem",
        "positions": [0, 0],
    }
    (cause,) = [c for c in sample_data["causes"] if c["id"] in number["causes"]]
    assert cause["sentence"] == (
        "moto returns other values in GetItem `Item.n.N` than dynalite, dynamodb-local"
    )
    partiql = by_test["test_partiql"]
    assert partiql["basis"] == "majority"
    assert partiql["verdict"].startswith(
        "no assertion decides (dynalite raised ClientError UnknownOperationException)"
    )
    wording = by_test["test_wording"]
    assert wording["wording_only"]
    assert [g["verdict"] for g in wording["groups"]] == ["agree", "wording"]


def test_scan_order_is_informational_with_its_cause(sample_data):
    (entry,) = sample_data["informational"]
    assert entry["test"].endswith("::test_scan_order")
    (cause,) = [c for c in sample_data["causes"] if c["id"] in entry["causes"]]
    assert cause["informational"]
    assert cause["sentence"].endswith(
        "returns Scan `Items` in another order than dynamodb-local, moto"
    )
    results = sample_data["tests"][entry["test"]]["results"]
    assert {r["verdict"] for r in results.values()} == {"agree"}


def test_the_legend_lists_every_unspecified_rule_with_its_source(sample_data):
    rules = {rule["name"]: rule for rule in sample_data["legend"]["unspecified"]}
    assert set(rules) == {"set-order", "batch-get-order", "scan-order"}
    for rule in rules.values():
        assert rule["source"].startswith("https://docs.aws.amazon.com/amazondynamodb/")
        assert rule["quote"]


def test_a_broken_backend_is_shown_with_its_incidents_not_as_a_divergence(sample_data):
    moto = sample_data["backends"][2]
    assert (moto["name"], moto["status"]) == ("moto", "broken")
    assert moto["broken_tests"] == {"tests/compat/test_scan.py::test_crash": "crashed"}
    assert moto["incidents"][0]["kind"] == "crashed"
    assert "tests/compat/test_scan.py::test_crash" not in {
        d["test"] for d in sample_data["divergences"]
    }
    results = sample_data["tests"]["tests/compat/test_scan.py::test_crash"]["results"]
    assert results["moto"] == {"outcome": "raised", "verdict": "broken"}


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
    assert data["reference"]["backend"] == "aws"
    assert not data["reference"]["recorded"]
    assert [b["name"] for b in data["backends"]] == ["aws", "x", "y"]
    assert divergence["basis"] == "reference"
    assert divergence["verdict"] == "reference: aws, like y"
    assert data["scores"]["y"]["overall"]["agree"] == 1
    assert data["scores"]["x"]["overall"]["diverge"] == 1


def test_not_compared_tests_are_listed_and_never_agree(write_runs):
    runs = {
        b: [make_record("t.py::a", b, "error", phase="setup", message="boom")] for b in ("x", "y")
    }
    data = report_data(compare(load_runs(write_runs(runs))))
    assert data["not_compared"] == [
        {"test": "t.py::a", "reason": "errored before any DynamoDB call on every backend"}
    ]
    assert data["scores"]["x"]["overall"]["agree"] == 0
    assert data["scores"]["x"]["overall"]["not_compared"] == 1
    assert data["scores"]["x"]["overall"]["compatibility"] is None
    assert data["summary"]["compared"] == 0


def test_a_misrouted_call_is_an_incident(write_runs):
    wrong = {**make_call(), "endpoint": "http://127.0.0.1:4567", "served_by": "y"}
    runs = {
        "x": [make_record("t.py::a", "x", calls=[wrong])],
        "y": [make_record("t.py::a", "y", calls=[make_call()])],
    }
    data = report_data(compare(load_runs(write_runs(runs))))
    (incident,) = data["incidents"]
    assert incident["kind"] == "misrouted"
    assert incident["message"] == (
        "t.py::a on x: call #1 GetItem reached y's server; the test is left out of the "
        "comparison for x"
    )
    assert data["tests"]["t.py::a"]["results"]["x"]["verdict"] == "misrouted"
