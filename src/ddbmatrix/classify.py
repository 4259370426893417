"""The classes a difference between two backends falls in, and how one is chosen.

Classes are data: adding one is an entry in :data:`CLASSES` and a rule in :func:`classify`.
Rules are tried in order, most specific first, so each difference lands in exactly one class.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

__all__ = ["CLASSES", "DiffClass", "classify", "is_unsupported"]

Json = Any

#: Error codes by which a backend says it does not implement an operation.
UNSUPPORTED_CODES = frozenset(
    {
        "UnknownOperationException",
        "NotImplementedError",
        "NotImplemented",
        "UnrecognizedClientException",
    }
)
#: Error codes recorded when no HTTP answer came back at all.
NO_ANSWER_CODES = frozenset(
    {
        "EndpointConnectionError",
        "ConnectionClosedError",
        "ReadTimeoutError",
        "ConnectTimeoutError",
    }
)


@dataclass(frozen=True)
class DiffClass:
    key: str
    title: str
    explanation: str


CLASSES: dict[str, DiffClass] = {
    c.key: c
    for c in (
        DiffClass(
            "server-error",
            "HTTP 5xx / server crash",
            "a backend answered with a 5xx status or not at all",
        ),
        DiffClass(
            "unsupported", "unsupported operation", "a backend does not implement the operation"
        ),
        DiffClass(
            "accepted-invalid",
            "accepted invalid input",
            "one backend succeeded where another rejected the request",
        ),
        DiffClass(
            "error-code",
            "error code differs",
            "both rejected the request, with different error codes",
        ),
        DiffClass(
            "error-message",
            "error message differs",
            "both rejected the request with the same code, but different messages",
        ),
        DiffClass("order", "result order differs", "the same items came back in a different order"),
        DiffClass("shape", "response shape differs", "the response has missing or extra fields"),
        DiffClass("content", "result content differs", "the same fields hold different values"),
        DiffClass(
            "requests",
            "different requests",
            "the test sent different calls, usually after an earlier difference",
        ),
        DiffClass(
            "outcome",
            "test outcome differs without a response difference",
            "every call was answered alike, yet the test passed on one and not the other",
        ),
    )
}


def _no_answer(call: dict[str, Json]) -> bool:
    error = call.get("error") or {}
    status = call.get("status")
    return error.get("code") in NO_ANSWER_CODES or (status is not None and status >= 500)


def _error_code(call: dict[str, Json]) -> str | None:
    error = call.get("error")
    return error.get("code") if error else None


def is_unsupported(call: dict[str, Json] | None) -> bool:
    """Whether the backend answered this call by saying it does not implement it."""
    return call is not None and _error_code(call) in UNSUPPORTED_CODES


def _canonical(value: Json) -> str:
    return json.dumps(value, sort_keys=True)


def _equal_ignoring_order(a: Json, b: Json) -> bool:
    """Whether ``a`` and ``b`` are equal once every list of results is taken as a multiset.

    Lists are compared by their elements' canonical JSON, so the inside of one element (a
    list attribute ``L`` of an item, say) keeps its order: only the order of results moves.
    """
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal_ignoring_order(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return Counter(map(_canonical, a)) == Counter(map(_canonical, b))
    return bool(a == b)


def _shape(value: Json) -> Json:
    """Reduce a value to its field names (recursively), dropping the values."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(item) for item in value[:1]]
    return None


def classify(a: dict[str, Json] | None, b: dict[str, Json] | None) -> DiffClass:
    """Classify the difference between two normalized calls at the same position.

    ``None`` stands for "no call here" (one test made fewer calls); two equal calls (or two
    Nones) mean the difference is in the test outcome only.
    """
    if (a is None and b is None) or a == b:
        return CLASSES["outcome"]
    if a is None or b is None or a["operation"] != b["operation"] or a["request"] != b["request"]:
        return CLASSES["requests"]
    if _no_answer(a) or _no_answer(b):
        return CLASSES["server-error"]
    code_a, code_b = _error_code(a), _error_code(b)
    if code_a in UNSUPPORTED_CODES or code_b in UNSUPPORTED_CODES:
        return CLASSES["unsupported"]
    if (code_a is None) != (code_b is None):
        return CLASSES["accepted-invalid"]
    if code_a != code_b:
        return CLASSES["error-code"]
    if code_a is not None and a["error"].get("message") != b["error"].get("message"):
        return CLASSES["error-message"]
    if _equal_ignoring_order(a["response"], b["response"]):
        return CLASSES["order"]
    if _shape(a["response"]) != _shape(b["response"]):
        return CLASSES["shape"]
    return CLASSES["content"]
