"""Render the report as Markdown: root causes first, then the scores, then each test.

Meant for a pull-request comment or a CI job summary. The summary form (``summary_only``)
holds the header, the scores, the ranked root causes and, per area, that area's first
causes: a few kilobytes whatever the suite's size, and each area reads on one screen. The
full form adds every divergent test, folded by area in ``<details>`` blocks (GitHub renders
them), each showing the decisive call first and naming its other differing calls.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any

from ddbmatrix.reference import describe_reference
from ddbmatrix.report.diff import differing

__all__ = ["markdown_chunks", "render_markdown"]

_CELL_LIMIT = 140
#: How many new or gone divergences the summary names before "and N more".
_LIST_LIMIT = 25
#: Root causes listed at the top, and per area.
_CAUSES_LIMIT = 15
_AREA_CAUSES = 5
#: Tests linked from one cause before "and N more".
_TEST_LINKS = 4


def _cell(text: str, limit: int = _CELL_LIMIT) -> str:
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return text.replace("|", "\\|").replace("\n", " ").replace("`", "'")


def _line(text: str, limit: int = 300) -> str:
    """A sentence for a list item: one line, Markdown code spans kept."""
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


def _commits(data: dict[str, Any]) -> str:
    commits = sorted({str(b["commit"])[:10] for b in data["backends"] if b["commit"]})
    if not commits:
        return "commit unknown"
    return f"commit {', '.join(commits)}"


def _header(data: dict[str, Any]) -> list[str]:
    summary = data["summary"]
    versions = " · ".join(
        f"**{backend['name']}** {backend['version'] or '?'}" for backend in data["backends"]
    )
    reference = describe_reference(data["reference"]) or (
        "No reference run: the side the suite's assertions support is right, else the "
        "majority behaviour."
    )
    lines = [
        "# DynamoDB divergence report",
        "",
        f"{versions} · {_commits(data)}",
        "",
        reference,
        "",
        f"{summary['tests']} tests · {summary['compared']} compared · {summary['agreeing']} "
        f"agree · **{summary['behaviour']} differ in behaviour** · {summary['wording_only']} "
        f"in wording only · {summary['informational']} informational · "
        f"{summary['not_compared']} not compared · **{summary['root_causes']} root causes**",
        "",
    ]
    for warning in data["warnings"]:
        lines.append(f"> **Warning:** {warning}.")
    for backend in data["backends"]:
        if backend["status"] == "broken":
            kinds = sorted({str(i["kind"]) for i in backend["incidents"]}) or ["failed"]
            lines.append(
                f"> **{backend['name']} is broken** ({', '.join(kinds)}): "
                f"tests left out of the comparison: {len(backend['broken_tests'])}."
            )
        elif backend["status"] == "incomplete":
            lines.append(f"> **{backend['name']}**: the run is incomplete (interrupted).")
    if data["incidents"]:
        lines.append(
            f"> **{len(data['incidents'])} tests made calls that another server answered**: "
            "left out for that backend, see Incidents."
        )
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


_SCORE_COLUMNS = (
    ("compared", "compared"),
    ("agree", "agree"),
    ("diverge", "behaviour differs"),
    ("wording", "wording only"),
    ("unsupported", "of which unsupported"),
    ("not_compared", "not compared"),
    ("broken", "left out"),
)


def _scores(data: dict[str, Any]) -> list[str]:
    lines = [
        "## Scores",
        "",
        "Compatibility counts behaviour only: a test differing in message wording alone "
        "agrees in behaviour, and is counted apart.",
        "",
        _row("backend", [title for _, title in _SCORE_COLUMNS] + ["compatibility"]),
        "|---|" + "---:|" * (len(_SCORE_COLUMNS) + 1),
    ]
    for backend in data["backends"]:
        overall = data["scores"][backend["name"]]["overall"]
        cells = [str(overall[key]) for key, _ in _SCORE_COLUMNS]
        lines.append(_row(backend["name"], [*cells, f"**{_percent(overall)}**"]))
    return [*lines, ""]


def _matrix(data: dict[str, Any]) -> list[str]:
    backends = [backend["name"] for backend in data["backends"]]
    scores = data["scores"]
    lines = [
        "## Compatibility by area",
        "",
        "Tests agreeing in behaviour with the right side / tests compared.",
        "",
        _row("area", backends),
        "|---|" + "---:|" * len(backends),
    ]
    for area in data["areas"]:
        cells = []
        for backend in backends:
            score = scores[backend]["areas"].get(area)
            if score is None or not score["compared"]:
                cells.append("N/A")
            else:
                cells.append(f"{score['agree'] + score['wording']}/{score['compared']}")
        lines.append(_row(area, cells))
    lines.append(_row("**overall**", [f"**{_percent(scores[b]['overall'])}**" for b in backends]))
    return [*lines, ""]


def _test_link(test: str, ids: dict[str, str], links: bool) -> str:
    name = test.split("::", 1)[-1]
    return f"[`{name}`](#{ids[test]})" if links and test in ids else f"`{name}`"


def _cause_line(cause: dict[str, Any], ids: dict[str, str], links: bool, tests: list[str]) -> str:
    shown = ", ".join(_test_link(t, ids, links) for t in tests[:_TEST_LINKS])
    more = f" and {len(tests) - _TEST_LINKS} more" if len(tests) > _TEST_LINKS else ""
    count = f"{len(tests)} test{'s' * (len(tests) != 1)}"
    hedge = " (no side has a majority in some)" if cause["without_reference"] else ""
    return f"{_line(cause['sentence'])}{hedge} — **{count}**: {shown}{more}"


def _behaviour_causes(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in data["causes"] if not c["informational"] and c["class"] != "message"]


def _causes(data: dict[str, Any], ids: dict[str, str], links: bool) -> list[str]:
    counted = _behaviour_causes(data)
    if not counted and not data["wording"]:
        return []
    lines = [
        "## Root causes",
        "",
        "Each difference, grouped with the same difference in other tests; most severe "
        "first, then by tests affected.",
        "",
    ]
    for number, cause in enumerate(counted[:_CAUSES_LIMIT], 1):
        lines.append(f"{number}. {_cause_line(cause, ids, links, cause['tests'])}")
    if len(counted) > _CAUSES_LIMIT:
        lines.append(
            f"\n… and {len(counted) - _CAUSES_LIMIT} more causes of behaviour: see each area "
            "below, divergence.html or divergence.json."
        )
    if data["wording"]:
        lines += ["", "Wording only (not behaviour; counted apart):", ""]
        for family in data["wording"][:_AREA_CAUSES]:
            count = len(family["tests"])
            lines.append(f"- {_line(family['sentence'])} — {count} test{'s' * (count != 1)}")
        if len(data["wording"]) > _AREA_CAUSES:
            lines.append(f"- … and {len(data['wording']) - _AREA_CAUSES} more")
    return [*lines, ""]


def _area_causes(data: dict[str, Any], ids: dict[str, str], links: bool) -> list[str]:
    areas = data["tests"]
    by_area: dict[str, list[tuple[dict[str, Any], list[str]]]] = defaultdict(list)
    for cause in _behaviour_causes(data):
        tests_by_area: dict[str, list[str]] = defaultdict(list)
        for test in cause["tests"]:
            tests_by_area[areas[test]["area"]].append(test)
        for area, tests in tests_by_area.items():
            by_area[area].append((cause, tests))
    if not by_area:
        return []
    lines = ["## Root causes by area", ""]
    for area in data["areas"]:
        entries = sorted(by_area.get(area, []), key=lambda e: (_severity(data, e[0]), -len(e[1])))
        if not entries:
            continue
        divergent = sum(1 for d in data["divergences"] if d["area"] == area)
        lines += [f"### {area}: {divergent} divergent tests, {len(entries)} root causes", ""]
        for cause, tests in entries[:_AREA_CAUSES]:
            lines.append(f"- {_cause_line(cause, ids, links, tests)}")
        if len(entries) > _AREA_CAUSES:
            lines.append(f"- … and {len(entries) - _AREA_CAUSES} more")
        lines.append("")
    return lines


def _severity(data: dict[str, Any], cause: dict[str, Any]) -> int:
    keys = [entry["key"] for entry in data["legend"]["classes"]]
    return keys.index(cause["class"])


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


def _call_rows(calls: list[dict[str, Any] | None], positions: list[int | None]) -> list[str]:
    """Rows for one call in every group; rows equal in every group are left out."""

    def error(call: dict[str, Any] | None) -> str:
        if not call or not call["error"]:
            return "—"
        return _cell(f"{call['error']['code']}: {call['error']['message']}")

    present = [c for c in calls if c is not None]
    heads = [
        f"#{p + 1} {c['operation']}" if c is not None and p is not None else "(no such call)"
        for c, p in zip(calls, positions, strict=True)
    ]
    rows = [_row("decisive call", heads)]
    if len(present) < len(calls) or len({c["status"] for c in present}) > 1:
        rows.append(_row("status", [str(c["status"]) if c else "—" for c in calls]))
    if any(c["error"] for c in present):
        rows.append(_row("error", [error(c) for c in calls]))
    if any(c["response"] != present[0]["response"] for c in present):
        responses = iter(differing([c["response"] for c in present]))
        label = "response (differing fields)"
        rows.append(_row(label, [_code(next(responses)) if c else "—" for c in calls]))
    return rows


def _outcome(group: dict[str, Any]) -> str:
    outcome = group["outcome"]
    exception = group["exception"]
    if outcome == "raised" and exception:
        outcome += f" {exception['type']}" + (f" {exception['code']}" if exception["code"] else "")
    if group["message"] and group["outcome"] != "passed":
        outcome += ": " + group["message"].splitlines()[0]
    return _cell(outcome)


def _others(divergence: dict[str, Any], titles: dict[str, str]) -> list[str]:
    """The differing calls other than the decisive one, one line each."""
    decisive = divergence["decisive"]
    seen: dict[tuple[int | None, str], list[str]] = {}
    for group in divergence["groups"]:
        for difference in group["differences"]:
            if decisive and difference == group["decisive"] and decisive["class"]:
                continue
            where = (difference["base_index"], difference["operation"])
            tag = titles.get(difference["class"], difference["class"])
            if difference["informational"]:
                tag += " (informational)"
            seen.setdefault(where, []).append(f"{', '.join(group['backends'])}: {tag}")
    return [
        f"- call #{(index or 0) + 1} {operation}: {'; '.join(parts)}"
        for (index, operation), parts in sorted(
            seen.items(), key=lambda e: (e[0][0] or -1, e[0][1])
        )
    ]


def _divergence(
    divergence: dict[str, Any], titles: dict[str, str], sentences: dict[str, str]
) -> list[str]:
    groups = divergence["groups"]
    location = divergence["location"]
    classes = ", ".join(titles[key] for key in divergence["classes"]) or "informational"
    status = f" · **{divergence['status']}**" if divergence["status"] else ""
    name = divergence["test"].split("::", 1)[-1]
    lines = [
        f'<a id="{divergence["id"]}"></a>**`{name}`** · {classes}{status} · '
        f"`{location['path']}:{location['line']}`",
        "",
        f"_{divergence['verdict']}_",
        "",
    ]
    heads = [
        ", ".join(group["backends"]) + (" (reference)" if i == divergence["reference"] else "")
        for i, group in enumerate(groups)
    ]
    lines += [_row("", heads), "|---|" + "---|" * len(groups)]
    lines.append(_row("outcome", [_outcome(group) for group in groups]))
    decisive = divergence["decisive"]
    if decisive is not None:
        positions = decisive["positions"]
        calls = [
            g["calls"][p] if p is not None and p < len(g["calls"]) else None
            for g, p in zip(groups, positions, strict=True)
        ]
        lines += _call_rows(calls, positions)
    others = _others(divergence, titles)
    if others:
        lines += ["", "Other differing calls:", "", *others]
    if divergence["causes"]:
        lines += ["", "Causes: " + "; ".join(sentences[c] for c in divergence["causes"][:3])]
    return [*lines, ""]


def _divergences(data: dict[str, Any], titles: dict[str, str]) -> Iterator[list[str]]:
    """The divergent tests' lines, a divergence at a time (all of them: tens of MB at 16x)."""
    if not data["divergences"]:
        return
    sentences = {cause["id"]: cause["sentence"] for cause in data["causes"]}
    yield ["## Divergent tests", ""]
    for area in data["areas"]:
        in_area = [d for d in data["divergences"] if d["area"] == area]
        if not in_area:
            continue
        yield [f"<details><summary><b>{area}</b>: {len(in_area)} divergent</summary>", ""]
        for divergence in in_area:
            yield _divergence(divergence, titles, sentences)
        yield ["</details>", ""]


def _informational(data: dict[str, Any]) -> list[str]:
    if not data["informational"]:
        return []
    sentences = {cause["id"]: cause["sentence"] for cause in data["causes"]}
    lines = [
        "## Informational (shown, never counted)",
        "",
        "These tests differ only where DynamoDB leaves the behaviour unspecified (see the legend).",
        "",
    ]
    for entry in data["informational"]:
        why = "; ".join(sentences[c] for c in entry["causes"][:2])
        lines.append(f"- `{entry['test']}`: {why}")
    return [*lines, ""]


def _not_compared(data: dict[str, Any]) -> list[str]:
    if not data["not_compared"]:
        return []
    lines = ["## Not compared", "", "Never counted as agreement.", ""]
    lines += [f"- `{entry['test']}`: {entry['reason']}" for entry in data["not_compared"]]
    return [*lines, ""]


def _incidents(data: dict[str, Any]) -> list[str]:
    if not data["incidents"]:
        return []
    lines = ["## Incidents", ""]
    lines += [f"- {_cell(incident['message'], 400)}" for incident in data["incidents"]]
    return [*lines, ""]


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
    legend = data["legend"]
    lines = ["## Legend", "", "Classes, most severe first (a test's class is its worst):", ""]
    lines += [
        f"- **{c['title']}**: {c['explanation']}" + ("" if c["behaviour"] else " (not behaviour)")
        for c in legend["classes"]
    ]
    lines += ["", "What DynamoDB leaves unspecified, and how the report treats it:", ""]
    lines += [
        f"- **{r['name']}** ({r['kind']}): {r['description']}. [Source]({r['source']}): "
        f"“{r['quote']}”"
        for r in legend["unspecified"]
    ]
    lines += ["", "Before comparing, these transformers removed what legitimately varies:", ""]
    return lines + [f"- **{t['name']}**: {t['description']}" for t in legend["transformers"]]


def markdown_chunks(data: dict[str, Any], summary_only: bool = False) -> Iterator[str]:
    """Yield the text of :func:`render_markdown` in pieces, each some whole lines.

    The divergent tests come a divergence at a time, so the file can be written as they
    come and the whole text (and its lines) never sits in memory at once.
    """
    titles = {entry["key"]: entry["title"] for entry in data["legend"]["classes"]}
    ids = {d["test"]: d["id"] for d in [*data["divergences"], *data["informational"]]}
    links = not summary_only
    lines = _header(data) + _causes(data, ids, links) + _scores(data) + _matrix(data)
    lines += _area_causes(data, ids, links) + _baseline(data, titles)
    if summary_only:
        lines.append("The full report (every test, side by side) is in divergence.html.")
        pieces: Iterable[list[str]] = [lines]
    else:
        rest = [_informational, _not_compared, _incidents, _broken, _legend]
        pieces = chain([lines], _divergences(data, titles), (section(data) for section in rest))
    for piece in pieces:
        if piece:
            yield "".join(line + "\n" for line in piece)


def render_markdown(data: dict[str, Any], summary_only: bool = False) -> str:
    return "".join(markdown_chunks(data, summary_only))
