"""Render the report as Markdown: a matrix first, then each divergence side by side.

Meant for a pull-request comment or a CI step summary. The summary form (``summary_only``)
stops after the matrix, the classes and the baseline changes, and stays a few kilobytes
whatever the suite's size; the full form folds each area's divergences in a ``<details>``
block (GitHub renders them) and keeps each one to a few table rows.
"""

from __future__ import annotations

import json
from typing import Any

from ddbmatrix.report.diff import differing

__all__ = ["render_markdown"]

_CELL_LIMIT = 140
#: How many new or gone divergences the summary names before "and N more".
_LIST_LIMIT = 25


def _cell(text: str, limit: int = _CELL_LIMIT) -> str:
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return text.replace("|", "\\|").replace("\n", " ").replace("`", "'")


def _code(value: Any, limit: int = _CELL_LIMIT) -> str:
    if value is None:
        return "—"
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return f"`{_cell(text, limit)}`"


def _percent(score: dict[str, Any]) -> str:
    value = score["compatibility"]
    return "—" if value is None else f"{value:.1f}%"


def _row(label: str, cells: list[str]) -> str:
    return f"| {label} | " + " | ".join(cells) + " |"


def _header(data: dict[str, Any]) -> list[str]:
    summary = data["summary"]
    versions = " · ".join(
        f"**{backend['name']}** {backend['version'] or '?'}" for backend in data["backends"]
    )
    commits = sorted({str(b["commit"])[:10] for b in data["backends"]})
    reference = (
        "Real AWS is the reference."
        if data["reference"]
        else "No AWS run: the reference is the side the suite's assertions support, "
        "else the majority."
    )
    lines = [
        "# DynamoDB divergence report",
        "",
        f"{versions} · commit {', '.join(commits)}",
        "",
        reference,
        "",
        f"{summary['tests']} tests · {summary['compared']} compared on two or more backends · "
        f"{summary['agreeing']} agree · **{summary['divergent']} divergent**",
        "",
    ]
    for backend in data["backends"]:
        if backend["status"] == "broken":
            kinds = sorted({str(i["kind"]) for i in backend["incidents"]}) or ["failed"]
            lines.append(
                f"> **{backend['name']} is broken** ({', '.join(kinds)}): "
                f"tests left out of the comparison: {len(backend['broken_tests'])}."
            )
        elif backend["status"] == "incomplete":
            lines.append(f"> **{backend['name']}**: the run is incomplete (interrupted).")
    if len(commits) > 1:
        lines.append("> The runs come from different commits; some differences may be the suite's.")
    baseline = data["baseline"]
    if baseline is not None:
        changes = ", ".join(
            f"{name} {old} → {new}" for name, (old, new) in baseline["version_changes"].items()
        )
        lines.append(
            f"> Since the baseline{f' ({changes})' if changes else ''}: "
            f"**{baseline['new']} new**, {baseline['known']} known, "
            f"{len(baseline['gone'])} gone."
        )
    return [*lines, ""] if lines[-1] else lines


def _matrix(data: dict[str, Any]) -> list[str]:
    backends = [backend["name"] for backend in data["backends"]]
    scores = data["scores"]
    lines = [
        "## Compatibility by area",
        "",
        "Tests agreeing with the reference / tests compared.",
        "",
        _row("area", backends),
        "|---|" + "---:|" * len(backends),
    ]
    for area in data["areas"]:
        cells = []
        for backend in backends:
            score = scores[backend]["areas"].get(area)
            cells.append("N/A" if score is None else f"{score['agree']}/{score['compared']}")
        lines.append(_row(area, cells))
    lines.append(_row("**overall**", [f"**{_percent(scores[b]['overall'])}**" for b in backends]))
    for field in ("unsupported", "broken"):
        if any(scores[b]["overall"][field] for b in backends):
            lines.append(_row(field, [str(scores[b]["overall"][field]) for b in backends]))
    return [*lines, ""]


def _classes(data: dict[str, Any]) -> list[str]:
    by_class = data["summary"]["by_class"]
    if not by_class:
        return []
    lines = ["## Divergences by class", "", "| class | tests | meaning |", "|---|---:|---|"]
    for entry in data["legend"]["classes"]:
        if entry["key"] in by_class:
            lines.append(
                f"| {entry['title']} | {by_class[entry['key']]} | {entry['explanation']} |"
            )
    return [*lines, ""]


def _split(divergence: dict[str, Any]) -> str:
    return " / ".join(", ".join(group["backends"]) for group in divergence["groups"])


def _listing(title: str, entries: list[dict[str, Any]], titles: dict[str, str]) -> list[str]:
    if not entries:
        return []
    lines = [f"## {title}", ""]
    for entry in entries[:_LIST_LIMIT]:
        classes = ", ".join(titles.get(key, key) for key in entry["classes"])
        split = f" ({_split(entry)})" if "groups" in entry else ""
        lines.append(f"- `{entry['test']}`: {classes}{split}")
    if len(entries) > _LIST_LIMIT:
        lines.append(f"- … and {len(entries) - _LIST_LIMIT} more (see divergence.json)")
    return [*lines, ""]


def _baseline(data: dict[str, Any], titles: dict[str, str]) -> list[str]:
    baseline = data["baseline"]
    if baseline is None:
        return []
    new = [d for d in data["divergences"] if d["status"] == "new"]
    return _listing("New since the baseline", new, titles) + _listing(
        "Gone since the baseline", baseline["gone"], titles
    )


def _call_rows(calls: list[dict[str, Any] | None], position: int) -> list[str]:
    """Rows for the first call where groups part; rows equal in every group are left out."""

    def error(call: dict[str, Any] | None) -> str:
        if not call or not call["error"]:
            return "—"
        return _cell(f"{call['error']['code']}: {call['error']['message']}")

    present = [c for c in calls if c is not None]
    rows = [_row(f"call #{position + 1}", [c["operation"] if c else "(no call)" for c in calls])]
    if len(present) < len(calls) or len({c["status"] for c in present}) > 1:
        rows.append(_row("status", [str(c["status"]) if c else "—" for c in calls]))
    if any(c["error"] for c in present):
        rows.append(_row("error", [error(c) for c in calls]))
    if any(c["response"] != present[0]["response"] for c in present):
        responses = iter(differing([c["response"] for c in present]))
        label = "response (differing fields)"
        rows.append(_row(label, [_code(next(responses)) if c else "—" for c in calls]))
    return rows


def _divergence(divergence: dict[str, Any], titles: dict[str, str]) -> list[str]:
    groups = divergence["groups"]
    location = divergence["location"]
    classes = ", ".join(titles[key] for key in divergence["classes"])
    status = f" · **{divergence['status']}**" if divergence["status"] else ""
    name = divergence["test"].split("::", 1)[-1]
    lines = [
        f"**`{name}`** · {classes}{status} · `{location['path']}:{location['line']}`",
        "",
        f"_{divergence['verdict']}_",
        "",
    ]
    heads = [
        ", ".join(group["backends"]) + (" (reference)" if i == divergence["reference"] else "")
        for i, group in enumerate(groups)
    ]
    lines += [_row("", heads), "|---|" + "---|" * len(groups)]
    outcomes = []
    for group in groups:
        outcome = group["outcome"]
        if group["message"] and outcome != "passed":
            outcome += ": " + group["message"].splitlines()[0]
        outcomes.append(_cell(outcome))
    lines.append(_row("outcome", outcomes))
    positions = [g["first_difference"] for g in groups if g["first_difference"] is not None]
    if positions:
        position = min(positions)
        calls = [g["calls"][position] if position < len(g["calls"]) else None for g in groups]
        lines += _call_rows(calls, position)
        requests = [call["request"] for call in calls if call is not None]
        if requests and all(request == requests[0] for request in requests):
            lines += ["", f"Request: {_code(requests[0], 200)}"]
    return [*lines, ""]


def _divergences(data: dict[str, Any], titles: dict[str, str]) -> list[str]:
    if not data["divergences"]:
        return []
    lines = ["## Divergent tests", ""]
    for area in data["areas"]:
        in_area = [d for d in data["divergences"] if d["area"] == area]
        if not in_area:
            continue
        lines += [f"<details><summary><b>{area}</b>: {len(in_area)} divergent</summary>", ""]
        for divergence in in_area:
            lines += _divergence(divergence, titles)
        lines += ["</details>", ""]
    return lines


def _broken(data: dict[str, Any]) -> list[str]:
    broken = [b for b in data["backends"] if b["status"] == "broken"]
    if not broken:
        return []
    lines = ["## Broken backends", ""]
    for backend in broken:
        lines += [
            f"### {backend['name']}",
            "",
            f"Tests left out of the comparison: {len(backend['broken_tests'])}.",
            "",
        ]
        for incident in backend["incidents"]:
            during = f" during `{incident['test']}`" if incident["test"] else ""
            lines.append(
                f"- **{incident['kind']}** on worker {incident['worker'] or '?'}{during}: "
                f"{_cell(incident['message'] or '', 300)}"
            )
        lines.append("")
    return lines


def _legend(data: dict[str, Any]) -> list[str]:
    lines = [
        "## Legend",
        "",
        "Before comparing, these transformers removed what legitimately varies:",
        "",
    ]
    return lines + [
        f"- **{t['name']}**: {t['description']}" for t in data["legend"]["transformers"]
    ]


def render_markdown(data: dict[str, Any], summary_only: bool = False) -> str:
    titles = {entry["key"]: entry["title"] for entry in data["legend"]["classes"]}
    lines = _header(data) + _matrix(data) + _classes(data) + _baseline(data, titles)
    if summary_only:
        lines.append("The full report (every divergence, side by side) is in divergence.html.")
    else:
        lines += _divergences(data, titles) + _broken(data) + _legend(data)
    return "\n".join(lines) + "\n"
