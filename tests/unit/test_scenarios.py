"""The report's verdict on every labelled scenario holds (tests/scenarios/labels.toml).

The scenarios were recorded on the five local backends (tests/scenarios/runs/, see
tests/scenarios/README.md) or, where real backends cannot produce them, synthesized
(tests/scenarios/synthetic.py). Their labels were written by hand before any verdict was
seen: divergent or not, the class, the odd side.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ddbmatrix.compare import Comparison, compare, load_runs
from ddbmatrix.runfile import load_run, write_run
from tests.scenarios import synthetic

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

SCENARIOS = Path(__file__).parents[1] / "scenarios"
LABELS = tomllib.loads((SCENARIOS / "labels.toml").read_text())
RECORDED = {name: label for name, label in LABELS.items() if name != "synthetic"}
SYNTHETIC = LABELS["synthetic"]
RECORDED_PREFIX = "tests/scenarios/test_scenarios.py::"


@pytest.fixture(scope="module")
def recorded() -> Comparison:
    return compare(load_runs(sorted((SCENARIOS / "runs").glob("*.json"))))


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory) -> Comparison:
    folder = tmp_path_factory.mktemp("synthetic")
    envelope = {"backend_version": "1", "versions": {}, "commit": None, "started_at": "t0"}
    paths = [
        write_run(folder / f"{backend}.json", {**envelope, "backend": backend}, records)
        for backend, records in synthetic.runs().items()
    ]
    reference = write_run(
        folder / "ref" / "aws.json", {**envelope, "backend": "aws"}, synthetic.reference()
    )
    return compare(load_runs(paths), load_run(reference))


def verdict(comparison: Comparison, test_id: str) -> dict[str, object]:
    """What the report says about one test, in the labels' terms."""
    divergence = next((d for d in comparison.divergences if d.test_id == test_id), None)
    informational = any(d.test_id == test_id for d in comparison.informational)
    said: dict[str, object] = {
        "divergent": divergence is not None,
        "informational": informational,
        "not_compared": test_id in comparison.not_compared,
        "left_out": {
            backend: reason
            for backend in comparison.tests[test_id]
            if (reason := comparison.left_out(test_id, backend)) is not None
        },
    }
    if divergence is not None:
        odd = sorted(
            b
            for g in divergence.groups
            if g.verdict in ("diverge", "unsupported")
            for b in g.backends
        )
        decisive = divergence.decisive
        said |= {
            "class": divergence.classes[0].key,
            "odd": "no reference" if divergence.reference is None else odd,
            "basis": divergence.basis,
            "decisive": decisive[1].operation if decisive else None,
        }
    return said


def _check(said: dict[str, object], label: dict[str, object]) -> None:
    expected = {key: value for key, value in label.items()}
    expected.setdefault("informational", False)
    expected.setdefault("not_compared", False)
    got = {key: said.get(key) for key in expected}
    if "left_out" not in label:
        assert said["left_out"] == {} or not said["divergent"], said
    assert got == expected


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_recorded_scenario(recorded, name):
    _check(verdict(recorded, RECORDED_PREFIX + name), RECORDED[name])


@pytest.mark.parametrize("name", sorted(SYNTHETIC))
def test_synthetic_scenario(synthesized, name):
    _check(verdict(synthesized, f"tests/scenarios/synthetic.py::{name}"), SYNTHETIC[name])


def test_the_labelled_set_is_large_and_complete(recorded):
    assert len(RECORDED) + len(SYNTHETIC) >= 40
    names = {test_id.removeprefix(RECORDED_PREFIX) for test_id in recorded.tests}
    assert names == set(RECORDED), "every recorded scenario has a label, and every label a run"
    assert set(SYNTHETIC) == set(synthetic.SCENARIOS)
    assert recorded.backends == ["dynalite", "dynamodb-local", "dynoxide", "ministack", "moto"]
