"""The report's data: one JSON-ready dict that every renderer (Markdown, JSON, ...) reads.

Schema ``ddbmatrix-report`` version 1 (documented in docs/report-schema.md)::

    {"schema": "ddbmatrix-report", "schema_version": 1, "generated_at": ...,
     "reference": "aws" | null,          # null: each test's majority group is the reference
     "runs": [{"backend", "backend_version", "versions", "commit", "dirty", "started_at",
               "finished_at", "complete", "file", "tests"}],
     "legend": {"transformers": [{"name", "description"}],
                "classes": [{"key", "title", "explanation"}]},
     "summary": {"tests", "compared", "divergent", "by_class": {class: n}},
     "scores": {backend: {"overall": Score, "areas": {area: Score}}},
     "divergences": [{"test", "area", "location", "classes", "reference",
                      "groups": [{"backends", "outcome", "message", "first_difference",
                                  "class", "calls"}]}]}

A Score is ``{"run", "agree", "diverge", "unsupported", "compatibility"}``: tests run (not
skipped) on the backend, how many agree with the reference (or with every other backend),
how many diverge, how many of those because an operation is unsupported, and agree/run.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from ddbmatrix.classify import CLASSES
from ddbmatrix.compare import Comparison, Divergence
from ddbmatrix.normalize import TRANSFORMERS
from ddbmatrix.runfile import utc_now

__all__ = ["REPORT_SCHEMA", "REPORT_SCHEMA_VERSION", "report_data"]

REPORT_SCHEMA = "ddbmatrix-report"
REPORT_SCHEMA_VERSION = 1
_RUN_FIELDS = (
    "backend",
    "backend_version",
    "versions",
    "commit",
    "dirty",
    "started_at",
    "finished_at",
    "complete",
)


def _score(run: int, agree: int, diverge: int, unsupported: int) -> dict[str, Any]:
    return {
        "run": run,
        "agree": agree,
        "diverge": diverge,
        "unsupported": unsupported,
        "compatibility": round(100 * agree / run, 1) if run else None,
    }


def _verdicts(comparison: Comparison) -> dict[str, dict[str, str]]:
    """Return test id -> backend -> agree | diverge | unsupported (skipped tests omitted)."""
    divergences = {d.test_id: d for d in comparison.divergences}
    verdicts: dict[str, dict[str, str]] = {}
    for test_id, observed in comparison.tests.items():
        ran = [b for b, o in observed.items() if o.outcome != "skipped"]
        divergence = divergences.get(test_id)
        verdicts[test_id] = {b: "agree" for b in ran} if divergence is None else {}
        if divergence is None:
            continue
        for index, group in enumerate(divergence.groups):
            for backend in group.backends:
                if index == divergence.reference:
                    verdict = "agree"
                elif group.diff_class is not None and group.diff_class.key == "unsupported":
                    verdict = "unsupported"
                else:
                    verdict = "diverge"
                verdicts[test_id][backend] = verdict
    return verdicts


def _scores(comparison: Comparison) -> dict[str, Any]:
    counts: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for test_id, by_backend in _verdicts(comparison).items():
        area = comparison.areas[test_id]
        for backend, verdict in by_backend.items():
            counts[backend][area][verdict] += 1
    scores: dict[str, Any] = {}
    for backend in comparison.backends:
        areas = counts.get(backend, {})
        total: Counter[str] = Counter()
        area_scores = {}
        for area in sorted(areas):
            c = areas[area]
            total.update(c)
            run = sum(c.values())
            area_scores[area] = _score(run, c["agree"], run - c["agree"], c["unsupported"])
        run = sum(total.values())
        scores[backend] = {
            "overall": _score(run, total["agree"], run - total["agree"], total["unsupported"]),
            "areas": area_scores,
        }
    return scores


def _divergence(divergence: Divergence) -> dict[str, Any]:
    return {
        "test": divergence.test_id,
        "area": divergence.area,
        "location": divergence.location,
        "classes": [c.key for c in divergence.classes],
        "reference": divergence.reference,
        "groups": [
            {
                "backends": group.backends,
                "outcome": group.observation.outcome,
                "message": group.observation.message,
                "first_difference": group.first_difference,
                "class": group.diff_class.key if group.diff_class else None,
                "calls": list(group.observation.calls),
            }
            for group in divergence.groups
        ],
    }


def report_data(comparison: Comparison) -> dict[str, Any]:
    by_class: Counter[str] = Counter()
    for divergence in comparison.divergences:
        by_class.update(c.key for c in divergence.classes)
    runs = sorted(comparison.runs, key=lambda run: comparison.backends.index(run.backend))
    return {
        "schema": REPORT_SCHEMA,
        "schema_version": REPORT_SCHEMA_VERSION,
        "generated_at": utc_now(),
        "reference": "aws" if comparison.has_reference_run else None,
        "runs": [
            {
                **{key: run.data.get(key) for key in _RUN_FIELDS},
                "file": run.path.name,
                "tests": len(run.tests),
            }
            for run in runs
        ],
        "legend": {
            "transformers": [{"name": t.name, "description": t.description} for t in TRANSFORMERS],
            "classes": [
                {"key": c.key, "title": c.title, "explanation": c.explanation}
                for c in CLASSES.values()
            ],
        },
        "summary": {
            "tests": len(comparison.tests),
            "compared": sum(
                1
                for observed in comparison.tests.values()
                if sum(o.outcome != "skipped" for o in observed.values()) > 1
            ),
            "divergent": len(comparison.divergences),
            "by_class": dict(sorted(by_class.items())),
        },
        "scores": _scores(comparison),
        "divergences": [_divergence(d) for d in comparison.divergences],
    }
