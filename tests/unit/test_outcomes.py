"""Outcomes say why a test did not pass: checked on real pytest runs of tiny tests."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ddbmatrix.outcomes import describe_exception, is_assertion

CONFTEST = """
import json, pytest
from ddbmatrix.outcomes import outcome, remember_exception

_REPORTS = pytest.StashKey[dict]()
RESULTS = {}

@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    remember_exception(item, call)
    if report.when == "teardown":
        from ddbmatrix.outcomes import _EXCEPTIONS_KEY
        RESULTS[item.name] = outcome(item.stash[_REPORTS], item.stash.get(_EXCEPTIONS_KEY, {}))
    return report

def pytest_sessionfinish(session):
    with open("outcomes.json", "w") as stream:
        json.dump(RESULTS, stream)
"""

TESTS = """
import pytest
from botocore.exceptions import ClientError

def client_error(code):
    return ClientError({"Error": {"Code": code, "Message": "m"}}, "PutItem")

@pytest.fixture
def broken_setup():
    raise RuntimeError("no table")

@pytest.fixture
def broken_teardown():
    yield
    raise RuntimeError("cleanup")

def test_passes():
    pass

def test_assertion():
    assert 1 == 2

def test_fail():
    pytest.fail("told to")

def test_did_not_raise():
    with pytest.raises(ValueError):
        pass

def test_client_error():
    raise client_error("ValidationException")

def test_key_error():
    {}["Item"]

def test_setup(broken_setup):
    pass

def test_teardown(broken_teardown):
    pass

def test_skip():
    pytest.skip("not here")

@pytest.mark.xfail(reason="known", strict=False)
def test_xfail_assertion():
    assert False

@pytest.mark.xfail(reason="known", strict=False)
def test_xfail_client_error():
    raise client_error("UnknownOperationException")

@pytest.mark.xfail(reason="known", strict=False)
def test_xpass():
    pass
"""


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    """Run the tiny tests in a fresh pytest and return test name -> outcome() result."""
    folder = tmp_path_factory.mktemp("outcomes")
    (folder / "conftest.py").write_text(CONFTEST)
    (folder / "test_it.py").write_text(TESTS)
    isolated = ["-p", "no:ddbmatrix", "-p", "no:xdist", "-p", "no:cacheprovider"]
    command = [sys.executable, "-m", "pytest", "-q", *isolated, "test_it.py"]
    subprocess.run(command, cwd=folder, capture_output=True, check=False)
    results = json.loads((folder / "outcomes.json").read_text())
    return {name: tuple(value) for name, value in results.items()}


ASSERTION = {"type": "AssertionError", "code": None}


@pytest.mark.parametrize(
    ("test", "expected", "phase", "exception"),
    [
        ("test_passes", "passed", None, None),
        ("test_assertion", "failed", "call", ASSERTION),
        ("test_fail", "failed", "call", {"type": "Failed", "code": None}),
        ("test_did_not_raise", "failed", "call", {"type": "Failed", "code": None}),
        (
            "test_client_error",
            "raised",
            "call",
            {"type": "ClientError", "code": "ValidationException"},
        ),
        ("test_key_error", "raised", "call", {"type": "KeyError", "code": None}),
        ("test_setup", "error", "setup", {"type": "RuntimeError", "code": None}),
        ("test_teardown", "error", "teardown", {"type": "RuntimeError", "code": None}),
        ("test_skip", "skipped", "call", None),
        ("test_xfail_assertion", "xfailed", "call", ASSERTION),
        (
            "test_xfail_client_error",
            "xfailed",
            "call",
            {"type": "ClientError", "code": "UnknownOperationException"},
        ),
        ("test_xpass", "xpassed", "call", None),
    ],
)
def test_each_way_a_test_ends_has_its_outcome(outcomes, test, expected, phase, exception):
    result, _message, got_phase, got_exception = outcomes[test]
    assert (result, got_phase, got_exception) == (expected, phase, exception)


def test_a_modeled_client_error_is_written_as_client_error_with_its_code():
    from botocore.exceptions import ClientError

    class ConditionalCheckFailedException(ClientError):
        pass

    error = ConditionalCheckFailedException(
        {"Error": {"Code": "ConditionalCheckFailedException", "Message": ""}}, "PutItem"
    )
    with pytest.raises(ClientError) as info:
        raise error
    assert describe_exception(info) == {
        "type": "ClientError",
        "code": "ConditionalCheckFailedException",
    }
    assert describe_exception(None) is None
    assert is_assertion({"type": "AssertionError", "code": None})
    assert not is_assertion({"type": "ClientError", "code": "X"})


def test_the_backend_and_stable_id_of_a_lost_test_come_from_its_node_id():
    from ddbmatrix.outcomes import lost_record, parametrized_backend

    backends = ["dynamodb-local", "local", "moto"]
    assert parametrized_backend("t.py::test_a[dynamodb-local]", backends) == "dynamodb-local"
    assert parametrized_backend("t.py::test_a[x-moto]", backends) == "moto"
    assert parametrized_backend("t.py::test_a[x]", backends) is None
    assert parametrized_backend("t.py::test_a", backends) is None
    record = lost_record(
        "t.py::C::test_a[1-moto]", "moto", ("t.py", 11, "C.test_a[1-moto]"), ["setup"], "lost"
    )
    assert record["id"] == "t.py::C::test_a[1]"
    assert (record["outcome"], record["phase"], record["location"]) == (
        "interrupted",
        "call",
        ["t.py", 12],
    )
