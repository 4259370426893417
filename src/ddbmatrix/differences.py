"""Every difference between two backends' calls of one test, not only the first.

The two call lists are aligned by what the test asked (operation and request), so an extra
call on one side (one more page, a retry the test made after an error) shifts nothing: it is
one ``requests`` difference, and the calls after it are still compared with their
counterparts. Each aligned pair that differs is classified (:mod:`ddbmatrix.classify`), and
what DynamoDB leaves unspecified is marked informational (:mod:`ddbmatrix.unspecified`).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ddbmatrix.classify import compare_calls, most_severe
from ddbmatrix.fields import FieldDifference
from ddbmatrix.unspecified import mark_informational

__all__ = ["CallDifference", "align", "call_differences"]

Json = Any
Call = dict[str, Json]


@dataclass(frozen=True)
class CallDifference:
    """One call that differs between a base (the reference) and another group."""

    #: The class key (see :data:`ddbmatrix.classify.CLASSES`).
    key: str
    operation: str
    #: Index of the call in the base's and in the other group's calls; None: no such call.
    base_index: int | None
    other_index: int | None
    fields: tuple[FieldDifference, ...] = field(default=())
    #: Set when every field difference is one DynamoDB leaves unspecified (the rule's name).
    informational: str | None = None

    def counted(self, outcomes_differ: bool) -> bool:
        """Whether this difference counts (an informational one counts when outcomes differ)."""
        return self.informational is None or outcomes_differ


def _key(call: Call) -> tuple[str, str]:
    return call["operation"], json.dumps(call.get("request"), sort_keys=True)


def align(base: Sequence[Call], other: Sequence[Call]) -> list[tuple[int | None, int | None]]:
    """Pair the calls of two tests by operation and request; unpaired calls pair with None."""
    matcher = difflib.SequenceMatcher(
        None, [_key(c) for c in base], [_key(c) for c in other], autojunk=False
    )
    pairs: list[tuple[int | None, int | None]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        common = min(i2 - i1, j2 - j1) if tag in ("equal", "replace") else 0
        pairs += [(i1 + k, j1 + k) for k in range(common)]
        pairs += [(i, None) for i in range(i1 + common, i2)]
        pairs += [(None, j) for j in range(j1 + common, j2)]
    return pairs


def _difference(base: Call, other: Call, i: int, j: int) -> CallDifference | None:
    verdict = compare_calls(base, other)
    if verdict is None:
        return None
    fields = mark_informational(base, verdict.fields)
    counted = [f for f in fields if f.informational is None]
    if fields and not counted:
        rules = sorted({f.informational for f in fields if f.informational})
        return CallDifference(verdict.key, base["operation"], i, j, fields, ", ".join(rules))
    key = most_severe([f.kind for f in counted]) if counted else verdict.key
    return CallDifference(key, base["operation"], i, j, fields)


def call_differences(
    base: Sequence[Call], other: Sequence[Call]
) -> tuple[list[CallDifference], dict[int, int]]:
    """Return the differences of ``other`` from ``base`` in call order, and the alignment.

    The alignment maps each base call index to the index of its counterpart in ``other``.
    """
    differences: list[CallDifference] = []
    alignment: dict[int, int] = {}
    for i, j in align(base, other):
        if i is not None and j is not None:
            alignment[i] = j
            difference = _difference(base[i], other[j], i, j)
        else:
            present = base[i] if i is not None else other[j]  # type: ignore[index]
            difference = CallDifference("requests", present["operation"], i, j)
        if difference is not None:
            differences.append(difference)
    return differences, alignment
