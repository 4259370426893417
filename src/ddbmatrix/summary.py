"""The short summary a run ends with: what each backend did, the report's headline, its path.

``nox -s all-backends`` (and ``tox``) end with ``ddbmatrix report``, which prints::

    ddbmatrix: 5 backends, 777 tests
      dynalite 4.0.0        581 passed, 196 failed, 0 broken   reports/runs/dynalite.json
      ...
    528 of 777 tests compared diverge: 441 in behaviour, 87 in wording only (...)
    449 root causes (429 of behaviour, 20 wording families); the largest: ... (108 tests)
    since the baseline: 0 new, 547 known, 0 gone
    report: file:///.../reports/divergence.html

A backend session (pytest alone) prints the per-backend lines at the end of pytest's output.
Each part is a function of its own, so the headline can grow without touching the rest.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["backend_line", "headline", "report_summary", "tally"]

#: Outcomes counted as failed (the rest of a test's outcomes are passed, skipped, xfailed).
_FAILED = frozenset({"failed", "raised", "error", "xpassed"})
#: How many new divergences the summary names before "and N more".
NEW_LIMIT = 10


def tally(records: Iterable[dict[str, Any]]) -> Counter[str]:
    """Count test records as passed, failed, broken (the backend failed), skipped, xfailed."""
    counts: Counter[str] = Counter({"passed": 0, "failed": 0, "broken": 0})
    for record in records:
        outcome = str(record.get("outcome"))
        if record.get("backend_failure") or outcome == "interrupted":
            counts["broken"] += 1
        elif outcome in _FAILED:
            counts["failed"] += 1
        else:
            counts[outcome] += 1
    return counts


def backend_line(
    name: str, version: str | None, records: Sequence[dict[str, Any]], where: str
) -> str:
    """Return one backend's line: its counts, then where its run file is."""
    counts = tally(records)
    parts = [f"{counts.pop(key)} {key}" for key in ("passed", "failed", "broken")]
    parts += [f"{n} {key}" for key, n in sorted(counts.items()) if n]
    label = f"{name} {version or '?'}"
    return f"  {label:<24} {', '.join(parts):<40} {where}"


def _root_causes(data: dict[str, Any]) -> str | None:
    causes = data.get("root_causes")
    if not causes:
        return None
    summary = data["summary"]

    def size(cause: dict[str, Any]) -> int:
        tests = cause.get("tests")
        return len(tests) if isinstance(tests, list) else int(tests or 0)

    # The list is ranked by severity; the reviewer's first question is which cause is biggest.
    largest = max(causes, key=size)
    split = ""
    if "behaviour_causes" in summary:
        split = (
            f" ({summary['behaviour_causes']} of behaviour, "
            f"{summary['wording_families']} wording families)"
        )
    sentence, count = largest["sentence"], size(largest)
    return f"{len(causes)} root causes{split}; the largest: {sentence} ({count} tests)"


def _baseline(data: dict[str, Any]) -> list[str]:
    baseline = data.get("baseline")
    if baseline is None:
        return []
    lines = [
        f"since the baseline: {baseline['new']} new, {baseline['known']} known, "
        f"{len(baseline['gone'])} gone"
    ]
    new = [d for d in data["divergences"] if d.get("status") == "new"]
    lines += [f"  new: {divergence['key']}" for divergence in new[:NEW_LIMIT]]
    if len(new) > NEW_LIMIT:
        lines.append(f"  ... and {len(new) - NEW_LIMIT} more new (see divergence.md)")
    return lines


def headline(data: dict[str, Any]) -> list[str]:
    """Return the report's headline: divergences, root causes, changes since the baseline."""
    summary = data["summary"]
    first = f"{summary['divergent']} of {summary['compared']} tests compared diverge"
    if "behaviour" in summary:
        first += (
            f": {summary['behaviour']} in behaviour, {summary['wording_only']} in wording only "
            f"({summary['informational']} informational, {summary['not_compared']} not compared)"
        )
    causes = _root_causes(data)
    lines = [first, causes] if causes else [first]
    broken = [b["name"] for b in data["backends"] if b.get("status") == "broken"]
    if broken:
        lines.append(f"broken: {', '.join(broken)} (see the report's 'Broken backends')")
    return lines + _baseline(data)


def report_summary(
    data: dict[str, Any], runs: Sequence[tuple[Path, dict[str, Any]]], html: Path
) -> list[str]:
    """Return the summary block of a report built from ``runs`` (path, run file data)."""
    versions = {b["name"]: b["version"] for b in data["backends"]}
    lines = [f"ddbmatrix: {len(data['backends'])} backends, {data['summary']['tests']} tests"]
    for path, run in runs:
        name = str(run["backend"])
        lines.append(backend_line(name, versions.get(name), run["tests"], str(path)))
    return [*lines, *headline(data), f"report: {html.resolve().as_uri()}"]
