"""ddbmatrix.packed: a test's normalized calls kept deflated, read back exactly."""

from __future__ import annotations

import json

from ddbmatrix.packed import PackedCalls

CALLS = (
    {"error": None, "operation": "PutItem", "request": {"Item": {"k": {"S": "é \ud800"}}}},
    {"error": {"code": "X", "message": "m"}, "operation": "GetItem", "response": {"n": 1.5}},
)


def test_it_reads_like_the_tuple_it_packs():
    packed = PackedCalls(CALLS)
    assert len(packed) == 2
    assert bool(packed)
    assert not PackedCalls(())
    assert packed[1] == CALLS[1]
    assert packed[-1:] == CALLS[-1:]
    assert list(packed) == list(CALLS)
    assert packed.unpacked() == CALLS
    assert packed == CALLS
    assert packed == list(CALLS)
    assert packed == CALLS  # the tuple defers to the packed calls


def test_key_order_and_values_come_back_as_they_were():
    calls = [{"a": 1, "b": [True, None, 0.1, 2**70], "c": {"x": "y"}}]  # sorted: as normalized
    again = list(PackedCalls(calls))
    assert again == calls
    assert json.dumps(again) == json.dumps(calls)


def test_equal_packings_are_equal_calls():
    assert PackedCalls(CALLS).packed == PackedCalls(list(CALLS)).packed
    assert PackedCalls(CALLS) == PackedCalls(CALLS)
    assert PackedCalls(CALLS) != PackedCalls(CALLS[:1])
    assert PackedCalls([{"n": 1}]) != PackedCalls([{"n": 1.5}])


def test_it_is_smaller_than_its_json():
    calls = [{"operation": "Query", "response": {"Items": [{"k": {"S": "v"}}] * 200}}]
    assert len(PackedCalls(calls).packed) < len(json.dumps(calls)) / 10


def test_unsorted_it_keeps_each_maps_order():
    values = [{"z": 1, "a": {"y": 2, "b": 3}}]
    again = list(PackedCalls(values, sort_keys=False))
    assert again == values
    assert [list(again[0]), list(again[0]["a"])] == [["z", "a"], ["y", "b"]]
