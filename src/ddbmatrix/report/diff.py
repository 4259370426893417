"""Lay out JSON values side by side and mark the lines that differ from a base column.

Values are pretty-printed with sorted keys, one field per line, and compared line by line
with :mod:`difflib`: a line is marked when it is not in the base column's text at the same
place (and a base line when some column lacks or changed it). Line granularity is what a
reader scans, and it needs no JSON-path bookkeeping.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any

__all__ = ["Line", "differing", "pretty", "side_by_side"]

_ABSENT = object()


@dataclass(frozen=True)
class Line:
    text: str
    changed: bool


def pretty(value: Any) -> list[str]:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False).splitlines()


def side_by_side(values: list[Any], base: int) -> list[list[Line]]:
    """Return each value's lines, marking those that differ from ``values[base]``."""
    texts = [pretty(value) for value in values]
    base_changed = [False] * len(texts[base])
    columns: list[list[Line]] = []
    for index, lines in enumerate(texts):
        if index == base:
            columns.append([])
            continue
        changed = [False] * len(lines)
        matcher = difflib.SequenceMatcher(None, texts[base], lines, autojunk=False)
        for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
            if tag == "equal":
                continue
            for a in range(a_start, a_end):
                base_changed[a] = True
            for b in range(b_start, b_end):
                changed[b] = True
        columns.append([Line(text, mark) for text, mark in zip(lines, changed, strict=True)])
    columns[base] = [Line(text, mark) for text, mark in zip(texts[base], base_changed, strict=True)]
    return columns


def differing(values: list[Any]) -> list[Any]:
    """Keep, in each value, only the map entries that are not the same in every value.

    Maps are compared key by key, recursively; anything else (a list, a string) is kept
    whole once it differs. ``[{"a": 1, "b": 2}, {"a": 1, "b": 3}]`` gives
    ``[{"b": 2}, {"b": 3}]``: the one place a reader has to look.
    """
    if not values or not all(isinstance(value, dict) for value in values):
        return values
    kept: list[dict[str, Any]] = [{} for _ in values]
    for key in sorted(set().union(*values)):
        entries = [value.get(key, _ABSENT) for value in values]
        if all(entry == entries[0] for entry in entries):
            continue
        if all(isinstance(entry, dict) for entry in entries):
            entries = differing(entries)
        for projection, entry in zip(kept, entries, strict=True):
            if entry is not _ABSENT:
                projection[key] = entry
    return kept
