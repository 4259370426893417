"""Render the report as one self-contained HTML file (no network: styles and script inline).

The page is a Jinja2 template shipped in ``templates/``; this module only prepares what the
template shows: for each divergence, every call of the test, either once (all groups made
the same call and got the same answer) or side by side, one column per group, with the lines
that differ from the reference marked.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ddbmatrix.report.diff import pretty, side_by_side

__all__ = ["render_html"]

_ENVIRONMENT = Environment(
    loader=PackageLoader("ddbmatrix.report", "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _band(compatibility: float | None) -> str:
    if compatibility is None:
        return "na"
    return "high" if compatibility >= 90 else "mid" if compatibility >= 70 else "low"


_ENVIRONMENT.filters.update(
    band=_band,
    percent=lambda value: "—" if value is None else f"{value:.1f}%",
    short_commit=lambda commit: str(commit)[:10] if commit else "unknown",
    title_of=lambda key, titles: titles.get(key, key),
)


def _answer(call: dict[str, Any] | None, with_request: bool) -> Any:
    if call is None:
        return "(no call)"
    answer = {key: call[key] for key in ("status", "error", "response")}
    return {"request": call["request"], **answer} if with_request else answer


def _calls(divergence: dict[str, Any]) -> list[dict[str, Any]]:
    groups = divergence["groups"]
    base = divergence["reference"] if divergence["reference"] is not None else 0
    views = []
    for index in range(max(len(group["calls"]) for group in groups)):
        calls = [g["calls"][index] if index < len(g["calls"]) else None for g in groups]
        present = [call for call in calls if call is not None]
        operation = present[0]["operation"]
        if len(present) == len(calls) and all(call == present[0] for call in present):
            views.append(
                {"index": index, "operation": operation, "same": True, "lines": pretty(present[0])}
            )
            continue
        requests = [call["request"] for call in present]
        same_request = len(present) == len(calls) and all(r == requests[0] for r in requests)
        answers = [_answer(call, with_request=not same_request) for call in calls]
        views.append(
            {
                "index": index,
                "operation": operation,
                "same": False,
                "request": pretty(requests[0]) if same_request else None,
                "columns": side_by_side(answers, base),
            }
        )
    return views


def _source_link(location: dict[str, Any], source_url: str | None, out_dir: Path) -> str | None:
    path, line = location["path"], location["line"]
    if path is None:
        return None
    if source_url:
        return source_url.format(path=path, line=line or 1)
    relative = os.path.relpath(Path.cwd() / path, out_dir.resolve())
    return Path(relative).as_posix() + (f"#L{line}" if line else "")


def render_html(data: dict[str, Any], out_dir: Path, source_url: str | None = None) -> str:
    """Return the HTML page of the report ``data`` written to ``out_dir``.

    ``source_url`` turns test locations into links, e.g.
    ``https://github.com/OWNER/REPO/blob/SHA/{path}#L{line}``; without it, links are relative
    paths from ``out_dir`` to the test files.
    """
    divergences = [
        {
            **divergence,
            "groups_json": json.dumps([g["backends"] for g in divergence["groups"]]),
            "source": _source_link(divergence["location"], source_url, out_dir),
            "call_views": _calls(divergence),
        }
        for divergence in data["divergences"]
    ]
    titles = {entry["key"]: entry["title"] for entry in data["legend"]["classes"]}
    template = _ENVIRONMENT.get_template("divergence.html")
    return template.render(
        data=data,
        divergences=divergences,
        titles=titles,
        backends=[backend["name"] for backend in data["backends"]],
    )
