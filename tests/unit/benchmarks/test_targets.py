from __future__ import annotations

from benchmarks.targets import check


def _bench(**sections):
    return {"backends": ["dynalite", "dynamodb-local"], "sections": sections}


def test_unmeasured_targets_are_never_met():
    targets = check(_bench())
    assert targets
    assert all(t.measured is None for t in targets)
    assert all(t.met is None for t in targets)


def test_limits_apply_in_their_direction():
    bench = _bench(
        suite={"dynalite": {"ratios": {"ddbmatrix / replay boto3": {"ratio": 1.08}}}},
        matrix={"ratios": {"-n 0 / -n 2 (speed-up)": {"ratio": 1.5}}},
        startup={
            "samples": {
                "dynalite.seconds": {"median": 0.61},
                "dynamodb-local.seconds": {"median": 0.79},
            }
        },
    )
    met = {t.name: t.met for t in check(bench)}
    assert met["harness over the raw replay of the same calls, dynalite, -n 0"] is True
    assert met["-n 2 over -n 0 on the matrix (speed-up)"] is False
    assert met["dynalite cold start (median)"] is False
    assert met["dynamodb-local cold start (median)"] is True


def test_growth_is_judged_by_its_worst_size():
    bench = _bench(
        growth={
            "samples": {"100": {}, "400": {}, "1300": {}},
            "ratios": {"400 / 100 tests": {"ratio": 1.2}, "1300 / 100 tests": {"ratio": 1.05}},
        }
    )
    [growth] = [t for t in check(bench) if t.name.startswith("per-test cost")]
    assert (growth.name, growth.measured, growth.met) == (
        "per-test cost from 100 to 1300 tests",
        1.2,
        False,
    )


def test_the_report_is_judged_by_cpu_per_megabyte_and_its_largest_peak():
    def row(scale, cpu, mb, peak):
        return {"scale": scale, "cpu_seconds": cpu, "runs_bytes": mb * 1e6, "peak_mib": peak}

    bench = _bench(
        scale={"scales": [row(1, 10.0, 30, 120), row(4, 44, 120, 300), row(16, 192, 480, 968)]}
    )
    found = {t.name: t for t in check(bench)}
    linear = found["report CPU time per MB of run files, 16x over 1x (linear)"]
    assert round(linear.measured, 2) == 1.2
    assert linear.met is False
    peak = found["report peak memory at 16x"]
    assert (peak.measured, peak.met) == (968, True)


def test_a_report_measured_at_one_scale_only_judges_nothing():
    bench = _bench(
        scale={"scales": [{"scale": 1, "cpu_seconds": 9.0, "runs_bytes": 3e7, "peak_mib": 99}]}
    )
    assert all(t.measured is None for t in check(bench) if t.name.startswith("report "))


def test_the_harness_is_judged_without_the_suites_own_sleeps_when_they_were_kept_apart():
    ratios = {
        "ddbmatrix / replay boto3": {"ratio": 1.4},
        "ddbmatrix less the suite's own sleeps / replay boto3": {"ratio": 1.08},
    }
    bench = _bench(
        suite={
            "dynalite": {"ratios": ratios},
            "dynamodb-local": {"ratios": {"ddbmatrix / replay boto3": {"ratio": 1.2}}},
        }
    )
    found = {t.name: t.measured for t in check(bench)}
    assert found["harness over the raw replay of the same calls, dynalite, -n 0"] == 1.08
    # A run from before the split has only the whole test's time.
    assert found["harness over the raw replay of the same calls, dynamodb-local, -n 0"] == 1.2
