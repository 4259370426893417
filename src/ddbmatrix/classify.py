"""The classes a difference between two backends falls in, most severe first, and how one is chosen.

Classes are data: adding one is an entry in :data:`CLASSES` (its place in the tuple is its
severity) and a rule in :func:`compare_calls`. Two calls at the same place of a test are
compared field by field (:mod:`ddbmatrix.fields`); the pair's class is the most severe of
what differs, and a test group's class the most severe over all its calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ddbmatrix.fields import FieldDifference, field_differences

__all__ = [
    "CLASSES",
    "NO_ANSWER_CODES",
    "UNSUPPORTED_CODES",
    "CallVerdict",
    "DiffClass",
    "compare_calls",
    "is_unsupported",
    "most_severe",
    "severity",
]

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
    #: Counted as a behaviour difference (False only for wording).
    behaviour: bool = True


CLASSES: dict[str, DiffClass] = {
    c.key: c
    for c in (
        DiffClass(
            "server-error",
            "no answer / HTTP 5xx",
            "a backend answered with a 5xx status or not at all",
        ),
        DiffClass(
            "unsupported", "unsupported operation", "a backend does not implement the operation"
        ),
        DiffClass(
            "setup-error",
            "set-up failed",
            "the test errored in set-up on a backend before any DynamoDB call it made",
        ),
        DiffClass(
            "accepted-invalid",
            "accepted invalid / rejected valid",
            "one backend succeeded where another rejected the same request",
        ),
        DiffClass(
            "error-code",
            "error code differs",
            "both rejected the request, with different error codes",
        ),
        DiffClass("content", "result content differs", "the same fields hold different values"),
        DiffClass("shape", "response shape differs", "the response has missing or extra fields"),
        DiffClass("order", "result order differs", "the same items came back in another order"),
        DiffClass(
            "requests",
            "different requests",
            "the test sent different calls, after an answer it branched on",
        ),
        DiffClass(
            "message",
            "message wording differs",
            "both rejected the request with the same code, in other words: wording only",
            behaviour=False,
        ),
        DiffClass(
            "outcome",
            "test outcome differs alone",
            "every call was answered alike, yet the test passed on one and not the other",
        ),
    )
}
_ORDER = {key: index for index, key in enumerate(CLASSES)}


def severity(key: str) -> int:
    """Rank of a class: 0 is the most severe."""
    return _ORDER[key]


def most_severe(keys: list[str]) -> str:
    return min(keys, key=severity)


@dataclass(frozen=True)
class CallVerdict:
    """How two calls at one place of a test differ."""

    key: str
    fields: tuple[FieldDifference, ...] = ()


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


def compare_calls(a: dict[str, Json], b: dict[str, Json]) -> CallVerdict | None:
    """Classify how two normalized calls differ; None when they do not.

    Calls with different operations or requests are ``requests``: the test took another
    path. Otherwise the answer decides, most severe first: no answer or 5xx, unsupported,
    accepted vs rejected, error code, then field by field (content, shape, order, wording).
    """
    if a == b:
        return None
    if a["operation"] != b["operation"] or a.get("request") != b.get("request"):
        return CallVerdict("requests")
    if _no_answer(a) or _no_answer(b):
        return CallVerdict("server-error")
    code_a, code_b = _error_code(a), _error_code(b)
    if code_a in UNSUPPORTED_CODES or code_b in UNSUPPORTED_CODES:
        return CallVerdict("unsupported")
    if (code_a is None) != (code_b is None):
        return CallVerdict("accepted-invalid")
    if code_a != code_b:
        return CallVerdict("error-code")
    fields = field_differences(a.get("response"), b.get("response"))
    if a.get("status") != b.get("status"):
        fields.append(FieldDifference("status", "content", a.get("status"), b.get("status")))
    if code_a is not None and a["error"].get("message") != b["error"].get("message"):
        fields.append(
            FieldDifference(
                "error.message", "message", a["error"]["message"], b["error"]["message"]
            )
        )
    if not fields:  # unreachable for equal-looking calls with unequal JSON; keep a class
        fields.append(FieldDifference("", "content", a, b))
    return CallVerdict(most_severe([f.kind for f in fields]), tuple(fields))
