from __future__ import annotations

from ddbmatrix.report.diff import differing, side_by_side


def test_lines_that_differ_from_the_base_are_marked_in_both_columns():
    base, other = side_by_side([{"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}], base=0)
    assert [(line.text.strip(), line.changed) for line in base] == [
        ("{", False),
        ('"a": 1,', False),
        ('"b": 2', True),
        ("}", False),
    ]
    assert [line.text.strip() for line in other if line.changed] == ['"b": 3,', '"c": 4']


def test_three_columns_are_each_compared_with_the_base():
    columns = side_by_side(["x", "x", "y"], base=1)
    assert [[line.changed for line in column] for column in columns] == [[False], [True], [True]]


def test_differing_keeps_only_the_entries_that_differ():
    values = [
        {"Table": {"Name": "t", "Id": "<id>", "Status": "ACTIVE"}},
        {"Table": {"Name": "t", "Status": "CREATING"}},
    ]
    assert differing(values) == [
        {"Table": {"Id": "<id>", "Status": "ACTIVE"}},
        {"Table": {"Status": "CREATING"}},
    ]
    assert differing([[1, 2], [2, 1]]) == [[1, 2], [2, 1]]
