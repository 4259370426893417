from __future__ import annotations

from ddbmatrix.misrouted import misrouted_calls, routing_incident
from tests.unit.factories import make_call, make_record


def test_calls_served_by_another_backend_or_by_no_backend_are_misrouted():
    own = {**make_call(), "endpoint": "http://127.0.0.1:1", "served_by": "moto"}
    other = {**make_call("PutItem"), "endpoint": "http://127.0.0.1:2", "served_by": "dynalite"}
    nowhere = {**make_call("Scan"), "endpoint": "https://dynamodb.us-east-1.amazonaws.com"}
    unknown = make_call("Query")  # recorded before endpoints were
    record = make_record("t.py::a", "moto", calls=[own, other, nowhere, unknown])
    kept, misrouted = misrouted_calls(record)
    assert kept == [own, unknown]
    assert [(m["index"], m["served_by"]) for m in misrouted] == [(1, "dynalite"), (2, None)]
    assert routing_incident("moto", "t.py::a", misrouted) == (
        "t.py::a on moto: call #2 PutItem reached dynalite's server (and 1 more); the test is "
        "left out of the comparison for moto"
    )
    assert "which no backend of the run serves" in routing_incident("moto", "t", misrouted[1:])
