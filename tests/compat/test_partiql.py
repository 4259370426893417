"""PartiQL: ExecuteStatement, BatchExecuteStatement and ExecuteTransaction.

Sources: Amazon DynamoDB Developer Guide, "PartiQL select / insert / update / delete
statements for DynamoDB", "Running batch operations with PartiQL", "Performing transactions
with PartiQL", "Using the EXISTS function with PartiQL"; API Reference, "ExecuteStatement",
"BatchExecuteStatement", "BatchStatementError", "ExecuteTransaction"; /work/shared/AWS-TRUTH.md
(INSERT of an existing key).
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from support import assert_error, error_of, n, observe, put_all, s, sort_keys


@pytest.fixture
def table(ddb_client, make_table):
    """A hash-key table holding a (v 1, tag "x") and b (v 2)."""
    name = make_table(keys={"pk": "S"})
    put_all(
        ddb_client,
        name,
        [{"pk": s("a"), "v": n(1), "tag": s("x")}, {"pk": s("b"), "v": n(2)}],
    )
    return name


@pytest.fixture
def ranged(ddb_client, make_table):
    """A hash+range table: partition "p" holds sort keys 1..5, partition "q" holds 9."""
    name = make_table(keys={"pk": "S", "sk": "N"})
    put_all(ddb_client, name, [{"pk": s("p"), "sk": n(i)} for i in range(1, 6)])
    put_all(ddb_client, name, [{"pk": s("q"), "sk": n(9)}])
    return name


def run(client, statement, *parameters, **kwargs):
    if parameters:
        kwargs["Parameters"] = list(parameters)
    return client.execute_statement(Statement=statement, **kwargs)


def get(client, table, key):
    return client.get_item(TableName=table, Key={"pk": s(key)}, ConsistentRead=True).get("Item")


# -- SELECT ----------------------------------------------------------------------------------


def test_select_by_key_returns_the_item(ddb_client, table):
    response = run(ddb_client, f"SELECT * FROM \"{table}\" WHERE pk = 'a'")
    assert response["Items"] == [{"pk": s("a"), "v": n(1), "tag": s("x")}]


def test_select_with_parameter(ddb_client, table):
    response = run(ddb_client, f'SELECT * FROM "{table}" WHERE pk = ?', s("b"))
    assert response["Items"] == [{"pk": s("b"), "v": n(2)}]


def test_select_projects_named_attributes(ddb_client, table):
    response = run(ddb_client, f"SELECT v FROM \"{table}\" WHERE pk = 'a'")
    assert response["Items"] == [{"v": n(1)}]


def test_select_of_missing_key_returns_no_items(ddb_client, table):
    response = run(ddb_client, f"SELECT * FROM \"{table}\" WHERE pk = 'nobody'")
    assert response["Items"] == []


def test_select_with_in_on_partition_key(ddb_client, table):
    # "SELECT * FROM "Orders" WHERE OrderID IN [100, 300, 234]" (select statements).
    response = run(ddb_client, f"SELECT pk FROM \"{table}\" WHERE pk IN ['a', 'b', 'zz']")
    assert sorted(sort_keys(response["Items"], "pk")) == ["a", "b"]


def test_select_with_filter_on_non_key_attribute_scans(ddb_client, table):
    response = run(ddb_client, f'SELECT pk FROM "{table}" WHERE v > ?', n(1))
    assert response["Items"] == [{"pk": s("b")}]


def test_select_with_sort_key_range(ddb_client, ranged):
    response = run(
        ddb_client,
        f'SELECT sk FROM "{ranged}" WHERE pk = ? AND sk BETWEEN ? AND ?',
        s("p"),
        n(2),
        n(4),
    )
    assert sorted(int(k) for k in sort_keys(response["Items"])) == [2, 3, 4]


def test_select_order_by_sort_key_descending(ddb_client, ranged):
    # "[ORDER BY key [DESC|ASC] , ...]": results sorted by the key, DESC on request.
    response = run(ddb_client, f"SELECT sk FROM \"{ranged}\" WHERE pk = 'p' ORDER BY sk DESC")
    assert sort_keys(response["Items"]) == ["5", "4", "3", "2", "1"]


def test_select_without_where_pages_with_limit_and_next_token(ddb_client, ranged):
    seen, token = [], None
    for _ in range(10):  # bounded: 6 items in pages of 2 need at most 4 pages
        kwargs = {"NextToken": token} if token else {}
        page = run(ddb_client, f'SELECT * FROM "{ranged}"', Limit=2, **kwargs)
        assert len(page["Items"]) <= 2
        seen += [(item["pk"]["S"], item["sk"]["N"]) for item in page["Items"]]
        token = page.get("NextToken")
        if not token:
            break
    assert sorted(seen) == [("p", str(i)) for i in range(1, 6)] + [("q", "9")]


def test_select_from_index(ddb_client, make_table):
    # "SELECT * FROM "TableName"."IndexName"" queries the index.
    name = make_table(
        keys={"pk": "S"}, gsis={"by_email": {"keys": {"email": "S"}, "projection": "ALL"}}
    )
    put_all(
        ddb_client,
        name,
        [{"pk": s("1"), "email": s("x@example.com")}, {"pk": s("2"), "email": s("y@example.com")}],
    )
    response = run(
        ddb_client, f'SELECT pk FROM "{name}"."by_email" WHERE email = ?', s("y@example.com")
    )
    assert response["Items"] == [{"pk": s("2")}]


# -- INSERT ----------------------------------------------------------------------------------


def test_insert_adds_an_item(ddb_client, table):
    response = run(ddb_client, f"INSERT INTO \"{table}\" VALUE {{'pk': 'c', 'v': 3, 'ok': true}}")
    assert response.get("Items", []) == []  # "This statement does not return any values."
    assert get(ddb_client, table, "c") == {"pk": s("c"), "v": n(3), "ok": {"BOOL": True}}


def test_insert_with_parameters(ddb_client, table):
    run(
        ddb_client,
        f"INSERT INTO \"{table}\" VALUE {{'pk': ?, 'tags': ?}}",
        s("c"),
        {"SS": ["red", "blue"]},
    )
    item = get(ddb_client, table, "c")
    assert sorted(item["tags"]["SS"]) == ["blue", "red"]


def test_insert_of_existing_key_is_rejected(ddb_client, table):
    # "If the DynamoDB table already has an item with the same primary key as the primary key
    # of the item being inserted, DuplicateItemException is returned." (AWS-TRUTH too.)
    error = error_of(
        run, client=ddb_client, statement=f"INSERT INTO \"{table}\" VALUE {{'pk': 'a'}}"
    )
    assert error["Code"] == "DuplicateItemException"
    assert get(ddb_client, table, "a") == {"pk": s("a"), "v": n(1), "tag": s("x")}


def test_insert_without_the_key_is_rejected(ddb_client, table):
    error = error_of(run, client=ddb_client, statement=f"INSERT INTO \"{table}\" VALUE {{'v': 9}}")
    assert error["Code"] == "ValidationException"


# -- UPDATE ----------------------------------------------------------------------------------


def test_update_set_changes_an_attribute(ddb_client, table):
    run(ddb_client, f"UPDATE \"{table}\" SET v = 10 WHERE pk = 'a'")
    assert get(ddb_client, table, "a") == {"pk": s("a"), "v": n(10), "tag": s("x")}


def test_update_with_two_set_clauses(ddb_client, table):
    # The guide's example: UPDATE "Music" SET AwardsWon=1 SET AwardDetail={...} WHERE ...
    run(ddb_client, f"UPDATE \"{table}\" SET v = 10 SET note = {{'k': [1, 2]}} WHERE pk = 'a'")
    assert get(ddb_client, table, "a") == {
        "pk": s("a"),
        "v": n(10),
        "tag": s("x"),
        "note": {"M": {"k": {"L": [n(1), n(2)]}}},
    }


def test_update_remove_deletes_an_attribute(ddb_client, table):
    run(ddb_client, f"UPDATE \"{table}\" REMOVE tag WHERE pk = 'a'")
    assert get(ddb_client, table, "a") == {"pk": s("a"), "v": n(1)}


def test_update_with_arithmetic_and_parameters(ddb_client, table):
    run(ddb_client, f'UPDATE "{table}" SET v = v + ? WHERE pk = ?', n(5), s("b"))
    assert get(ddb_client, table, "b")["v"] == n(7)


def test_update_of_missing_item_fails_its_condition(ddb_client, table):
    # "If the WHERE clause of the UPDATE statement does not evaluate to true for any item in
    # the DynamoDB table, ConditionalCheckFailedException is returned."
    error = error_of(
        run, client=ddb_client, statement=f"UPDATE \"{table}\" SET v = 1 WHERE pk = 'ghost'"
    )
    assert error["Code"] == "ConditionalCheckFailedException"
    assert get(ddb_client, table, "ghost") is None


def test_update_with_false_extra_condition_fails(ddb_client, table):
    error = error_of(
        run, client=ddb_client, statement=f"UPDATE \"{table}\" SET v = 5 WHERE pk = 'a' AND v = 99"
    )
    assert error["Code"] == "ConditionalCheckFailedException"
    assert get(ddb_client, table, "a")["v"] == n(1)


def test_update_returning_all_new(ddb_client, table):
    # "RETURNING ALL NEW *": all attributes of the item as they appear after the update.
    response = run(ddb_client, f"UPDATE \"{table}\" SET v = 3 WHERE pk = 'b' RETURNING ALL NEW *")
    assert response["Items"] == [{"pk": s("b"), "v": n(3)}]


def test_update_returning_modified_old(ddb_client, table):
    response = run(
        ddb_client, f"UPDATE \"{table}\" SET v = 3 WHERE pk = 'a' RETURNING MODIFIED OLD *"
    )
    assert response["Items"] == [{"v": n(1)}]


# -- DELETE ----------------------------------------------------------------------------------


def test_delete_removes_the_item(ddb_client, table):
    run(ddb_client, f"DELETE FROM \"{table}\" WHERE pk = 'a'")
    assert get(ddb_client, table, "a") is None


def test_delete_of_missing_item_succeeds(ddb_client, table):
    # "If the DynamoDB table does not have any item with the same primary key as that of the
    # item for which the DELETE is issued, SUCCESS is returned with 0 items deleted."
    response = run(ddb_client, f"DELETE FROM \"{table}\" WHERE pk = 'ghost'")
    assert response.get("Items", []) == []


def test_delete_with_false_condition_fails_and_keeps_the_item(ddb_client, table):
    # "If the table has an item with same primary key, but the condition in the WHERE clause
    # of the DELETE statement evaluates to false, ConditionalCheckFailedException is returned."
    error = error_of(
        run, client=ddb_client, statement=f"DELETE FROM \"{table}\" WHERE pk = 'a' AND v = 99"
    )
    assert error["Code"] == "ConditionalCheckFailedException"
    assert get(ddb_client, table, "a") is not None


def test_delete_returning_all_old(ddb_client, table):
    response = run(ddb_client, f"DELETE FROM \"{table}\" WHERE pk = 'b' RETURNING ALL OLD *")
    assert response["Items"] == [{"pk": s("b"), "v": n(2)}]
    assert get(ddb_client, table, "b") is None


# -- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        'SELEC * FROM "{t}"',
        "SELECT * FROM",
        "INSERT INTO \"{t}\" VALUES ('a', 1)",
        "UPDATE \"{t}\" WHERE pk = 'a'",
        "DELETE \"{t}\" WHERE pk = 'a'",
    ],
    ids=[
        "misspelt-keyword",
        "missing-table",
        "sql-values",
        "update-without-set",
        "delete-without-from",
    ],
)
def test_malformed_statement_is_rejected(ddb_client, table, statement):
    error = error_of(run, client=ddb_client, statement=statement.format(t=table))
    assert error["Code"] == "ValidationException"


def test_statement_on_missing_table(ddb_client):
    error = error_of(
        run, client=ddb_client, statement="SELECT * FROM \"ddbmatrix-no-such-table\" WHERE pk = 'a'"
    )
    assert error["Code"] == "ResourceNotFoundException"


def test_too_few_parameters(ddb_client, table):
    # No document or recorded AWS answer says how a parameter-count mismatch is refused.
    observe(
        ddb_client.execute_statement, Statement=f'SELECT * FROM "{table}" WHERE pk = ? AND v = ?'
    )


def test_too_many_parameters(ddb_client, table):
    observe(
        ddb_client.execute_statement,
        Statement=f'SELECT * FROM "{table}" WHERE pk = ?',
        Parameters=[s("a"), s("b")],
    )


def test_update_of_key_attribute_is_rejected(ddb_client, table):
    # UPDATE runs as an UpdateItem, which refuses to change a key attribute (AWS-TRUTH).
    error = error_of(
        run, client=ddb_client, statement=f"UPDATE \"{table}\" SET pk = 'z' WHERE pk = 'a'"
    )
    assert error["Code"] == "ValidationException"
    assert get(ddb_client, table, "a") is not None


# -- BatchExecuteStatement -------------------------------------------------------------------


def test_batch_reads_items_by_key(ddb_client, table):
    response = ddb_client.batch_execute_statement(
        Statements=[
            {"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'b'"},
            {"Statement": f'SELECT * FROM "{table}" WHERE pk = ?', "Parameters": [s("a")]},
        ]
    )
    entries = response["Responses"]
    assert [entry.get("Error") for entry in entries] == [None, None]
    assert [entry["Item"] for entry in entries] == [
        {"pk": s("b"), "v": n(2)},
        {"pk": s("a"), "v": n(1), "tag": s("x")},
    ]


def test_batch_writes_apply(ddb_client, table):
    response = ddb_client.batch_execute_statement(
        Statements=[
            {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'c'}}"},
            {"Statement": f"UPDATE \"{table}\" SET v = 20 WHERE pk = 'b'"},
            {"Statement": f"DELETE FROM \"{table}\" WHERE pk = 'a'"},
        ]
    )
    assert [entry.get("Error") for entry in response["Responses"]] == [None, None, None]
    assert get(ddb_client, table, "c") == {"pk": s("c")}
    assert get(ddb_client, table, "b")["v"] == n(20)
    assert get(ddb_client, table, "a") is None


def test_batch_reports_a_duplicate_insert_in_its_own_response(ddb_client, table):
    # "A HTTP 200 response does not mean that all statements in the BatchExecuteStatement
    # succeeded. Error details for individual statements can be found under the Error field";
    # BatchStatementError codes include DuplicateItem.
    response = ddb_client.batch_execute_statement(
        Statements=[
            {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'c'}}"},
            {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'a'}}"},
        ]
    )
    entries = response["Responses"]
    assert len(entries) == 2
    assert "Error" not in entries[0]
    assert entries[1]["Error"]["Code"] == "DuplicateItem"
    assert get(ddb_client, table, "c") == {"pk": s("c")}


def test_batch_reports_a_failed_update_condition_in_its_own_response(ddb_client, table):
    response = ddb_client.batch_execute_statement(
        Statements=[
            {"Statement": f"UPDATE \"{table}\" SET v = 9 WHERE pk = 'a' AND v = 99"},
            {"Statement": f"UPDATE \"{table}\" SET v = 9 WHERE pk = 'b'"},
        ]
    )
    entries = response["Responses"]
    assert entries[0]["Error"]["Code"] == "ConditionalCheckFailed"
    assert "Error" not in entries[1]
    assert get(ddb_client, table, "a")["v"] == n(1)
    assert get(ddb_client, table, "b")["v"] == n(9)


def test_batch_of_26_statements_is_rejected(ddb_client, table):
    # Statements: "Array Members: Minimum number of 1 item. Maximum number of 25 items."
    error = error_of(
        ddb_client.batch_execute_statement,
        Statements=[
            {"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'k{i}'"} for i in range(26)
        ],
    )
    assert_error(error, "ValidationException", "25")


def test_empty_batch_is_rejected(ddb_client):
    # Statements: "Minimum number of 1 item."
    error = error_of(ddb_client.batch_execute_statement, Statements=[])
    assert error["Code"] == "ValidationException"


def test_batch_mixing_reads_and_writes(ddb_client, table):
    # "The entire batch must consist of either read statements or write statements; you
    # cannot mix both in one batch." How the refusal comes back is not documented.
    observe(
        ddb_client.batch_execute_statement,
        Statements=[
            {"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'a'"},
            {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'c'}}"},
        ],
    )


# -- ExecuteTransaction ----------------------------------------------------------------------


def test_transaction_writes_to_two_tables(ddb_client, table, make_table):
    other = make_table(keys={"pk": "S"}, label="other")
    ddb_client.execute_transaction(
        TransactStatements=[
            {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'c'}}"},
            {"Statement": f'UPDATE "{table}" SET v = ? WHERE pk = ?', "Parameters": [n(7), s("a")]},
            {"Statement": f"INSERT INTO \"{other}\" VALUE {{'pk': 'z'}}"},
        ]
    )
    assert get(ddb_client, table, "c") == {"pk": s("c")}
    assert get(ddb_client, table, "a")["v"] == n(7)
    assert get(ddb_client, other, "z") == {"pk": s("z")}


def test_transaction_reads_items_in_statement_order(ddb_client, table):
    response = ddb_client.execute_transaction(
        TransactStatements=[
            {"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'b'"},
            {"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'a'"},
        ]
    )
    assert [entry["Item"] for entry in response["Responses"]] == [
        {"pk": s("b"), "v": n(2)},
        {"pk": s("a"), "v": n(1), "tag": s("x")},
    ]


def test_failed_transaction_is_cancelled_and_changes_nothing(ddb_client, table):
    with pytest.raises(ClientError) as raised:
        ddb_client.execute_transaction(
            TransactStatements=[
                {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'c'}}"},
                {"Statement": f"UPDATE \"{table}\" SET v = 5 WHERE pk = 'a' AND v = 99"},
            ]
        )
    response = raised.value.response
    assert response["Error"]["Code"] == "TransactionCanceledException"
    codes = [reason.get("Code") for reason in response.get("CancellationReasons", [])]
    assert codes == ["None", "ConditionalCheckFailed"]
    assert get(ddb_client, table, "c") is None
    assert get(ddb_client, table, "a")["v"] == n(1)


def test_transaction_with_exists_condition_applies_when_true(ddb_client, table):
    # EXISTS "can only be used in transactions" and does what ConditionCheck does.
    ddb_client.execute_transaction(
        TransactStatements=[
            {"Statement": f"EXISTS(SELECT * FROM \"{table}\" WHERE pk = 'a' AND v = 1)"},
            {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'c'}}"},
        ]
    )
    assert get(ddb_client, table, "c") == {"pk": s("c")}


def test_transaction_with_exists_condition_is_cancelled_when_false(ddb_client, table):
    with pytest.raises(ClientError) as raised:
        ddb_client.execute_transaction(
            TransactStatements=[
                {"Statement": f"EXISTS(SELECT * FROM \"{table}\" WHERE pk = 'a' AND v = 2)"},
                {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'c'}}"},
            ]
        )
    assert raised.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert get(ddb_client, table, "c") is None


def test_empty_transaction_is_rejected(ddb_client):
    # TransactStatements: "Minimum number of 1 item."
    error = error_of(ddb_client.execute_transaction, TransactStatements=[])
    assert error["Code"] == "ValidationException"


def test_transaction_of_101_statements_is_rejected(ddb_client, table):
    # TransactStatements: "Array Members: Minimum number of 1 item. Maximum number of 100."
    error = error_of(
        ddb_client.execute_transaction,
        TransactStatements=[
            {"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'k{i}'"} for i in range(101)
        ],
    )
    assert_error(error, "ValidationException", "less than or equal to 100")


def test_limit_zero_is_rejected(ddb_client, table):
    # ExecuteStatement Limit: "Valid Range: Minimum value of 1."
    error = error_of(run, client=ddb_client, statement=f'SELECT * FROM "{table}"', Limit=0)
    assert_error(error, "ValidationException", "greater than or equal to 1")
