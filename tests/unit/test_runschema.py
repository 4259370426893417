"""runschema: the compiled check lets through only what jsonschema accepts, and names the rest."""

from __future__ import annotations

from ddbmatrix import runschema

GOOD = {"schema": "ddbmatrix-run", "schema_version": 2, "backend": "moto", "tests": []}
RECORD = {"id": "t.py::a", "outcome": "passed", "calls": [{"operation": "GetItem"}]}


def test_a_valid_file_has_no_problem():
    assert runschema.problem({**GOOD, "tests": [RECORD]}) is None


def test_a_file_the_compiled_schema_refuses_is_refused_with_the_field_named():
    broken = {**RECORD, "calls": [{"operation": "GetItem", "status": "200"}]}
    data = {**GOOD, "tests": [broken]}
    assert not runschema._compiled().is_valid(data)
    assert runschema.problem(data) == (
        "tests[0] (t.py::a).calls[0].status: must be integer or null, not string '200'"
    )
