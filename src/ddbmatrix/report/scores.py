"""Score each backend, overall and per area, from a comparison.

Each test gets one verdict on each backend that has a record of it:

- ``skipped``: not run there (not counted);
- ``broken``: the backend failed (crashed, hung, never started): left out of comparison;
- ``alone``: no other backend has a usable observation of the test, so nothing to compare;
- ``agree``: the test does not diverge, or the backend is on the side taken as right (the
  AWS group; the groups whose assertions held; the majority: see :mod:`ddbmatrix.compare`);
- ``diverge``: the backend is not on that side (or the test has no reference);
- ``unsupported``: diverges because the backend said it does not implement the operation.

A Score is ``{"run", "broken", "compared", "agree", "diverge", "unsupported",
"compatibility"}`` with ``compared = agree + diverge`` and ``compatibility`` = agree / compared
in percent (None when nothing was compared).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from ddbmatrix.compare import Comparison

__all__ = ["score", "scores", "verdicts"]


def score(counts: Counter[str]) -> dict[str, Any]:
    diverge = counts["diverge"] + counts["unsupported"]
    compared = counts["agree"] + diverge
    return {
        "run": compared + counts["broken"] + counts["alone"],
        "broken": counts["broken"],
        "compared": compared,
        "agree": counts["agree"],
        "diverge": diverge,
        "unsupported": counts["unsupported"],
        "compatibility": round(100 * counts["agree"] / compared, 1) if compared else None,
    }


def verdicts(comparison: Comparison) -> dict[str, dict[str, str]]:
    """Return test id -> backend -> verdict (one of the above)."""
    divergences = {d.test_id: d for d in comparison.divergences}
    result: dict[str, dict[str, str]] = {}
    for test_id, observed in comparison.tests.items():
        compared = comparison.compared(test_id)
        by_backend: dict[str, str] = {}
        for backend, observation in observed.items():
            if observation.outcome == "skipped":
                by_backend[backend] = "skipped"
            elif test_id in comparison.broken.get(backend, {}):
                by_backend[backend] = "broken"
            elif len(compared) < 2:
                by_backend[backend] = "alone"
            else:
                by_backend[backend] = "agree"
        divergence = divergences.get(test_id)
        if divergence is not None:
            for group in divergence.groups:
                if not group.agrees:
                    verdict = "unsupported" if group.unsupported else "diverge"
                    by_backend.update(dict.fromkeys(group.backends, verdict))
        result[test_id] = by_backend
    return result


def scores(comparison: Comparison) -> dict[str, Any]:
    """Return backend -> {"overall": Score, "areas": {area: Score}}."""
    counts: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for test_id, by_backend in verdicts(comparison).items():
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
