"""Capacity and metrics: ReturnConsumedCapacity on every operation, ReturnItemCollectionMetrics.

Sources: Amazon DynamoDB Developer Guide, "Read/write capacity mode" (read units per 4 KB, half
for eventually consistent reads, double for transactional reads and writes, write units per
1 KB; the 8 KB and 2 KB examples), "Managing settings on DynamoDB provisioned capacity tables"
(capacity unit consumption of each operation: GetItem, BatchGetItem's per-item rounding and
its 1.5 + 6.5 KB example, Query's sum of item sizes, Scan's items evaluated, writes counting
the larger of the old and new item, BatchWriteItem's 500 B + 3.5 KB example, a missing item
still costing a read, projections and COUNT costing the same), "Item sizes and formats",
"Provisioned throughput considerations" of global and local secondary indexes (which writes an
index costs, and that an index query is charged to the index), "Item collections in Local
Secondary Indexes"; API Reference, "ReturnConsumedCapacity", "ConsumedCapacity", "Capacity",
"ItemCollectionMetrics", "ReturnItemCollectionMetrics" and each operation's output shape.

Recorded AWS answers: /work/shared/AWS-TRUTH.md (ItemCollectionMetrics on a table with an LSI;
invalid enums rejected before the table lookup); paritysuite/dynamodb-conformance's AWS runs
(ConsumedCapacity: single-table operations report CapacityUnits with no read/write split,
under TOTAL and INDEXES; transactions report the split; TransactGetItems costs 2 units per
item, a missing one too; a ConditionCheck costs 2 write units; a cancelled transaction reports
no ConsumedCapacity); ScyllaDB's Alternator test_returnconsumedcapacity.py, written to pass on
real DynamoDB (4 KB and 4 KB + 1 byte reads, 1 KB and 1 KB + 1 byte writes, a missing item's
read and delete, the larger item counting on replace and update). "AWS-run" cites those.

Read-only tests share seeded tables per module (``declared_tables``, scope ``module``); a
test that writes makes its own table.
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from support import assert_error, error_of, eventually, observe, s, settle_budget, string_item

from ddbmatrix import DeclaredTable

KB = 1024
HASH = {"pk": "S"}
KEY = {"pk": s("k")}
SMALL = {**KEY, "v": s("x")}
MODES = ["TOTAL", "INDEXES"]
BILLING = {"on-demand": "PAY_PER_REQUEST", "provisioned": "PROVISIONED"}


def plain(item):
    """A wire-form item of strings as the boto3 resource takes it (for declared seeds)."""
    return {name: value["S"] for name, value in item.items()}


def sized(pk, sk, total):
    return string_item({"pk": s(pk), "sk": s(sk)}, total)


#: The items of the shared read tables, sized to the byte (Developer Guide, item sizes).
READ_ITEMS = [
    sized("size", "4096", 4 * KB),
    sized("size", "4097", 4 * KB + 1),
    *(sized("q", str(i), 1500) for i in range(3)),
    sized("b", "1.5k", 1536),
    sized("b", "6.5k", 6656),
    sized("t", "8k", 8 * KB),
    {"pk": s("small"), "sk": s("s"), "g": s("gq"), "l": s("lq"), "v": s("x")},
]
SCAN_ITEMS = [string_item({"pk": s(f"scan{i}")}, 2000) for i in range(3)]


def declared(name, billing, items, keys=None, **indexes):
    return DeclaredTable(
        name,
        keys=keys or {"pk": "S", "sk": "S"},
        billing_mode=billing,
        items=[plain(item) for item in items],
        scope="module",
        **indexes,
    )


@pytest.fixture(scope="session")
def table_declarations(table_declarations):
    """This module's read-only tables, seeded once per module, backend and worker."""
    indexes = {
        "gsis": {"by_g": {"keys": {"g": "S"}}},
        "lsis": {"by_l": {"keys": {"pk": "S", "l": "S"}, "projection": "KEYS_ONLY"}},
    }
    return [
        *table_declarations,
        *(declared(f"Reads-{b}", mode, READ_ITEMS, **indexes) for b, mode in BILLING.items()),
        *(declared(f"Scan-{b}", mode, SCAN_ITEMS, keys=HASH) for b, mode in BILLING.items()),
        declared("Shape", "PAY_PER_REQUEST", [SMALL], keys=HASH),
    ]


def consumed(response):
    """The ConsumedCapacity entries of a response, as a list."""
    capacity = response["ConsumedCapacity"]
    return capacity if isinstance(capacity, list) else [capacity]


def units(response):
    return sum(entry["CapacityUnits"] for entry in consumed(response))


# -- every operation, every mode -----------------------------------------------------------------


def select(table):
    return f"SELECT * FROM \"{table}\" WHERE pk = 'k'"


#: operation -> (call with the mode's extra arguments, ConsumedCapacity is a list).
OPERATIONS = {
    "GetItem": (lambda c, t, **x: c.get_item(TableName=t, Key=KEY, **x), False),
    "PutItem": (lambda c, t, **x: c.put_item(TableName=t, Item=SMALL, **x), False),
    "UpdateItem": (
        lambda c, t, **x: c.update_item(
            TableName=t,
            Key=KEY,
            UpdateExpression="SET v = :v",
            ExpressionAttributeValues={":v": s("y")},
            **x,
        ),
        False,
    ),
    "DeleteItem": (lambda c, t, **x: c.delete_item(TableName=t, Key=KEY, **x), False),
    "Query": (
        lambda c, t, **x: c.query(
            TableName=t,
            KeyConditionExpression="pk = :k",
            ExpressionAttributeValues={":k": s("k")},
            **x,
        ),
        False,
    ),
    "Scan": (lambda c, t, **x: c.scan(TableName=t, **x), False),
    "ExecuteStatement": (lambda c, t, **x: c.execute_statement(Statement=select(t), **x), False),
    "BatchGetItem": (
        lambda c, t, **x: c.batch_get_item(RequestItems={t: {"Keys": [KEY]}}, **x),
        True,
    ),
    "BatchWriteItem": (
        lambda c, t, **x: c.batch_write_item(
            RequestItems={t: [{"PutRequest": {"Item": SMALL}}]}, **x
        ),
        True,
    ),
    "TransactGetItems": (
        lambda c, t, **x: c.transact_get_items(
            TransactItems=[{"Get": {"TableName": t, "Key": KEY}}], **x
        ),
        True,
    ),
    "TransactWriteItems": (
        lambda c, t, **x: c.transact_write_items(
            TransactItems=[{"Put": {"TableName": t, "Item": SMALL}}], **x
        ),
        True,
    ),
    "BatchExecuteStatement": (
        lambda c, t, **x: c.batch_execute_statement(Statements=[{"Statement": select(t)}], **x),
        True,
    ),
    "ExecuteTransaction": (
        lambda c, t, **x: c.execute_transaction(
            TransactStatements=[{"Statement": f"UPDATE \"{t}\" SET v = 'z' WHERE pk = 'k'"}], **x
        ),
        True,
    ),
}
#: Operations test_items.py and test_batch.py already check without ReturnConsumedCapacity.
DEFAULT_CHECKED_ELSEWHERE = {"GetItem", "PutItem", "DeleteItem", "BatchGetItem", "BatchWriteItem"}


#: The operations that only read: their tests share the module's "Shape" table.
READS = {
    "GetItem",
    "Query",
    "Scan",
    "ExecuteStatement",
    "BatchGetItem",
    "TransactGetItems",
    "BatchExecuteStatement",
}


@pytest.fixture
def table(request, ddb_client, make_table):
    """A hash-key table holding item "k": the module's shared one for an operation that only
    reads (the test's ``operation`` parameter), a new one otherwise."""
    callspec = getattr(request.node, "callspec", None)
    if callspec is not None and callspec.params.get("operation") in READS:
        return request.getfixturevalue("declared_tables")["Shape"]
    name = make_table(keys=HASH)
    ddb_client.put_item(TableName=name, Item=SMALL)
    return name


def run(name, client, table, **extra):
    return OPERATIONS[name][0](client, table, **extra)


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_total_reports_the_aggregate_per_table(ddb_client, table, operation):
    # TOTAL: "The response includes only the aggregate ConsumedCapacity for the operation";
    # one entry (a list of one for the operations that may span tables, per their outputs).
    response = run(operation, ddb_client, table, ReturnConsumedCapacity="TOTAL")
    capacity = response["ConsumedCapacity"]
    assert isinstance(capacity, list) is OPERATIONS[operation][1], capacity
    (entry,) = consumed(response)
    assert entry["TableName"] == table
    assert entry["CapacityUnits"] > 0
    assert not {"Table", "GlobalSecondaryIndexes", "LocalSecondaryIndexes"} & set(entry), entry


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_indexes_adds_the_tables_share(ddb_client, table, operation):
    # INDEXES: the aggregate "together with ConsumedCapacity for each table and secondary index
    # that was accessed"; with no index, the table's share is the whole.
    response = run(operation, ddb_client, table, ReturnConsumedCapacity="INDEXES")
    (entry,) = consumed(response)
    assert entry["TableName"] == table
    assert entry["Table"]["CapacityUnits"] == entry["CapacityUnits"] > 0


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_none_reports_no_capacity(ddb_client, table, operation):
    # NONE: "No ConsumedCapacity details are included in the response."
    response = run(operation, ddb_client, table, ReturnConsumedCapacity="NONE")
    assert "ConsumedCapacity" not in response


@pytest.mark.parametrize(
    "operation", [name for name in OPERATIONS if name not in DEFAULT_CHECKED_ELSEWHERE]
)
def test_no_capacity_unless_asked(ddb_client, table, operation):
    # ReturnConsumedCapacity defaults to NONE.
    assert "ConsumedCapacity" not in run(operation, ddb_client, table)


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_unknown_mode_is_rejected(ddb_client, table, operation):
    # ReturnConsumedCapacity is one of INDEXES, TOTAL, NONE; AWS-TRUTH: an invalid enum is a
    # ValidationException, found before anything else.
    error = error_of(
        run, name=operation, client=ddb_client, table=table, ReturnConsumedCapacity="ALL"
    )
    assert_error(error, "ValidationException")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "operation", ["GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan"]
)
def test_single_table_operations_report_no_read_write_split(ddb_client, table, operation, mode):
    # AWS-run (paritysuite, eu-west-2): a single-item or single-table operation reports
    # CapacityUnits alone, without ReadCapacityUnits or WriteCapacityUnits, under TOTAL and
    # INDEXES, at the top and on Table.
    (entry,) = consumed(run(operation, ddb_client, table, ReturnConsumedCapacity=mode))
    for part in (entry, entry.get("Table", {})):
        assert "ReadCapacityUnits" not in part, entry
        assert "WriteCapacityUnits" not in part, entry


@pytest.mark.parametrize(
    ("operation", "split", "other"),
    [
        ("TransactGetItems", "ReadCapacityUnits", "WriteCapacityUnits"),
        ("TransactWriteItems", "WriteCapacityUnits", "ReadCapacityUnits"),
        ("ExecuteTransaction", "WriteCapacityUnits", "ReadCapacityUnits"),
    ],
)
def test_transactions_report_the_read_write_split(ddb_client, table, operation, split, other):
    # AWS-run (paritysuite): transactions report the split: reads as ReadCapacityUnits, writes
    # as WriteCapacityUnits, and not the other.
    (entry,) = consumed(run(operation, ddb_client, table, ReturnConsumedCapacity="INDEXES"))
    assert entry[split] == entry["CapacityUnits"] > 0
    assert other not in entry
    assert entry["Table"][split] == entry["CapacityUnits"]


# -- reads: units per 4 KB, half when eventually consistent ------------------------------------

CONSISTENCY = {"strong": (True, 1.0), "eventual": (False, 0.5)}


def reads(declared_tables, billing):
    return declared_tables[f"Reads-{billing}"]


@pytest.mark.parametrize("billing", list(BILLING))
@pytest.mark.parametrize("consistency", list(CONSISTENCY))
@pytest.mark.parametrize(
    ("sk", "strong_units"),
    [("4096", 1), ("4097", 2), ("missing", 1)],
    ids=["4KB", "4KB+1", "missing"],
)
def test_get_item_reads_one_unit_per_4_kb(
    ddb_client, declared_tables, billing, consistency, sk, strong_units
):
    # GetItem rounds the item up to the next 4 KB; an eventually consistent read costs half;
    # a missing item still costs a read (Developer Guide; AWS-run: 4 KB is 1 unit, 4 KB + 1
    # byte is 2, a missing item 1 or 0.5). Provisioned and on-demand count the same way.
    consistent, factor = CONSISTENCY[consistency]
    table = reads(declared_tables, billing)
    response = ddb_client.get_item(
        TableName=table,
        Key={"pk": s("size"), "sk": s(sk)},
        ConsistentRead=consistent,
        ReturnConsumedCapacity="TOTAL",
    )
    assert response["ConsumedCapacity"] == {
        "TableName": table,
        "CapacityUnits": strong_units * factor,
    }


@pytest.mark.parametrize("billing", list(BILLING))
def test_get_item_projection_reads_the_whole_item(ddb_client, declared_tables, billing):
    # "you can request a subset of attributes to retrieve. However, doing so has no impact on
    # the item size calculations" (Developer Guide; AWS-run).
    response = ddb_client.get_item(
        TableName=reads(declared_tables, billing),
        Key={"pk": s("size"), "sk": s("4097")},
        ProjectionExpression="pk",
        ConsistentRead=True,
        ReturnConsumedCapacity="TOTAL",
    )
    assert units(response) == 2.0


def query(client, table, pk="q", **kwargs):
    return client.query(
        TableName=table,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": s(pk), **kwargs.pop("values", {})},
        ReturnConsumedCapacity="TOTAL",
        **kwargs,
    )


@pytest.mark.parametrize("billing", list(BILLING))
@pytest.mark.parametrize("consistency", list(CONSISTENCY))
def test_query_reads_the_sum_of_its_items_rounded_up(
    ddb_client, declared_tables, billing, consistency
):
    # Query: "DynamoDB computes the total size of all items and then rounds up to the next 4 KB
    # boundary": three items of 1,500 bytes are 4,500 bytes, 2 units strongly consistent.
    consistent, factor = CONSISTENCY[consistency]
    response = query(ddb_client, reads(declared_tables, billing), ConsistentRead=consistent)
    assert response["Count"] == 3
    assert units(response) == 2 * factor


@pytest.mark.parametrize(
    "variant",
    [
        {"Select": "COUNT"},
        {"ProjectionExpression": "sk"},
        {"FilterExpression": "attribute_exists(nothing)"},
    ],
    ids=["count", "projection", "filter"],
)
def test_query_costs_the_same_however_little_it_returns(ddb_client, declared_tables, variant):
    # Counting, projecting and filtering read every matching item all the same (Developer
    # Guide, capacity unit consumption for reads; Query: a filter applies after the read).
    table = reads(declared_tables, "on-demand")
    whole = query(ddb_client, table, ConsistentRead=True)
    assert units(query(ddb_client, table, ConsistentRead=True, **variant)) == units(whole) == 2.0


def test_query_limit_reads_only_the_items_it_returns(ddb_client, declared_tables):
    # Limit=1 reads one 1,500-byte item: one unit.
    response = query(ddb_client, reads(declared_tables, "on-demand"), ConsistentRead=True, Limit=1)
    assert response["Count"] == 1
    assert units(response) == 1.0


def test_query_matching_nothing_is_observed(ddb_client, declared_tables):
    # Unsettled: whether a Query that reads no item is charged (0.5 or 1 unit, or 0). A
    # recorded AWS Query of an empty partition with ReturnConsumedCapacity settles it.
    observe(query, client=ddb_client, table=reads(declared_tables, "on-demand"), pk="nobody")


@pytest.mark.parametrize("billing", list(BILLING))
@pytest.mark.parametrize("consistency", list(CONSISTENCY))
def test_scan_reads_the_items_it_evaluates(ddb_client, declared_tables, billing, consistency):
    # Scan counts the items it evaluates: three of 2,000 bytes are 6,000, 2 units strongly
    # consistent, 1 eventually.
    consistent, factor = CONSISTENCY[consistency]
    response = ddb_client.scan(
        TableName=declared_tables[f"Scan-{billing}"],
        ConsistentRead=consistent,
        ReturnConsumedCapacity="TOTAL",
    )
    assert response["Count"] == 3
    assert units(response) == 2 * factor


def test_scan_filter_does_not_lower_the_cost(ddb_client, declared_tables):
    # "DynamoDB considers the size of the items that are evaluated, not the size of the items
    # returned by the scan."
    table = declared_tables["Scan-on-demand"]
    filtered = ddb_client.scan(
        TableName=table,
        FilterExpression="attribute_exists(nothing)",
        ConsistentRead=True,
        ReturnConsumedCapacity="TOTAL",
    )
    assert filtered["Count"] == 0
    assert units(filtered) == 2.0


@pytest.mark.parametrize("billing", list(BILLING))
@pytest.mark.parametrize("consistency", list(CONSISTENCY))
def test_batch_get_rounds_each_item_up(ddb_client, declared_tables, billing, consistency):
    # BatchGetItem rounds each item up to 4 KB before summing: the Developer Guide's 1.5 KB +
    # 6.5 KB example is 12 KB, 3 units strongly consistent.
    consistent, factor = CONSISTENCY[consistency]
    table = reads(declared_tables, billing)
    keys = [{"pk": s("b"), "sk": s("1.5k")}, {"pk": s("b"), "sk": s("6.5k")}]
    response = ddb_client.batch_get_item(
        RequestItems={table: {"Keys": keys, "ConsistentRead": consistent}},
        ReturnConsumedCapacity="TOTAL",
    )
    assert response["ConsumedCapacity"] == [{"TableName": table, "CapacityUnits": 3 * factor}]


def test_batch_get_of_a_missing_item_still_costs_a_read(ddb_client, declared_tables):
    # Each key is read as a GetItem, and reading a missing item consumes a read.
    table = reads(declared_tables, "on-demand")
    response = ddb_client.batch_get_item(
        RequestItems={table: {"Keys": [{"pk": s("nobody"), "sk": s("x")}], "ConsistentRead": True}},
        ReturnConsumedCapacity="TOTAL",
    )
    assert units(response) == 1.0


@pytest.mark.parametrize("billing", list(BILLING))
@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ([("t", "8k")], 4.0),
        ([("small", "s"), ("nobody", "x")], 4.0),
    ],
    ids=["8KB", "small-and-missing"],
)
def test_transactional_reads_cost_double(ddb_client, declared_tables, billing, keys, expected):
    # "if your item size is 8 KB, you require ... 4 read request units for a transactional
    # read"; AWS-run: 2 units per item, a missing item too.
    table = reads(declared_tables, billing)
    response = ddb_client.transact_get_items(
        TransactItems=[
            {"Get": {"TableName": table, "Key": {"pk": s(p), "sk": s(q)}}} for p, q in keys
        ],
        ReturnConsumedCapacity="TOTAL",
    )
    assert units(response) == expected


def test_partiql_read_costs_half_when_eventually_consistent(ddb_client, declared_tables):
    # An eventually consistent read costs half a strongly consistent one (Developer Guide).
    table = reads(declared_tables, "on-demand")
    statement = f"SELECT * FROM \"{table}\" WHERE pk = 'size' AND sk = '4097'"
    strong = ddb_client.execute_statement(
        Statement=statement, ConsistentRead=True, ReturnConsumedCapacity="TOTAL"
    )
    eventual = ddb_client.execute_statement(Statement=statement, ReturnConsumedCapacity="TOTAL")
    assert units(strong) == 2 * units(eventual) > 0


# -- reads through indexes ----------------------------------------------------------------------


def index_entry(entry, kind, name):
    return entry.get(kind, {}).get(name, {}).get("CapacityUnits")


def test_gsi_query_is_charged_to_the_index(ddb_client, declared_tables, ddb_endpoint):
    # "A Query operation on a global secondary index consumes read capacity units from the
    # index, not the base table"; index reads are eventually consistent: half a unit.
    table = reads(declared_tables, "on-demand")

    def ask():
        return ddb_client.query(
            TableName=table,
            IndexName="by_g",
            KeyConditionExpression="g = :g",
            ExpressionAttributeValues={":g": s("gq")},
            ReturnConsumedCapacity="INDEXES",
        )

    response = eventually(ask, lambda r: r["Count"] == 1, budget=settle_budget(ddb_endpoint))
    (entry,) = consumed(response)
    assert entry["CapacityUnits"] == 0.5
    assert index_entry(entry, "GlobalSecondaryIndexes", "by_g") == 0.5
    assert entry.get("Table", {}).get("CapacityUnits", 0) == 0


def test_gsi_scan_is_charged_to_the_index(ddb_client, declared_tables, ddb_endpoint):
    table = reads(declared_tables, "on-demand")

    def ask():
        return ddb_client.scan(TableName=table, IndexName="by_g", ReturnConsumedCapacity="INDEXES")

    response = eventually(ask, lambda r: r["Count"] == 1, budget=settle_budget(ddb_endpoint))
    (entry,) = consumed(response)
    assert index_entry(entry, "GlobalSecondaryIndexes", "by_g") == entry["CapacityUnits"] > 0
    assert entry.get("Table", {}).get("CapacityUnits", 0) == 0


def test_lsi_query_of_projected_attributes_is_charged_to_the_index(ddb_client, declared_tables):
    # An LSI query reading only projected attributes is counted on the index entries, and may
    # be strongly consistent: one unit for one small entry.
    response = ddb_client.query(
        TableName=reads(declared_tables, "on-demand"),
        IndexName="by_l",
        KeyConditionExpression="pk = :p AND l = :l",
        ExpressionAttributeValues={":p": s("small"), ":l": s("lq")},
        ConsistentRead=True,
        ReturnConsumedCapacity="INDEXES",
    )
    (entry,) = consumed(response)
    assert response["Count"] == 1
    assert entry["CapacityUnits"] == 1.0
    assert index_entry(entry, "LocalSecondaryIndexes", "by_l") == 1.0


@pytest.mark.parametrize("operation", ["GetItem", "BatchGetItem"])
def test_key_reads_access_no_index(ddb_client, declared_tables, operation):
    # "some operations, such as GetItem and BatchGetItem, do not access any indexes at all. In
    # these cases, specifying INDEXES will only return ConsumedCapacity information for
    # table(s)."
    table = reads(declared_tables, "on-demand")
    key = {"pk": s("small"), "sk": s("s")}
    if operation == "GetItem":
        response = ddb_client.get_item(TableName=table, Key=key, ReturnConsumedCapacity="INDEXES")
    else:
        response = ddb_client.batch_get_item(
            RequestItems={table: {"Keys": [key]}}, ReturnConsumedCapacity="INDEXES"
        )
    (entry,) = consumed(response)
    assert "GlobalSecondaryIndexes" not in entry
    assert "LocalSecondaryIndexes" not in entry
    assert entry["Table"]["CapacityUnits"] == entry["CapacityUnits"] == 0.5


# -- writes: units per 1 KB, the larger item counting ---------------------------------------------


def write_units(response):
    return response["ConsumedCapacity"]["CapacityUnits"]


def big(total, pk="k"):
    return string_item({"pk": s(pk)}, total)


@pytest.mark.parametrize("billing", list(BILLING))
@pytest.mark.parametrize(("size", "expected"), [(KB, 1.0), (KB + 1, 2.0)], ids=["1KB", "1KB+1"])
def test_put_writes_one_unit_per_kb(ddb_client, make_table, billing, size, expected):
    # Writes round up to the next 1 KB (Developer Guide); AWS-run: 1 KB is one unit, one byte
    # more is two. Provisioned and on-demand count the same way.
    table = make_table(keys=HASH, billing_mode=BILLING[billing])
    response = ddb_client.put_item(TableName=table, Item=big(size), ReturnConsumedCapacity="TOTAL")
    assert response["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": expected}


def test_put_replacing_a_larger_item_counts_the_larger(ddb_client, make_table):
    # PutItem: "the item size that matters is the larger of the two" (old 2.5 KB: 3 units).
    table = make_table(keys=HASH)
    ddb_client.put_item(TableName=table, Item=big(2560))
    assert (
        write_units(
            ddb_client.put_item(TableName=table, Item=SMALL, ReturnConsumedCapacity="TOTAL")
        )
        == 3.0
    )


@pytest.mark.parametrize(
    ("before", "value", "expected"),
    [(2560, "y", 3.0), (100, "y" * 2500, 3.0), (None, "y", 1.0)],
    ids=["small-change-to-a-large-item", "growing-an-item", "creating-an-item"],
)
def test_update_counts_the_larger_of_before_and_after(
    ddb_client, make_table, before, value, expected
):
    # UpdateItem: "the larger of the 'before' and 'after' item sizes", even for a small change;
    # AWS-run: an update that creates a small item is one unit.
    table = make_table(keys=HASH)
    if before:
        ddb_client.put_item(TableName=table, Item=big(before))
    response = ddb_client.update_item(
        TableName=table,
        Key=KEY,
        UpdateExpression="SET v = :v",
        ExpressionAttributeValues={":v": s(value)},
        ReturnConsumedCapacity="TOTAL",
    )
    assert write_units(response) == expected


@pytest.mark.parametrize(
    ("before", "expected"), [(2560, 3.0), (None, 1.0)], ids=["2.5KB", "missing"]
)
def test_delete_counts_the_deleted_item(ddb_client, make_table, before, expected):
    # DeleteItem: "based on the size of the deleted item"; AWS-run: a missing item is one unit.
    table = make_table(keys=HASH)
    if before:
        ddb_client.put_item(TableName=table, Item=big(before))
    response = ddb_client.delete_item(TableName=table, Key=KEY, ReturnConsumedCapacity="TOTAL")
    assert write_units(response) == expected


def test_failed_conditional_write_is_observed(ddb_client, table):
    # A failed conditional write still consumes write capacity (Developer Guide), but whether
    # the ConditionalCheckFailedException carries ConsumedCapacity is not recorded. A recorded
    # AWS error response settles it.
    observe(
        ddb_client.put_item,
        TableName=table,
        Item=SMALL,
        ConditionExpression="attribute_not_exists(pk)",
        ReturnConsumedCapacity="TOTAL",
    )


def test_batch_write_rounds_each_item_up(ddb_client, make_table):
    # BatchWriteItem: 500 bytes + 3.5 KB is 1 KB + 4 KB, 5 units (the Developer Guide's example).
    table = make_table(keys=HASH)
    response = ddb_client.batch_write_item(
        RequestItems={
            table: [
                {"PutRequest": {"Item": big(500, "a")}},
                {"PutRequest": {"Item": big(3584, "b")}},
            ]
        },
        ReturnConsumedCapacity="TOTAL",
    )
    assert response["ConsumedCapacity"] == [{"TableName": table, "CapacityUnits": 5.0}]


def test_batch_delete_counts_the_deleted_item(ddb_client, make_table):
    table = make_table(keys=HASH)
    ddb_client.put_item(TableName=table, Item=big(2560))
    response = ddb_client.batch_write_item(
        RequestItems={table: [{"DeleteRequest": {"Key": KEY}}]}, ReturnConsumedCapacity="TOTAL"
    )
    assert units(response) == 3.0


@pytest.mark.parametrize("billing", list(BILLING))
@pytest.mark.parametrize(("size", "expected"), [(100, 2.0), (2 * KB, 4.0)], ids=["small", "2KB"])
def test_transactional_writes_cost_double(ddb_client, make_table, billing, size, expected):
    # "if your item size is 2 KB, you require ... 4 write request units for a transactional
    # write"; AWS-run: a small item is 2.
    table = make_table(keys=HASH, billing_mode=BILLING[billing])
    response = ddb_client.transact_write_items(
        TransactItems=[{"Put": {"TableName": table, "Item": big(size)}}],
        ReturnConsumedCapacity="TOTAL",
    )
    assert units(response) == expected


def test_condition_check_costs_two_write_units(ddb_client, make_table):
    # AWS-run (paritysuite): a ConditionCheck on its own table costs 2 write capacity units.
    written, checked = (
        make_table(keys=HASH, label="written"),
        make_table(keys=HASH, label="checked"),
    )
    ddb_client.put_item(TableName=checked, Item=SMALL)
    response = ddb_client.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": written, "Item": SMALL}},
            {
                "ConditionCheck": {
                    "TableName": checked,
                    "Key": KEY,
                    "ConditionExpression": "attribute_exists(pk)",
                }
            },
        ],
        ReturnConsumedCapacity="INDEXES",
    )
    entry = next(e for e in consumed(response) if e["TableName"] == checked)
    assert entry["CapacityUnits"] == entry["WriteCapacityUnits"] == 2.0


def test_cancelled_transaction_reports_no_capacity(ddb_client, table):
    # AWS-run (paritysuite): a TransactionCanceledException carries no ConsumedCapacity.
    put = {
        "TableName": table,
        "Item": {"pk": s("new")},
        "ConditionExpression": "attribute_exists(pk)",
    }
    with pytest.raises(ClientError) as raised:
        ddb_client.transact_write_items(
            TransactItems=[{"Put": put}], ReturnConsumedCapacity="TOTAL"
        )
    assert raised.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert "ConsumedCapacity" not in raised.value.response


def test_partiql_insert_writes_one_unit(ddb_client, make_table):
    table = make_table(keys=HASH)
    response = ddb_client.execute_statement(
        Statement=f"INSERT INTO \"{table}\" VALUE {{'pk': 'new'}}", ReturnConsumedCapacity="TOTAL"
    )
    assert units(response) == 1.0


def test_partiql_transaction_write_costs_double(ddb_client, make_table):
    # ExecuteTransaction bills like TransactWriteItems (AWS-run: paritysuite).
    table = make_table(keys=HASH)
    response = ddb_client.execute_transaction(
        TransactStatements=[{"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'new'}}"}],
        ReturnConsumedCapacity="TOTAL",
    )
    assert units(response) == 2.0


def test_partiql_batch_costs_the_sum_of_its_statements(ddb_client, table):
    one = ddb_client.batch_execute_statement(
        Statements=[{"Statement": select(table)}], ReturnConsumedCapacity="TOTAL"
    )
    two = ddb_client.batch_execute_statement(
        Statements=[
            {"Statement": select(table)},
            {"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'other'"},
        ],
        ReturnConsumedCapacity="TOTAL",
    )
    assert units(two) == 2 * units(one) > 0


# -- writes through indexes ----------------------------------------------------------------------


@pytest.fixture
def indexed(make_table):
    """Return ``indexed(projection, billing)``: a table with GSI "by_g" on g and LSI "by_l"."""

    def create(projection="ALL", billing="on-demand"):
        return make_table(
            keys={"pk": "S", "sk": "S"},
            gsis={"by_g": {"keys": {"g": "S"}, "projection": projection}},
            lsis={"by_l": {"keys": {"pk": "S", "l": "S"}, "projection": projection}},
            billing_mode=BILLING[billing],
        )

    return create


ROW = {"pk": s("p"), "sk": s("s")}


def write(client, table, update=None, item=None, delete=False, mode="INDEXES"):
    if delete:
        response = client.delete_item(TableName=table, Key=ROW, ReturnConsumedCapacity=mode)
    elif item is not None:
        response = client.put_item(
            TableName=table, Item={**ROW, **item}, ReturnConsumedCapacity=mode
        )
    else:
        expression, values = update
        response = client.update_item(
            TableName=table,
            Key=ROW,
            UpdateExpression=expression,
            ReturnConsumedCapacity=mode,
            **({"ExpressionAttributeValues": values} if values else {}),
        )
    return response["ConsumedCapacity"]


@pytest.mark.parametrize("billing", list(BILLING))
def test_put_into_a_global_index_costs_an_index_write(ddb_client, indexed, billing):
    # A new item defining the index key: one write to the index, charged to it; the total is
    # the table's write plus the index's (Developer Guide, GSI write capacity).
    table = indexed(billing=billing)
    entry = write(ddb_client, table, item={"g": s("red")})
    assert index_entry(entry, "GlobalSecondaryIndexes", "by_g") == 1.0
    assert entry["Table"]["CapacityUnits"] == 1.0
    assert entry["CapacityUnits"] == 2.0


def test_put_without_the_index_key_costs_no_index_write(ddb_client, indexed):
    # "If a write to a table does not require a global secondary index update, no write
    # capacity is consumed from the index."
    entry = write(ddb_client, indexed(), item={"v": s("x")})
    assert (index_entry(entry, "GlobalSecondaryIndexes", "by_g") or 0) == 0
    assert entry["CapacityUnits"] == 1.0


@pytest.mark.parametrize(
    ("projection", "before", "update", "index_units"),
    [
        ("ALL", {"g": s("red")}, ("SET g = :g", {":g": s("blue")}), 2.0),
        ("ALL", {"g": s("red")}, ("REMOVE g", None), 1.0),
        ("ALL", {"g": s("red")}, ("SET v = :v", {":v": s("new")}), 1.0),
        ("KEYS_ONLY", {"g": s("red")}, ("SET v = :v", {":v": s("new")}), 0.0),
        ("ALL", {"v": s("x")}, ("SET g = :g", {":g": s("red")}), 1.0),
    ],
    ids=[
        "changing-the-index-key",
        "removing-the-index-key",
        "changing-a-projected-attribute",
        "changing-an-unprojected-attribute",
        "adding-the-index-key",
    ],
)
def test_update_costs_the_index_writes_it_causes(
    ddb_client, indexed, projection, before, update, index_units
):
    # GSI write capacity: a changed index key is two index writes (delete and put), a removed
    # one or an added one is one, a changed projected attribute is one, and an item whose index
    # entry does not change costs the index nothing.
    table = indexed(projection)
    ddb_client.put_item(TableName=table, Item={**ROW, **before})
    entry = write(ddb_client, table, update=update)
    assert (index_entry(entry, "GlobalSecondaryIndexes", "by_g") or 0) == index_units
    assert entry["CapacityUnits"] == 1.0 + index_units


def test_delete_from_a_global_index_costs_an_index_write(ddb_client, indexed):
    table = indexed()
    ddb_client.put_item(TableName=table, Item={**ROW, "g": s("red")})
    entry = write(ddb_client, table, delete=True)
    assert index_entry(entry, "GlobalSecondaryIndexes", "by_g") == 1.0
    assert entry["CapacityUnits"] == 2.0


@pytest.mark.parametrize(
    ("before", "action", "index_units"),
    [
        (None, {"item": {"l": s("a")}}, 1.0),
        ({"l": s("a")}, {"update": ("SET l = :l", {":l": s("b")})}, 2.0),
        ({"l": s("a")}, {"delete": True}, 1.0),
    ],
    ids=["put", "changing-the-index-key", "delete"],
)
def test_local_index_writes_add_to_the_total(ddb_client, indexed, before, action, index_units):
    # LSI write capacity: updating a local index consumes write units of the table, the same
    # number of index writes as for a global one; INDEXES shows them per index.
    table = indexed()
    if before:
        ddb_client.put_item(TableName=table, Item={**ROW, **before})
    entry = write(ddb_client, table, **action)
    assert index_entry(entry, "LocalSecondaryIndexes", "by_l") == index_units
    assert entry["CapacityUnits"] == 1.0 + index_units


def test_total_folds_index_writes_into_the_aggregate(ddb_client, indexed):
    entry = write(ddb_client, indexed(), item={"g": s("red")}, mode="TOTAL")
    assert entry == {"TableName": entry["TableName"], "CapacityUnits": 2.0}


# -- ReturnItemCollectionMetrics ------------------------------------------------------------------


@pytest.fixture
def collection(make_table):
    """A composite-key table with an LSI: item collections exist only on such tables."""
    return make_table(keys={"pk": "S", "sk": "S"}, lsis={"by_l": {"keys": {"pk": "S", "l": "S"}}})


ITEM = {"pk": s("p"), "sk": s("s"), "l": s("a")}

#: operation -> the write on ITEM's collection, with the mode's extra arguments.
COLLECTION_WRITES = {
    "PutItem": lambda c, t, **x: c.put_item(TableName=t, Item=ITEM, **x),
    "UpdateItem": lambda c, t, **x: c.update_item(
        TableName=t,
        Key={"pk": s("p"), "sk": s("s")},
        UpdateExpression="SET v = :v",
        ExpressionAttributeValues={":v": s("x")},
        **x,
    ),
    "DeleteItem": lambda c, t, **x: c.delete_item(
        TableName=t, Key={"pk": s("p"), "sk": s("s")}, **x
    ),
    "BatchWriteItem": lambda c, t, **x: c.batch_write_item(
        RequestItems={t: [{"PutRequest": {"Item": ITEM}}]}, **x
    ),
    "TransactWriteItems": lambda c, t, **x: c.transact_write_items(
        TransactItems=[{"Put": {"TableName": t, "Item": ITEM}}], **x
    ),
}


def metrics_of(response, operation, table):
    """The ItemCollectionMetrics entries of a response, as a list (per table for batches)."""
    metrics = response.get("ItemCollectionMetrics")
    if metrics is None or operation not in ("BatchWriteItem", "TransactWriteItems"):
        return metrics
    return metrics.get(table)


@pytest.mark.parametrize("operation", list(COLLECTION_WRITES))
def test_size_reports_the_item_collection_on_a_table_with_an_lsi(ddb_client, collection, operation):
    # AWS-TRUTH: with an LSI, SIZE answers ItemCollectionKey and SizeEstimateRangeGB. The key is
    # the partition key alone; the estimate is [lower, upper] GB of the collection, which is
    # capped at 10 GB (Developer Guide, item collections).
    ddb_client.put_item(TableName=collection, Item=ITEM)
    response = COLLECTION_WRITES[operation](
        ddb_client, collection, ReturnItemCollectionMetrics="SIZE"
    )
    metrics = metrics_of(response, operation, collection)
    (entry,) = metrics if isinstance(metrics, list) else [metrics]
    assert entry["ItemCollectionKey"] == {"pk": s("p")}
    lower, upper = entry["SizeEstimateRangeGB"]
    assert 0 <= lower <= upper <= 10


@pytest.mark.parametrize("operation", list(COLLECTION_WRITES))
def test_size_reports_nothing_on_a_table_without_an_lsi(ddb_client, make_table, operation):
    # ItemCollectionMetrics: "If the table does not have any local secondary indexes, this
    # information is not returned in the response."
    table = make_table(keys={"pk": "S", "sk": "S"})
    ddb_client.put_item(TableName=table, Item=ITEM)
    response = COLLECTION_WRITES[operation](ddb_client, table, ReturnItemCollectionMetrics="SIZE")
    assert not metrics_of(response, operation, table)


@pytest.mark.parametrize("operation", list(COLLECTION_WRITES))
def test_none_reports_no_item_collection(ddb_client, collection, operation):
    # "If set to NONE (the default), no statistics are returned."
    ddb_client.put_item(TableName=collection, Item=ITEM)
    response = COLLECTION_WRITES[operation](
        ddb_client, collection, ReturnItemCollectionMetrics="NONE"
    )
    assert "ItemCollectionMetrics" not in response or not metrics_of(
        response, operation, collection
    )


@pytest.mark.parametrize("operation", list(COLLECTION_WRITES))
def test_unknown_item_collection_mode_is_rejected(ddb_client, collection, operation):
    # ReturnItemCollectionMetrics is SIZE or NONE; AWS-TRUTH: invalid enums are
    # ValidationExceptions.
    error = error_of(
        COLLECTION_WRITES[operation],
        c=ddb_client,
        t=collection,
        ReturnItemCollectionMetrics="ALL",
    )
    assert_error(error, "ValidationException")


def test_item_collection_of_a_missing_item_deleted_is_observed(ddb_client, collection):
    # Unsettled: a DeleteItem that deletes nothing touches no collection; whether SIZE then
    # answers metrics is not recorded. A recorded AWS DeleteItem settles it.
    observe(
        ddb_client.delete_item,
        TableName=collection,
        Key={"pk": s("nobody"), "sk": s("s")},
        ReturnItemCollectionMetrics="SIZE",
    )


def test_item_collection_key_is_the_written_items_partition(ddb_client, collection):
    ddb_client.put_item(TableName=collection, Item=ITEM)
    response = ddb_client.put_item(
        TableName=collection,
        Item={"pk": s("other"), "sk": s("s"), "l": s("b")},
        ReturnItemCollectionMetrics="SIZE",
    )
    assert response["ItemCollectionMetrics"]["ItemCollectionKey"] == {"pk": s("other")}


def test_size_and_capacity_together(ddb_client, collection):
    # Both return parameters apply at once: ItemCollectionMetrics beside ConsumedCapacity (the
    # put writes the item and its LSI entry: two units).
    response = ddb_client.put_item(
        TableName=collection,
        Item=ITEM,
        ReturnItemCollectionMetrics="SIZE",
        ReturnConsumedCapacity="TOTAL",
    )
    assert response["ItemCollectionMetrics"]["ItemCollectionKey"] == {"pk": s("p")}
    assert units(response) == 2.0
