"""Which side of a divergence is right, and on what basis.

The groups of a divergent test (backends that behaved identically) are judged in this order:

1. ``reference``: a reference run took part (real AWS in the run, or ``--reference FILE``):
   its group is right.
2. ``assertions``: an assertion failed on some groups (outcome ``failed``, or ``xfailed``
   by an assertion) while it held on others (``passed``, ``xpassed``): the passing side is
   right. A test that passed because nothing raised, against one that *raised*, proves
   nothing: an exception escaping the test body is not an assertion.
3. ``majority``: otherwise the behaviour of more than half of the backends is right (the
   largest of several groups is not enough: two of five agreeing against three that each
   differ is a guess). Groups that differ only in message wording count as one behaviour,
   so five backends that all reject a request, each in its own words, outvote the one that
   accepts it. When no behaviour has that majority but the outcomes split (some passed,
   some raised a ``ClientError``), an *outcome* shared by more than half of the backends
   decides (``by_outcome``): four backends that reject a request outvote the one that
   accepts it even when a DescribeTable earlier in the test answered with another field
   set on every backend.

A group that errored in set-up before any call has no behaviour to be right about: it is
never the right side (a backend that cannot set a test up diverges; it does not outvote the
ones that ran it).

With no majority there is no reference, and the report says so. Within the right
behaviour, the strictly largest group is the reference for wording; when those tie, no
wording is taken as right (``wording_tie``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from ddbmatrix.outcomes import is_assertion

__all__ = ["PASSING", "Sides", "assertion_failed", "behaviour_key", "choose_sides"]

Json = Any
#: Outcomes in which the test's assertions held.
PASSING = frozenset({"passed", "xpassed"})


class Judged(Protocol):
    @property
    def backends(self) -> list[str]: ...

    @property
    def outcome(self) -> str: ...

    @property
    def exception(self) -> dict[str, Json] | None: ...

    @property
    def behaviour(self) -> str: ...

    @property
    def set_up_failed(self) -> bool: ...


@dataclass(frozen=True)
class Sides:
    #: Index of the reference group (None: no reference).
    reference: int | None
    #: "reference", "assertions", "majority", or None.
    basis: str | None
    #: Indices of the groups on the right side.
    right: tuple[int, ...] = ()
    #: The largest groups of the right behaviour tie, so no wording is the reference's.
    wording_tie: bool = False
    #: The groups on the right side differ among themselves, none the larger: all are right.
    right_tie: bool = False
    #: The majority is of outcomes (passed, or raised with one error code), not behaviours.
    by_outcome: bool = False


def assertion_failed(outcome: str, exception: dict[str, Json] | None) -> bool:
    """Whether a test's assertion failed (not merely an exception escaping the body)."""
    if outcome == "failed":
        return exception is None or is_assertion(exception)
    return outcome == "xfailed" and is_assertion(exception)


def behaviour_key(outcome: str, calls: Sequence[dict[str, Json]], informational: bool) -> str:
    """What a test did, with the wording of error messages left out.

    With ``informational``, the order of Scan results is left out too (see
    :mod:`ddbmatrix.unspecified`).
    """
    reduced = []
    for call in calls:
        call = dict(call)
        if call.get("error"):
            call["error"] = {**call["error"], "message": None}
        response = call.get("response")
        if informational and call["operation"] == "Scan" and isinstance(response, dict):
            items = response.get("Items")
            if isinstance(items, list):
                ordered = sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
                call["response"] = {**response, "Items": ordered}
        reduced.append(call)
    return json.dumps([outcome, reduced], sort_keys=True)


def _strictly_largest(indices: list[int], groups: Sequence[Judged]) -> tuple[list[int], bool]:
    """Return the groups of the largest behaviour among ``indices`` and whether it is strict."""
    clusters: dict[str, list[int]] = defaultdict(list)
    for index in indices:
        clusters[groups[index].behaviour].append(index)
    sizes = sorted(
        ((sum(len(groups[i].backends) for i in members), members) for members in clusters.values()),
        key=lambda entry: (-entry[0], entry[1]),
    )
    strict = len(sizes) == 1 or sizes[0][0] > sizes[1][0]
    return sizes[0][1], strict


def _majority(members: list[int], everyone: list[int], groups: Sequence[Judged]) -> bool:
    """Whether ``members`` hold more than half of the backends that took part.

    Two backends out of five agreeing, against three that each differ, are the largest
    group but no majority: calling them right would be a guess.
    """
    held = sum(len(groups[i].backends) for i in members)
    return 2 * held > sum(len(groups[i].backends) for i in everyone)


def _within(members: list[int], groups: Sequence[Judged]) -> tuple[int, bool]:
    """The reference among groups of one behaviour: the largest; whether the largest tie."""
    best = max(members, key=lambda i: (len(groups[i].backends), -i))
    ties = [i for i in members if len(groups[i].backends) == len(groups[best].backends)]
    return best, len(ties) > 1


def choose_sides(groups: Sequence[Judged], reference_backend: str | None) -> Sides:
    """Decide the right side of ``groups`` (sorted largest first, then by backend names)."""
    everyone = [i for i in range(len(groups)) if not groups[i].set_up_failed]
    if not everyone:
        return Sides(None, None)
    for index, group in enumerate(groups):
        if reference_backend is not None and reference_backend in group.backends:
            right = [i for i in everyone if groups[i].behaviour == group.behaviour]
            return Sides(index, "reference", tuple(right))
    passing = [i for i in everyone if groups[i].outcome in PASSING]
    failing = [i for i in everyone if assertion_failed(groups[i].outcome, groups[i].exception)]
    if passing and failing:
        members, strict = _strictly_largest(passing, groups)
        if not strict:
            return Sides(passing[0], "assertions", tuple(passing), right_tie=True)
        reference, tie = _within(members, groups)
        return Sides(reference, "assertions", tuple(members), wording_tie=tie)
    members, strict = _strictly_largest(everyone, groups)
    if strict and _majority(members, everyone, groups):
        reference, tie = _within(members, groups)
        return Sides(reference, "majority", tuple(members), wording_tie=tie)
    return _by_outcome(everyone, groups)


def _outcome_of(group: Judged) -> tuple[str, str | None]:
    exception = group.exception or {}
    return group.outcome, exception.get("code") if group.outcome == "raised" else None


def _by_outcome(everyone: list[int], groups: Sequence[Judged]) -> Sides:
    """The majority of outcomes, when no behaviour has one and the outcomes split."""
    clusters: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    for index in everyone:
        clusters[_outcome_of(groups[index])].append(index)
    sizes = sorted(
        (sum(len(groups[i].backends) for i in members), members) for members in clusters.values()
    )
    if len(sizes) < 2 or sizes[-1][0] == sizes[-2][0]:
        return Sides(None, None)
    members = sorted(sizes[-1][1])
    if not _majority(members, everyone, groups):
        return Sides(None, None)
    reference = max(members, key=lambda i: (len(groups[i].backends), -i))
    return Sides(reference, "majority", tuple(members), right_tie=len(members) > 1, by_outcome=True)
