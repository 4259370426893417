from __future__ import annotations

import pytest

from ddbmatrix.compare import load_runs
from ddbmatrix.errors import RunFileError
from ddbmatrix.inputs import check_inputs
from tests.unit.factories import make_record


def test_runs_sharing_no_test_are_refused(write_runs):
    runs = load_runs(write_runs({"x": [make_record("a::t", "x")], "y": [make_record("b::t", "y")]}))
    with pytest.raises(RunFileError, match="share no tests"):
        check_inputs(runs)


def test_one_backend_is_a_warning_unless_a_reference_is_there(write_runs, tmp_path):
    (x,) = load_runs(write_runs({"x": [make_record("a::t", "x")]}))
    assert check_inputs([x])[0].startswith("only one backend (x)")
    (aws,) = load_runs(write_runs({"aws": [make_record("a::t", "aws")]}, tmp_path / "ref"))
    assert check_inputs([x], aws) == []


def test_shards_are_not_blamed_for_the_tests_they_leave_to_others(write_runs, tmp_path):
    paths = write_runs({"x": [make_record("a::t", "x"), make_record("a::u", "x")]})
    paths += write_runs(
        {"y": [make_record("a::t", "y")]}, tmp_path / "s", shard={"index": 1, "count": 2}
    )
    assert check_inputs(load_runs(paths)) == []


def test_a_run_lacking_tests_is_named_unless_a_marker_kept_them_off_its_backend(write_runs):
    kept_off = {**make_record("a::u", "x"), "excluded": ["y"]}
    runs = load_runs(write_runs({"x": [make_record("a::t", "x"), kept_off]}))
    runs += load_runs(write_runs({"y": [make_record("a::t", "y")]}))
    assert check_inputs(runs) == []
    runs = load_runs(write_runs({"x": [make_record("a::t", "x"), make_record("a::u", "x")]}))
    runs += load_runs(write_runs({"y": [make_record("a::t", "y")]}))
    (warning,) = check_inputs(runs)
    assert warning.startswith("y's run lacks 1 of the 2 tests the others ran (a::u)")
