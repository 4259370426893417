"""What DynamoDB leaves unspecified, and the documentation each rule rests on.

Two kinds of rule:

- **normalized**: a difference that can never be signal is removed before comparing, by a
  transformer of :mod:`ddbmatrix.normalize` (set element order, BatchGetItem's result order);
- **informational**: a difference the report shows but never counts, in scores, divergences
  or the baseline gate (the order of Scan results). When the test's outcome differs with it,
  the test asserts that order, so its assertions decide and it is a divergence as usual.

Every rule is printed in the report's legend with its source, so a reader can check it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ddbmatrix.fields import FieldDifference

__all__ = ["RULES", "Rule", "informational_rule", "mark_informational"]

Json = Any


@dataclass(frozen=True)
class Rule:
    name: str
    #: "normalized" or "informational"
    kind: str
    description: str
    source: str
    quote: str

    def as_dict(self) -> dict[str, str]:
        return {
            "name": self.name,
            "kind": self.kind,
            "description": self.description,
            "source": self.source,
            "quote": self.quote,
        }


RULES: tuple[Rule, ...] = (
    Rule(
        "set-order",
        "normalized",
        "the elements of string, number and binary sets (`SS`, `NS`, `BS`) are sorted before "
        "comparing: a set has no order",
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/"
        "HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.SetTypes",
        "The order of the values within a set is not preserved. Therefore, your applications "
        "must not rely on any particular order of elements within the set.",
    ),
    Rule(
        "batch-get-order",
        "normalized",
        "the items of each table in BatchGetItem's `Responses` are sorted before comparing",
        "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html",
        "In order to minimize response latency, BatchGetItem retrieves items in parallel. "
        "When designing your application, keep in mind that DynamoDB does not return items "
        "in any particular order.",
    ),
    Rule(
        "scan-order",
        "informational",
        "the order of a Scan's (and a parallel Scan segment's) `Items` is shown, never "
        "counted, unless the test's outcome differs with it",
        "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html",
        'Scan documents no result order; only Query orders its results ("Query results are '
        'always sorted by the sort key value", API_Query, ScanIndexForward). Emulator '
        "maintainers read it alike: \"AWS doesn't give any guarantees about the sort "
        'ordering for scan" (getmoto/moto#7549).',
    ),
)
_BY_NAME = {rule.name: rule for rule in RULES}


def informational_rule(call: dict[str, Json], difference: FieldDifference) -> str | None:
    """Return the informational rule a field difference of ``call`` falls under, if any."""
    if difference.kind != "order":
        return None
    if call.get("operation") == "Scan" and difference.path == "Items":
        return _BY_NAME["scan-order"].name
    return None


def mark_informational(
    call: dict[str, Json], fields: tuple[FieldDifference, ...]
) -> tuple[FieldDifference, ...]:
    """Return ``fields`` with each one DynamoDB leaves unspecified marked so."""
    marked = []
    for difference in fields:
        rule = informational_rule(call, difference)
        if rule is not None:
            difference = replace(difference, informational=rule)
        marked.append(difference)
    return tuple(marked)
