"""Scan: filters, Limit and pagination, parallel scan, Select, and Scan's own errors.

Sources: Amazon DynamoDB Developer Guide, "Scanning tables in DynamoDB" (filter expressions,
limiting the number of items, paginating the results, counting the items, parallel scan);
API Reference, "Scan". Segment errors: /work/shared/AWS-TRUTH.md.
"""

from __future__ import annotations

import pytest
from support import assert_error, error_of, n, put_all, s

#: (partition, sort key, colour) of the ten items in the ``stock`` table.
ROWS = [
    ("a", 1, "red"),
    ("a", 2, "blue"),
    ("a", 3, "red"),
    ("a", 4, "green"),
    ("b", 1, "blue"),
    ("b", 2, "red"),
    ("b", 3, "blue"),
    ("c", 1, "green"),
    ("c", 2, "red"),
    ("c", 3, "red"),
]
ALL_KEYS = sorted((pk, sk) for pk, sk, _ in ROWS)


@pytest.fixture
def stock(ddb_client, make_table):
    table = make_table(keys={"pk": "S", "sk": "N"})
    put_all(
        ddb_client,
        table,
        [{"pk": s(pk), "sk": n(sk), "color": s(c), "qty": n(sk * 10)} for pk, sk, c in ROWS],
    )
    return table


def keys_of(items):
    """Return the (pk, sk) of ``items``, sorted: Scan's order across partitions is unspecified."""
    return sorted((item["pk"]["S"], int(item["sk"]["N"])) for item in items)


def scan_all(client, table, **kwargs):
    """Scan page by page (at most 20 pages); return every item seen and the number of pages."""
    items = []
    for pages in range(1, 21):
        page = client.scan(TableName=table, **kwargs)
        items += page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return items, pages
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    raise AssertionError("scan did not finish within 20 pages")


def test_scan_returns_every_item(ddb_client, stock):
    response = ddb_client.scan(TableName=stock)
    assert keys_of(response["Items"]) == ALL_KEYS
    assert response["Count"] == response["ScannedCount"] == 10
    assert "LastEvaluatedKey" not in response


def test_scan_of_an_empty_table(ddb_client, make_table):
    table = make_table(keys={"pk": "S"})
    response = ddb_client.scan(TableName=table)
    assert response["Items"] == []
    assert response["Count"] == 0
    assert response["ScannedCount"] == 0
    assert "LastEvaluatedKey" not in response


def test_scan_returns_a_partition_in_sort_key_order(ddb_client, stock):
    # Partitions come in no defined order, but the items of one partition come in sort-key
    # order (ScyllaDB's alternator test_scan_sort_order_string, which passes on DynamoDB).
    items = ddb_client.scan(TableName=stock)["Items"]
    assert [int(i["sk"]["N"]) for i in items if i["pk"]["S"] == "a"] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("expression", "values", "expected"),
    [
        ("color = :c", {":c": s("blue")}, [("a", 2), ("b", 1), ("b", 3)]),
        ("qty BETWEEN :lo AND :hi", {":lo": n(25), ":hi": n(35)}, [("a", 3), ("b", 3), ("c", 3)]),
        ("begins_with(color, :c)", {":c": s("gr")}, [("a", 4), ("c", 1)]),
        ("pk = :p", {":p": s("b")}, [("b", 1), ("b", 2), ("b", 3)]),
        ("sk > :k AND color = :c", {":k": n(2), ":c": s("red")}, [("a", 3), ("c", 3)]),
        ("attribute_not_exists(nickname)", {}, ALL_KEYS),
    ],
    ids=["eq", "between", "begins-with", "partition-key", "sort-key-and", "not-exists"],
)
def test_scan_filter(ddb_client, stock, expression, values, expected):
    # Unlike Query's, a Scan filter may name key attributes (API Reference, Scan).
    kwargs = {"ExpressionAttributeValues": values} if values else {}
    response = ddb_client.scan(TableName=stock, FilterExpression=expression, **kwargs)
    assert keys_of(response["Items"]) == expected
    assert response["Count"] == len(expected)
    assert response["ScannedCount"] == 10


def test_scan_filter_matching_nothing_counts_what_it_read(ddb_client, stock):
    # "ScannedCount is the number of items evaluated, before any ScanFilter is applied".
    response = ddb_client.scan(
        TableName=stock, FilterExpression="color = :c", ExpressionAttributeValues={":c": s("x")}
    )
    assert response["Items"] == []
    assert response["Count"] == 0
    assert response["ScannedCount"] == 10


def test_scan_limit_stops_after_that_many_items(ddb_client, stock):
    response = ddb_client.scan(TableName=stock, Limit=4)
    assert len(response["Items"]) == 4
    assert response["ScannedCount"] == 4
    last = response["Items"][-1]
    assert response["LastEvaluatedKey"] == {"pk": last["pk"], "sk": last["sk"]}


def test_scan_limit_applies_before_the_filter(ddb_client, stock):
    # Limit caps the items read; the filter then drops some of them (Developer Guide,
    # "Limiting the number of items in the result set").
    response = ddb_client.scan(
        TableName=stock,
        Limit=4,
        FilterExpression="color = :c",
        ExpressionAttributeValues={":c": s("red")},
    )
    assert response["ScannedCount"] == 4
    assert response["Count"] == len(response["Items"]) <= 4
    assert all(item["color"] == s("red") for item in response["Items"])
    assert "LastEvaluatedKey" in response


def test_scan_limit_above_item_count_has_no_last_evaluated_key(ddb_client, stock):
    response = ddb_client.scan(TableName=stock, Limit=50)
    assert keys_of(response["Items"]) == ALL_KEYS
    assert "LastEvaluatedKey" not in response


def test_scan_pagination_visits_every_item_once(ddb_client, stock):
    items, pages = scan_all(ddb_client, stock, Limit=3)
    assert keys_of(items) == ALL_KEYS
    assert pages >= 4


def test_scan_pagination_with_filter_finds_every_match(ddb_client, stock):
    items, _ = scan_all(
        ddb_client,
        stock,
        Limit=3,
        FilterExpression="color = :c",
        ExpressionAttributeValues={":c": s("red")},
    )
    assert keys_of(items) == [(pk, sk) for pk, sk, c in sorted(ROWS) if c == "red"]


def test_scan_exclusive_start_key_is_exclusive(ddb_client, stock):
    first = ddb_client.scan(TableName=stock, Limit=1)
    rest, _ = scan_all(ddb_client, stock, ExclusiveStartKey=first["LastEvaluatedKey"])
    assert keys_of(first["Items"] + rest) == ALL_KEYS


@pytest.mark.parametrize(
    "start_key",
    [{"pk": s("a")}, {"pk": s("a"), "sk": s("1")}, {"pk": s("a"), "sk": n(1), "qty": n(10)}],
    ids=["missing-sort-key", "wrong-type", "extra-attribute"],
)
def test_scan_exclusive_start_key_not_matching_the_schema_is_rejected(ddb_client, stock, start_key):
    # AWS: "The provided starting key is invalid: The provided key element does not match
    # the schema" (baopham/laravel-dynamodb#200, from AWS; floci#1443).
    error = error_of(ddb_client.scan, TableName=stock, ExclusiveStartKey=start_key)
    assert_error(error, "ValidationException")


def test_scan_page_stops_at_one_megabyte(ddb_client, make_table):
    # A Scan reads at most 1 MB per call and then returns LastEvaluatedKey (Developer Guide,
    # "Paginating the results"): four ~350 KB items cannot come back in one page.
    table = make_table(keys={"pk": "S"})
    blob = "x" * 350_000
    put_all(ddb_client, table, [{"pk": s(f"k{i}"), "blob": s(blob)} for i in range(4)])
    first = ddb_client.scan(TableName=table, ProjectionExpression="pk")
    assert 1 <= first["Count"] < 4
    assert "LastEvaluatedKey" in first
    items, _ = scan_all(ddb_client, table, ProjectionExpression="pk")
    assert sorted(item["pk"]["S"] for item in items) == ["k0", "k1", "k2", "k3"]


# --- Select and ConsistentRead -----------------------------------------------------------------


def test_scan_select_count_returns_no_items(ddb_client, stock):
    response = ddb_client.scan(TableName=stock, Select="COUNT")
    assert "Items" not in response
    assert response["Count"] == 10


def test_scan_select_count_with_filter(ddb_client, stock):
    response = ddb_client.scan(
        TableName=stock,
        Select="COUNT",
        FilterExpression="color = :c",
        ExpressionAttributeValues={":c": s("green")},
    )
    assert "Items" not in response
    assert response["Count"] == 2
    assert response["ScannedCount"] == 10


def test_scan_select_specific_attributes_returns_the_projection(ddb_client, stock):
    response = ddb_client.scan(
        TableName=stock,
        Select="SPECIFIC_ATTRIBUTES",
        ProjectionExpression="color",
        FilterExpression="pk = :p",
        ExpressionAttributeValues={":p": s("c")},
    )
    assert sorted(item["color"]["S"] for item in response["Items"]) == ["green", "red", "red"]
    assert all(set(item) == {"color"} for item in response["Items"])


@pytest.mark.parametrize(
    ("select", "projection"),
    [
        ("ALL_PROJECTED_ATTRIBUTES", None),
        ("SPECIFIC_ATTRIBUTES", None),
        ("ALL_ATTRIBUTES", "color"),
        ("COUNT", "color"),
    ],
    ids=[
        "all-projected-on-table",
        "specific-without-projection",
        "all-with-projection",
        "count-with-projection",
    ],
)
def test_scan_select_combination_is_rejected(ddb_client, stock, select, projection):
    # API Reference, Scan: ALL_PROJECTED_ATTRIBUTES only on an index; SPECIFIC_ATTRIBUTES
    # needs a projection; a projection allows no other Select (AWS-TRUTH.md for the Query
    # equivalents).
    kwargs = {"ProjectionExpression": projection} if projection else {}
    error = error_of(ddb_client.scan, TableName=stock, Select=select, **kwargs)
    assert_error(error, "ValidationException")


def test_scan_with_consistent_read_on_a_table(ddb_client, stock):
    response = ddb_client.scan(TableName=stock, ConsistentRead=True)
    assert keys_of(response["Items"]) == ALL_KEYS


# --- Parallel scan -----------------------------------------------------------------------------


@pytest.mark.parametrize("total", [1, 2, 3, 7])
def test_parallel_scan_segments_are_disjoint_and_complete(ddb_client, stock, total):
    # "Each worker scans a separate segment ... the segments do not overlap" (Developer
    # Guide, "Parallel scan").
    seen = []
    for segment in range(total):
        items, _ = scan_all(ddb_client, stock, Segment=segment, TotalSegments=total)
        seen += keys_of(items)
    assert sorted(seen) == ALL_KEYS  # every item once: no gaps, no overlap


def test_parallel_scan_segment_pages_with_limit(ddb_client, stock):
    whole = keys_of(scan_all(ddb_client, stock, Segment=0, TotalSegments=2)[0])
    paged = keys_of(scan_all(ddb_client, stock, Segment=0, TotalSegments=2, Limit=1)[0])
    assert paged == whole


def test_parallel_scan_last_two_of_a_million_segments_are_disjoint(ddb_client, stock):
    # TotalSegments may be up to 1,000,000 (API Reference, Scan), and no two segments share
    # an item, however many there are.
    one, _ = scan_all(ddb_client, stock, Segment=999_998, TotalSegments=1_000_000)
    other, _ = scan_all(ddb_client, stock, Segment=999_999, TotalSegments=1_000_000)
    assert not set(keys_of(one)) & set(keys_of(other))


@pytest.mark.parametrize(
    ("params", "phrases"),
    [
        ({"Segment": 0}, ("TotalSegments", "required")),
        ({"TotalSegments": 4}, ("Segment", "required")),
        ({"Segment": 5, "TotalSegments": 5}, ("less than",)),
        ({"Segment": 0, "TotalSegments": 0}, ("greater than or equal to 1",)),
        ({"Segment": 0, "TotalSegments": 1_000_001}, ("less than or equal to 1000000",)),
        ({"Segment": -1, "TotalSegments": 2}, ("greater than or equal to 0",)),
    ],
    ids=[
        "segment-without-total",
        "total-without-segment",
        "segment-not-below-total",
        "total-zero",
        "total-too-large",
        "segment-negative",
    ],
)
def test_invalid_segment_parameters_are_rejected(ddb_client, stock, params, phrases):
    # AWS-TRUTH.md records the first three; the bounds are the API Reference's (TotalSegments
    # 1..1000000, Segment 0..999999), reported in AWS's constraint wording.
    error = error_of(ddb_client.scan, TableName=stock, **params)
    assert_error(error, "ValidationException", *phrases)


# --- Scan's own errors -------------------------------------------------------------------------


def test_scan_on_missing_table(ddb_client):
    error = error_of(ddb_client.scan, TableName="ddbmatrix-no-such-table")
    assert error["Code"] == "ResourceNotFoundException"


def test_scan_limit_zero_is_rejected(ddb_client, stock):
    error = error_of(ddb_client.scan, TableName=stock, Limit=0)
    assert_error(error, "ValidationException", "greater than or equal to 1")
