from __future__ import annotations

from ddbmatrix.compare import compare, load_runs
from ddbmatrix.report.scores import scores, verdicts
from tests.unit.factories import make_call, make_record


def test_backends_are_scored_on_behaviour_with_wording_apart(sample_data):
    overall = {b: s["overall"] for b, s in sample_data["scores"].items()}
    assert overall["moto"] == {
        "run": 7,
        "compared": 6,
        "agree": 4,
        "wording": 0,
        "diverge": 2,
        "unsupported": 0,
        "broken": 1,
        "not_compared": 0,
        "compatibility": 66.7,
    }
    assert overall["dynalite"]["unsupported"] == 1
    assert overall["dynalite"]["compatibility"] == 85.7
    # Its only difference is wording: 100 % in behaviour, and the wording counted apart.
    local = overall["dynamodb-local"]
    assert (local["wording"], local["diverge"], local["compatibility"]) == (1, 0, 100.0)


def test_each_area_is_scored_on_its_own(sample_data):
    moto = sample_data["scores"]["moto"]["areas"]
    assert moto["scan"]["broken"] == 1
    assert (moto["scan"]["agree"], moto["scan"]["compared"]) == (1, 2)
    assert moto["items"]["compatibility"] == 50.0


def test_a_test_on_one_backend_only_is_run_but_not_compared(write_runs):
    runs = {
        "x": [make_record("t.py::a", "x", calls=[make_call()])],
        "y": [make_record("t.py::a", "y", "skipped")],
    }
    comparison = compare(load_runs(write_runs(runs)))
    x = scores(comparison, verdicts(comparison))["x"]["overall"]
    assert (x["run"], x["compared"], x["compatibility"]) == (1, 0, None)


def test_a_setup_error_everywhere_is_not_agreement(write_runs):
    # The case: a backend that cannot run an area's tests scored 77 % instead of 14 %.
    ok = make_call()
    runs = {
        "x": [make_record(f"t.py::t{i}", "x", calls=[ok]) for i in range(7)],
        "y": [make_record("t.py::t0", "y", calls=[ok])]
        + [make_record(f"t.py::t{i}", "y", "error", phase="setup") for i in range(1, 7)],
        "z": [make_record("t.py::t0", "z", calls=[ok])]
        + [make_record(f"t.py::t{i}", "z", "error", phase="setup") for i in range(1, 7)],
    }
    comparison = compare(load_runs(write_runs(runs)))
    scored = scores(comparison, verdicts(comparison))
    assert scored["x"]["overall"]["compatibility"] == 100.0
    y = scored["y"]["overall"]
    assert (y["agree"], y["diverge"], y["compatibility"]) == (1, 6, 14.3)
