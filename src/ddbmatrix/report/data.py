"""The report's data: one JSON-ready dict that every renderer (Markdown, HTML, JSON, JUnit) reads.

Its schema (``ddbmatrix-report``, version 2) is documented field by field in
docs/report-schema.md. It holds nothing that varies between two runs of the same commit
other than ``generated_at``: no start or finish times, durations, command lines, ports or
file paths. So run files from CI shards merge into the same report, byte for byte, as one
run of every backend.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

from ddbmatrix.causes import Cause, Family, causes_of, families
from ddbmatrix.classify import CLASSES
from ddbmatrix.compare import Comparison, Divergence, Group
from ddbmatrix.differences import CallDifference
from ddbmatrix.misrouted import routing_incident
from ddbmatrix.normalize import TRANSFORMERS, Context, normalize_message
from ddbmatrix.packed import PackedCalls
from ddbmatrix.report.scores import scores, verdicts
from ddbmatrix.runfile import Run, utc_now
from ddbmatrix.unspecified import RULES

__all__ = ["REPORT_SCHEMA", "REPORT_SCHEMA_VERSION", "divergence_id", "report_data"]

REPORT_SCHEMA = "ddbmatrix-report"
REPORT_SCHEMA_VERSION = 2
_NO_CONTEXT = Context()


def divergence_id(key: str) -> str:
    """Return a short stable id of a divergence key (an HTML anchor, a JUnit property)."""
    return "d-" + hashlib.sha256(key.encode()).hexdigest()[:10]


def _names(groups: list[Group]) -> str:
    return " / ".join(", ".join(group.backends) for group in groups)


def _how(group: Group) -> str:
    exception = group.exception or {}
    if group.outcome == "raised" and exception:
        code = f" {exception['code']}" if exception.get("code") else ""
        return f"raised {exception.get('type')}{code}"
    if group.outcome == "error":
        return f"error in {group.observation.phase or 'set-up'}"
    return group.outcome


def verdict(divergence: Divergence, reference_name: str | None = None) -> str:
    """Say in one line which side is taken as right, and why."""
    groups = divergence.groups
    right = [g for g in groups if g.agrees]
    if divergence.basis == "reference":
        assert divergence.reference is not None
        name = reference_name or "the reference run"
        others = [b for b in groups[divergence.reference].backends if b != reference_name]
        return f"reference: {name}" + (f", like {', '.join(others)}" if others else "")
    if divergence.basis == "assertions":
        failing = [g for g in groups if not g.agrees and g.outcome in ("failed", "xfailed")]
        held = f"an assertion failed on {_names(failing)} and held on {_names(right)}"
        if divergence.right_tie:
            return held + "; the passing groups differ among themselves, and each counts as right"
        return held + ": the passing side is right"
    outcomes = ", ".join(
        f"{', '.join(g.backends)} {_how(g)}" for g in groups if g.outcome != "passed"
    )
    why = f"no assertion decides ({outcomes})" if outcomes else "the test passed everywhere"
    if divergence.reference is None:
        return f"{why}, and no behaviour has a majority: no reference"
    backends = ", ".join(b for g in right for b in g.backends)
    if divergence.by_outcome:
        return (
            f"{why}; no behaviour has a majority, but the outcome of {backends} does, and is right"
        )
    wording = [b for g in right if g.verdict == "wording" for b in g.backends]
    worded = f" ({', '.join(wording)} in other words)" if wording else ""
    return f"{why}; the majority behaviour ({backends}) is right{worded}"


def _difference(difference: CallDifference) -> dict[str, Any]:
    return {
        "class": difference.key,
        "operation": difference.operation,
        "base_index": difference.base_index,
        "other_index": difference.other_index,
        "informational": difference.informational,
        "fields": [f.as_dict() for f in difference.fields],
    }


def _group(group: Group, packed: bool) -> dict[str, Any]:
    observation = group.observation
    calls = observation.calls
    differences = [_difference(d) for d in group.differences]
    return {
        "backends": group.backends,
        "outcome": observation.outcome,
        "phase": observation.phase,
        "exception": observation.exception,
        "message": observation.message,
        "class": group.diff_class.key if group.diff_class else None,
        "verdict": group.verdict,
        "agrees": group.agrees,
        "unsupported": group.unsupported,
        "decisive": _difference(group.decisive) if group.decisive else None,
        "differences": PackedCalls(differences, sort_keys=False) if packed else differences,
        #: [reference call index, this group's call index] for the calls they share
        "alignment": [[i, j] for i, j in sorted(group.alignment.items())],
        "calls": calls if packed and isinstance(calls, PackedCalls) else list(calls),
    }


def _location(location: tuple[str | None, int | None]) -> dict[str, Any]:
    path, line = location
    return {"path": path, "line": line}


def _decisive(divergence: Divergence) -> dict[str, Any] | None:
    """The decisive call as every group made it (None for a group without that call)."""
    found = divergence.decisive
    if found is None:
        return None
    index, difference = found
    positions: list[int | None] = []
    for number, group in enumerate(divergence.groups):
        if number == divergence.base:
            positions.append(difference.base_index)
        elif number == index:
            positions.append(difference.other_index)
        elif difference.base_index is not None:
            positions.append(group.alignment.get(difference.base_index))
        else:
            positions.append(None)
    return {
        "group": index,
        "class": difference.key,
        "operation": difference.operation,
        "positions": positions,
    }


def _divergence(
    divergence: Divergence, causes: dict[str, list[str]], reference: str | None, packed: bool
) -> dict[str, Any]:
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
        "verdict": verdict(divergence, reference),
        "wording_tie": divergence.wording_tie,
        "right_tie": divergence.right_tie,
        "by_outcome": divergence.by_outcome,
        "wording_only": divergence.wording_only,
        "informational": divergence.informational,
        "status": None,
        "causes": causes.get(divergence.test_id, []),
        "decisive": _decisive(divergence),
        "groups": [_group(group, packed) for group in divergence.groups],
    }


def _commit(run: Run) -> str | None:
    commit = run.data.get("commit")
    return str(commit) if commit else None


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
        "commit": _commit(run),
        "dirty": run.data.get("dirty"),
        "complete": complete,
        "status": status,
        "tests": len(run.tests),
        "incidents": incidents,
        "broken_tests": broken,
    }


def _reference(comparison: Comparison) -> dict[str, Any] | None:
    run = comparison.reference
    if run is None:
        return None
    return {
        "backend": run.backend,
        "recorded": not comparison.reference_is_input,
        "recorded_at": run.data.get("started_at"),
        "version": run.data.get("backend_version"),
        "versions": run.data.get("versions") or {},
        "commit": _commit(run),
        "tests": len(comparison.covered) if not comparison.reference_is_input else len(run.tests),
    }


def _routing(comparison: Comparison) -> list[dict[str, Any]]:
    incidents = []
    for test_id, observed in comparison.tests.items():
        for backend, observation in observed.items():
            if observation.misrouted:
                text = routing_incident(backend, test_id, list(observation.misrouted))
                incidents.append(
                    {
                        "kind": "misrouted",
                        "backend": backend,
                        "test": test_id,
                        "message": normalize_message(text, _NO_CONTEXT),
                    }
                )
    return incidents


def _summary(comparison: Comparison, causes: list[Cause], wording: list[Family]) -> dict[str, Any]:
    by_class: Counter[str] = Counter()
    for divergence in comparison.divergences:
        by_class.update(c.key for c in divergence.classes)
    compared = sum(
        1
        for test_id in comparison.tests
        if len(comparison.compared(test_id)) + (test_id in comparison.covered) > 1
        and test_id not in comparison.not_compared
    )
    wording_only = sum(1 for d in comparison.divergences if d.wording_only)
    behaviour = [c for c in causes if not c.informational and c.fingerprint.kind != "message"]
    return {
        "tests": len(comparison.tests),
        "compared": compared,
        "agreeing": compared - len(comparison.divergences),
        "divergent": len(comparison.divergences),
        "behaviour": len(comparison.divergences) - wording_only,
        "wording_only": wording_only,
        "informational": len(comparison.informational),
        "not_compared": len(comparison.not_compared),
        "by_class": {key: by_class[key] for key in CLASSES if key in by_class},
        "broken": len({t for tests in comparison.broken.values() for t in tests}),
        "root_causes": len(behaviour) + len(wording),
        "behaviour_causes": len(behaviour),
        "wording_families": len(wording),
        "wording_causes": sum(len(family.causes) for family in wording),
    }


def _cause(cause: Cause, family: dict[str, str]) -> dict[str, Any]:
    fp = cause.fingerprint
    return {
        "family": family.get(cause.id),
        "id": cause.id,
        "class": fp.kind,
        "operation": fp.operation,
        "locus": fp.locus,
        "who": fp.who,
        "odd": list(fp.odd),
        "other": list(fp.other),
        "sentence": cause.sentence,
        "informational": cause.informational,
        "tests": cause.tests,
        "decisive": cause.decisive,
        "without_reference": cause.without_reference,
    }


def _root_causes(causes: list[Cause], wording: list[Family]) -> list[dict[str, Any]]:
    """The headline's ranked list: causes of behaviour, then one line per wording family."""
    ranked = [
        {"id": c.id, "class": c.fingerprint.kind, "sentence": c.sentence, "tests": c.tests}
        for c in causes
        if not c.informational and c.fingerprint.kind != "message"
    ]
    return ranked + [
        {"id": f.id, "class": "message", "sentence": f.sentence, "tests": f.tests} for f in wording
    ]


def _tests(comparison: Comparison, by_test: dict[str, dict[str, str]]) -> dict[str, Any]:
    return {
        test_id: {
            "area": comparison.areas[test_id],
            "location": _location(comparison.locations[test_id]),
            "not_compared": comparison.not_compared.get(test_id),
            "results": {
                backend: {"outcome": observation.outcome, "verdict": by_test[test_id][backend]}
                for backend, observation in observed.items()
            },
        }
        for test_id, observed in comparison.tests.items()
    }


def _legend() -> dict[str, Any]:
    return {
        "transformers": [{"name": t.name, "description": t.description} for t in TRANSFORMERS],
        "classes": [
            {"key": c.key, "title": c.title, "explanation": c.explanation, "behaviour": c.behaviour}
            for c in CLASSES.values()
        ],
        "unspecified": [rule.as_dict() for rule in RULES],
    }


def report_data(
    comparison: Comparison, warnings: list[str] | None = None, *, packed: bool = False
) -> dict[str, Any]:
    """Return the whole report as plain JSON data, in a stable order.

    With ``packed``, each group's calls stay deflated (:class:`ddbmatrix.packed.PackedCalls`,
    read like a tuple; the renderers inflate them one divergence at a time): the data is then
    JSON-ready for :mod:`ddbmatrix.report.json` only, not for ``json.dumps``.
    """
    causes, by_test_causes = causes_of(comparison)
    wording = families(causes)
    family = {cause.id: group.id for group in wording for cause in group.causes}
    by_test = verdicts(comparison)
    reference = comparison.reference_backend
    return {
        "schema": REPORT_SCHEMA,
        "schema_version": REPORT_SCHEMA_VERSION,
        "generated_at": utc_now(),
        "reference": _reference(comparison),
        "backends": [_backend(run, comparison) for run in comparison.runs],
        "warnings": list(warnings or []),
        "areas": sorted(set(comparison.areas.values())),
        "legend": _legend(),
        "summary": _summary(comparison, causes, wording),
        "scores": scores(comparison, by_test),
        "root_causes": _root_causes(causes, wording),
        "causes": [_cause(cause, family) for cause in causes],
        "wording": [
            {
                "id": group.id,
                "odd": list(group.odd),
                "other": list(group.other),
                "code": group.code,
                "sentence": group.sentence,
                "causes": [cause.id for cause in group.causes],
                "tests": group.tests,
            }
            for group in wording
        ],
        "tests": _tests(comparison, by_test),
        "divergences": [
            _divergence(d, by_test_causes, reference, packed) for d in comparison.divergences
        ],
        "informational": [
            _divergence(d, by_test_causes, reference, packed) for d in comparison.informational
        ],
        "not_compared": [
            {"test": test_id, "reason": reason}
            for test_id, reason in sorted(comparison.not_compared.items())
        ],
        "incidents": _routing(comparison),
        "baseline": None,
    }
