"""Items and attribute types: PutItem, GetItem and DeleteItem, and the limits on what an item holds.

Sources: Amazon DynamoDB Developer Guide, "Supported data types and naming rules" (Numbers,
Sets, empty values), "Constraints" (item size 400 KB, partition key 2048 bytes, sort key 1024
bytes, nesting 32 levels), "Read/write capacity units"; API Reference, PutItem, GetItem,
DeleteItem, AttributeValue. Where a comment says "recorded AWS answer", the behaviour was
observed against real DynamoDB by the public conformance suite nubo-db/dynamodb-conformance
(whose AWS run passes every case cited here) or is listed in /work/shared/AWS-TRUTH.md.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from support import assert_error, b, error_of, n, observe, s

# DynamoDB's item-size gate, to the byte: 409,600 is stored, 409,601 is refused. An item's size
# is the UTF-8 length of every attribute name plus the size of its value (Developer Guide,
# "Item sizes and formats"; recorded AWS answer, 2026-08).
MAX_ITEM_BYTES = 400 * 1024
KEY = {"pk": s("k")}
KEY_BYTES = len("pk") + len("k")


@pytest.fixture
def table(make_table):
    return make_table(keys={"pk": "S"})


@pytest.fixture
def composite(make_table):
    return make_table(keys={"pk": "S", "sk": "S"})


def read(client, table, key=None):
    """GetItem with a strongly consistent read; the item or None."""
    return client.get_item(TableName=table, Key=key or KEY, ConsistentRead=True).get("Item")


def canonical(value):
    """The value with set members sorted: sets are unordered (Developer Guide, Sets)."""
    ((kind, inner),) = value.items()
    if kind in ("SS", "BS"):
        return {kind: sorted(inner)}
    if kind == "NS":
        return {kind: sorted(inner, key=Decimal)}
    if kind == "L":
        return {"L": [canonical(v) for v in inner]}
    if kind == "M":
        return {"M": {k: canonical(v) for k, v in inner.items()}}
    return value


def nested(levels: int, kind: str = "M"):
    """A scalar wrapped in `levels` maps (or lists): levels=1 is {"M": {"n": {"S": "leaf"}}}."""
    value = s("leaf")
    for _ in range(levels):
        value = {"M": {"n": value}} if kind == "M" else {"L": [value]}
    return value


# --- PutItem, GetItem, DeleteItem basics -----------------------------------------------------


def test_put_then_get_returns_the_item(ddb_client, table):
    item = {**KEY, "name": s("Ann"), "age": n(31)}
    ddb_client.put_item(TableName=table, Item=item)
    assert read(ddb_client, table) == item


def test_put_replaces_the_whole_item(ddb_client, table):
    # PutItem "replaces an old item with a new item": attributes absent from the new item go.
    ddb_client.put_item(TableName=table, Item={**KEY, "old": s("x"), "shared": n(1)})
    ddb_client.put_item(TableName=table, Item={**KEY, "shared": n(2)})
    assert read(ddb_client, table) == {**KEY, "shared": n(2)}


def test_get_of_missing_item_has_no_item_field(ddb_client, table):
    # "If there is no matching item, GetItem does not return any data and there will be no
    # Item element in the response." (API Reference, GetItem)
    response = ddb_client.get_item(TableName=table, Key={"pk": s("nobody")})
    assert "Item" not in response


def test_get_with_consistent_read_returns_the_latest_write(ddb_client, table):
    ddb_client.put_item(TableName=table, Item={**KEY, "v": n(1)})
    ddb_client.put_item(TableName=table, Item={**KEY, "v": n(2)})
    response = ddb_client.get_item(TableName=table, Key=KEY, ConsistentRead=True)
    assert response["Item"] == {**KEY, "v": n(2)}


def test_delete_removes_the_item(ddb_client, table):
    ddb_client.put_item(TableName=table, Item={**KEY, "v": n(1)})
    ddb_client.delete_item(TableName=table, Key=KEY)
    assert read(ddb_client, table) is None


def test_delete_of_missing_item_succeeds_without_attributes(ddb_client, table):
    response = ddb_client.delete_item(TableName=table, Key={"pk": s("nobody")})
    assert "Attributes" not in response


def test_items_with_same_partition_key_and_different_sort_keys_are_distinct(ddb_client, composite):
    ddb_client.put_item(TableName=composite, Item={"pk": s("p"), "sk": s("a"), "v": n(1)})
    ddb_client.put_item(TableName=composite, Item={"pk": s("p"), "sk": s("b"), "v": n(2)})
    assert read(ddb_client, composite, {"pk": s("p"), "sk": s("a")})["v"] == n(1)
    assert read(ddb_client, composite, {"pk": s("p"), "sk": s("b")})["v"] == n(2)


def test_binary_partition_key_round_trips(ddb_client, make_table):
    name = make_table(keys={"pk": "B"})
    key = {"pk": b(b"\x00\xffkey")}
    ddb_client.put_item(TableName=name, Item={**key, "v": s("x")})
    assert read(ddb_client, name, key) == {**key, "v": s("x")}


def test_number_key_is_matched_by_value_not_spelling(ddb_client, make_table):
    # Numbers are stored normalized ("leading and trailing zeroes are trimmed"), so a key
    # written as 1.50 is the number 1.5 and is found, and read back, as 1.5.
    name = make_table(keys={"pk": "N"})
    ddb_client.put_item(TableName=name, Item={"pk": n("1.50"), "v": s("x")})
    assert read(ddb_client, name, {"pk": n("1.5")}) == {"pk": n("1.5"), "v": s("x")}


def test_attribute_names_are_case_sensitive(ddb_client, table):
    # "All names must be encoded using UTF-8, and are case-sensitive." (Naming rules)
    item = {**KEY, "a": n(1), "A": n(2)}
    ddb_client.put_item(TableName=table, Item=item)
    assert read(ddb_client, table) == item


# --- every attribute type round-trips --------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        s("hello"),
        s("ünïcødé ✓ 𝄞"),
        s("  spaces\tand\nnewlines  "),
        n("42"),
        n("-3.25"),
        b(bytes(range(256))),
        {"BOOL": True},
        {"BOOL": False},
        {"NULL": True},
        {"SS": ["a", "b", "c"]},
        {"NS": ["1", "2.5", "-3"]},
        {"BS": [b"\x00", b"\x01\x02", b"\xff"]},
        {"L": [s("a"), n("1"), {"BOOL": True}, {"NULL": True}, {"M": {"x": s("y")}}]},
        {"M": {"a": s("x"), "b": n("2"), "c": {"SS": ["p", "q"]}}},
        {"M": {"list": {"L": [{"M": {"deep": {"L": [n("1"), s("two")]}}}]}}},
        {"L": []},
        {"M": {}},
    ],
    ids=[
        "S",
        "S-unicode",
        "S-whitespace",
        "N",
        "N-negative-fraction",
        "B",
        "BOOL-true",
        "BOOL-false",
        "NULL",
        "SS",
        "NS",
        "BS",
        "L-mixed",
        "M",
        "M-L-M-L",
        "L-empty",
        "M-empty",
    ],
)
def test_attribute_type_round_trips(ddb_client, table, value):
    # Empty L and M are legal values, unlike empty sets.
    ddb_client.put_item(TableName=table, Item={**KEY, "v": value})
    stored = read(ddb_client, table)
    assert canonical(stored["v"]) == canonical(value)


def test_set_may_hold_an_empty_string(ddb_client, table):
    # "DynamoDB does not support empty sets, however, empty string and binary values are
    # allowed within a set." (Developer Guide, Sets)
    ddb_client.put_item(TableName=table, Item={**KEY, "ss": {"SS": ["", "a"]}})
    assert sorted(read(ddb_client, table)["ss"]["SS"]) == ["", "a"]


# --- numbers ---------------------------------------------------------------------------------


def test_number_with_38_significant_digits_round_trips_exactly(ddb_client, table):
    # "Numbers can have up to 38 digits of precision."
    digits = "12345678901234567890123456789012345678"
    ddb_client.put_item(TableName=table, Item={**KEY, "v": n(digits)})
    assert read(ddb_client, table)["v"] == n(digits)


@pytest.mark.parametrize(
    ("written", "read_back"),
    [
        ("00042", "42"),
        ("1.0", "1"),
        ("3.1400", "3.14"),
        ("01.500", "1.5"),
        ("1.5E2", "150"),
        ("-0", "0"),
    ],
    ids=["leading-zeros", "trailing-zero", "trailing-zeros", "both", "exponent", "negative-zero"],
)
def test_number_is_read_back_normalized(ddb_client, table, written, read_back):
    # "Leading and trailing zeroes are trimmed." Recorded AWS answers: 00042 -> 42,
    # 3.1400 -> 3.14, 1.5E2 -> 150, -0 -> 0, 01.500 -> 1.5.
    ddb_client.put_item(TableName=table, Item={**KEY, "v": n(written)})
    assert read(ddb_client, table)["v"] == n(read_back)


@pytest.mark.parametrize(
    "value",
    [
        "9.9999999999999999999999999999999999999E+125",
        "-9.9999999999999999999999999999999999999E+125",
        "1E-130",
        "-1E-130",
    ],
    ids=["largest-positive", "largest-negative", "smallest-positive", "smallest-negative"],
)
def test_number_at_the_edge_of_the_range_is_stored_exactly(ddb_client, table, value):
    # Positive range 1E-130 .. 9.9999999999999999999999999999999999999E+125, negative range
    # the mirror image (Developer Guide, Number). The spelling read back may differ.
    ddb_client.put_item(TableName=table, Item={**KEY, "v": n(value)})
    assert Decimal(read(ddb_client, table)["v"]["N"]) == Decimal(value)


@pytest.mark.parametrize(
    ("value", "phrase"),
    [
        ("123456789012345678901234567890123456789", "38 significant digits"),
        ("-1.23456789012345678901234567890123456789", "38 significant digits"),
        ("1E+126", "overflow"),
        ("-1E+126", "overflow"),
        ("1E-131", "underflow"),
        ("-1E-131", "underflow"),
    ],
    ids=[
        "39-digits",
        "39-digits-negative",
        "too-large",
        "too-large-negative",
        "too-small",
        "too-small-negative",
    ],
)
def test_number_beyond_precision_or_range_is_rejected(ddb_client, table, value, phrase):
    # "Attempting to store more than 38 significant digits in a Number", "Number overflow.
    # ..." and "Number underflow. ..." (recorded AWS answers).
    error = error_of(ddb_client.put_item, TableName=table, Item={**KEY, "v": n(value)})
    assert_error(error, "ValidationException", phrase)
    assert read(ddb_client, table) is None


@pytest.mark.parametrize(
    "value",
    ["abc", "", " 1", "0x10", "1e", "NaN", "Infinity"],
    ids=["letters", "empty", "leading-space", "hex", "bare-exponent", "NaN", "Infinity"],
)
def test_malformed_number_is_rejected(ddb_client, table, value):
    # Recorded AWS answer: "The parameter cannot be converted to a numeric value: <value>".
    error = error_of(ddb_client.put_item, TableName=table, Item={**KEY, "v": n(value)})
    assert_error(error, "ValidationException", "numeric value")


def test_number_key_with_39_significant_digits_is_rejected(ddb_client, make_table):
    name = make_table(keys={"pk": "N"})
    error = error_of(
        ddb_client.put_item,
        TableName=name,
        Item={"pk": n("123456789012345678901234567890123456789")},
    )
    assert_error(error, "ValidationException", "38 significant digits")


def test_number_with_trailing_zeros_past_38_digits_is_observed(ddb_client, table):
    # 38 significant digits followed by two zeros. Trimming trailing zeros suggests it fits,
    # but no documentation or recorded AWS answer settles it: observed only.
    value = "1234567890123456789012345678901234567800"
    observe(ddb_client.put_item, TableName=table, Item={**KEY, "v": n(value)})
    observe(ddb_client.get_item, TableName=table, Key=KEY, ConsistentRead=True)


# --- empty values, sets, NULL ----------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [s(""), b(b""), {"L": [s(""), s("x")]}, {"M": {"e": s(""), "b": b(b"")}}],
    ids=["S", "B", "S-in-list", "S-and-B-in-map"],
)
def test_empty_string_or_binary_in_non_key_attribute_round_trips(ddb_client, table, value):
    # Empty String and Binary values are allowed in non-key attributes (since May 2020).
    ddb_client.put_item(TableName=table, Item={**KEY, "v": value})
    assert read(ddb_client, table)["v"] == value


@pytest.mark.parametrize(
    ("item", "phrase"),
    [
        ({"pk": s("")}, "empty string"),
        ({"pk": s("p"), "sk": s("")}, "empty string"),
    ],
    ids=["partition-key", "sort-key"],
)
def test_empty_string_key_is_rejected(ddb_client, composite, item, phrase):
    # Recorded AWS answer: "One or more parameter values are not valid. The AttributeValue for
    # a key attribute cannot contain an empty string value. Key: pk".
    error = error_of(ddb_client.put_item, TableName=composite, Item=item)
    assert_error(error, "ValidationException", phrase)


def test_empty_binary_key_is_rejected(ddb_client, make_table):
    name = make_table(keys={"pk": "B"})
    error = error_of(ddb_client.put_item, TableName=name, Item={"pk": b(b"")})
    assert_error(error, "ValidationException", "empty binary")


def test_get_with_empty_string_key_is_rejected(ddb_client, table):
    error = error_of(ddb_client.get_item, TableName=table, Key={"pk": s("")})
    assert_error(error, "ValidationException", "empty string")


@pytest.mark.parametrize(
    "value",
    [{"SS": []}, {"NS": []}, {"BS": []}, {"M": {"inner": {"SS": []}}}, {"L": [{"NS": []}]}],
    ids=["SS", "NS", "BS", "SS-in-map", "NS-in-list"],
)
def test_empty_set_is_rejected(ddb_client, table, value):
    # "DynamoDB does not support empty sets." Recorded AWS wording: "An string set  may not be
    # empty", "Binary sets should not be empty": only the word "empty" is common.
    error = error_of(ddb_client.put_item, TableName=table, Item={**KEY, "v": value})
    assert_error(error, "ValidationException", "empty")
    assert read(ddb_client, table) is None


@pytest.mark.parametrize(
    "value",
    [{"SS": ["a", "b", "a"]}, {"NS": ["1", "2", "1"]}, {"BS": [b"\x01", b"\x02", b"\x01"]}],
    ids=["SS", "NS", "BS"],
)
def test_duplicate_set_member_is_rejected(ddb_client, table, value):
    # "Each value within a set must be unique." Recorded AWS answer: "... Input collection ...
    # contains duplicates".
    error = error_of(ddb_client.put_item, TableName=table, Item={**KEY, "v": value})
    assert_error(error, "ValidationException", "contains duplicates")
    assert read(ddb_client, table) is None


def test_null_false_is_observed(ddb_client, table):
    # AWS used to reject {"NULL": false}; since 2026-06 some regions accept it and store
    # {"NULL": true} (recorded AWS answer, eu-west-2). The rollout is regional: observed, and
    # if accepted, the value must read back as a true NULL.
    answer = observe(ddb_client.put_item, TableName=table, Item={**KEY, "v": {"NULL": False}})
    if "Error" not in answer:
        assert read(ddb_client, table)["v"] == {"NULL": True}


@pytest.mark.parametrize(
    "value",
    [{"S": "a", "N": "1"}, {}],
    ids=["two-types", "no-type"],
)
def test_attribute_value_without_exactly_one_type_is_rejected(ddb_client, table, value):
    # An AttributeValue is a union: exactly one of its members is set (API Reference).
    error = error_of(ddb_client.put_item, TableName=table, Item={**KEY, "v": value})
    assert error["Code"] == "ValidationException"


# --- nesting ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["M", "L"])
def test_nesting_of_32_levels_is_accepted(ddb_client, table, kind):
    # "DynamoDB supports nested attributes up to 32 levels deep", the top-level attribute
    # being level 1: a scalar inside 31 maps is stored (recorded AWS answer).
    value = nested(31, kind)
    ddb_client.put_item(TableName=table, Item={**KEY, "v": value})
    assert read(ddb_client, table)["v"] == value


@pytest.mark.parametrize("kind", ["M", "L"])
def test_nesting_of_33_levels_is_rejected(ddb_client, table, kind):
    # Recorded AWS answer for 32 wrappers: "Nesting Levels have exceeded supported limits".
    error = error_of(ddb_client.put_item, TableName=table, Item={**KEY, "v": nested(32, kind)})
    assert_error(error, "ValidationException", "Nesting Levels")


# --- item size -------------------------------------------------------------------------------


def padded(total: int, name: str = "p"):
    """An item of KEY plus one string attribute `name`, measuring exactly `total` bytes."""
    return {**KEY, name: s("x" * (total - KEY_BYTES - len(name.encode())))}


def test_item_of_exactly_400_kb_is_accepted(ddb_client, table):
    item = padded(MAX_ITEM_BYTES)
    ddb_client.put_item(TableName=table, Item=item)
    assert read(ddb_client, table) == item


def test_item_one_byte_over_400_kb_is_rejected(ddb_client, table):
    error = error_of(ddb_client.put_item, TableName=table, Item=padded(MAX_ITEM_BYTES + 1))
    assert_error(error, "ValidationException", "Item size has exceeded")


def test_item_well_over_400_kb_is_rejected(ddb_client, table):
    error = error_of(ddb_client.put_item, TableName=table, Item=padded(MAX_ITEM_BYTES + 1024))
    assert_error(error, "ValidationException", "Item size has exceeded")


@pytest.mark.parametrize(
    ("chars", "accepted"), [(204_798, True), (204_799, False)], ids=["fits", "over"]
)
def test_string_size_counts_utf8_bytes_not_characters(ddb_client, table, chars, accepted):
    # "é" is two bytes in UTF-8: 204,798 of them plus the key and name make 409,600 bytes.
    item = {**KEY, "p": s("é" * chars)}
    if accepted:
        ddb_client.put_item(TableName=table, Item=item)
        assert read(ddb_client, table) == item
    else:
        error = error_of(ddb_client.put_item, TableName=table, Item=item)
        assert_error(error, "ValidationException", "Item size has exceeded")


@pytest.mark.parametrize(("extra", "accepted"), [(0, True), (1, False)], ids=["fits", "over"])
def test_binary_size_counts_raw_bytes_not_base64(ddb_client, table, extra, accepted):
    # Binary is sent base64-encoded but sized by its raw bytes.
    item = {**KEY, "p": b(b"\x00" * (MAX_ITEM_BYTES - KEY_BYTES - 1 + extra))}
    if accepted:
        ddb_client.put_item(TableName=table, Item=item)
        assert read(ddb_client, table) == item
    else:
        error = error_of(ddb_client.put_item, TableName=table, Item=item)
        assert_error(error, "ValidationException", "Item size has exceeded")


@pytest.mark.parametrize(("extra", "accepted"), [(0, True), (1, False)], ids=["fits", "over"])
def test_attribute_names_count_toward_item_size(ddb_client, table, extra, accepted):
    # "The size of an item is the sum of the lengths of its attribute names and values."
    name = "n" * 1000
    item = padded(MAX_ITEM_BYTES + extra, name)
    if accepted:
        ddb_client.put_item(TableName=table, Item=item)
        assert read(ddb_client, table) == item
    else:
        error = error_of(ddb_client.put_item, TableName=table, Item=item)
        assert_error(error, "ValidationException", "Item size has exceeded")


# --- key size --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key_type", "value", "accepted"),
    [
        ("S", s("a" * 2048), True),
        ("S", s("a" * 2049), False),
        ("S", s("é" * 1024), True),
        ("S", s("é" * 1025), False),
        ("B", b(b"\x01" * 2048), True),
        ("B", b(b"\x01" * 2049), False),
    ],
    ids=["S-2048", "S-2049", "S-utf8-2048", "S-utf8-2050", "B-2048", "B-2049"],
)
def test_partition_key_size_limit_is_2048_bytes(ddb_client, make_table, key_type, value, accepted):
    # "The maximum length of a partition key value is 2048 bytes." Recorded AWS answer:
    # "... Size of hashkey has exceeded the maximum size limit of2048 bytes".
    name = make_table(keys={"pk": key_type})
    if accepted:
        ddb_client.put_item(TableName=name, Item={"pk": value})
        assert read(ddb_client, name, {"pk": value}) == {"pk": value}
    else:
        error = error_of(ddb_client.put_item, TableName=name, Item={"pk": value})
        assert_error(error, "ValidationException", "exceeded")


@pytest.mark.parametrize(
    ("value", "accepted"),
    [(s("a" * 1024), True), (s("a" * 1025), False), (s("é" * 513), False)],
    ids=["1024", "1025", "utf8-1026"],
)
def test_sort_key_size_limit_is_1024_bytes(ddb_client, composite, value, accepted):
    # "The maximum length of a sort key value is 1024 bytes." Recorded AWS answer:
    # "... Aggregated size of all range keys has exceeded the size limit of 1024 bytes".
    key = {"pk": s("p"), "sk": value}
    if accepted:
        ddb_client.put_item(TableName=composite, Item=key)
        assert read(ddb_client, composite, key) == key
    else:
        error = error_of(ddb_client.put_item, TableName=composite, Item=key)
        assert_error(error, "ValidationException", "exceeded")


def test_get_with_oversized_partition_key_is_rejected(ddb_client, table):
    # The key-size limit is enforced on reads as well (recorded AWS answer).
    error = error_of(ddb_client.get_item, TableName=table, Key={"pk": s("a" * 2049)})
    assert_error(error, "ValidationException")


# --- keys that do not fit the schema ---------------------------------------------------------


@pytest.mark.parametrize(
    "item",
    [{"other": s("x")}, {"pk": s("p"), "other": s("x")}],
    ids=["no-partition-key", "no-sort-key"],
)
def test_put_without_a_key_attribute_is_rejected(ddb_client, composite, item):
    # Recorded AWS wording: "One or more parameter values were invalid: Missing the key pk in
    # the item".
    error = error_of(ddb_client.put_item, TableName=composite, Item=item)
    assert_error(error, "ValidationException", "Missing the key")


def test_put_with_key_of_wrong_type_is_rejected(ddb_client, table):
    # Recorded AWS answer: "... Type mismatch for key pk expected: S actual: N".
    error = error_of(ddb_client.put_item, TableName=table, Item={"pk": n(1)})
    assert_error(error, "ValidationException", "Type mismatch")


@pytest.mark.parametrize(
    "value",
    [{"L": [s("x")]}, {"M": {"a": s("x")}}, {"BOOL": True}, {"SS": ["x"]}],
    ids=["L", "M", "BOOL", "SS"],
)
def test_put_with_non_scalar_key_is_rejected(ddb_client, table, value):
    # Key attributes must be scalar S, N or B (Developer Guide, primary key).
    error = error_of(ddb_client.put_item, TableName=table, Item={"pk": value})
    assert error["Code"] == "ValidationException"


@pytest.mark.parametrize(
    "key",
    [
        {"pk": n(1)},
        {"pk": s("k"), "extra": s("x")},
        {"other": s("k")},
        {},
    ],
    ids=["wrong-type", "extra-attribute", "wrong-name", "empty"],
)
def test_get_with_key_not_matching_the_schema_is_rejected(ddb_client, table, key):
    # Recorded AWS wording: "The provided key element does not match the schema".
    error = error_of(ddb_client.get_item, TableName=table, Key=key)
    assert_error(error, "ValidationException")
    if key:
        assert_error(error, "ValidationException", "does not match the schema")


def test_delete_with_only_the_partition_key_on_composite_table_is_rejected(ddb_client, composite):
    # AWS-TRUTH: "The provided key element does not match the schema".
    ddb_client.put_item(TableName=composite, Item={"pk": s("p"), "sk": s("a")})
    error = error_of(ddb_client.delete_item, TableName=composite, Key={"pk": s("p")})
    assert_error(error, "ValidationException", "does not match the schema")
    assert read(ddb_client, composite, {"pk": s("p"), "sk": s("a")}) is not None


@pytest.mark.parametrize(
    ("operation", "kwargs"),
    [
        ("put_item", {"Item": {"pk": s("k")}}),
        ("get_item", {"Key": {"pk": s("k")}}),
        ("delete_item", {"Key": {"pk": s("k")}}),
    ],
    ids=["PutItem", "GetItem", "DeleteItem"],
)
def test_operation_on_missing_table_is_rejected(ddb_client, operation, kwargs):
    # AWS-TRUTH: ResourceNotFoundException "Requested resource not found".
    error = error_of(getattr(ddb_client, operation), TableName="ddbmatrix-no-such-table", **kwargs)
    assert_error(error, "ResourceNotFoundException")


# --- ReturnValues ----------------------------------------------------------------------------


def test_put_without_return_values_returns_no_attributes(ddb_client, table):
    ddb_client.put_item(TableName=table, Item={**KEY, "v": n(1)})
    response = ddb_client.put_item(TableName=table, Item={**KEY, "v": n(2)})
    assert "Attributes" not in response


def test_put_with_return_values_all_old_on_new_item_returns_no_attributes(ddb_client, table):
    response = ddb_client.put_item(TableName=table, Item={**KEY, "v": n(1)}, ReturnValues="ALL_OLD")
    assert "Attributes" not in response


@pytest.mark.parametrize("value", ["ALL_NEW", "UPDATED_OLD", "INVALID"])
def test_put_with_unsupported_return_values_is_rejected(ddb_client, table, value):
    # PutItem accepts only NONE and ALL_OLD (API Reference, PutItem: ReturnValues).
    error = error_of(ddb_client.put_item, TableName=table, Item=KEY, ReturnValues=value)
    assert_error(error, "ValidationException")
    assert read(ddb_client, table) is None


def test_delete_with_return_values_all_old_returns_the_deleted_item(ddb_client, table):
    item = {**KEY, "v": n(1), "tags": {"SS": ["a"]}}
    ddb_client.put_item(TableName=table, Item=item)
    response = ddb_client.delete_item(TableName=table, Key=KEY, ReturnValues="ALL_OLD")
    assert response["Attributes"] == item


def test_delete_with_return_values_all_old_on_missing_item_returns_no_attributes(ddb_client, table):
    response = ddb_client.delete_item(TableName=table, Key=KEY, ReturnValues="ALL_OLD")
    assert "Attributes" not in response


@pytest.mark.parametrize("value", ["ALL_NEW", "UPDATED_OLD", "UPDATED_NEW", "INVALID"])
def test_delete_with_unsupported_return_values_is_rejected(ddb_client, table, value):
    # "DeleteItem does not recognize any values other than NONE or ALL_OLD." (API Reference)
    ddb_client.put_item(TableName=table, Item=KEY)
    error = error_of(ddb_client.delete_item, TableName=table, Key=KEY, ReturnValues=value)
    assert_error(error, "ValidationException")
    assert read(ddb_client, table) is not None


# --- ReturnConsumedCapacity ------------------------------------------------------------------
# On-demand tables (make_table's default): one read request unit is a strongly consistent read
# of up to 4 KB, half of one for an eventually consistent read; one write request unit is a
# write of up to 1 KB; sizes round up (Developer Guide, "Read/write capacity mode"). The
# recorded AWS answers: 1 and 0.5 for a small item, with no read/write split.


@pytest.mark.parametrize(
    ("consistent", "units"), [(True, 1.0), (False, 0.5)], ids=["strong", "eventual"]
)
def test_get_reports_consumed_capacity_of_a_small_item(ddb_client, table, consistent, units):
    ddb_client.put_item(TableName=table, Item={**KEY, "v": s("x")})
    response = ddb_client.get_item(
        TableName=table, Key=KEY, ConsistentRead=consistent, ReturnConsumedCapacity="TOTAL"
    )
    assert response["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": units}


@pytest.mark.parametrize(
    ("consistent", "units"), [(True, 3.0), (False, 1.5)], ids=["strong", "eventual"]
)
def test_get_capacity_rounds_item_size_up_to_4_kb(ddb_client, table, consistent, units):
    ddb_client.put_item(TableName=table, Item=padded(10_000))  # 10,000 bytes: three 4 KB units
    response = ddb_client.get_item(
        TableName=table, Key=KEY, ConsistentRead=consistent, ReturnConsumedCapacity="TOTAL"
    )
    assert response["ConsumedCapacity"]["CapacityUnits"] == units


def test_put_reports_one_write_unit_for_a_small_item(ddb_client, table):
    response = ddb_client.put_item(
        TableName=table, Item={**KEY, "v": s("x")}, ReturnConsumedCapacity="TOTAL"
    )
    assert response["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 1.0}


def test_put_capacity_rounds_item_size_up_to_1_kb(ddb_client, table):
    response = ddb_client.put_item(
        TableName=table, Item=padded(10_000), ReturnConsumedCapacity="TOTAL"
    )
    assert response["ConsumedCapacity"]["CapacityUnits"] == 10.0


def test_delete_reports_one_write_unit_for_a_small_item(ddb_client, table):
    ddb_client.put_item(TableName=table, Item={**KEY, "v": s("x")})
    response = ddb_client.delete_item(TableName=table, Key=KEY, ReturnConsumedCapacity="TOTAL")
    assert response["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 1.0}


@pytest.mark.parametrize("value", [None, "NONE"], ids=["omitted", "NONE"])
@pytest.mark.parametrize(
    ("operation", "kwargs"),
    [
        ("put_item", {"Item": KEY}),
        ("get_item", {"Key": KEY}),
        ("delete_item", {"Key": KEY}),
        ("delete_item", {"Key": {"pk": s("nobody")}}),
    ],
    ids=["PutItem", "GetItem", "DeleteItem", "DeleteItem-missing"],
)
def test_no_consumed_capacity_unless_asked(ddb_client, table, operation, kwargs, value):
    # ReturnConsumedCapacity defaults to NONE: "No ConsumedCapacity details are included in
    # the response." (API Reference)
    ddb_client.put_item(TableName=table, Item=KEY)
    extra = {"ReturnConsumedCapacity": value} if value else {}
    response = getattr(ddb_client, operation)(TableName=table, **kwargs, **extra)
    assert "ConsumedCapacity" not in response


def test_put_with_indexes_reports_the_table_share(ddb_client, table):
    # INDEXES: "the aggregate ConsumedCapacity for the operation, together with
    # ConsumedCapacity for each table and secondary index" (API Reference).
    response = ddb_client.put_item(
        TableName=table, Item={**KEY, "v": s("x")}, ReturnConsumedCapacity="INDEXES"
    )
    consumed = response["ConsumedCapacity"]
    assert consumed["TableName"] == table
    assert consumed["CapacityUnits"] == 1.0
    assert consumed["Table"]["CapacityUnits"] == 1.0
