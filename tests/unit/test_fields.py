from __future__ import annotations

from ddbmatrix.fields import field_differences


def _summary(base, other):
    return [(d.path, d.kind, d.change) for d in field_differences(base, other)]


def test_a_field_one_side_lacks_is_one_difference_at_its_own_path():
    base = {"Table": {"TableName": "t"}}
    other = {"Table": {"TableName": "t", "WarmThroughput": {"ReadUnitsPerSecond": 1}}}
    assert _summary(base, other) == [("Table.WarmThroughput", "shape", "added")]
    assert _summary(other, base) == [("Table.WarmThroughput", "shape", "removed")]


def test_values_that_differ_are_content_at_their_path():
    assert _summary({"Item": {"n": {"N": "1.5"}}}, {"Item": {"n": {"N": "01.500"}}}) == [
        ("Item.n.N", "content", "changed")
    ]


def test_list_elements_are_compared_in_place_and_reported_once_per_path():
    base = {"Items": [{"a": {"S": "1"}}, {"a": {"S": "2"}}]}
    other = {"Items": [{"a": {"S": "x"}}, {"a": {"S": "y"}}]}
    assert _summary(base, other) == [("Items[].a.S", "content", "changed")]


def test_same_elements_in_another_order_are_one_order_difference():
    base = {"Items": [{"k": 1}, {"k": 2}]}
    assert _summary(base, {"Items": [{"k": 2}, {"k": 1}]}) == [("Items", "order", "reordered")]


def test_lists_of_another_length_are_content_of_the_list():
    assert _summary({"Items": [1, 2]}, {"Items": [1]}) == [("Items", "content", "changed")]


def test_equal_bodies_do_not_differ():
    assert field_differences({"a": [1, {"b": 2}]}, {"a": [1, {"b": 2}]}) == []
