"""--ddb-failures-as-data: a failure on a backend costs one letter; other failures stay loud."""

from __future__ import annotations

import json

import pytest

SUITE = """
import pytest


def test_agrees(ddb_client):
    ddb_client.list_tables()


def test_fails_on_the_backend(ddb_client):
    ddb_client.list_tables()
    assert 1 == 2, "a divergence, recorded"


@pytest.fixture
def broken_fixture(ddb_backend):
    raise RuntimeError("set-up failed on the backend")


def test_errors_on_the_backend(broken_fixture):
    pass
"""

PLAIN_FAILURE = """
def test_of_the_framework_itself():
    assert 1 == 2, "this one is loud"
"""

STALE_NOTE = """
import pytest


@pytest.mark.ddb_diverges("moto", reason="moto used to differ")
def test_with_a_stale_note(ddb_client):
    ddb_client.list_tables()
"""


@pytest.fixture
def suite(pytester):
    pytester.makepyfile(test_suite=SUITE)
    return pytester


def test_failures_on_a_backend_cost_one_letter_and_exit_zero(suite):
    result = suite.runpytest_subprocess("--ddb-backend=moto", "--ddb-failures-as-data", "-ra")
    assert result.ret == pytest.ExitCode.OK
    out = result.stdout.str()
    assert "a divergence, recorded" not in out
    assert "set-up failed" not in out
    assert "FAILURES" not in out
    assert "ERRORS" not in out
    assert "FAILED" not in out
    result.stdout.fnmatch_lines(["test_suite.py .ff*", "*1 passed, 2 failed on a backend in *"])
    run = json.loads((suite.path / "reports" / "runs" / "moto.json").read_text())
    assert sorted(t["outcome"] for t in run["tests"]) == ["error", "failed", "passed"]


def test_verbose_names_each_recorded_failure(suite):
    result = suite.runpytest_subprocess("--ddb-backend=moto", "--ddb-failures-as-data", "-v")
    result.stdout.fnmatch_lines(["*test_fails_on_the_backend?moto? FAILED (recorded)*"])


def test_the_ini_twin_turns_it_on_and_xdist_counts_alike(suite):
    suite.makeini("[pytest]\nddb_failures_as_data = true\n")
    result = suite.runpytest_subprocess("--ddb-backend=moto", "-n", "2")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*1 passed, 2 failed on a backend in *"])


def test_without_the_option_failures_are_pytest_failures(suite):
    result = suite.runpytest_subprocess("--ddb-backend=moto")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*a divergence, recorded*", "*1 failed, 1 passed, 1 error in*"])


def test_a_failure_off_the_backends_stays_loud_and_fails_the_run(suite):
    suite.makepyfile(test_plain=PLAIN_FAILURE)
    result = suite.runpytest_subprocess("--ddb-backend=moto", "--ddb-failures-as-data")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        ["*this one is loud*", "*1 failed, 1 passed, 2 failed on a backend in *"]
    )


def test_a_stale_divergence_note_stays_loud(pytester):
    pytester.makepyfile(test_stale=STALE_NOTE)
    result = pytester.runpytest_subprocess("--ddb-backend=moto", "--ddb-failures-as-data")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*the divergence is gone; remove 'moto' from the marker*"])


def test_the_summary_names_each_backend_with_its_counts_and_run_file(suite):
    result = suite.runpytest_subprocess("--ddb-backend=moto", "--ddb-failures-as-data")
    result.stdout.fnmatch_lines(
        [
            "*= ddbmatrix =*",
            "  moto * 1 passed, 2 failed, 0 broken *reports/runs/moto.json",
            "failures on a backend are data: `ddbmatrix report` compares the run files",
        ]
    )


STYLES = """
import json


def pytest_runtest_logreport(report):
    if report.failed:
        with open("styles.jsonl", "a") as out:
            kind = type(report.longrepr.reprtraceback).__name__
            out.write(json.dumps([report.nodeid.split("::")[-1], kind]) + "\\n")
"""


def test_data_failures_skip_the_long_traceback_and_keep_their_message(suite):
    suite.makepyfile(test_plain=PLAIN_FAILURE)
    suite.makeconftest(STYLES)
    result = suite.runpytest_subprocess("--ddb-backend=moto", "--ddb-failures-as-data")
    styles = dict(
        json.loads(line) for line in (suite.path / "styles.jsonl").read_text().splitlines()
    )
    assert styles == {
        "test_fails_on_the_backend[moto]": "ReprTracebackNative",
        "test_errors_on_the_backend[moto]": "ReprTracebackNative",
        "test_of_the_framework_itself": "ReprTraceback",
    }
    # The loud failure keeps pytest's long traceback, with its source line...
    result.stdout.fnmatch_lines(['>       assert 1 == 2, "this one is loud"'])
    run = json.loads((suite.path / "reports" / "runs" / "moto.json").read_text())
    messages = {test["id"].split("::")[-1]: test["message"] for test in run["tests"]}
    # ...and a data failure's record says what failed, from the crash line alone.
    assert "a divergence, recorded" in messages["test_fails_on_the_backend"]
    assert "set-up failed on the backend" in messages["test_errors_on_the_backend"]
