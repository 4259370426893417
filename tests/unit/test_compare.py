from __future__ import annotations

import json

import pytest

from ddbmatrix.compare import compare, load_runs
from ddbmatrix.errors import RunFileError
from ddbmatrix.runfile import load_run
from tests.unit.factories import make_call, make_record, raised

OK = make_call(response={"Item": {"n": {"N": "1.5"}}})
BAD = make_call(response={"Item": {"n": {"N": "01.500"}}})
PUT = make_call("PutItem", request={"TableName": "t", "Item": {"s": {"SS": ["a", "a"]}}})
REJECT = make_call(
    "PutItem",
    request={"TableName": "t", "Item": {"s": {"SS": ["a", "a"]}}},
    status=400,
    error={"code": "ValidationException", "message": "Input collection contains duplicates"},
)
DESCRIBE = make_call("DescribeTable", response={"Table": {"TableStatus": "ACTIVE"}})
DESCRIBE_MORE = make_call(
    "DescribeTable", response={"Table": {"TableStatus": "ACTIVE", "WarmThroughput": {}}}
)


def _compare(write_runs, runs, **kwargs):
    return compare(load_runs(write_runs(runs)), **kwargs)


def _by_backends(divergence):
    return {tuple(g.backends): g for g in divergence.groups}


def test_equal_runs_do_not_diverge(write_runs):
    runs = {b: [make_record("t.py::a", b, calls=[OK])] for b in ("x", "y", "z")}
    assert _compare(write_runs, runs).divergences == []


def test_majority_is_the_reference_and_the_odd_one_is_classified(write_runs):
    runs = {
        "x": [make_record("t.py::a", "x", calls=[OK])],
        "y": [make_record("t.py::a", "y", calls=[OK])],
        "z": [make_record("t.py::a", "z", calls=[BAD])],
    }
    (divergence,) = _compare(write_runs, runs).divergences
    assert [g.backends for g in divergence.groups] == [["x", "y"], ["z"]]
    assert (divergence.reference, divergence.basis) == (0, "majority")
    odd = divergence.groups[1]
    assert (odd.diff_class.key, odd.verdict, odd.decisive.base_index) == ("content", "diverge", 0)


def test_aws_is_the_reference_even_in_a_minority(write_runs):
    runs = {
        "aws": [make_record("t.py::a", "aws", calls=[OK])],
        "x": [make_record("t.py::a", "x", "failed", calls=[BAD])],
        "y": [make_record("t.py::a", "y", "failed", calls=[BAD])],
    }
    comparison = _compare(write_runs, runs)
    (divergence,) = comparison.divergences
    assert comparison.backends[0] == "aws"
    assert divergence.basis == "reference"
    assert divergence.groups[divergence.reference].backends == ["aws"]


def test_a_failed_assertion_outweighs_the_majority(write_runs):
    runs = {
        "x": [make_record("t.py::a", "x", "failed", calls=[BAD])],
        "y": [make_record("t.py::a", "y", "failed", calls=[BAD])],
        "z": [make_record("t.py::a", "z", calls=[OK])],
    }
    (divergence,) = _compare(write_runs, runs).divergences
    assert divergence.basis == "assertions"
    assert divergence.groups[divergence.reference].backends == ["z"]
    assert [g.verdict for g in divergence.groups] == ["diverge", "agree"]


def test_accepting_an_invalid_request_without_assertions_is_blamed_on_the_acceptor(write_runs):
    # The case: the acceptor passes (nothing raised), the others raise ClientError.
    runs = {b: [make_record("t.py::a", b, "raised", calls=[REJECT])] for b in ("x", "y")}
    runs["z"] = [make_record("t.py::a", "z", calls=[PUT])]
    (divergence,) = _compare(write_runs, runs).divergences
    assert divergence.basis == "majority"
    by = _by_backends(divergence)
    assert by["z",].verdict == "diverge"
    assert by["z",].diff_class.key == "accepted-invalid"
    assert by["x", "y"].verdict == "agree"


def test_rejecters_that_word_it_differently_still_outvote_the_acceptor(write_runs):
    def reject(message):
        return make_call(
            "PutItem",
            request=PUT["request"],
            status=400,
            error={"code": "ValidationException", "message": message},
        )

    runs = {
        b: [make_record("t.py::a", b, "raised", calls=[reject(f"words {b}")])]
        for b in ("w", "x", "y")
    }
    runs["z"] = [make_record("t.py::a", "z", calls=[PUT])]
    (divergence,) = _compare(write_runs, runs).divergences
    assert divergence.basis == "majority"
    verdicts = {b: g.verdict for g in divergence.groups for b in g.backends}
    assert verdicts == {"w": "wording", "x": "wording", "y": "wording", "z": "diverge"}


def test_the_decisive_call_is_the_one_that_raised_not_the_noisy_first_one(write_runs):
    runs = {
        "x": [make_record("t.py::a", "x", "raised", calls=[DESCRIBE, REJECT])],
        "y": [make_record("t.py::a", "y", "raised", calls=[DESCRIBE, REJECT])],
        "z": [make_record("t.py::a", "z", calls=[DESCRIBE_MORE, PUT])],
    }
    (divergence,) = _compare(write_runs, runs).divergences
    odd = _by_backends(divergence)["z",]
    assert [d.key for d in odd.differences] == ["shape", "accepted-invalid"]
    assert odd.diff_class.key == "accepted-invalid"
    assert (odd.decisive.operation, odd.decisive.base_index) == ("PutItem", 1)
    _, difference = divergence.decisive
    assert difference.key == "accepted-invalid"


def test_an_even_split_without_assertions_to_decide_has_no_reference(write_runs):
    runs = {
        "x": [make_record("t.py::a", "x", calls=[OK])],
        "y": [make_record("t.py::a", "y", calls=[BAD])],
    }
    (divergence,) = _compare(write_runs, runs).divergences
    assert (divergence.reference, divergence.basis) == (None, None)
    assert [g.verdict for g in divergence.groups] == ["diverge", "diverge"]
    assert divergence.groups[1].diff_class.key == "content"


def test_a_three_way_split_is_classified_against_the_right_side(write_runs):
    other = make_call(
        "PutItem",
        request=PUT["request"],
        status=400,
        error={"code": "SerializationException", "message": "?"},
    )
    runs = {
        "w": [make_record("t.py::a", "w", "raised", calls=[REJECT])],
        "x": [make_record("t.py::a", "x", "raised", calls=[REJECT])],
        "y": [make_record("t.py::a", "y", "raised", calls=[other])],
        "z": [make_record("t.py::a", "z", calls=[PUT])],
    }
    (divergence,) = _compare(write_runs, runs).divergences
    by = _by_backends(divergence)
    assert divergence.groups[divergence.reference].backends == ["w", "x"]
    assert by["y",].diff_class.key == "error-code"
    assert by["z",].diff_class.key == "accepted-invalid"
    assert [c.key for c in divergence.classes] == ["accepted-invalid", "error-code"]


def test_unsupported_is_told_of_the_backend_that_lacks_the_operation(write_runs):
    unknown = make_call(status=400, error={"code": "UnknownOperationException", "message": ""})
    runs = {
        "x": [make_record("t.py::a", "x", "raised", calls=[unknown])],
        "y": [make_record("t.py::a", "y", calls=[OK])],
        "z": [make_record("t.py::a", "z", calls=[OK])],
    }
    (divergence,) = _compare(write_runs, runs).divergences
    by = _by_backends(divergence)
    assert (by["x",].diff_class.key, by["x",].verdict) == ("unsupported", "unsupported")
    assert by["y", "z"].verdict == "agree"


def test_set_element_order_is_never_a_difference(write_runs):
    def record(backend, order):
        call = make_call(response={"Item": {"s": {"SS": order}, "n": {"NS": order}}})
        return make_record("t.py::a", backend, calls=[call])

    runs = {"x": [record("x", ["a", "b"])], "y": [record("y", ["b", "a"])]}
    comparison = _compare(write_runs, runs)
    assert comparison.divergences == comparison.informational == []


def test_scan_order_is_informational_unless_the_outcome_differs(write_runs):
    items = [{"k": {"S": "a"}}, {"k": {"S": "b"}}]
    scan = make_call("Scan", response={"Items": items})
    rescan = make_call("Scan", response={"Items": items[::-1]})
    runs = {
        "x": [make_record("t.py::a", "x", calls=[scan]), make_record("t.py::b", "x", calls=[scan])],
        "y": [
            make_record("t.py::a", "y", calls=[rescan]),
            make_record("t.py::b", "y", "failed", calls=[rescan]),
        ],
    }
    comparison = _compare(write_runs, runs)
    assert [d.test_id for d in comparison.informational] == ["t.py::a"]
    (asserted,) = comparison.divergences
    assert (asserted.test_id, [c.key for c in asserted.classes]) == ("t.py::b", ["order"])


def test_a_test_that_never_reached_a_backend_is_not_compared(write_runs):
    runs = {
        b: [
            make_record("t.py::a", b, "error", phase="setup", message="fixture broke"),
            make_record("t.py::b", b, calls=[OK]),
        ]
        for b in ("x", "y")
    }
    comparison = _compare(write_runs, runs)
    assert comparison.not_compared == {
        "t.py::a": "errored before any DynamoDB call on every backend"
    }
    assert comparison.divergences == []


def test_a_set_up_that_fails_on_one_backend_only_is_a_difference(write_runs):
    runs = {
        "x": [make_record("t.py::a", "x", calls=[OK])],
        "y": [make_record("t.py::a", "y", calls=[OK])],
        "z": [make_record("t.py::a", "z", "error", phase="setup", message="no streams")],
    }
    (divergence,) = _compare(write_runs, runs).divergences
    assert [c.key for c in divergence.classes] == ["setup-error"]


def test_skipped_interrupted_and_broken_are_left_out_not_compared(write_runs):
    dead = make_call(status=None, error={"code": "EndpointConnectionError", "message": ""})
    runs = {
        "w": [make_record("t.py::a", "w", calls=[OK])],
        "x": [make_record("t.py::a", "x", calls=[OK])],
        "y": [make_record("t.py::a", "y", "raised", calls=[dead], backend_failure="crashed")],
        "z": [make_record("t.py::a", "z", "interrupted", calls=[BAD])],
        "v": [make_record("t.py::a", "v", "skipped")],
    }
    comparison = _compare(write_runs, runs)
    assert comparison.divergences == []
    assert comparison.broken == {"y": {"t.py::a": "crashed"}}
    assert comparison.compared("t.py::a") == ["w", "x"]
    assert comparison.left_out("t.py::a", "z") == "interrupted"


def test_a_call_another_backends_server_answered_is_never_merged(write_runs):
    misrouted = {**BAD, "endpoint": "http://127.0.0.1:9", "served_by": "y"}
    runs = {
        "x": [make_record("t.py::a", "x", calls=[OK, misrouted])],
        "y": [make_record("t.py::a", "y", calls=[{**OK, "served_by": "y"}])],
        "z": [make_record("t.py::a", "z", calls=[OK])],
    }
    comparison = _compare(write_runs, runs)
    assert comparison.left_out("t.py::a", "x") == "misrouted"
    assert comparison.tests["t.py::a"]["x"].misrouted[0]["served_by"] == "y"
    assert comparison.divergences == []


def test_a_recorded_reference_decides_the_tests_it_covers(write_runs, tmp_path):
    (reference,) = write_runs(
        {"aws": [make_record("t.py::a", "aws", calls=[BAD])]}, tmp_path / "ref"
    )
    runs = {
        b: [make_record("t.py::a", b, calls=[OK]), make_record("t.py::b", b, calls=[OK])]
        for b in ("x", "y")
    }
    runs["z"] = [
        make_record("t.py::a", "z", calls=[BAD]),
        make_record("t.py::b", "z", calls=[BAD]),
    ]
    comparison = compare(load_runs(write_runs(runs)), load_run(reference))
    assert comparison.backends == ["x", "y", "z"]
    first, second = comparison.divergences
    assert (first.test_id, first.basis) == ("t.py::a", "reference")
    assert first.groups[first.reference].backends == ["aws", "z"]
    assert (second.test_id, second.basis) == ("t.py::b", "majority")
    assert comparison.covered == {"t.py::a"}


def test_the_order_of_the_files_does_not_matter(write_runs):
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
    (divergence,) = _compare(write_runs, runs).divergences
    assert divergence.key == "t.py::a [x, y | z] content"


def test_generated_table_names_do_not_make_a_divergence(write_runs):
    def record(backend, name):
        call = make_call(
            request={"TableName": name},
            status=400,
            error={"code": "ResourceNotFoundException", "message": f"{name} gone"},
        )
        return make_record(
            "t.py::a", backend, "raised", calls=[call], tables={name: "table1"},
            exception=raised("ResourceNotFoundException"),
        )  # fmt: skip

    runs = {
        "x": [record("x", "ddbm-00000000-aaaaaaaaaa")],
        "y": [record("y", "ddbm-11111111-bbbbbbbbbb")],
    }
    assert _compare(write_runs, runs).divergences == []


def test_same_calls_different_outcome(write_runs):
    runs = {
        "x": [make_record("t.py::a", "x", calls=[OK])],
        "y": [make_record("t.py::a", "y", "failed", calls=[OK])],
    }
    (divergence,) = _compare(write_runs, runs).divergences
    assert [c.key for c in divergence.classes] == ["outcome"]


def test_two_runs_of_one_backend_are_refused(write_runs, tmp_path):
    first = write_runs({"x": []}, tmp_path / "a")
    second = write_runs({"x": []}, tmp_path / "b")
    with pytest.raises(RunFileError, match="both runs of 'x'"):
        load_runs(first + second)


def test_no_run_files_is_an_error():
    with pytest.raises(RunFileError, match="no run files"):
        load_runs([])


def test_runs_observed_as_they_load_compare_as_runs_observed_later(write_runs):
    from tests.unit.factories import sample_runs

    paths = write_runs(sample_runs())
    later = compare(load_runs(paths))
    runs = load_runs(paths, observed=True)
    assert all("calls" not in record for run in runs for record in run.data["tests"])
    assert all("message" not in record for run in runs for record in run.data["tests"])
    assert all(len(run.observed) == len(run.data["tests"]) for run in runs)
    now = compare(runs)
    assert now.tests == later.tests
    assert [d.key for d in now.divergences] == [d.key for d in later.divergences]
    assert [[g.backends for g in d.groups] for d in now.divergences] == [
        [g.backends for g in d.groups] for d in later.divergences
    ]


def test_the_group_key_groups_exactly_as_the_signature():
    from ddbmatrix.compare import Observation

    def seen(outcome="passed", exception=None, calls=({"a": 1},)):
        return Observation("moto", outcome, None, calls, exception=exception)

    variants = [
        seen(),
        seen(calls=({"a": 1.5},)),
        seen(calls=()),
        seen("failed"),
        seen(exception={"type": "ClientError", "code": "X"}),
        seen(exception={"code": "X", "type": "ClientError"}),
    ]
    for one in variants:
        for other in variants:
            assert (one.group_key == other.group_key) == (one.signature == other.signature)


def test_a_bad_run_file_observed_as_it_loads_is_refused_with_load_runs_message(write_runs):
    from tests.unit.factories import sample_runs

    paths = write_runs(sample_runs())
    data = json.loads(paths[1].read_text())
    data["tests"][0]["outcome"] = "odd"
    paths[1].write_text(json.dumps(data))
    with pytest.raises(RunFileError) as whole:
        load_runs(paths)
    with pytest.raises(RunFileError) as observed:
        load_runs(paths, observed=True)
    assert str(observed.value) == str(whole.value)
