from __future__ import annotations

import pytest

from ddbmatrix.classify import classify
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
            make_call(status=400, error=ERR, response={"Item": {"a": 1}}),
            make_call(status=400, error=ERR, response={}),
            "shape",
        ),
    ],
)
def test_each_difference_has_one_class(a, b, expected):
    assert classify(a, b).key == expected
