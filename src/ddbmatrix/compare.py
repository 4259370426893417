"""Align run files test by test and call by call, and find where backends diverge.

For each test, every backend's observation (outcome plus normalized calls) is reduced to a
signature; backends with equal signatures form a group. A test with more than one group is a
divergence. Tests a backend skipped, or could not run because the backend itself failed
(crashed, hung, never started), are left out for that backend: they say nothing about how it
behaves.

The reference group of a divergence, the side that counts as right, and the basis on which
they were chosen:

1. ``aws``: the group holding real AWS, when AWS ran the test; that group is the right side;
2. ``assertions``: otherwise, when the test passed on some groups and failed on others, the
   passing groups are the right side (the suite's assertions state what DynamoDB does), and
   the largest of them (ties: by name) is shown as the reference;
3. ``majority``: when the assertions do not decide (all passed, or none did), the largest
   group is the reference and the right side;

and no reference (``basis`` None, nobody right) when the largest groups tie under 3. Every
group other than the reference is classified by its difference from the reference (with
none, from the first group) at the first call where they part.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ddbmatrix.classify import DiffClass, classify, is_unsupported
from ddbmatrix.errors import RunFileError
from ddbmatrix.normalize import (
    Context,
    error_free_body,
    normalize,
    normalize_calls,
    normalize_message,
)
from ddbmatrix.runfile import Run, load_run

__all__ = [
    "PASSING",
    "REFERENCE_BACKEND",
    "Comparison",
    "Divergence",
    "Group",
    "Observation",
    "area_of",
    "compare",
    "load_runs",
    "observe",
]

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

    def call(self, index: int | None) -> dict[str, Json] | None:
        return self.calls[index] if index is not None and index < len(self.calls) else None


@dataclass
class Group:
    """Backends that answered one test identically."""

    backends: list[str]
    observation: Observation
    #: Against the reference (or first) group: where the calls part (None: same calls).
    first_difference: int | None = None
    diff_class: DiffClass | None = None
    #: This group's own call at the first difference says "operation not implemented".
    unsupported: bool = False
    #: The group is on the side taken as right (see the module docstring).
    agrees: bool = False

    @property
    def passed(self) -> bool:
        return self.observation.outcome in PASSING


@dataclass
class Divergence:
    test_id: str
    area: str
    location: tuple[str | None, int | None]
    groups: list[Group]
    #: Index into ``groups`` of the reference; None when no group could be chosen.
    reference: int | None
    #: How the reference was chosen: "aws", "assertions", "majority"; None without one.
    basis: str | None

    @property
    def classes(self) -> list[DiffClass]:
        seen: dict[str, DiffClass] = {}
        for group in self.groups:
            if group.diff_class is not None:
                seen.setdefault(group.diff_class.key, group.diff_class)
        return list(seen.values())

    @property
    def key(self) -> str:
        """What identifies this divergence across runs: the test, the split, the classes.

        Independent of which group is the reference and of versions, so a baseline made
        before an upgrade still recognizes every divergence the upgrade left as it was; a
        backend changing sides, or a difference changing class, is a new divergence.
        """
        split = " | ".join(sorted(", ".join(group.backends) for group in self.groups))
        classes = "+".join(sorted(c.key for c in self.classes))
        return f"{self.test_id} [{split}] {classes}"


@dataclass
class Comparison:
    runs: list[Run]
    #: AWS first, then the others by name: independent of the order the files were given in.
    backends: list[str]
    #: test id -> backend -> observation (skipped and backend-failed tests included)
    tests: dict[str, dict[str, Observation]]
    areas: dict[str, str]
    #: test id -> (path, line) of its definition
    locations: dict[str, tuple[str | None, int | None]]
    #: backend -> test id -> "crashed" | "hung" | "start-failed": left out of comparison
    broken: dict[str, dict[str, str]] = field(default_factory=dict)
    divergences: list[Divergence] = field(default_factory=list)

    @property
    def has_reference_run(self) -> bool:
        return REFERENCE_BACKEND in self.backends

    def compared(self, test_id: str) -> list[str]:
        """Backends whose observation of ``test_id`` takes part in the comparison."""
        return [
            backend
            for backend, observation in self.tests[test_id].items()
            if observation.outcome != "skipped" and test_id not in self.broken.get(backend, {})
        ]


def load_runs(paths: Sequence[Path]) -> list[Run]:
    """Load run files, refusing two runs of one backend (which would hide one of them)."""
    if not paths:
        raise RunFileError("no run files given")
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
        message=normalize_message(message, ctx) if message else None,
        calls=tuple(normalize_calls(calls)),
    )


def _first_difference(a: Observation, b: Observation) -> int | None:
    for index in range(max(len(a.calls), len(b.calls))):
        if a.call(index) != b.call(index):
            return index
    return None


def _reference(groups: list[Group]) -> tuple[int | None, str | None, list[int]]:
    """Return the reference group, the basis, and the groups on the right side.

    ``groups`` are sorted largest first, then by backend names.
    """
    for index, group in enumerate(groups):
        if REFERENCE_BACKEND in group.backends:
            return index, "aws", [index]
    passing = [i for i, group in enumerate(groups) if group.passed]
    if 0 < len(passing) < len(groups):
        return passing[0], "assertions", passing
    if len(groups[0].backends) == len(groups[1].backends):
        return None, None, []
    return 0, "majority", [0]


def _diverge(
    test_id: str, location: tuple[str | None, int | None], observed: dict[str, Observation]
) -> Divergence | None:
    by_signature: dict[str, list[str]] = defaultdict(list)
    for backend, observation in observed.items():
        by_signature[observation.signature].append(backend)
    if len(by_signature) < 2:
        return None
    groups = [
        Group(sorted(backends), observed[sorted(backends)[0]]) for backends in by_signature.values()
    ]
    groups.sort(key=lambda g: (-len(g.backends), g.backends))
    reference, basis, right = _reference(groups)
    for index in right:
        groups[index].agrees = True
    base = groups[reference if reference is not None else 0]
    for group in groups:
        if group is base:
            continue
        group.first_difference = _first_difference(base.observation, group.observation)
        own = group.observation.call(group.first_difference)
        theirs = base.observation.call(group.first_difference)
        group.diff_class = classify(theirs, own)
        group.unsupported = is_unsupported(own)
    # The base's own call at the first difference tells whether it is the unsupported side.
    firsts = [g.first_difference for g in groups if g.first_difference is not None]
    if firsts:
        base.first_difference = min(firsts)
        base.unsupported = is_unsupported(base.observation.call(base.first_difference))
    return Divergence(test_id, area_of(test_id), location, groups, reference, basis)


def _backend_order(backends: list[str]) -> list[str]:
    return sorted(backends, key=lambda name: (name != REFERENCE_BACKEND, name))


def compare(runs: list[Run]) -> Comparison:
    """Align the runs and return every divergence, in test order."""
    tests: dict[str, dict[str, Observation]] = defaultdict(dict)
    locations: dict[str, tuple[str | None, int | None]] = {}
    broken: dict[str, dict[str, str]] = {}
    for run in sorted(runs, key=lambda run: run.backend):
        for record in run.tests:
            test_id = record["id"]
            tests[test_id][run.backend] = observe(record)
            path, line = ([*(record.get("location") or []), None, None])[:2]
            locations.setdefault(test_id, (path, line))
            if record.get("backend_failure"):
                broken.setdefault(run.backend, {})[test_id] = str(record["backend_failure"])
    backends = _backend_order([run.backend for run in runs])
    ordered = {
        test_id: {b: tests[test_id][b] for b in backends if b in tests[test_id]}
        for test_id in sorted(tests)
    }
    comparison = Comparison(
        runs=sorted(runs, key=lambda run: backends.index(run.backend)),
        backends=backends,
        tests=ordered,
        areas={test_id: area_of(test_id) for test_id in ordered},
        locations={test_id: locations[test_id] for test_id in ordered},
        broken={b: dict(sorted(broken[b].items())) for b in backends if b in broken},
    )
    for test_id, observed in comparison.tests.items():
        compared = {b: observed[b] for b in comparison.compared(test_id)}
        divergence = _diverge(test_id, comparison.locations[test_id], compared)
        if divergence is not None:
            comparison.divergences.append(divergence)
    return comparison
