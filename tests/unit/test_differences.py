from __future__ import annotations

from ddbmatrix.differences import align, call_differences
from tests.unit.factories import make_call

DESCRIBE = make_call("DescribeTable", response={"Table": {"TableStatus": "ACTIVE"}})
NOISY = make_call("DescribeTable", response={"Table": {"TableStatus": "ACTIVE", "Extra": 1}})
PUT = make_call("PutItem", request={"Item": {"k": {"S": "a"}}})
REJECTED = make_call(
    "PutItem",
    request={"Item": {"k": {"S": "a"}}},
    status=400,
    error={"code": "ValidationException", "message": "no"},
)


def test_every_call_is_compared_not_only_the_first_differing_one():
    differences, _ = call_differences([DESCRIBE, PUT], [NOISY, REJECTED])
    assert [(d.key, d.operation, d.base_index) for d in differences] == [
        ("shape", "DescribeTable", 0),
        ("accepted-invalid", "PutItem", 1),
    ]


def test_an_extra_call_on_one_side_shifts_nothing_after_it():
    scan = make_call("Scan", request={"TableName": "t"})
    page = make_call("Scan", request={"TableName": "t", "ExclusiveStartKey": {"k": 1}})
    get = make_call("GetItem", response={"Item": {"v": {"S": "x"}}})
    other_get = make_call("GetItem", response={"Item": {"v": {"S": "y"}}})
    differences, alignment = call_differences([scan, page, get], [scan, other_get])
    assert [(d.key, d.base_index, d.other_index) for d in differences] == [
        ("requests", 1, None),
        ("content", 2, 1),
    ]
    assert alignment == {0: 0, 2: 1}


def test_align_pairs_calls_by_operation_and_request():
    a, b = make_call("A"), make_call("B")
    assert align([a, b], [b]) == [(0, None), (1, 0)]
    assert align([a], [a, b]) == [(0, 0), (None, 1)]


def test_scan_order_is_marked_informational_and_query_order_is_not():
    items = {"Items": [{"k": {"S": "a"}}, {"k": {"S": "b"}}]}
    reordered = {"Items": [{"k": {"S": "b"}}, {"k": {"S": "a"}}]}
    (scan,), _ = call_differences(
        [make_call("Scan", response=items)], [make_call("Scan", response=reordered)]
    )
    assert (scan.key, scan.informational) == ("order", "scan-order")
    assert scan.counted(outcomes_differ=True)
    assert not scan.counted(outcomes_differ=False)
    (query,), _ = call_differences(
        [make_call("Query", response=items)], [make_call("Query", response=reordered)]
    )
    assert (query.key, query.informational) == ("order", None)


def test_a_scan_differing_in_order_and_content_counts_by_its_content():
    base = make_call("Scan", response={"Count": 2, "Items": [{"k": 1}, {"k": 2}]})
    other = make_call("Scan", response={"Count": 3, "Items": [{"k": 2}, {"k": 1}]})
    (difference,), _ = call_differences([base], [other])
    assert (difference.key, difference.informational) == ("content", None)
