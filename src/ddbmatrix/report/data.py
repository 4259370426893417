"""The report's data: one JSON-ready dict that every renderer (Markdown, HTML, JSON, JUnit) reads.

Its schema (``ddbmatrix-report``) is documented field by field in docs/report-schema.md. It
holds nothing that varies between two runs of the same commit other than ``generated_at``:
no start or finish times, durations, command lines, ports or file paths. So run files from CI
shards merge into the same report, byte for byte, as one run of every backend.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

from ddbmatrix.classify import CLASSES
from ddbmatrix.compare import Comparison, Divergence, Group
from ddbmatrix.normalize import TRANSFORMERS, Context, normalize_message
from ddbmatrix.report.scores import scores, verdicts
from ddbmatrix.runfile import Run, utc_now

__all__ = ["REPORT_SCHEMA", "REPORT_SCHEMA_VERSION", "divergence_id", "report_data"]

REPORT_SCHEMA = "ddbmatrix-report"
REPORT_SCHEMA_VERSION = 1
_NO_CONTEXT = Context()


def divergence_id(key: str) -> str:
    """Return a short stable id of a divergence key (an HTML anchor, a JUnit property)."""
    return "d-" + hashlib.sha256(key.encode()).hexdigest()[:10]


def _names(groups: list[Group]) -> str:
    return " / ".join(", ".join(group.backends) for group in groups)


def verdict(divergence: Divergence) -> str:
    """Say in one line which side is taken as right, and why."""
    groups = divergence.groups
    passing = [g for g in groups if g.passed]
    failing = [g for g in groups if not g.passed]
    if divergence.basis == "aws":
        assert divergence.reference is not None
        others = [b for b in groups[divergence.reference].backends if b != "aws"]
        return "reference: real AWS" + (f", like {', '.join(others)}" if others else "")
    if divergence.basis == "assertions":
        held = f"the suite's assertions hold on {_names(passing)} and fail on {_names(failing)}"
        return held + ("; every passing group counts as right" if len(passing) > 1 else "")
    side = "hold on every backend" if passing else "fail on every backend"
    if divergence.reference is None:
        return f"the assertions {side} and no group is larger: no reference"
    majority = _names([groups[divergence.reference]])
    return f"the assertions {side}; the majority ({majority}) is the reference"


def _group(group: Group) -> dict[str, Any]:
    return {
        "backends": group.backends,
        "outcome": group.observation.outcome,
        "message": group.observation.message,
        "class": group.diff_class.key if group.diff_class else None,
        "first_difference": group.first_difference,
        "unsupported": group.unsupported,
        "agrees": group.agrees,
        "calls": list(group.observation.calls),
    }


def _location(location: tuple[str | None, int | None]) -> dict[str, Any]:
    path, line = location
    return {"path": path, "line": line}


def _divergence(divergence: Divergence) -> dict[str, Any]:
    key = divergence.key
    return {
        "key": key,
        "id": divergence_id(key),
        "test": divergence.test_id,
        "area": divergence.area,
        "location": _location(divergence.location),
        "classes": [c.key for c in divergence.classes],
        "basis": divergence.basis,
        "reference": divergence.reference,
        "verdict": verdict(divergence),
        "status": None,
        "groups": [_group(group) for group in divergence.groups],
    }


def _backend(run: Run, comparison: Comparison) -> dict[str, Any]:
    broken = comparison.broken.get(run.backend, {})
    incidents = [
        {
            "kind": incident.get("kind"),
            "worker": incident.get("worker"),
            "test": incident.get("test"),
            "message": normalize_message(str(incident.get("message") or ""), _NO_CONTEXT),
            "log_tail": normalize_message(str(incident.get("log_tail") or ""), _NO_CONTEXT),
        }
        for incident in run.incidents
    ]
    complete = run.data.get("complete")
    status = "broken" if broken or incidents else "ok" if complete is not False else "incomplete"
    return {
        "name": run.backend,
        "version": run.data.get("backend_version"),
        "versions": run.data.get("versions") or {},
        "commit": run.data.get("commit"),
        "dirty": run.data.get("dirty"),
        "complete": complete,
        "status": status,
        "tests": len(run.tests),
        "incidents": incidents,
        "broken_tests": broken,
    }


def _summary(comparison: Comparison) -> dict[str, Any]:
    by_class: Counter[str] = Counter()
    for divergence in comparison.divergences:
        by_class.update(c.key for c in divergence.classes)
    compared = sum(1 for test_id in comparison.tests if len(comparison.compared(test_id)) > 1)
    return {
        "tests": len(comparison.tests),
        "compared": compared,
        "agreeing": compared - len(comparison.divergences),
        "divergent": len(comparison.divergences),
        "by_class": {key: by_class[key] for key in CLASSES if key in by_class},
        "broken": len({t for tests in comparison.broken.values() for t in tests}),
    }


def _tests(comparison: Comparison) -> dict[str, Any]:
    by_test = verdicts(comparison)
    return {
        test_id: {
            "area": comparison.areas[test_id],
            "location": _location(comparison.locations[test_id]),
            "results": {
                backend: {"outcome": observation.outcome, "verdict": by_test[test_id][backend]}
                for backend, observation in observed.items()
            },
        }
        for test_id, observed in comparison.tests.items()
    }


def report_data(comparison: Comparison) -> dict[str, Any]:
    """Return the whole report as plain JSON data, in a stable order."""
    return {
        "schema": REPORT_SCHEMA,
        "schema_version": REPORT_SCHEMA_VERSION,
        "generated_at": utc_now(),
        "reference": "aws" if comparison.has_reference_run else None,
        "backends": [_backend(run, comparison) for run in comparison.runs],
        "areas": sorted(set(comparison.areas.values())),
        "legend": {
            "transformers": [{"name": t.name, "description": t.description} for t in TRANSFORMERS],
            "classes": [
                {"key": c.key, "title": c.title, "explanation": c.explanation}
                for c in CLASSES.values()
            ],
        },
        "summary": _summary(comparison),
        "scores": scores(comparison),
        "tests": _tests(comparison),
        "divergences": [_divergence(d) for d in comparison.divergences],
        "baseline": None,
    }
