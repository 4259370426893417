from __future__ import annotations

import pytest

from ddbmatrix.classify import CLASSES, compare_calls, is_unsupported, most_severe, severity
from tests.unit.factories import make_call

ERR = {"code": "ValidationException", "message": "bad"}


def _err(code="ValidationException", message="bad", status=400):
    return make_call(status=status, error={"code": code, "message": message})


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (make_call(request={"x": 1}), make_call(request={"x": 2}), "requests"),
        (make_call("GetItem"), make_call("PutItem"), "requests"),
        (_err(), _err("InternalFailure", "", status=500), "server-error"),
        (
            make_call(),
            make_call(status=None, error={"code": "EndpointConnectionError", "message": ""}),
            "server-error",
        ),
        (make_call(), _err("UnknownOperationException", ""), "unsupported"),
        (_err(), make_call(), "accepted-invalid"),
        (make_call(), _err(), "accepted-invalid"),
        (_err(), _err("ResourceNotFoundException"), "error-code"),
        (_err(), _err(message="other words"), "message"),
        (make_call(response={"Items": [1, 2]}), make_call(response={"Items": [2, 1]}), "order"),
        (
            make_call(response={"Items": [1]}),
            make_call(response={"Items": [1], "Extra": 1}),
            "shape",
        ),
        (make_call(response={"Items": [1]}), make_call(response={"Items": [2]}), "content"),
        (
            make_call(response={"Items": [{"L": [1, 2]}]}),
            make_call(response={"Items": [{"L": [2, 1]}]}),
            "order",
        ),
        (make_call(response={"Items": [1, 1]}), make_call(response={"Items": [1]}), "content"),
        (
            make_call(status=400, error=ERR, response={"Item": {"a": 1}}),
            make_call(status=400, error=ERR, response={}),
            "shape",
        ),
    ],
)
def test_each_pair_of_calls_has_one_class(a, b, expected):
    assert compare_calls(a, b).key == expected


def test_equal_calls_do_not_differ():
    assert compare_calls(make_call(), make_call()) is None


def test_the_most_severe_field_decides_a_pair():
    # A status the same but the body both reshaped and changed: content outranks shape.
    a = make_call(response={"Table": {"TableStatus": "ACTIVE"}})
    b = make_call(response={"Table": {"TableStatus": "CREATING", "WarmThroughput": {}}})
    verdict = compare_calls(a, b)
    assert verdict.key == "content"
    assert sorted(f.kind for f in verdict.fields) == ["content", "shape"]


def test_an_error_differing_in_wording_and_body_is_classed_by_the_body():
    a = make_call(status=400, error=ERR, response={"Item": {"a": 1}})
    b = make_call(status=400, error={**ERR, "message": "else"}, response={})
    verdict = compare_calls(a, b)
    assert verdict.key == "shape"
    assert {f.kind for f in verdict.fields} == {"shape", "message"}


def test_the_documented_order_of_severity():
    assert list(CLASSES) == [
        "server-error",
        "unsupported",
        "setup-error",
        "accepted-invalid",
        "error-code",
        "content",
        "shape",
        "order",
        "requests",
        "message",
        "outcome",
    ]
    assert most_severe(["message", "shape", "order"]) == "shape"
    assert severity("server-error") == 0


def test_only_wording_is_not_behaviour():
    assert [c.key for c in CLASSES.values() if not c.behaviour] == ["message"]


def test_unsupported_is_said_by_the_call_that_got_it():
    assert is_unsupported(_err("UnknownOperationException", ""))
    assert not is_unsupported(_err())
    assert not is_unsupported(None)


def test_every_class_explains_itself_in_one_line():
    for diff_class in CLASSES.values():
        assert diff_class.title
        assert diff_class.explanation
        assert "\n" not in diff_class.explanation
