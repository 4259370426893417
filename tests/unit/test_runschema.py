"""The run file's schema: what it refuses beyond types, how it says so, and that the compiled
check lets through only what jsonschema accepts."""

from __future__ import annotations

import pytest

from ddbmatrix import runschema
from ddbmatrix.runschema import problem

CALL = {"operation": "GetItem", "status": 400, "error": {"code": "X", "message": "m"}}


def _run(**record):
    test = {"id": "t.py::test_a[1]", "nodeid": "t.py::test_a[moto-1]", "outcome": "passed"}
    return {
        "schema": "ddbmatrix-run",
        "schema_version": 2,
        "backend": "moto",
        "tests": [{**test, "calls": [CALL], **record}],
    }


def test_a_well_formed_record_has_no_problem():
    assert problem(_run()) is None
    assert problem(_run(nodeid="t.py::test_a[1]")) is None  # not parametrized by backend


@pytest.mark.parametrize("nodeid", ["s", "", "t.py::test_b[moto]", "u.py::test_a[moto-1]"])
def test_a_nodeid_of_another_test_is_refused(nodeid):
    # The report rewrites a test's names on its backend into its id: another test's name
    # there would rewrite what it must not.
    assert "tests[0] (t.py::test_a[1]).nodeid: " in (problem(_run(nodeid=nodeid)) or "")


@pytest.mark.parametrize("error", [{}, {"code": "X"}, {"message": "m"}])
def test_an_error_has_a_code_and_a_message(error):
    message = problem(_run(calls=[{**CALL, "error": error}])) or ""
    assert message.startswith("tests[0] (t.py::test_a[1]).calls[0].error has no ")


def test_an_error_may_be_null_or_hold_nulls():
    assert problem(_run(calls=[{**CALL, "error": None}])) is None
    assert problem(_run(calls=[{**CALL, "error": {"code": None, "message": None}}])) is None


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
