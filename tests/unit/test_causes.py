from __future__ import annotations

from ddbmatrix.causes import causes_of, families, sentence
from ddbmatrix.compare import compare, load_runs
from ddbmatrix.fingerprints import Fingerprint
from tests.unit.factories import make_call, make_record

BACKENDS = ("dynalite", "dynamodb-local", "dynoxide", "ministack", "moto")


def _table(extra=None):
    return make_call(
        "CreateTable", response={"TableDescription": {"TableName": "t", **(extra or {})}}
    )


def _reject(message):
    return make_call(
        "PutItem", status=400, error={"code": "ValidationException", "message": message}
    )


def test_one_difference_in_many_tests_is_one_cause(write_runs):
    def table(backend):
        return _table({"WarmThroughput": {}} if backend == "moto" else None)

    runs = {
        b: [make_record(f"t.py::test_{i}", b, calls=[table(b)]) for i in range(3)] for b in BACKENDS
    }
    causes, by_test = causes_of(compare(load_runs(write_runs(runs))))
    (cause,) = causes
    assert cause.sentence == "moto adds `WarmThroughput` to CreateTable `TableDescription`"
    assert cause.tests == [f"t.py::test_{i}" for i in range(3)]
    assert by_test["t.py::test_0"] == [cause.id]


def test_causes_rank_by_severity_then_by_tests_affected_and_the_decisive_comes_first(write_runs):
    put = make_call("PutItem")
    runs = {}
    for b in BACKENDS:
        noisy = _table({"WarmThroughput": {}} if b == "moto" else None)
        records = [make_record(f"t.py::shape_{i}", b, calls=[noisy]) for i in range(3)]
        decisive = [noisy, put] if b == "moto" else [noisy, _reject("Too big")]
        outcome = "passed" if b == "moto" else "raised"
        records.append(make_record("t.py::accepts", b, outcome, calls=decisive))
        runs[b] = records
    causes, by_test = causes_of(compare(load_runs(write_runs(runs))))
    assert [(c.fingerprint.kind, len(c.tests)) for c in causes] == [
        ("accepted-invalid", 1),
        ("shape", 4),
    ]
    assert causes[0].sentence == (
        "moto accepts PutItem requests that dynalite, dynamodb-local, dynoxide, ministack "
        "reject with ValidationException “Too big”"
    )
    assert causes[0].decisive == ["t.py::accepts"]
    assert by_test["t.py::accepts"] == [causes[0].id, causes[1].id]


def test_a_field_difference_is_blamed_on_its_own_minority_whatever_the_test_decided(write_runs):
    # dynalite fails the assertion, so the assertions make the passing side right; but the
    # field that moto alone adds is moto's, in this test as in every other.
    good = make_call(response={"Item": {"v": {"S": "a"}}})
    wrong = make_call(response={"Item": {"v": {"S": "b"}}})
    runs = {}
    for b in BACKENDS:
        calls = [_table({"WarmThroughput": {}} if b == "moto" else None)]
        calls.append(wrong if b == "dynalite" else good)
        runs[b] = [
            make_record("t.py::a", b, "failed" if b == "dynalite" else "passed", calls=calls)
        ]
    causes, _ = causes_of(compare(load_runs(write_runs(runs))))
    by_kind = {c.fingerprint.kind: c for c in causes}
    assert by_kind["shape"].fingerprint.odd == ("moto",)
    assert by_kind["content"].fingerprint.odd == ("dynalite",)


def test_wording_causes_of_one_side_and_code_read_as_one_family(write_runs):
    words = ["first", "second", "third"]

    def reject(backend, i):
        who = "local" if backend == "dynamodb-local" else "aws"
        return _reject(f"{who} says {words[i]}")

    runs = {
        b: [make_record(f"t.py::test_{i}", b, "raised", calls=[reject(b, i)]) for i in range(3)]
        for b in BACKENDS
    }
    causes, _ = causes_of(compare(load_runs(write_runs(runs))))
    assert len(causes) == 3
    (family,) = families(causes)
    assert family.sentence == (
        "dynamodb-local words ValidationException messages otherwise than dynalite, dynoxide, "
        "ministack, moto (3 wordings)"
    )
    assert len(family.tests) == 3


def test_every_class_has_a_sentence():
    for kind in ("server-error", "unsupported", "setup-error", "error-code", "content", "order",
                 "requests", "message", "outcome"):  # fmt: skip
        text = sentence(Fingerprint(kind, "GetItem", "X: y", "odd", ("moto",), ("dynalite",)))
        assert "moto" in text
