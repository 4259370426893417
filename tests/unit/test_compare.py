from __future__ import annotations

import pytest

from ddbmatrix.compare import compare, load_runs
from ddbmatrix.errors import RunFileError
from tests.unit.factories import make_call, make_record

OK = make_call(response={"Item": {"n": {"N": "1.5"}}})
BAD = make_call(response={"Item": {"n": {"N": "01.500"}}})


def test_equal_runs_do_not_diverge(write_runs):
    runs = {b: [make_record("t.py::a", b, calls=[OK])] for b in ("x", "y", "z")}
    assert compare(load_runs(write_runs(runs))).divergences == []


def test_majority_is_the_reference_and_the_odd_one_is_classified(write_runs):
    runs = {
        "x": [make_record("t.py::a", "x", calls=[OK])],
        "y": [make_record("t.py::a", "y", calls=[OK])],
        "z": [make_record("t.py::a", "z", "failed", calls=[BAD])],
    }
    (divergence,) = compare(load_runs(write_runs(runs))).divergences
    assert [g.backends for g in divergence.groups] == [["x", "y"], ["z"]]
    assert divergence.reference == 0
    assert divergence.groups[1].first_difference == 0
    assert divergence.groups[1].diff_class.key == "content"


def test_aws_is_the_reference_even_in_a_minority(write_runs):
    runs = {
        "aws": [make_record("t.py::a", "aws", calls=[OK])],
        "x": [make_record("t.py::a", "x", "failed", calls=[BAD])],
        "y": [make_record("t.py::a", "y", "failed", calls=[BAD])],
    }
    comparison = compare(load_runs(write_runs(runs)))
    (divergence,) = comparison.divergences
    assert comparison.backends[0] == "aws"
    assert divergence.groups[divergence.reference].backends == ["aws"]


def test_tie_goes_to_the_side_whose_assertions_held(write_runs):
    runs = {
        "x": [make_record("t.py::a", "x", "failed", calls=[BAD])],
        "y": [make_record("t.py::a", "y", calls=[OK])],
    }
    (divergence,) = compare(load_runs(write_runs(runs))).divergences
    assert divergence.groups[divergence.reference].backends == ["y"]
    assert divergence.basis == "assertions"


def test_assertions_outweigh_the_majority(write_runs):
    runs = {
        "x": [make_record("t.py::a", "x", "failed", calls=[BAD])],
        "y": [make_record("t.py::a", "y", "failed", calls=[BAD])],
        "z": [make_record("t.py::a", "z", calls=[OK])],
    }
    (divergence,) = compare(load_runs(write_runs(runs))).divergences
    assert divergence.groups[divergence.reference].backends == ["z"]
    assert [g.agrees for g in divergence.groups] == [False, True]


def test_every_group_whose_assertions_held_is_on_the_right_side(write_runs):
    other = make_call(response={"Item": {"n": {"N": "2"}}})
    runs = {
        "x": [make_record("t.py::a", "x", calls=[OK])],
        "y": [make_record("t.py::a", "y", calls=[other])],
        "z": [make_record("t.py::a", "z", "failed", calls=[BAD])],
    }
    (divergence,) = compare(load_runs(write_runs(runs))).divergences
    agreeing = sorted(b for g in divergence.groups if g.agrees for b in g.backends)
    assert agreeing == ["x", "y"]
    assert divergence.basis == "assertions"


def test_an_even_split_without_assertions_to_decide_has_no_reference(write_runs):
    runs = {
        "x": [make_record("t.py::a", "x", calls=[OK])],
        "y": [make_record("t.py::a", "y", calls=[BAD])],
    }
    (divergence,) = compare(load_runs(write_runs(runs))).divergences
    assert (divergence.reference, divergence.basis) == (None, None)
    assert not any(g.agrees for g in divergence.groups)
    assert divergence.groups[1].diff_class.key == "content"


def test_unsupported_is_told_of_the_backend_that_lacks_the_operation(write_runs):
    unknown = make_call(status=400, error={"code": "UnknownOperationException", "message": ""})
    runs = {
        "x": [make_record("t.py::a", "x", "failed", calls=[unknown])],
        "y": [make_record("t.py::a", "y", "failed", calls=[unknown])],
        "z": [make_record("t.py::a", "z", calls=[OK])],
    }
    (divergence,) = compare(load_runs(write_runs(runs))).divergences
    by_backends = {tuple(g.backends): g for g in divergence.groups}
    assert by_backends["x", "y"].unsupported
    assert by_backends["x", "y"].diff_class.key == "unsupported"
    assert not by_backends["z",].unsupported


def test_a_backend_failure_is_left_out_not_compared(write_runs):
    dead = make_call(status=None, error={"code": "EndpointConnectionError", "message": ""})
    runs = {
        "x": [make_record("t.py::a", "x", calls=[OK]), make_record("t.py::b", "x", calls=[OK])],
        "y": [
            make_record("t.py::a", "y", "failed", calls=[dead], backend_failure="crashed"),
            make_record("t.py::b", "y", calls=[OK]),
        ],
    }
    comparison = compare(load_runs(write_runs(runs)))
    assert comparison.divergences == []
    assert comparison.broken == {"y": {"t.py::a": "crashed"}}
    assert comparison.compared("t.py::a") == ["x"]


def test_the_order_of_the_files_does_not_matter(write_runs, tmp_path):
    runs = {
        "y": [make_record("t.py::a", "y", "failed", calls=[BAD])],
        "x": [make_record("t.py::a", "x", calls=[OK])],
        "aws": [make_record("t.py::a", "aws", calls=[OK])],
    }
    paths = write_runs(runs)
    forward, backward = compare(load_runs(paths)), compare(load_runs(paths[::-1]))
    assert forward.backends == backward.backends == ["aws", "x", "y"]
    assert [d.key for d in forward.divergences] == [d.key for d in backward.divergences]


def test_the_key_names_the_test_the_split_and_the_classes(write_runs):
    runs = {
        "x": [make_record("t.py::a", "x", calls=[OK])],
        "y": [make_record("t.py::a", "y", calls=[OK])],
        "z": [make_record("t.py::a", "z", "failed", calls=[BAD])],
    }
    (divergence,) = compare(load_runs(write_runs(runs))).divergences
    assert divergence.key == "t.py::a [x, y | z] content"


def test_generated_table_names_do_not_make_a_divergence(write_runs):
    def record(backend, name):
        call = make_call(
            request={"TableName": name},
            status=400,
            error={"code": "ResourceNotFoundException", "message": f"{name} gone"},
        )
        return make_record("t.py::a", backend, calls=[call], tables={name: "table1"})

    runs = {
        "x": [record("x", "ddbm-00000000-aaaaaaaaaa")],
        "y": [record("y", "ddbm-11111111-bbbbbbbbbb")],
    }
    assert compare(load_runs(write_runs(runs))).divergences == []


def test_skipped_tests_are_left_out(write_runs):
    runs = {
        "x": [make_record("t.py::a", "x", calls=[OK])],
        "y": [make_record("t.py::a", "y", "skipped")],
    }
    assert compare(load_runs(write_runs(runs))).divergences == []


def test_same_calls_different_outcome(write_runs):
    runs = {
        "x": [make_record("t.py::a", "x", calls=[OK])],
        "y": [make_record("t.py::a", "y", "failed", calls=[OK])],
    }
    (divergence,) = compare(load_runs(write_runs(runs))).divergences
    assert [c.key for c in divergence.classes] == ["outcome"]


def test_two_runs_of_one_backend_are_refused(write_runs, tmp_path):
    first = write_runs({"x": []}, tmp_path / "a")
    second = write_runs({"x": []}, tmp_path / "b")
    with pytest.raises(RunFileError, match="both runs of 'x'"):
        load_runs(first + second)


def test_no_run_files_is_an_error():
    with pytest.raises(RunFileError, match="no run files"):
        load_runs([])
