"""Types and encodings: binary values and sets, Unicode order, empty values, nesting, numbers.

Sources: Amazon DynamoDB Developer Guide, "Supported data types and naming rules in Amazon
DynamoDB" (String: strings collate by the bytes of their UTF-8 encoding; Binary: bytes compare
as unsigned; Number: 38 digits, leading and trailing zeros trimmed; Document types: 32 levels,
empty strings and binaries allowed outside keys, no empty sets), "Constraints in Amazon
DynamoDB" (Attributes: attribute values, nested attribute depth), "Condition and filter
expressions, operators, and functions" (size, contains, begins_with), "Working with global
secondary indexes"; API Reference, "AttributeValue", "Query", "UpdateItem", "BatchWriteItem",
"TransactWriteItems". Recorded AWS answers: /work/shared/AWS-TRUTH.md (numbers read back
normalized, empty-set wording) and the public conformance suites that run every case against
real DynamoDB first: paritysuite/dynamodb-conformance (nesting depth in BatchWriteItem,
TransactWriteItems and ExpressionAttributeValues, 2026-06 and 2026-09; numbers stored
expanded, 2026-08; exponents, 2026-10) and nubo-db/dynamodb-conformance (empty values).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from botocore.exceptions import ClientError
from support import assert_error, b, error_of, n, nested, observe, put_all, s, sort_keys

from ddbmatrix import DeclaredTable

KEY = {"pk": s("k")}
#: "Nesting Levels have exceeded supported limits" (recorded AWS wording, eu-west-2).
NESTING = "Nesting Levels have exceeded"


@pytest.fixture
def table(make_table):
    return make_table(keys={"pk": "S"})


@pytest.fixture
def composite(make_table):
    return make_table(keys={"pk": "S", "sk": "S"})


def read(client, table, key=None):
    """GetItem with a strongly consistent read; the item or None."""
    return client.get_item(TableName=table, Key=key or KEY, ConsistentRead=True).get("Item")


def query_partition(client, table, condition="pk = :p", values=None, **kwargs):
    """Query partition "p" (or what ``values`` say), strongly consistent."""
    return client.query(
        TableName=table,
        KeyConditionExpression=condition,
        ExpressionAttributeValues={":p": s("p"), **(values or {})},
        ConsistentRead=True,
        **kwargs,
    )


def condition_holds(client, table, condition, values, names=None):
    """Whether ``condition`` holds for item KEY: a conditional no-op UpdateItem answers."""
    extra = {"ExpressionAttributeNames": names} if names else {}
    try:
        client.update_item(
            TableName=table,
            Key=KEY,
            UpdateExpression="SET touched = :touched",
            ConditionExpression=condition,
            ExpressionAttributeValues={":touched": n(1), **values},
            **extra,
        )
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise
    return True


# --- Binary keys, values and sets ---------------------------------------------------------
# "Whenever DynamoDB compares binary values, it treats each byte of the binary data as
# unsigned" (Data types: Binary). Sort-key operators on B keys are in test_query.py; here are
# partition keys, index keys, sets and conditions.


def test_binary_partition_keys_differing_only_in_length_are_distinct_items(ddb_client, make_table):
    name = make_table(keys={"pk": "B"})
    keys = [b"\x00", b"\x00\x00", b"\x00\x00\x00"]
    put_all(ddb_client, name, [{"pk": b(k), "v": n(len(k))} for k in keys])
    for k in keys:
        assert read(ddb_client, name, {"pk": b(k)}) == {"pk": b(k), "v": n(len(k))}


def test_binary_key_that_is_not_utf8_round_trips(ddb_client, make_table):
    # Binary is "any binary data": bytes that are no valid UTF-8 are a key like any other.
    name = make_table(keys={"pk": "S", "sk": "B"})
    item = {"pk": s("p"), "sk": b(b"\xc3\x28\xa0\xa1\xf0\x28\x8c\xbc"), "v": s("x")}
    ddb_client.put_item(TableName=name, Item=item)
    assert query_partition(ddb_client, name)["Items"] == [item]


def test_binary_keys_in_batch_get_are_matched_bytewise(ddb_client, make_table):
    name = make_table(keys={"pk": "B"})
    put_all(ddb_client, name, [{"pk": b(k)} for k in (b"\x7f", b"\x80", b"\xff")])
    response = ddb_client.batch_get_item(
        RequestItems={name: {"Keys": [{"pk": b(b"\x80")}, {"pk": b(b"\x81")}]}}
    )
    assert response["Responses"][name] == [{"pk": b(b"\x80")}]


def test_global_index_with_binary_sort_key_orders_unsigned(ddb_client, make_table):
    # An index sort key of type B orders like a table's (Working with global secondary
    # indexes: index keys are scalar S, N or B).
    name = make_table(keys={"pk": "S"}, gsis={"by_blob": {"keys": {"g": "S", "blob": "B"}}})
    blobs = [b"\xff", b"\x00", b"\x80", b"\x7f", b"\x01"]
    put_all(
        ddb_client,
        name,
        [{"pk": s(f"k{i}"), "g": s("p"), "blob": b(v)} for i, v in enumerate(blobs)],
    )
    response = ddb_client.query(
        TableName=name,
        IndexName="by_blob",
        KeyConditionExpression="g = :p",
        ExpressionAttributeValues={":p": s("p")},
    )
    assert sort_keys(response["Items"], "blob") == sorted(blobs)


@pytest.mark.parametrize(
    ("condition", "value", "holds"),
    [
        ("bs = :x", {"BS": [b"\x03", b"\x01", b"\x02"]}, True),
        ("bs = :x", {"BS": [b"\x01", b"\x02"]}, False),
        ("contains(bs, :x)", b(b"\x02"), True),
        ("contains(bs, :x)", b(b"\x02\x00"), False),
        ("size(bs) = :x", n(3), True),
        ("attribute_type(bs, :x)", s("BS"), True),
        ("attribute_type(bs, :x)", s("B"), False),
    ],
    ids=[
        "equal-in-any-order",
        "subset-is-not-equal",
        "contains-member",
        "contains-needs-the-whole-member",
        "size-counts-members",
        "type-is-BS",
        "type-is-not-B",
    ],
)
def test_binary_set_in_a_condition(ddb_client, table, condition, value, holds):
    # Sets are unordered (Data types: Sets); contains on a set tests membership and size
    # counts the members (Condition and filter expressions, functions).
    ddb_client.put_item(TableName=table, Item={**KEY, "bs": {"BS": [b"\x01", b"\x02", b"\x03"]}})
    assert condition_holds(ddb_client, table, condition, {":x": value}) is holds


def test_binary_set_members_differing_only_in_length_are_not_duplicates(ddb_client, table):
    # b"\x01" and b"\x01\x00" are different byte strings, so the set has two members.
    value = {"BS": [b"\x01", b"\x01\x00"]}
    ddb_client.put_item(TableName=table, Item={**KEY, "bs": value})
    assert sorted(read(ddb_client, table)["bs"]["BS"]) == [b"\x01", b"\x01\x00"]


@pytest.mark.parametrize(
    ("value", "holds"),
    [(s("abc"), False), (b(b"abc"), True), ({"BS": [b"abc"]}, False)],
    ids=["string-of-the-same-bytes", "same-binary", "set-of-it"],
)
def test_binary_equals_only_a_binary(ddb_client, table, value, holds):
    # Values of different types are never equal (API Reference, Condition: EQ).
    ddb_client.put_item(TableName=table, Item={**KEY, "v": b(b"abc")})
    assert condition_holds(ddb_client, table, "v = :x", {":x": value}) is holds


@pytest.mark.parametrize(
    ("condition", "value", "holds"),
    [
        ("v > :x", b(b"\x7f\xff"), True),
        ("v < :x", b(b"\x81"), True),
        ("begins_with(v, :x)", b(b"\x80"), True),
        ("begins_with(v, :x)", b(b"\x80\x01\x02"), False),
        ("v BETWEEN :x AND :y", b(b"\x80"), True),
    ],
    ids=["greater-than-7f", "less-than-81", "begins-with-prefix", "begins-with-longer", "between"],
)
def test_binary_value_compares_unsigned_in_a_condition(ddb_client, table, condition, value, holds):
    # v is 0x80 0x01: above every value starting 0x7f when bytes are unsigned, below any if
    # they were signed.
    ddb_client.put_item(TableName=table, Item={**KEY, "v": b(b"\x80\x01")})
    values = {":x": value}
    if ":y" in condition:
        values[":y"] = b(b"\xff")
    assert condition_holds(ddb_client, table, condition, values) is holds


def test_size_of_an_empty_binary_is_zero(ddb_client, table):
    # size(path) of a Binary is its number of bytes; an empty binary is allowed outside keys.
    ddb_client.put_item(TableName=table, Item={**KEY, "v": b(b"")})
    assert condition_holds(ddb_client, table, "size(v) = :zero", {":zero": n(0)})


# --- Unicode order of string keys -----------------------------------------------------------
# "DynamoDB collates and compares strings using the bytes of the underlying UTF-8 string
# encoding" (Data types: String). The cases below are where that differs from UTF-16 order
# (Java's and JavaScript's String.compareTo): a character outside the Basic Multilingual Plane
# is a surrogate pair (0xD800..0xDFFF) in UTF-16, below U+E000..U+FFFF, but a four-byte
# sequence (0xF0..) in UTF-8, above every three-byte one (0xE0..0xEF).

#: Sort keys in UTF-8 byte order. U+E000 (EE 80 80), U+FF21, fullwidth A (EF BC A1), and U+FFFD
#: (EF BF BD) come before U+1D11E "𝄞" (F0 9D 84 9E) and U+1F600 "😀" (F0 9F 98 80).
UTF8_ORDER = [
    "A",
    "Z",
    "a",
    "z",
    "\u00bf",  # "¿" (C2 BF): the guide's own example, after "z" (7A)
    "\u00e9",  # "é" (C3 A9)
    "\u4e2d",  # "中" (E4 B8 AD)
    "\ue000",
    "\uff21",
    "\ufffd",
    "\U0001d11e",
    "\U0001f600",
    "\U0001f600x",
]
# The premise of the tests below: this is UTF-8 byte order, and UTF-16 order is another.
assert sorted(UTF8_ORDER, key=str.encode) == UTF8_ORDER
assert sorted(UTF8_ORDER, key=lambda key: key.encode("utf-16-be")) != UTF8_ORDER


#: The order tests only read, so they share one table per module (and backend and worker).
UNICODE = DeclaredTable(
    "Unicode",
    keys={"pk": "S", "sk": "S"},
    items=[{"pk": "p", "sk": key} for key in reversed(UTF8_ORDER[5:] + UTF8_ORDER[:5])],
    scope="module",
)


@pytest.fixture(scope="module")
def table_declarations():
    return [UNICODE]


@pytest.fixture
def unicode_keys(declared_tables):
    return declared_tables["Unicode"]


def test_string_sort_keys_come_back_in_utf8_byte_order(ddb_client, unicode_keys):
    assert sort_keys(query_partition(ddb_client, unicode_keys)["Items"]) == UTF8_ORDER


def test_string_sort_keys_come_back_in_reverse_utf8_byte_order(ddb_client, unicode_keys):
    response = query_partition(ddb_client, unicode_keys, ScanIndexForward=False)
    assert sort_keys(response["Items"]) == UTF8_ORDER[::-1]


@pytest.mark.parametrize(
    ("condition", "values", "expected"),
    [
        ("sk < :x", {":x": s("\ue000")}, UTF8_ORDER[:7]),
        ("sk > :x", {":x": s("\ufffd")}, UTF8_ORDER[10:]),
        ("sk >= :x", {":x": s("\U0001d11e")}, UTF8_ORDER[10:]),
        ("sk BETWEEN :x AND :y", {":x": s("\ue000"), ":y": s("\uffff")}, UTF8_ORDER[7:10]),
        ("sk BETWEEN :x AND :y", {":x": s("\ud7ff"), ":y": s("\ue000")}, UTF8_ORDER[7:8]),
        ("begins_with(sk, :x)", {":x": s("\U0001f600")}, UTF8_ORDER[11:]),
        ("sk > :x", {":x": s("z")}, UTF8_ORDER[4:]),
    ],
    ids=[
        "below-private-use-excludes-emoji",
        "above-replacement-char-is-only-astral",
        "from-the-first-astral",
        "bmp-top-range-excludes-astral",
        "range-across-the-surrogate-gap",
        "begins-with-an-astral-char",
        "non-ascii-above-z",
    ],
)
def test_string_sort_key_condition_compares_utf8_bytes(
    ddb_client, unicode_keys, condition, values, expected
):
    response = query_partition(ddb_client, unicode_keys, f"pk = :p AND {condition}", values)
    assert sort_keys(response["Items"]) == expected


def test_string_filter_compares_utf8_bytes(ddb_client, make_table):
    # Comparisons in filter and condition expressions order strings the same way.
    name = make_table(keys={"pk": "S"})
    put_all(ddb_client, name, [{"pk": s(key), "v": s(key)} for key in UTF8_ORDER])
    response = ddb_client.scan(
        TableName=name, FilterExpression="v > :x", ExpressionAttributeValues={":x": s("\uffff")}
    )
    assert sorted(item["v"]["S"] for item in response["Items"]) == sorted(UTF8_ORDER[10:])


def test_global_index_string_sort_key_orders_by_utf8_bytes(ddb_client, make_table):
    name = make_table(keys={"pk": "S"}, gsis={"by_word": {"keys": {"g": "S", "word": "S"}}})
    put_all(
        ddb_client,
        name,
        [{"pk": s(f"k{i}"), "g": s("p"), "word": s(w)} for i, w in enumerate(UTF8_ORDER)],
    )
    response = ddb_client.query(
        TableName=name,
        IndexName="by_word",
        KeyConditionExpression="g = :p",
        ExpressionAttributeValues={":p": s("p")},
    )
    assert sort_keys(response["Items"], "word") == UTF8_ORDER


def test_composed_and_decomposed_accents_are_different_keys(ddb_client, make_table):
    # Strings are compared as bytes, never normalized: "é" (C3 A9) and "e" + U+0301
    # (65 CC 81) are two keys, the decomposed one first.
    name = make_table(keys={"pk": "S", "sk": "S"})
    put_all(ddb_client, name, [{"pk": s("p"), "sk": s(k)} for k in ("\u00e9", "e\u0301")])
    assert sort_keys(query_partition(ddb_client, name)["Items"]) == ["e\u0301", "\u00e9"]
    assert read(ddb_client, name, {"pk": s("p"), "sk": s("\u00e9")}) == {
        "pk": s("p"),
        "sk": s("\u00e9"),
    }


def test_size_of_a_string_with_astral_characters(ddb_client, table):
    # size(path) is "the length of the string": whether that counts bytes (8), UTF-16 units
    # (4) or code points (2) is not documented. An AWS run settles it.
    ddb_client.put_item(TableName=table, Item={**KEY, "v": s("\U0001f600\U0001d11e")})
    for length in (2, 4, 8):
        observe(
            ddb_client.query,
            TableName=table,
            KeyConditionExpression="pk = :k",
            FilterExpression="size(v) = :n",
            ExpressionAttributeValues={":k": s("k"), ":n": n(length)},
        )


def test_string_key_holding_a_nul_character(ddb_client, composite):
    # U+0000 is a valid character, so "a\x00" should sort after "a" and before "a\x01";
    # whether every layer accepts it in a key is not documented. An AWS run settles it.
    for key in ("a\x01", "a\x00", "a"):
        observe(ddb_client.put_item, TableName=composite, Item={"pk": s("p"), "sk": s(key)})
    observe(
        ddb_client.query,
        TableName=composite,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": s("p")},
    )


# --- Empty values ---------------------------------------------------------------------------
# "An attribute value can be an empty string or empty binary value if the attribute is not
# used for a table or index key"; "An attribute value cannot be an empty set ..., however,
# empty lists and maps are allowed" (Data types: Document types). Table-key and PutItem cases
# are in test_items.py; here are sort keys of type B, index keys, updates, batches and
# conditions.


def test_empty_binary_sort_key_is_rejected(ddb_client, make_table):
    name = make_table(keys={"pk": "S", "sk": "B"})
    error = error_of(ddb_client.put_item, TableName=name, Item={"pk": s("p"), "sk": b(b"")})
    assert_error(error, "ValidationException", "empty")


@pytest.fixture
def indexed(make_table):
    """A table whose global index by_g has partition key g (S) and sort key gb (B)."""
    return make_table(keys={"pk": "S"}, gsis={"by_g": {"keys": {"g": "S", "gb": "B"}}})


@pytest.mark.parametrize(
    "item",
    [{"g": s(""), "gb": b(b"\x01")}, {"g": s("x"), "gb": b(b"")}],
    ids=["index-partition-key-S", "index-sort-key-B"],
)
def test_empty_value_for_an_index_key_is_rejected(ddb_client, indexed, item):
    # Recorded AWS wording: "One or more parameter values are not valid. A value specified for
    # a secondary index key is not supported. The AttributeValue for a key attribute cannot
    # contain an empty string value. IndexName: ..., IndexKey: ...".
    error = error_of(ddb_client.put_item, TableName=indexed, Item={**KEY, **item})
    assert_error(error, "ValidationException", "empty")
    assert read(ddb_client, indexed) is None


def test_update_setting_an_index_key_to_empty_is_rejected(ddb_client, indexed):
    ddb_client.put_item(TableName=indexed, Item={**KEY, "g": s("x"), "gb": b(b"\x01")})
    error = error_of(
        ddb_client.update_item,
        TableName=indexed,
        Key=KEY,
        UpdateExpression="SET g = :e",
        ExpressionAttributeValues={":e": s("")},
    )
    assert_error(error, "ValidationException")
    assert read(ddb_client, indexed)["g"] == s("x")


def test_empty_value_for_a_local_index_sort_key_is_rejected(ddb_client, make_table):
    name = make_table(keys={"pk": "S", "sk": "S"}, lsis={"by_l": {"keys": {"pk": "S", "l": "S"}}})
    error = error_of(
        ddb_client.put_item, TableName=name, Item={"pk": s("p"), "sk": s("a"), "l": s("")}
    )
    assert_error(error, "ValidationException", "empty")


def test_empty_value_outside_the_index_keys_is_stored_on_an_indexed_table(ddb_client, indexed):
    item = {**KEY, "g": s("x"), "gb": b(b"\x01"), "note": s(""), "raw": b(b"")}
    ddb_client.put_item(TableName=indexed, Item=item)
    assert read(ddb_client, indexed) == item


@pytest.mark.parametrize(
    ("expression", "values", "stored"),
    [
        ("SET v = :e", {":e": s("")}, s("")),
        ("SET v = :e", {":e": b(b"")}, b(b"")),
        ("SET v = :e", {":e": {"L": [s(""), b(b"")]}}, {"L": [s(""), b(b"")]}),
        ("SET v = list_append(:e, :e)", {":e": {"L": []}}, {"L": []}),
    ],
    ids=["string", "binary", "list-of-empties", "appended-empty-lists"],
)
def test_update_stores_empty_values(ddb_client, table, expression, values, stored):
    ddb_client.update_item(
        TableName=table, Key=KEY, UpdateExpression=expression, ExpressionAttributeValues=values
    )
    assert read(ddb_client, table)["v"] == stored


def test_set_of_a_nested_attribute_inside_an_empty_map(ddb_client, table):
    # An empty map is a map: a document path into it can add a key (Developer Guide, "Update
    # expressions": adding nested map attributes).
    ddb_client.put_item(TableName=table, Item={**KEY, "m": {"M": {}}})
    ddb_client.update_item(
        TableName=table,
        Key=KEY,
        UpdateExpression="SET m.a = :v",
        ExpressionAttributeValues={":v": s("")},
    )
    assert read(ddb_client, table)["m"] == {"M": {"a": s("")}}


def test_add_of_an_empty_set_is_rejected(ddb_client, table):
    # An empty set is not a value at all, in any expression.
    ddb_client.put_item(TableName=table, Item={**KEY, "ss": {"SS": ["a"]}})
    error = error_of(
        ddb_client.update_item,
        TableName=table,
        Key=KEY,
        UpdateExpression="ADD ss :e",
        ExpressionAttributeValues={":e": {"SS": []}},
    )
    assert_error(error, "ValidationException", "empty")
    assert read(ddb_client, table)["ss"] == {"SS": ["a"]}


def test_empty_set_in_a_condition_value_is_rejected(ddb_client, table):
    ddb_client.put_item(TableName=table, Item=KEY)
    error = error_of(
        condition_holds,
        client=ddb_client,
        table=table,
        condition="v = :e",
        values={":e": {"NS": []}},
    )
    assert_error(error, "ValidationException", "empty")


@pytest.mark.parametrize(
    ("stored", "condition", "holds"),
    [
        (s(""), "v = :x", True),
        (s(""), "size(v) = :zero", True),
        (s(""), "attribute_exists(v)", True),
        (s(""), "begins_with(v, :x)", True),
        ({"M": {}}, "size(v) = :zero", True),
        ({"L": []}, "attribute_type(v, :l)", True),
    ],
    ids=[
        "equals-empty-string",
        "size-zero",
        "exists",
        "begins-with-empty-prefix",
        "empty-map-size",
        "empty-list-is-a-list",
    ],
)
def test_condition_on_an_empty_value(ddb_client, table, stored, condition, holds):
    # An empty string is a stored value: it exists, has size 0, and equals "" (and every
    # string begins with the empty string).
    ddb_client.put_item(TableName=table, Item={**KEY, "v": stored})
    values = {":x": s(""), ":zero": n(0), ":l": s("L")}
    used = {key: value for key, value in values.items() if key in condition}
    assert condition_holds(ddb_client, table, condition, used) is holds


def test_query_for_an_empty_partition_key_value(ddb_client, composite):
    # A key value cannot be empty, so no item can match; whether Query refuses the request
    # (as GetItem does, recorded) or answers with no items is not recorded. An AWS run
    # settles it.
    observe(
        ddb_client.query,
        TableName=composite,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": s("")},
    )


@pytest.mark.parametrize(
    ("item", "accepted"),
    [({"pk": s("p"), "sk": s("a"), "v": s("")}, True), ({"pk": s("p"), "sk": s("")}, False)],
    ids=["empty-non-key", "empty-sort-key"],
)
def test_batch_write_of_empty_values(ddb_client, composite, item, accepted):
    request = {composite: [{"PutRequest": {"Item": item}}]}
    if accepted:
        ddb_client.batch_write_item(RequestItems=request)
        assert read(ddb_client, composite, {"pk": item["pk"], "sk": item["sk"]}) == item
    else:
        error = error_of(ddb_client.batch_write_item, RequestItems=request)
        assert_error(error, "ValidationException", "empty")


def test_null_key_is_rejected(ddb_client, table):
    # Key attributes are scalar S, N or B; NULL is none of them.
    error = error_of(ddb_client.put_item, TableName=table, Item={"pk": {"NULL": True}})
    assert error["Code"] == "ValidationException"


# --- Deep nesting ---------------------------------------------------------------------------
# "DynamoDB supports nested attributes up to 32 levels deep" (Constraints: Nested attribute
# depth), the attribute itself being level 1. PutItem's boundary is in test_items.py; the same
# cap holds on every other write surface (recorded AWS answers, 2026-06 and 2026-09).


def depth_of(value):
    """How many maps or lists wrap the leaf of a ``nested`` value."""
    depth = 0
    while "S" not in value:
        value = value["M"]["n"] if "M" in value else value["L"][0]
        depth += 1
    return depth


@pytest.mark.parametrize(("levels", "accepted"), [(31, True), (32, False)], ids=["32", "33"])
def test_batch_write_nesting_limit(ddb_client, table, levels, accepted):
    request = {table: [{"PutRequest": {"Item": {**KEY, "v": nested(levels)}}}]}
    if accepted:
        ddb_client.batch_write_item(RequestItems=request)
        assert depth_of(read(ddb_client, table)["v"]) == levels
    else:
        error = error_of(ddb_client.batch_write_item, RequestItems=request)
        assert_error(error, "ValidationException", NESTING)
        assert read(ddb_client, table) is None


@pytest.mark.parametrize(("levels", "accepted"), [(31, True), (32, False)], ids=["32", "33"])
def test_transact_put_nesting_limit(ddb_client, table, levels, accepted):
    # Recorded: a too deep Put is a top-level ValidationException, not a cancellation.
    items = [{"Put": {"TableName": table, "Item": {**KEY, "v": nested(levels)}}}]
    if accepted:
        ddb_client.transact_write_items(TransactItems=items)
        assert depth_of(read(ddb_client, table)["v"]) == levels
    else:
        error = error_of(ddb_client.transact_write_items, TransactItems=items)
        assert_error(error, "ValidationException", NESTING)
        assert read(ddb_client, table) is None


@pytest.mark.parametrize(
    ("levels", "kinds"),
    [(31, "ML"), (31, "LM"), (32, "ML"), (32, "LM")],
    ids=["32-maps-and-lists", "32-lists-and-maps", "33-maps-and-lists", "33-lists-and-maps"],
)
def test_nesting_limit_counts_maps_and_lists_alike(ddb_client, table, levels, kinds):
    # Lists and maps are both document types nesting "up to 32 levels deep".
    item = {**KEY, "v": nested(levels, kinds)}
    if levels == 31:
        ddb_client.put_item(TableName=table, Item=item)
        assert read(ddb_client, table)["v"] == item["v"]
    else:
        error = error_of(ddb_client.put_item, TableName=table, Item=item)
        assert_error(error, "ValidationException", NESTING)


def test_update_storing_a_value_nested_32_levels(ddb_client, table):
    ddb_client.update_item(
        TableName=table,
        Key=KEY,
        UpdateExpression="SET v = :deep",
        ExpressionAttributeValues={":deep": nested(31)},
    )
    assert depth_of(read(ddb_client, table)["v"]) == 31


def test_update_storing_a_value_nested_33_levels_is_rejected(ddb_client, table):
    # Whichever check fires first (the value's depth, or the stored item's), the value is
    # refused and nothing is stored.
    error = error_of(
        ddb_client.update_item,
        TableName=table,
        Key=KEY,
        UpdateExpression="SET v = :deep",
        ExpressionAttributeValues={":deep": nested(32)},
    )
    assert_error(error, "ValidationException", NESTING)
    assert read(ddb_client, table) is None


def test_condition_value_nested_32_levels_is_evaluated(ddb_client, table):
    # Recorded: a 31-wrap value in a condition is accepted, so a false condition fails as a
    # condition, not as a validation error.
    ddb_client.put_item(TableName=table, Item={**KEY, "marker": s("x")})
    assert not condition_holds(ddb_client, table, "v = :deep", {":deep": nested(31)})


def test_condition_value_nested_33_levels(ddb_client, table):
    # Recorded as regional: most regions refuse a 32-wrap ExpressionAttributeValue with the
    # nesting message, some still evaluate the condition (paritysuite registry row
    # update-item-nesting-depth-expression-value). Observed until the regions settle.
    ddb_client.put_item(TableName=table, Item={**KEY, "marker": s("x")})
    observe(
        ddb_client.update_item,
        TableName=table,
        Key=KEY,
        UpdateExpression="SET touched = :t",
        ConditionExpression="v = :deep",
        ExpressionAttributeValues={":t": n(1), ":deep": nested(32)},
    )


# --- Numbers in every form ------------------------------------------------------------------
# Numbers travel as strings and are stored as numbers: "Leading and trailing zeroes are
# trimmed" (Data types: Number), and the read-back spelling is the normalized one (AWS-TRUTH:
# "01.500" reads back as "1.5"; recorded: "0042.1200" as "42.12", "1E125" expanded to 126
# digits). test_items.py has 00042, 1.0, 3.1400, 01.500, 1.5E2, -0 and the malformed letters,
# empty, leading space, hex, bare exponent, NaN and Infinity.


@pytest.mark.parametrize(
    ("written", "read_back"),
    [
        ("0042.1200", "42.12"),
        ("1E125", "1" + "0" * 125),
        ("1e2", "100"),
        ("1E+2", "100"),
        ("1.0E2", "100"),
        ("12.3400E1", "123.4"),
        ("10E-1", "1"),
        ("-00042.50", "-42.5"),
        ("000", "0"),
        ("0.000", "0"),
        ("-0.0", "0"),
        ("0e125", "0"),
        ("99999999999999999999999999999999999999", "99999999999999999999999999999999999999"),
    ],
    ids=[
        "zeros-both-sides",
        "exponent-expanded",
        "lowercase-exponent",
        "plus-in-exponent",
        "fraction-and-exponent",
        "trailing-zeros-and-exponent",
        "negative-exponent-to-integer",
        "negative-with-zeros",
        "zeros",
        "zero-fraction",
        "negative-zero-fraction",
        "zero-with-exponent",
        "38-nines",
    ],
)
def test_number_is_read_back_in_canonical_form(ddb_client, table, written, read_back):
    ddb_client.put_item(TableName=table, Item={**KEY, "v": n(written)})
    assert read(ddb_client, table)["v"] == n(read_back)


@pytest.mark.parametrize(
    "written",
    ["1.5e-3", "0.0015", "15E-4", "1E-130", "0.00012345678901234567890123456789012345678"],
    ids=["exponent", "decimal", "integer-mantissa", "smallest", "38-digits-after-zeros"],
)
def test_small_number_keeps_its_value(ddb_client, table, written):
    # The value is stored exactly; whether it reads back as "0.0015" or "1.5E-3" is not
    # recorded, so only the value is asserted (the report shows the spelling).
    ddb_client.put_item(TableName=table, Item={**KEY, "v": n(written)})
    assert Decimal(read(ddb_client, table)["v"]["N"]) == Decimal(written)


@pytest.mark.parametrize(
    "written",
    ["+5", ".5", "5.", "-.5", "\uff15", "\u0665"],
    ids=[
        "plus-sign",
        "no-integer-digits",
        "no-fraction-digits",
        "negative-no-integer-digits",
        "fullwidth-digit",
        "arabic-indic-digit",
    ],
)
def test_number_in_an_unusual_spelling(ddb_client, table, written):
    # A leading "+", a missing integer or fraction part, and non-ASCII digits are accepted by
    # some number parsers (Java's BigDecimal takes all of them) and not others; neither the
    # guide nor a recorded AWS answer says which DynamoDB takes. An AWS run settles each.
    answer = observe(ddb_client.put_item, TableName=table, Item={**KEY, "v": n(written)})
    if "Error" not in answer:
        observe(ddb_client.get_item, TableName=table, Key=KEY, ConsistentRead=True)


@pytest.mark.parametrize(
    "written",
    [
        "1,000",
        "1 000",
        "1 ",
        "\t1",
        "1\n",
        "--1",
        "+-1",
        "1.2.3",
        "1e5.5",
        "E5",
        "1E+",
        "1..2",
        "1_000",
        "nan",
        "-Infinity",
        "inf",
        "0x1p3",
    ],
    ids=[
        "thousands-comma",
        "inner-space",
        "trailing-space",
        "leading-tab",
        "trailing-newline",
        "double-minus",
        "plus-minus",
        "two-points",
        "fractional-exponent",
        "no-mantissa",
        "exponent-without-digits",
        "double-point",
        "underscore",
        "nan-lowercase",
        "negative-infinity",
        "inf",
        "hex-float",
    ],
)
def test_malformed_number_is_rejected(ddb_client, table, written):
    # Recorded AWS answer for malformed numbers: "The parameter cannot be converted to a
    # numeric value: <value>".
    error = error_of(ddb_client.put_item, TableName=table, Item={**KEY, "v": n(written)})
    assert_error(error, "ValidationException", "numeric value")
    assert read(ddb_client, table) is None


@pytest.mark.parametrize(
    ("written", "looked_up"),
    [("100", "1E2"), ("007", "7"), ("-0", "0"), ("2.50", "25E-1")],
    ids=["exponent", "leading-zeros", "negative-zero", "fraction-and-exponent"],
)
def test_number_key_is_one_value_however_it_is_spelled(ddb_client, make_table, written, looked_up):
    # A Number key is a number: every spelling of one value names the same item.
    name = make_table(keys={"pk": "N"})
    ddb_client.put_item(TableName=name, Item={"pk": n(written), "v": s("x")})
    item = read(ddb_client, name, {"pk": n(looked_up)})
    assert item is not None
    assert Decimal(item["pk"]["N"]) == Decimal(written)


def test_number_sort_keys_in_mixed_spellings_sort_by_value(ddb_client, make_table):
    name = make_table(keys={"pk": "S", "sk": "N"})
    spellings = ["1E125", "-1E2", "0.5", "5", "-99.5", "1E-130", "-0.0001E3", "050"]
    put_all(ddb_client, name, [{"pk": s("p"), "sk": n(v)} for v in spellings])
    got = [Decimal(v) for v in sort_keys(query_partition(ddb_client, name)["Items"])]
    assert got == sorted(Decimal(v) for v in spellings)


@pytest.mark.parametrize(
    ("condition", "value", "holds"),
    [
        ("v = :x", "1.50", True),
        ("v = :x", "15E-1", True),
        ("v > :x", "1.4999999999999999999999999999999999999", True),
        ("v < :x", "1.5000000000000000000000000000000000001", True),
        ("v = :x", "1.5000000000000000000000000000000000001", False),
    ],
    ids=["trailing-zero", "exponent", "just-below", "just-above", "not-equal-at-38-digits"],
)
def test_number_comparison_uses_the_value(ddb_client, table, condition, value, holds):
    # Comparisons are numeric and exact to 38 digits (Data types: Number).
    ddb_client.put_item(TableName=table, Item={**KEY, "v": n("1.5")})
    assert condition_holds(ddb_client, table, condition, {":x": n(value)}) is holds


@pytest.mark.parametrize(
    "members", [["1", "1.0"], ["100", "1E2"]], ids=["trailing-zero", "exponent"]
)
def test_number_set_with_one_value_in_two_spellings(ddb_client, table, members):
    # Set members must be unique and numbers are compared by value, so these look like
    # duplicates; no recorded AWS answer says whether DynamoDB dedupes by value or spelling.
    observe(ddb_client.put_item, TableName=table, Item={**KEY, "v": {"NS": members}})


def test_number_set_members_are_read_back_normalized(ddb_client, table):
    ddb_client.put_item(TableName=table, Item={**KEY, "v": {"NS": ["01.50", "2E1", "-0.0"]}})
    assert sorted(read(ddb_client, table)["v"]["NS"], key=Decimal) == ["0", "1.5", "20"]


def test_arithmetic_result_is_normalized(ddb_client, table):
    # Numbers are stored with leading and trailing zeros trimmed, results of arithmetic too:
    # 0.1 + 0.2 is exactly 0.3 in decimal arithmetic, and 1.50 + 1.50 reads back "3".
    ddb_client.put_item(TableName=table, Item={**KEY, "a": n("0.1"), "c": n("1.50")})
    ddb_client.update_item(
        TableName=table,
        Key=KEY,
        UpdateExpression="SET a = a + :a, c = c + :c",
        ExpressionAttributeValues={":a": n("0.2"), ":c": n("1.50")},
    )
    item = read(ddb_client, table)
    assert (item["a"], item["c"]) == (n("0.3"), n("3"))
