"""Align run files test by test and call by call, and find where backends diverge.

For each test, every backend's observation (outcome plus normalized calls) is reduced to a
signature; backends with equal signatures form a group. A test with more than one group is a
divergence. The reference group is the one holding ``aws`` when an AWS run is present;
otherwise the largest group, ties going to the group whose test passed (the side the suite's
assertions support). Each other group's difference from the reference is classified at the
first call where they part.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ddbmatrix.classify import DiffClass, classify
from ddbmatrix.errors import RunFileError
from ddbmatrix.normalize import Context, error_free_body, normalize, normalize_text
from ddbmatrix.runfile import Run, load_run

__all__ = ["Comparison", "Divergence", "Group", "Observation", "compare", "load_runs"]

Json = Any
REFERENCE_BACKEND = "aws"
#: Outcomes in which the test's assertions held.
PASSING = frozenset({"passed", "xpassed"})


@dataclass(frozen=True)
class Observation:
    """One test on one backend, normalized."""

    backend: str
    outcome: str
    message: str | None
    calls: tuple[dict[str, Json], ...]

    @property
    def signature(self) -> str:
        return json.dumps([self.outcome, self.calls], sort_keys=True)


@dataclass
class Group:
    backends: list[str]
    observation: Observation
    #: Against the reference group: where the calls part (None: same calls) and how.
    first_difference: int | None = None
    diff_class: DiffClass | None = None

    @property
    def passed(self) -> bool:
        return self.observation.outcome in PASSING


@dataclass
class Divergence:
    test_id: str
    area: str
    location: list[Any]
    groups: list[Group]
    #: Index into ``groups`` of the reference (AWS, or the majority); None if no majority.
    reference: int | None

    @property
    def classes(self) -> list[DiffClass]:
        seen: dict[str, DiffClass] = {}
        for group in self.groups:
            if group.diff_class is not None:
                seen.setdefault(group.diff_class.key, group.diff_class)
        return list(seen.values())


@dataclass
class Comparison:
    runs: list[Run]
    backends: list[str]
    #: test id -> backend -> observation
    tests: dict[str, dict[str, Observation]]
    areas: dict[str, str]
    divergences: list[Divergence] = field(default_factory=list)

    @property
    def has_reference_run(self) -> bool:
        return REFERENCE_BACKEND in self.backends


def load_runs(paths: Sequence[Path]) -> list[Run]:
    """Load run files, refusing two runs of one backend (which would hide one of them)."""
    runs: list[Run] = []
    seen: dict[str, Path] = {}
    for path in paths:
        run = load_run(path)
        if run.backend in seen:
            raise RunFileError(
                f"{path} and {seen[run.backend]} are both runs of {run.backend!r}; "
                "pass one run per backend"
            )
        seen[run.backend] = path
        runs.append(run)
    return runs


def area_of(test_id: str) -> str:
    """Return the feature area of a test: its file name without ``test_`` and ``.py``."""
    path = test_id.split("::", 1)[0]
    return Path(path).stem.removeprefix("test_")


def observe(record: dict[str, Json]) -> Observation:
    ctx = Context(tables=record.get("tables") or {})
    calls = []
    for call in record.get("calls", []):
        error = call.get("error")
        calls.append(
            normalize(
                {
                    "operation": call["operation"],
                    "request": call.get("request"),
                    "status": call.get("status"),
                    "error": error,
                    "response": error_free_body(call.get("response"))
                    if error
                    else call.get("response"),
                },
                ctx,
            )
        )
    message = record.get("message")
    return Observation(
        backend=record["backend"],
        outcome=record["outcome"],
        message=normalize_text(message, ctx) if message else None,
        calls=tuple(calls),
    )


def _first_difference(a: Observation, b: Observation) -> int | None:
    for index in range(max(len(a.calls), len(b.calls))):
        call_a = a.calls[index] if index < len(a.calls) else None
        call_b = b.calls[index] if index < len(b.calls) else None
        if call_a != call_b:
            return index
    return None


def _reference(groups: list[Group]) -> int | None:
    for index, group in enumerate(groups):
        if REFERENCE_BACKEND in group.backends:
            return index
    ranked = sorted(
        range(len(groups)), key=lambda i: (len(groups[i].backends), groups[i].passed), reverse=True
    )
    best, runner_up = ranked[0], ranked[1] if len(ranked) > 1 else None
    if runner_up is not None and (len(groups[best].backends), groups[best].passed) == (
        len(groups[runner_up].backends),
        groups[runner_up].passed,
    ):
        return None
    return best


def _diverge(
    test_id: str, location: list[Any], observed: dict[str, Observation]
) -> Divergence | None:
    by_signature: dict[str, list[str]] = defaultdict(list)
    for backend, observation in observed.items():
        # A skipped test says nothing about the backend; it is left out, like a missing run.
        if observation.outcome != "skipped":
            by_signature[observation.signature].append(backend)
    if len(by_signature) < 2:
        return None
    groups = [
        Group(sorted(backends), observed[sorted(backends)[0]]) for backends in by_signature.values()
    ]
    groups.sort(key=lambda g: (-len(g.backends), g.backends))
    reference = _reference(groups)
    base = groups[reference if reference is not None else 0]
    for group in groups:
        if group is base:
            continue
        index = _first_difference(base.observation, group.observation)
        group.first_difference = index
        if index is None:
            group.diff_class = classify(None, None)
        else:
            calls_a, calls_b = base.observation.calls, group.observation.calls
            group.diff_class = classify(
                calls_a[index] if index < len(calls_a) else None,
                calls_b[index] if index < len(calls_b) else None,
            )
    return Divergence(test_id, area_of(test_id), location, groups, reference)


def compare(runs: list[Run]) -> Comparison:
    """Align the runs and return every divergence, in test order."""
    backends = [run.backend for run in runs]
    if REFERENCE_BACKEND in backends:
        backends.remove(REFERENCE_BACKEND)
        backends.insert(0, REFERENCE_BACKEND)
    tests: dict[str, dict[str, Observation]] = defaultdict(dict)
    locations: dict[str, list[Any]] = {}
    for run in runs:
        for record in run.tests:
            tests[record["id"]][run.backend] = observe(record)
            locations.setdefault(record["id"], record.get("location") or [])
    comparison = Comparison(
        runs,
        backends,
        dict(sorted(tests.items())),
        {test_id: area_of(test_id) for test_id in tests},
    )
    for test_id, observed in comparison.tests.items():
        divergence = _diverge(test_id, locations[test_id], observed)
        if divergence is not None:
            comparison.divergences.append(divergence)
    return comparison
