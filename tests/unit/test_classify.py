from __future__ import annotations

import pytest

from ddbmatrix.classify import CLASSES, classify, is_unsupported
from tests.unit.factories import make_call

ERR = {"code": "ValidationException", "message": "bad"}


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (make_call(), make_call(), "outcome"),
        (None, None, "outcome"),
        (make_call(), None, "requests"),
        (make_call(request={"x": 1}), make_call(request={"x": 2}), "requests"),
        (
            make_call(status=400, error=ERR),
            make_call(status=500, error={"code": "500", "message": ""}),
            "server-error",
        ),
        (
            make_call(),
            make_call(status=None, error={"code": "EndpointConnectionError", "message": ""}),
            "server-error",
        ),
        (
            make_call(),
            make_call(status=400, error={"code": "UnknownOperationException", "message": ""}),
            "unsupported",
        ),
        (make_call(status=400, error=ERR), make_call(), "accepted-invalid"),
        (
            make_call(status=400, error=ERR),
            make_call(status=400, error={"code": "ResourceNotFoundException", "message": "bad"}),
            "error-code",
        ),
        (
            make_call(status=400, error=ERR),
            make_call(status=400, error={"code": "ValidationException", "message": "other"}),
            "error-message",
        ),
        (make_call(response={"Items": [1, 2]}), make_call(response={"Items": [2, 1]}), "order"),
        (
            make_call(response={"Items": [1]}),
            make_call(response={"Items": [1], "Extra": 1}),
            "shape",
        ),
        (make_call(response={"Items": [1]}), make_call(response={"Items": [2]}), "content"),
        (
            make_call(response={"Responses": {"t": [{"a": 1}, {"a": 2}]}, "UnprocessedKeys": {}}),
            make_call(response={"Responses": {"t": [{"a": 2}, {"a": 1}]}, "UnprocessedKeys": {}}),
            "order",
        ),
        (
            make_call(response={"Items": [{"L": [1, 2]}]}),
            make_call(response={"Items": [{"L": [2, 1]}]}),
            "content",
        ),
        (make_call(response={"Items": [1, 1]}), make_call(response={"Items": [1]}), "content"),
        (
            make_call(status=400, error=ERR, response={"Item": {"a": 1}}),
            make_call(status=400, error=ERR, response={}),
            "shape",
        ),
    ],
)
def test_each_difference_has_one_class(a, b, expected):
    assert classify(a, b).key == expected


def test_unsupported_is_said_by_the_call_that_got_it():
    unknown = make_call(status=400, error={"code": "UnknownOperationException", "message": ""})
    assert is_unsupported(unknown)
    assert not is_unsupported(make_call(status=400, error=ERR))
    assert not is_unsupported(None)


def test_every_class_explains_itself_in_one_line():
    for diff_class in CLASSES.values():
        assert diff_class.title
        assert diff_class.explanation
        assert "\n" not in diff_class.explanation
