from __future__ import annotations

from benchmarks.timing import Sample, interleave, ratio


def test_variants_run_once_a_round_in_a_rotating_order():
    order: list[str] = []
    variants = {name: (lambda name=name: order.append(name) or {"": 1.0}) for name in "abc"}
    samples = interleave(variants, 3)
    assert order == ["a", "b", "c", "b", "c", "a", "c", "a", "b"]
    assert {key: s.runs for key, s in samples.items()} == {k: (1.0,) * 3 for k in "abc"}


def test_named_figures_get_their_own_samples():
    samples = interleave({"run": lambda: {"wall": 2.0, "per_test": 0.5}}, 5)
    assert samples["run.wall"].median == 2.0
    assert samples["run.per_test"].to_json() == {
        "median": 0.5,
        "min": 0.5,
        "max": 0.5,
        "runs": [0.5] * 5,
    }


def test_a_ratio_is_of_medians_with_the_spread_of_the_rounds():
    ours, theirs = Sample((1.0, 2.0, 3.0)), Sample((2.0, 2.0, 2.0))
    assert ratio(ours, theirs) == {"ratio": 1.0, "min": 0.5, "max": 1.5}
