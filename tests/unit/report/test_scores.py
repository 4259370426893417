from __future__ import annotations

from ddbmatrix.compare import compare, load_runs
from ddbmatrix.report.scores import scores
from tests.unit.factories import make_record


def test_backends_are_scored_against_the_side_taken_as_right(sample_data):
    overall = {b: s["overall"] for b, s in sample_data["scores"].items()}
    assert overall["moto"] == {
        "run": 6,
        "broken": 1,
        "compared": 5,
        "agree": 3,
        "diverge": 2,
        "unsupported": 0,
        "compatibility": 60.0,
    }
    assert overall["dynalite"]["unsupported"] == 1
    assert overall["dynalite"]["compatibility"] == 83.3
    assert overall["dynamodb-local"]["agree"] == 5


def test_each_area_is_scored_on_its_own(sample_data):
    moto = sample_data["scores"]["moto"]["areas"]
    assert moto["scan"]["broken"] == 1
    assert (moto["scan"]["agree"], moto["scan"]["compared"]) == (0, 1)
    assert moto["items"]["compatibility"] == 50.0


def test_a_test_on_one_backend_only_is_run_but_not_compared(write_runs):
    runs = {
        "x": [make_record("t.py::a", "x")],
        "y": [make_record("t.py::a", "y", "skipped")],
    }
    x = scores(compare(load_runs(write_runs(runs))))["x"]["overall"]
    assert (x["run"], x["compared"], x["compatibility"]) == (1, 0, None)
