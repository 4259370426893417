"""Render the report as Markdown: a matrix first, then each divergence side by side."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["render_markdown"]

_CELL_LIMIT = 300


def _cell(text: str, limit: int = _CELL_LIMIT) -> str:
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return text.replace("|", "\\|").replace("\n", " ")


def _code(value: Any) -> str:
    if value is None:
        return "—"
    text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return f"`{_cell(text)}`"


def _percent(score: dict[str, Any]) -> str:
    value = score["compatibility"]
    return "—" if value is None else f"{value:.1f}%"


def _header(data: dict[str, Any]) -> list[str]:
    summary = data["summary"]
    versions = " · ".join(
        f"**{run['backend']}** {run['backend_version'] or '?'}" for run in data["runs"]
    )
    reference = (
        "real AWS is the reference"
        if data["reference"]
        else "no AWS run: each test's majority is the reference"
    )
    lines = [
        "# DynamoDB divergence report",
        "",
        f"{versions} — {reference}.",
        "",
        f"{summary['tests']} tests, {summary['compared']} run on two or more backends, "
        f"**{summary['divergent']} divergent**.",
        "",
    ]
    incomplete = [run["backend"] for run in data["runs"] if not run["complete"]]
    if incomplete:
        lines += [f"> Incomplete runs (interrupted or broken): {', '.join(incomplete)}.", ""]
    commits = {run["commit"] for run in data["runs"]}
    if len(commits) > 1:
        lines += [
            "> The runs come from different commits; some differences may be the suite's.",
            "",
        ]
    return lines


def _matrix(data: dict[str, Any]) -> list[str]:
    backends = [run["backend"] for run in data["runs"]]
    areas = sorted({area for s in data["scores"].values() for area in s["areas"]})
    lines = [
        "## Agreement by area",
        "",
        "Tests agreeing with the reference / tests run.",
        "",
        "| area | " + " | ".join(backends) + " |",
        "|---|" + "---:|" * len(backends),
    ]
    for area in areas:
        cells = []
        for backend in backends:
            score = data["scores"][backend]["areas"].get(area)
            cells.append("N/A" if score is None else f"{score['agree']}/{score['run']}")
        lines.append(f"| {area} | " + " | ".join(cells) + " |")
    overall = [f"**{_percent(data['scores'][b]['overall'])}**" for b in backends]
    lines += ["| **overall** | " + " | ".join(overall) + " |", ""]
    return lines


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


def _row(label: str, cells: list[str]) -> str:
    return f"| {label} | " + " | ".join(cells) + " |"


def _call_rows(calls: list[dict[str, Any] | None], position: int) -> list[str]:
    def error(call: dict[str, Any] | None) -> str:
        if not call or not call["error"]:
            return "—"
        return _cell(f"{call['error']['code']}: {call['error']['message']}", 200)

    return [
        _row(f"call #{position + 1}", [c["operation"] if c else "(no call)" for c in calls]),
        _row("status", [str(c["status"]) if c else "—" for c in calls]),
        _row("error", [error(c) for c in calls]),
        _row("response", [_code(c["response"]) if c else "—" for c in calls]),
    ]


def _divergence(divergence: dict[str, Any], titles: dict[str, str]) -> list[str]:
    groups = divergence["groups"]
    path, line = ([*divergence["location"], None, None])[:2]
    classes = ", ".join(titles[key] for key in divergence["classes"])
    lines = [f"### `{divergence['test']}`", "", f"{classes} · `{path}:{line}`", ""]
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
        outcomes.append(_cell(outcome, 160))
    lines.append(_row("outcome", outcomes))
    positions = [g["first_difference"] for g in groups if g["first_difference"] is not None]
    if positions:
        position = positions[0]
        calls = [g["calls"][position] if position < len(g["calls"]) else None for g in groups]
        lines += _call_rows(calls, position)
        request = next(call for call in calls if call is not None)["request"]
        lines += ["", f"Request: {_code(request)}"]
    return [*lines, ""]


def render_markdown(data: dict[str, Any], summary_only: bool = False) -> str:
    lines = _header(data) + _matrix(data) + _classes(data)
    if not summary_only and data["divergences"]:
        titles = {entry["key"]: entry["title"] for entry in data["legend"]["classes"]}
        lines += ["## Divergent tests", ""]
        for divergence in data["divergences"]:
            lines += _divergence(divergence, titles)
    lines += [
        "## Legend",
        "",
        "Before comparing, these transformers removed what legitimately varies:",
        "",
    ]
    lines += [f"- **{t['name']}**: {t['description']}" for t in data["legend"]["transformers"]]
    return "\n".join(lines) + "\n"
