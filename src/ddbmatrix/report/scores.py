"""Score each backend, overall and per area, from a comparison.

Each test gets one verdict on each backend that has a record of it:

- ``skipped``, ``interrupted``: not run there, or stopped while it ran (not counted);
- ``broken``: the backend failed (crashed, hung, never started): left out of comparison;
- ``misrouted``: its calls reached another server (an incident): left out of comparison;
- ``alone``: no other backend has a usable observation of the test, so nothing to compare;
- ``not-compared``: no backend made a DynamoDB call (set-up failed everywhere, say): it
  says nothing about DynamoDB, so it never counts as agreement;
- ``agree``: the test does not diverge (or only where DynamoDB leaves it unspecified), or
  the backend is on the side taken as right (see :mod:`ddbmatrix.sides`);
- ``wording``: the backend differs from the right side in message wording only;
- ``diverge``: the backend behaves otherwise than the right side, or the test has none;
- ``unsupported``: diverges because the backend said it does not implement the operation.

A Score is ``{"run", "compared", "agree", "wording", "diverge", "unsupported", "broken",
"not_compared", "compatibility"}``, with ``compared = agree + wording + diverge`` and
``compatibility`` = (agree + wording) / compared in percent: behaviour only, so wording
shows in its own column and never in the headline (None when nothing was compared).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from ddbmatrix.compare import Comparison

__all__ = ["VERDICTS", "score", "scores", "verdicts"]

VERDICTS = (
    "agree",
    "wording",
    "diverge",
    "unsupported",
    "broken",
    "misrouted",
    "alone",
    "not-compared",
    "skipped",
    "interrupted",
)


def score(counts: Counter[str]) -> dict[str, Any]:
    diverge = counts["diverge"] + counts["unsupported"]
    compared = counts["agree"] + counts["wording"] + diverge
    behaviour = counts["agree"] + counts["wording"]
    return {
        "run": compared + counts["broken"] + counts["misrouted"] + counts["alone"]
        + counts["not-compared"],
        "compared": compared,
        "agree": counts["agree"],
        "wording": counts["wording"],
        "diverge": diverge,
        "unsupported": counts["unsupported"],
        "broken": counts["broken"] + counts["misrouted"],
        "not_compared": counts["not-compared"],
        "compatibility": round(100 * behaviour / compared, 1) if compared else None,
    }  # fmt: skip


def verdicts(comparison: Comparison) -> dict[str, dict[str, str]]:
    """Return test id -> backend -> verdict (one of :data:`VERDICTS`)."""
    divergences = {d.test_id: d for d in comparison.divergences}
    result: dict[str, dict[str, str]] = {}
    for test_id, observed in comparison.tests.items():
        compared = comparison.compared(test_id)
        if test_id in comparison.covered:
            compared = [*compared, "(reference)"]
        by_backend: dict[str, str] = {}
        for backend in observed:
            left_out = comparison.left_out(test_id, backend)
            if left_out is not None:
                by_backend[backend] = left_out
            elif test_id in comparison.not_compared:
                by_backend[backend] = "not-compared"
            elif len(compared) < 2:
                by_backend[backend] = "alone"
            else:
                by_backend[backend] = "agree"
        divergence = divergences.get(test_id)
        if divergence is not None:
            for group in divergence.groups:
                for backend in group.backends:
                    if backend in by_backend:
                        by_backend[backend] = group.verdict
        result[test_id] = by_backend
    return result


def scores(comparison: Comparison, by_test: dict[str, dict[str, str]]) -> dict[str, Any]:
    """Return backend -> {"overall": Score, "areas": {area: Score}}."""
    counts: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for test_id, by_backend in by_test.items():
        area = comparison.areas[test_id]
        for backend, verdict in by_backend.items():
            counts[backend][area][verdict] += 1
    result: dict[str, Any] = {}
    for backend in comparison.backends:
        areas = counts.get(backend, {})
        total: Counter[str] = Counter()
        for area_counts in areas.values():
            total.update(area_counts)
        result[backend] = {
            "overall": score(total),
            "areas": {area: score(areas[area]) for area in sorted(areas)},
        }
    return result
