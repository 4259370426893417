"""Render the report as one self-contained HTML file (no network: styles and script inline).

The page is a Jinja2 template shipped in ``templates/``; this module only prepares what the
template shows. The page opens with the root causes, each listing its tests when opened. The
divergent tests follow as one line each, a page at a time, filtered and searched in the
browser from a compact index; a test's detail (its groups, the decisive call side by side,
every other call) is embedded as compressed JSON and drawn only when the test is opened. So
the page opens as quickly at ten thousand divergences as at ten, and stays one file that
works from ``file://``.

For each divergence, the decisive call comes first, side by side (one column per group,
lines that differ from the reference marked, as :func:`ddbmatrix.report.diff.side_by_side`
marks them); every other call follows, collapsed: once when all groups made it alike, side
by side when they did not.
"""

from __future__ import annotations

import base64
import json
import os
import zlib
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ddbmatrix.reference import describe_reference

__all__ = ["render_html"]

_ENVIRONMENT = Environment(
    loader=PackageLoader("ddbmatrix.report", "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
#: Fast enough to add little to the build, and a test's detail shrinks about fivefold.
_COMPRESSION = 6


def _band(compatibility: float | None) -> str:
    if compatibility is None:
        return "na"
    return "high" if compatibility >= 90 else "mid" if compatibility >= 70 else "low"


_ENVIRONMENT.filters.update(
    band=_band,
    percent=lambda value: "—" if value is None else f"{value:.1f}%",
    short_commit=lambda commit: str(commit)[:10] if commit else "unknown",
    title_of=lambda key, titles: titles.get(key, key),
    test_name=lambda test: test.split("::", 1)[-1],
)


def _answer(call: dict[str, Any] | None, with_request: bool) -> Any:
    if call is None:
        return "(no such call)"
    answer = {key: call[key] for key in ("status", "error", "response")}
    return {"request": call["request"], **answer} if with_request else answer


def _view(
    calls: list[dict[str, Any] | None], positions: list[int | None], base: int
) -> dict[str, Any]:
    """One call as every group made it: once if all alike, else side by side.

    Values are left as they are: the page's script pretty-prints them and marks the lines
    that differ when the test is opened, so the build never lays out a call nobody reads.
    """
    present = [call for call in calls if call is not None]
    first = present[0]
    index = (
        positions[base]
        if positions[base] is not None
        else next(p for p in positions if p is not None)
    )
    if len(present) == len(calls) and all(call == first for call in present):
        return {"index": index, "operation": first["operation"], "same": True, "value": first}
    requests = [call["request"] for call in present]
    same_request = len(present) == len(calls) and all(r == requests[0] for r in requests)
    return {
        "index": index,
        "operation": first["operation"],
        "same": False,
        "request": requests[0] if same_request else None,
        "answers": [_answer(call, with_request=not same_request) for call in calls],
        "base": base if calls[base] is not None else 0,
    }


def _calls(divergence: dict[str, Any]) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """Return the decisive call's view and the views of every other call, in call order."""
    groups = divergence["groups"]
    base = divergence["reference"] if divergence["reference"] is not None else 0
    maps = [dict(map(tuple, g["alignment"])) for g in groups]
    decisive = divergence["decisive"]
    views: list[tuple[dict[str, Any], bool]] = []
    for index in range(len(groups[base]["calls"])):
        positions = [index if g == base else maps[g].get(index) for g in range(len(groups))]
        calls = [groups[g]["calls"][p] if p is not None else None for g, p in enumerate(positions)]
        is_decisive = decisive is not None and decisive["positions"] == positions
        views.append((_view(calls, positions, base), is_decisive))
    for number, group in enumerate(groups):  # calls only some groups made
        aligned = set(maps[number].values()) if number != base else set(range(len(group["calls"])))
        for own in range(len(group["calls"])):
            if own in aligned:
                continue
            positions = [own if g == number else None for g in range(len(groups))]
            calls = [group["calls"][own] if g == number else None for g in range(len(groups))]
            is_decisive = decisive is not None and decisive["positions"] == positions
            views.append((_view(calls, positions, number), is_decisive))
    first = next((view for view, is_decisive in views if is_decisive), None)
    return first, [view for view, is_decisive in views if not is_decisive]


def _source_link(location: dict[str, Any], source_url: str | None, out_dir: Path) -> str | None:
    """Link a test's location: ``source_url`` filled in, else relative to ``out_dir``.

    ``out_dir`` is resolved already (once for the page, not for each of its tests).
    """
    path, line = location["path"], location["line"]
    if path is None:
        return None
    if source_url:
        return source_url.format(path=path, line=line or 1)
    relative = os.path.relpath(os.path.join(os.getcwd(), path), out_dir)
    return Path(relative).as_posix() + (f"#L{line}" if line else "")


def _entry(divergence: dict[str, Any], section: str) -> dict[str, Any]:
    """What the list shows of a divergence before it is opened, and what filters read."""
    return {
        "id": divergence["id"],
        "test": divergence["test"],
        "area": divergence["area"],
        "section": section,
        "classes": divergence["classes"] or ["informational"],
        "chips": divergence["classes"],
        "informational": divergence["informational"],
        "status": divergence["status"] or "",
        "groups": [g["backends"] for g in divergence["groups"]],
        "reference": divergence["reference"],
    }


def _detail(
    divergence: dict[str, Any], sentences: dict[str, str], source_url: str | None, out_dir: Path
) -> dict[str, Any]:
    """What an opened divergence shows."""
    decisive, others = _calls(divergence)
    return {
        "verdict": divergence["verdict"],
        "location": divergence["location"],
        "source": _source_link(divergence["location"], source_url, out_dir),
        "causes": [[cid, sentences[cid]] for cid in divergence["causes"]],
        "groups": [
            {
                key: group[key]
                for key in ("backends", "outcome", "exception", "message", "class", "verdict")
            }
            for group in divergence["groups"]
        ],
        "decisive": decisive,
        "others": others,
    }


def _cause_tests(cause: dict[str, Any], number: dict[str, int]) -> list[list[int]]:
    """A cause's tests as [divergence number, 1 if it is decisive there else 0]."""
    decisive = set(cause["decisive"])
    return [[number[test], int(test in decisive)] for test in cause["tests"] if test in number]


def _packed(value: Any) -> str:
    """``value`` as compact JSON, deflated and in base64: the browser inflates it natively."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return base64.b64encode(zlib.compress(text.encode("utf-8"), _COMPRESSION)).decode("ascii")


def _script_json(value: Any) -> Markup:
    """JSON safe inside a ``<script>`` element: no ``<`` can close it or open a comment."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return Markup(text.replace("<", "\\u003c"))


def render_html(data: dict[str, Any], out_dir: Path, source_url: str | None = None) -> str:
    """Return the HTML page of the report ``data`` written to ``out_dir``.

    ``source_url`` turns test locations into links, e.g.
    ``https://github.com/OWNER/REPO/blob/SHA/{path}#L{line}``; without it, links are relative
    paths from ``out_dir`` to the test files.
    """
    titles = {entry["key"]: entry["title"] for entry in data["legend"]["classes"]}
    sentences = {cause["id"]: cause["sentence"] for cause in data["causes"]}
    shown = [
        *((d, "divergences") for d in data["divergences"]),
        *((d, "informational") for d in data["informational"]),
    ]
    number = {d["test"]: index for index, (d, _) in enumerate(shown)}
    index = {
        "titles": titles,
        "divergences": [_entry(d, section) for d, section in shown],
        # cause id -> [[divergence number, decisive there]], for the cause's list of tests
        "causes": {cause["id"]: _cause_tests(cause, number) for cause in data["causes"]},
    }
    out_dir = out_dir.resolve()
    details = [(d["id"], _packed(_detail(d, sentences, source_url, out_dir))) for d, _ in shown]
    template = _ENVIRONMENT.get_template("divergence.html")
    return template.render(
        data=data,
        divergence_count=len(data["divergences"]),
        informational_count=len(data["informational"]),
        titles=titles,
        index=_script_json(index),
        details=details,
        reference=describe_reference(data["reference"]),
        backends=[backend["name"] for backend in data["backends"]],
    )
