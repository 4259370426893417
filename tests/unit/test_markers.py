"""The ddb_backends and ddb_diverges markers, through pytester.

Only moto runs in unit tests; the other backends are selected but never started, because
every test that would reach them is filtered out by a marker (or collected only).
"""

from __future__ import annotations

import json

import pytest

from ddbmatrix.state import DdbMatrixState

TESTS = """
import pytest

pytestmark = pytest.mark.ddb_backends(exclude=["aws"])

@pytest.mark.ddb_backends("dynalite", "moto")
def test_restricted(ddb_backend):
    pass

@pytest.mark.ddb_backends(exclude=["dynalite", "dynamodb-local"])
def test_excluded(ddb_backend):
    pass

@pytest.mark.ddb_backends("dynalite")
@pytest.mark.ddb_backends("moto")
def test_no_backend_left(ddb_backend):
    pass
"""


def test_restrict_and_exclude_select_the_parameters(pytester, monkeypatch):
    # Collection only: the backends need not be installed (unit tests have no Node or Java).
    monkeypatch.setattr(DdbMatrixState, "unavailable", lambda self, name: None)
    monkeypatch.setattr("ddbmatrix.defaults.check_named", lambda names: None)
    pytester.makepyfile(test_markers=TESTS)
    result = pytester.runpytest_inprocess(
        "--ddb-backend=dynalite,moto,dynamodb-local", "--collect-only", "-q"
    )
    result.stdout.fnmatch_lines(
        [
            "test_markers.py::test_restricted[dynalite]",
            "test_markers.py::test_restricted[moto]",
            "test_markers.py::test_excluded[moto]",
            "test_markers.py::test_no_backend_left[no-backend]",
        ]
    )
    assert "dynamodb-local]" not in result.stdout.str()


def test_a_test_with_no_backend_left_is_skipped_and_not_recorded(pytester):
    pytester.makepyfile(test_markers=TESTS)
    result = pytester.runpytest_subprocess("--ddb-backend=moto", "-rs")
    result.assert_outcomes(passed=2, skipped=1)
    result.stdout.fnmatch_lines(
        ["*ddb_backends: none of the selected backends (moto) is one this test runs on*"]
    )
    run = json.loads((pytester.path / "reports" / "runs" / "moto.json").read_text())
    assert sorted(t["id"] for t in run["tests"]) == [
        "test_markers.py::test_excluded",
        "test_markers.py::test_restricted",
    ]


def test_a_record_names_the_backends_a_marker_kept_it_off(pytester, monkeypatch):
    # dynalite is selected but never started: the one test that would reach it excludes it.
    monkeypatch.setattr(DdbMatrixState, "unavailable", lambda self, name: None)
    monkeypatch.setattr("ddbmatrix.defaults.check_named", lambda names: None)
    pytester.makepyfile(
        test_kept_off="""
        import pytest

        @pytest.mark.ddb_backends(exclude=["dynalite"])
        def test_not_on_dynalite(ddb_backend):
            pass
        """
    )
    result = pytester.runpytest_inprocess("--ddb-backend=moto,dynalite", "-p", "no:xdist")
    result.assert_outcomes(passed=1)
    run = json.loads((pytester.path / "reports" / "runs" / "moto.json").read_text())
    assert [t["excluded"] for t in run["tests"]] == [["dynalite"]]


def test_markers_are_registered_for_strict_markers(pytester):
    pytester.makepyfile(test_markers=TESTS)
    result = pytester.runpytest_subprocess("--strict-markers", "--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.ddb_backends(*", "@pytest.mark.ddb_diverges(*"])


def test_diverges_is_a_strict_expected_failure_recorded_as_xfailed(pytester):
    pytester.makepyfile(
        test_diverges="""
        import pytest

        @pytest.mark.ddb_diverges("moto", reason="answers 200 where AWS says 400", link="#12")
        def test_still_diverges(ddb_client):
            assert ddb_client.list_tables()["TableNames"] == ["on AWS"]

        @pytest.mark.ddb_diverges("moto", reason="was wrong in 4.x")
        def test_divergence_gone(ddb_client):
            ddb_client.list_tables()

        @pytest.mark.ddb_diverges("dynalite", reason="another backend's note")
        def test_other_backend_note(ddb_client):
            ddb_client.list_tables()
        """
    )
    result = pytester.runpytest_subprocess("--ddb-backend=moto", "-rxXf")
    result.assert_outcomes(passed=1, xfailed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*XFAIL*test_still_diverges*known divergence on moto: "
            "answers 200 where AWS says 400 (#12)*",
            "*FAILED*test_divergence_gone*",
        ]
    )
    assert "the test passes on moto now, so the divergence is gone" in result.stdout.str()
    run = json.loads((pytester.path / "reports" / "runs" / "moto.json").read_text())
    by_id = {t["id"].split("::")[1]: t for t in run["tests"]}
    still = by_id["test_still_diverges"]
    assert still["outcome"] == "xfailed"
    assert still["message"] == "known divergence on moto: answers 200 where AWS says 400 (#12)"
    assert [c["operation"] for c in still["calls"]] == ["ListTables"]
    gone = by_id["test_divergence_gone"]
    assert gone["outcome"] == "failed"
    assert "divergence is gone" in gone["message"]
    assert by_id["test_other_backend_note"]["outcome"] == "passed"


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        ('ddb_diverges("moto")', "reason='...' is required"),
        ('ddb_diverges(reason="x")', "expected ddb_diverges("),
        ("ddb_backends()", "name backends to run on, or exclude="),
        ('ddb_backends(only=["moto"])', "unknown argument only"),
        ("ddb_backends(3)", "backend names must be non-empty strings"),
    ],
)
def test_malformed_markers_are_usage_errors(pytester, marker, message):
    pytester.makepyfile(
        test_bad=f"import pytest\n\n@pytest.mark.{marker}\ndef test_x(ddb_backend):\n    pass\n"
    )
    result = pytester.runpytest_subprocess("--ddb-backend=moto")
    assert result.ret == pytest.ExitCode.INTERRUPTED  # a collection error
    result.stdout.fnmatch_lines([f"*UsageError: test_bad.py::test_x: *{message}*"])
