"""Calls that landed somewhere other than the backend whose record holds them.

The recorder notes, for every call, the endpoint it really reached and which of the run's
backends serves that endpoint (``endpoint``, ``served_by``). A call in moto's record that
dynalite's server answered, or that left for an endpoint no backend of the run serves, is
not moto's behaviour: merged into moto's record it would blame moto for another server's
answer. Such a call is an *incident* the report shows; the test is left out of the
comparison for that backend. Calls recorded without an endpoint (by a recorder that does
not know it) are taken as the record's own.
"""

from __future__ import annotations

from typing import Any

__all__ = ["misrouted_calls", "routing_incident"]

Json = Any


def _misrouted(call: dict[str, Json], backend: str) -> bool:
    served_by = call.get("served_by")
    if served_by is not None:
        return bool(served_by != backend)
    return call.get("endpoint") is not None


def misrouted_calls(record: dict[str, Json]) -> tuple[list[dict[str, Json]], list[dict[str, Json]]]:
    """Split a record's calls into its own and those another server answered.

    A misrouted call is returned as ``{"index", "operation", "endpoint", "served_by"}``.
    """
    backend = record["backend"]
    own: list[dict[str, Json]] = []
    misrouted: list[dict[str, Json]] = []
    for index, call in enumerate(record.get("calls") or []):
        if _misrouted(call, backend):
            misrouted.append(
                {
                    "index": index,
                    "operation": call["operation"],
                    "endpoint": call.get("endpoint"),
                    "served_by": call.get("served_by"),
                }
            )
        else:
            own.append(call)
    return own, misrouted


def routing_incident(backend: str, test_id: str, misrouted: list[dict[str, Json]]) -> str:
    """Say in one sentence what went where."""
    first = misrouted[0]
    where = (
        f"{first['served_by']}'s server"
        if first["served_by"]
        else f"{first['endpoint']}, which no backend of the run serves"
    )
    more = f" (and {len(misrouted) - 1} more)" if len(misrouted) > 1 else ""
    return (
        f"{test_id} on {backend}: call #{first['index'] + 1} {first['operation']} reached "
        f"{where}{more}; the test is left out of the comparison for {backend}"
    )
