"""Compare two JSON bodies field by field: which paths were added, removed, changed, reordered.

A path reads like the JSON it points into: ``TableDescription.WarmThroughput``,
``Items[].n.N`` (``[]`` stands for any element of a list). A field one side lacks is one
difference at its own path, not one per field inside it. A list whose elements are the same
but in another order is one ``order`` difference; a list of another length is one ``content``
difference at the list.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

__all__ = ["FieldDifference", "field_differences"]

Json = Any
#: Most differences a pair of bodies reports (the rest say nothing new to a reader).
_LIMIT = 50


@dataclass(frozen=True)
class FieldDifference:
    path: str
    #: "content", "shape", "order" or "message"
    kind: str
    #: The value on the reference (base) side and on the other side; None when absent.
    base: Json
    other: Json
    #: "added" (only the other side has it), "removed", "changed" or "reordered".
    change: str = "changed"
    #: Name of the rule (:mod:`ddbmatrix.unspecified`) under which DynamoDB leaves this open.
    informational: str | None = None

    def as_dict(self) -> dict[str, Json]:
        return {
            "path": self.path,
            "kind": self.kind,
            "change": self.change,
            "base": self.base,
            "other": self.other,
            "informational": self.informational,
        }


def _canonical(value: Json) -> str:
    return json.dumps(value, sort_keys=True)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _walk(a: Json, b: Json, path: str, out: list[FieldDifference]) -> None:
    if a == b or len(out) >= _LIMIT:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(a.keys() | b.keys()):
            where = _join(path, key)
            if key not in b:
                out.append(FieldDifference(where, "shape", a[key], None, "removed"))
            elif key not in a:
                out.append(FieldDifference(where, "shape", None, b[key], "added"))
            else:
                _walk(a[key], b[key], where, out)
        return
    if isinstance(a, list) and isinstance(b, list):
        if Counter(map(_canonical, a)) == Counter(map(_canonical, b)):
            out.append(FieldDifference(path, "order", a, b, "reordered"))
        elif len(a) == len(b):
            seen = {(d.path, d.kind, d.change) for d in out}
            inner: list[FieldDifference] = []
            for x, y in zip(a, b, strict=True):
                _walk(x, y, f"{path}[]", inner)
            for difference in inner:  # one per path: the first element that shows it
                if (difference.path, difference.kind, difference.change) not in seen:
                    seen.add((difference.path, difference.kind, difference.change))
                    out.append(difference)
        else:
            out.append(FieldDifference(path, "content", a, b))
        return
    out.append(FieldDifference(path, "content", a, b))


def field_differences(base: Json, other: Json) -> list[FieldDifference]:
    """Return every difference between two bodies, as seen from ``base``."""
    out: list[FieldDifference] = []
    _walk(base, other, "", out)
    return out[:_LIMIT]
