"""Align run files test by test and call by call, and find where backends diverge.

For each test, every backend's observation (outcome plus normalized calls) is reduced to a
signature; backends with equal signatures form a group. A test with more than one group
differs. Left out for a backend, because they say nothing about how it behaves: tests it
skipped, tests during which it failed (crashed, hung, never started), tests interrupted,
and tests whose calls reached another backend's server (an incident, see
:mod:`ddbmatrix.misrouted`). A test that made no DynamoDB call on any backend is *not
compared*: it never counts as agreement.

Which group is right is decided by :mod:`ddbmatrix.sides`. Every other group is compared
with the reference (with none, with the first group) call by call
(:mod:`ddbmatrix.differences`); its class is the most severe of its differences, and its
*decisive* difference is the call where the outcome was decided: the call that raised on one
side and not the other, else the most severe difference. A test whose only differences are
ones DynamoDB leaves unspecified is *informational*: shown, never counted.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ddbmatrix.classify import CLASSES, DiffClass, is_unsupported, most_severe, severity
from ddbmatrix.differences import CallDifference, call_differences
from ddbmatrix.errors import RunFileError
from ddbmatrix.misrouted import misrouted_calls
from ddbmatrix.normalize import (
    Context,
    error_free_body,
    normalize,
    normalize_calls,
    normalize_message,
)
from ddbmatrix.packed import PackedCalls
from ddbmatrix.runfile import Run, load_run
from ddbmatrix.runstream import stream_run
from ddbmatrix.sides import behaviour_key, choose_sides

__all__ = [
    "REFERENCE_BACKEND",
    "Comparison",
    "Divergence",
    "Group",
    "Observation",
    "area_of",
    "compare",
    "load_runs",
    "observe",
    "observe_run",
]

Json = Any
#: A run of this backend among the inputs is the reference, as ``--reference`` would be.
REFERENCE_BACKEND = "aws"


@dataclass(frozen=True)
class Observation:
    """One test on one backend, normalized."""

    backend: str
    outcome: str
    message: str | None
    #: A tuple, or (as :func:`observe` makes them) the same calls deflated.
    calls: Sequence[dict[str, Json]]
    phase: str | None = None
    exception: dict[str, Json] | None = None
    #: Calls that reached a server other than this backend's (left out of ``calls``).
    misrouted: tuple[dict[str, Json], ...] = ()

    @property
    def signature(self) -> str:
        return json.dumps([self.outcome, self.exception, list(self.calls)], sort_keys=True)

    @property
    def group_key(self) -> tuple[str, str, bytes]:
        """Equal for two observations exactly when their signatures are, and cheaper."""
        calls = self.calls if isinstance(self.calls, PackedCalls) else PackedCalls(self.calls)
        return self.outcome, json.dumps(self.exception, sort_keys=True), calls.packed

    @property
    def behaviour(self) -> str:
        return behaviour_key(self.outcome, self.calls, informational=True)

    @property
    def set_up_failed(self) -> bool:
        """The test errored in set-up before it made any DynamoDB call."""
        return self.outcome == "error" and self.phase == "setup" and not self.calls

    def call(self, index: int | None) -> dict[str, Json] | None:
        return self.calls[index] if index is not None and index < len(self.calls) else None


@dataclass
class Group:
    """Backends that answered one test identically."""

    backends: list[str]
    observation: Observation
    #: Differences from the reference (or first) group, in call order; none for that group.
    differences: list[CallDifference] = field(default_factory=list)
    #: Reference call index -> this group's call index, for the calls the two share.
    alignment: dict[int, int] = field(default_factory=dict)
    diff_class: DiffClass | None = None
    #: The difference where the outcome was decided (or the most severe one).
    decisive: CallDifference | None = None
    #: "agree", "wording", "diverge" or "unsupported" (see :mod:`ddbmatrix.report.scores`).
    verdict: str = "agree"
    #: The group is on the side taken as right.
    agrees: bool = False

    @property
    def outcome(self) -> str:
        return self.observation.outcome

    @property
    def exception(self) -> dict[str, Json] | None:
        return self.observation.exception

    @property
    def behaviour(self) -> str:
        return self.observation.behaviour

    @property
    def set_up_failed(self) -> bool:
        return self.observation.set_up_failed

    @property
    def unsupported(self) -> bool:
        """This group's own call at its decisive difference says "not implemented"."""
        decisive = self.decisive
        return decisive is not None and is_unsupported(self.observation.call(decisive.other_index))


@dataclass
class Divergence:
    test_id: str
    area: str
    location: tuple[str | None, int | None]
    groups: list[Group]
    #: Index into ``groups`` of the reference; None when no group could be chosen.
    reference: int | None
    #: How the reference was chosen: "reference", "assertions", "majority"; None without one.
    basis: str | None
    wording_tie: bool = False
    right_tie: bool = False
    by_outcome: bool = False
    #: Only differences DynamoDB leaves unspecified: shown, never counted.
    informational: bool = False

    @property
    def base(self) -> int:
        return self.reference if self.reference is not None else 0

    @property
    def classes(self) -> list[DiffClass]:
        keys = {g.diff_class.key for g in self.groups if g.diff_class is not None}
        return [CLASSES[key] for key in sorted(keys, key=severity)]

    @property
    def decisive(self) -> tuple[int, CallDifference] | None:
        """The group and difference a reader should see first."""
        candidates = [
            (severity(g.diff_class.key), i, g.decisive)
            for i, g in enumerate(self.groups)
            if g.decisive is not None and g.diff_class is not None
        ]
        if not candidates:
            return None
        _, index, difference = min(candidates, key=lambda c: (c[0], c[1]))
        return index, difference

    @property
    def wording_only(self) -> bool:
        return all(g.verdict in ("agree", "wording") for g in self.groups)

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
    #: test id -> backend -> observation (every record, left out or not)
    tests: dict[str, dict[str, Observation]]
    areas: dict[str, str]
    #: test id -> (path, line) of its definition
    locations: dict[str, tuple[str | None, int | None]]
    #: backend -> test id -> "crashed" | "hung" | "start-failed": left out of comparison
    broken: dict[str, dict[str, str]] = field(default_factory=dict)
    divergences: list[Divergence] = field(default_factory=list)
    #: Tests whose only differences DynamoDB leaves unspecified.
    informational: list[Divergence] = field(default_factory=list)
    #: test id -> why it was not compared although two or more backends ran it
    not_compared: dict[str, str] = field(default_factory=dict)
    #: The reference run (``--reference FILE``, or the AWS run among the inputs), if any.
    reference: Run | None = None
    #: Is the reference one of the inputs (scored), or a recorded file beside them?
    reference_is_input: bool = False
    #: Tests a recorded reference (not an input) has a usable observation of.
    covered: set[str] = field(default_factory=set)

    @property
    def reference_backend(self) -> str | None:
        return self.reference.backend if self.reference is not None else None

    def left_out(self, test_id: str, backend: str) -> str | None:
        """Why a backend's observation of a test is not compared (None: it is)."""
        observation = self.tests[test_id][backend]
        if observation.outcome in ("skipped", "interrupted"):
            return observation.outcome
        if test_id in self.broken.get(backend, {}):
            return "broken"
        if observation.misrouted:
            return "misrouted"
        return None

    def compared(self, test_id: str) -> list[str]:
        """Backends whose observation of ``test_id`` takes part in the comparison."""
        return [b for b in self.tests[test_id] if self.left_out(test_id, b) is None]


#: What a report reads of a test record once it is observed (the runs' checks and merges,
#: the comparison's locations and failures, the console summary's counts).
_KEPT = frozenset({"id", "nodeid", "backend", "outcome", "location", "backend_failure", "excluded"})


def _observed(record: dict[str, Json]) -> Observation:
    """Observe ``record`` and reduce it to what is read of it afterwards (no calls)."""
    observation = observe(record)
    for key in [key for key in record if key not in _KEPT]:
        del record[key]
    return observation


def observe_run(run: Run) -> None:
    """Observe every test of ``run`` now, into ``run.observed``, and drop its raw calls.

    What :func:`compare` would do with the records, done as the run is loaded: the raw calls
    of one run file are then all a report ever holds at once, not those of every file. Each
    record keeps only what is read of it afterwards (:data:`_KEPT`).
    """
    for record in run.data["tests"]:
        run.observed[record["id"]] = _observed(record)


def _load_observed(path: Path) -> Run:
    """Load ``path`` observing each record as it is read (else whole, then observed)."""
    observed: dict[str, Observation] = {}

    def each(record: dict[str, Json]) -> None:
        observed[record["id"]] = _observed(record)

    run = stream_run(path, each)
    if run is None:  # not a file the stream checks as it goes: load_run names what is wrong
        run = load_run(path)
        observe_run(run)
    else:
        run.observed = observed
    return run


def load_runs(paths: Sequence[Path], *, observed: bool = False) -> list[Run]:
    """Load run files, refusing two runs of one backend (which would hide one of them).

    Shards of one backend are let through: :func:`ddbmatrix.shards.merge_shards` merges them.
    With ``observed``, each run is observed (:func:`observe_run`) as it is read, record by
    record (:mod:`ddbmatrix.runstream`), before the next file is read.
    """
    if not paths:
        raise RunFileError("no run files given")
    runs: list[Run] = []
    seen: dict[str, Path] = {}
    for path in paths:
        run = _load_observed(path) if observed else load_run(path)
        if run.data.get("shard"):
            runs.append(run)
            continue
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
    ctx = Context.of(record)
    own, misrouted = misrouted_calls(record)
    calls = []
    for call in own:
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
        calls=PackedCalls(normalize_calls(calls)),
        phase=record.get("phase"),
        exception=record.get("exception"),
        misrouted=tuple(misrouted),
    )


def _raising_call(observation: Observation) -> int | None:
    """Index of the call whose error escaped the test body as a ClientError, if any."""
    exception = observation.exception or {}
    if observation.outcome != "raised" or exception.get("type") != "ClientError":
        return None
    for index in range(len(observation.calls) - 1, -1, -1):
        error = observation.calls[index].get("error") or {}
        if error and exception.get("code") in (None, error.get("code")):
            return index
    return None


def _analyse(group: Group, base: Observation) -> None:
    """Compare ``group`` with the base group: its differences, class and decisive call."""
    own = group.observation
    group.differences, group.alignment = call_differences(base.calls, own.calls)
    outcomes_differ = own.outcome != base.outcome or own.exception != base.exception
    counted = [d for d in group.differences if d.counted(outcomes_differ)]
    if own.set_up_failed != base.set_up_failed:
        # One side never got to make its calls: the missing calls are not the difference.
        group.diff_class = CLASSES["setup-error"]
    elif counted:
        group.diff_class = CLASSES[most_severe([d.key for d in counted])]
        raised = [(_raising_call(own), "other_index"), (_raising_call(base), "base_index")]
        decided = [
            d for i, side in raised if i is not None for d in counted if getattr(d, side) == i
        ]
        group.decisive = decided[0] if decided else min(counted, key=lambda d: severity(d.key))
    elif outcomes_differ:
        group.diff_class = CLASSES["outcome"]


def _unsupported(index: int, divergence: Divergence) -> bool:
    """Whether the group said "not implemented" where it differs (the base: to anyone)."""
    group = divergence.groups[index]
    if index != divergence.base:
        return group.unsupported
    own = group.observation
    return any(
        g.decisive is not None and is_unsupported(own.call(g.decisive.base_index))
        for g in divergence.groups
    )


def _verdict(index: int, divergence: Divergence) -> str:
    group = divergence.groups[index]
    wording = group.diff_class is not None and group.diff_class.key == "message"
    if divergence.reference is None:
        return "unsupported" if _unsupported(index, divergence) else "diverge"
    if group.agrees:
        if index == divergence.reference:
            return "wording" if divergence.wording_tie else "agree"
        return "wording" if wording and not divergence.right_tie else "agree"
    if wording:
        return "wording"
    return "unsupported" if _unsupported(index, divergence) else "diverge"


def _diverge(
    test_id: str,
    location: tuple[str | None, int | None],
    observed: dict[str, Observation],
    reference_backend: str | None,
) -> Divergence | None:
    by_signature: dict[tuple[str, str, bytes], list[str]] = defaultdict(list)
    for backend, observation in observed.items():
        by_signature[observation.group_key].append(backend)
    if len(by_signature) < 2:
        return None
    groups = [
        Group(sorted(backends), observed[sorted(backends)[0]]) for backends in by_signature.values()
    ]
    groups.sort(key=lambda g: (-len(g.backends), g.backends))
    sides = choose_sides(groups, reference_backend)
    divergence = Divergence(
        test_id,
        area_of(test_id),
        location,
        groups,
        sides.reference,
        sides.basis,
        wording_tie=sides.wording_tie,
        right_tie=sides.right_tie,
        by_outcome=sides.by_outcome,
    )
    for index in sides.right:
        groups[index].agrees = True
    base = groups[divergence.base].observation
    for group in groups:
        if group is not groups[divergence.base]:
            _analyse(group, base)
    for index, group in enumerate(groups):
        group.verdict = _verdict(index, divergence)
    divergence.informational = not divergence.classes
    return divergence


def _backend_order(backends: list[str]) -> list[str]:
    return sorted(backends, key=lambda name: (name != REFERENCE_BACKEND, name))


def _not_compared(observed: dict[str, Observation]) -> str | None:
    """Why a test that two or more backends ran is not compared, or None if it is."""
    if any(o.calls for o in observed.values()):
        return None
    if len({o.outcome for o in observed.values()}) > 1:
        return None  # a set-up that fails on one backend only is a difference
    outcome = next(iter(observed.values())).outcome
    if outcome == "error":
        return "errored before any DynamoDB call on every backend"
    if outcome in ("failed", "raised"):
        return f"{outcome} before any DynamoDB call on every backend"
    return "made no DynamoDB call on any backend"


def compare(runs: list[Run], reference: Run | None = None, *, release: bool = False) -> Comparison:
    """Align the runs and return every divergence, in test order.

    ``reference`` is a recorded run (``--reference FILE``) taken as right for the tests it
    covers; it is compared but not scored. Without it, an AWS run among ``runs`` is the
    reference. With ``release``, each record of ``runs`` loses its raw calls once they are
    observed (normalized), for a caller that needs no more than outcomes afterwards: a large
    run is then not held twice.
    """
    if reference is None:
        reference = next((run for run in runs if run.backend == REFERENCE_BACKEND), None)
        is_input = reference is not None
    else:
        is_input = False
    tests: dict[str, dict[str, Observation]] = defaultdict(dict)
    locations: dict[str, tuple[str | None, int | None]] = {}
    broken: dict[str, dict[str, str]] = {}
    for run in sorted(runs, key=lambda run: run.backend):
        for record in run.tests:
            test_id = record["id"]
            known = run.observed.get(test_id)
            tests[test_id][run.backend] = known if known is not None else observe(record)
            if release:
                record.pop("calls", None)
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
        reference=reference,
        reference_is_input=is_input,
    )
    extra = {} if is_input or reference is None else {r["id"]: observe(r) for r in reference.tests}
    for test_id, observed in comparison.tests.items():
        compared = {b: observed[b] for b in comparison.compared(test_id)}
        recorded = extra.get(test_id)
        if recorded is not None and recorded.outcome not in ("skipped", "interrupted"):
            compared = {recorded.backend: recorded, **compared}
            comparison.covered.add(test_id)
        if len(compared) < 2:
            continue
        reason = _not_compared(compared)
        if reason is not None:
            comparison.not_compared[test_id] = reason
            continue
        divergence = _diverge(
            test_id, comparison.locations[test_id], compared, comparison.reference_backend
        )
        if divergence is None:
            continue
        if divergence.informational:
            comparison.informational.append(divergence)
        else:
            comparison.divergences.append(divergence)
    return comparison
