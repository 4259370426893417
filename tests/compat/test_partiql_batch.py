"""PartiQL in batches and transactions: BatchExecuteStatement and ExecuteTransaction.

Sources: Amazon DynamoDB Developer Guide, "Running batch operations with PartiQL for
DynamoDB" (25 statements, reads or writes but not both), "Performing transactions with
PartiQL for DynamoDB" (100 statements, reads or writes but not both, EXISTS; a failed singleton
statement cancels the transaction with TransactionCanceledException and its error among the
cancellation reasons), "Constraints in Amazon DynamoDB" (DynamoDB transactions: no two actions
on one item, 4 MB); API Reference, "BatchExecuteStatement" (each read names the whole key; HTTP
200 with per-statement errors), "BatchStatementRequest", "BatchStatementResponse",
"BatchStatementError" (its codes and its Item), "ExecuteTransaction", "ParameterizedStatement",
"CancellationReason", "TransactionCanceledException", "IdempotentParameterMismatchException".
Recorded AWS answers: /work/shared/AWS-TRUTH.md (cancellation reasons in request order, for
TransactWriteItems) and the public conformance suite nubo-db/dynamodb-conformance, whose AWS run
passes every case (a batch read from a missing table fails alone, with code ResourceNotFound; a
duplicate INSERT cancels an ExecuteTransaction). Single statements and the first batch and
transaction cases are in test_partiql.py.
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from support import assert_error, b, error_of, n, observe, put_all, refusal, s


@pytest.fixture
def missing_table(new_table_name):
    """A name no table has. It carries the run's prefix, so that on aws the write guard lets
    the call through (it can change no table but the run's); it is never created."""
    return new_table_name("missing")


@pytest.fixture
def table(ddb_client, make_table):
    """A hash-key table holding a (v 1, tag "x") and b (v 2)."""
    name = make_table(keys={"pk": "S"})
    put_all(ddb_client, name, [{"pk": s("a"), "v": n(1), "tag": s("x")}, {"pk": s("b"), "v": n(2)}])
    return name


def get(client, table, key):
    return client.get_item(TableName=table, Key={"pk": s(key)}, ConsistentRead=True).get("Item")


def select(table, key):
    return {"Statement": f'SELECT * FROM "{table}" WHERE pk = ?', "Parameters": [s(key)]}


def insert(table, key, **values):
    fields = ", ".join(f"'{name}': ?" for name in ("pk", *values))
    return {
        "Statement": f'INSERT INTO "{table}" VALUE {{{fields}}}',
        "Parameters": [s(key), *values.values()],
    }


def failing_update(table, key="a"):
    """An UPDATE of ``key`` whose condition (v = 99) is false."""
    return {"Statement": f"UPDATE \"{table}\" SET v = 9 WHERE pk = '{key}' AND v = 99"}


def batch(client, *statements):
    return client.batch_execute_statement(Statements=list(statements))["Responses"]


def transact(client, *statements, **kwargs):
    return client.execute_transaction(TransactStatements=list(statements), **kwargs)


def cancelled(client, *statements):
    """ExecuteTransaction expected to be cancelled; return (error code, reason codes, reasons)."""
    with pytest.raises(ClientError) as raised:
        transact(client, *statements)
    response = raised.value.response
    reasons = response.get("CancellationReasons", [])
    return response["Error"]["Code"], [reason.get("Code") for reason in reasons], reasons


def refused_in_batch(client, *statements):
    """A batch AWS must refuse at least in part: either the request fails (HTTP 4xx) or every
    statement's entry carries an Error. Returns what came back."""
    try:
        entries = batch(client, *statements)
    except ClientError as error:
        response = error.response
    else:
        assert all("Error" in entry for entry in entries), entries
        return entries
    assert response["ResponseMetadata"]["HTTPStatusCode"] < 500, response
    return response["Error"]


# -- BatchExecuteStatement: sizes and order ------------------------------------------------


def test_batch_of_25_reads_answers_each_in_statement_order(ddb_client, make_table):
    # "BatchExecuteStatement ... can perform no more than 25 statements per batch"; the
    # responses come in the order of the statements (BatchExecuteStatement: Responses).
    name = make_table(keys={"pk": "S"})
    put_all(ddb_client, name, [{"pk": s(f"k{i:02}"), "v": n(i)} for i in range(25)])
    entries = batch(ddb_client, *(select(name, f"k{i:02}") for i in reversed(range(25))))
    assert [entry["Item"]["v"] for entry in entries] == [n(i) for i in reversed(range(25))]


def test_batch_of_25_writes_applies_each(ddb_client, make_table):
    name = make_table(keys={"pk": "S"})
    entries = batch(ddb_client, *(insert(name, f"k{i:02}", v=n(i)) for i in range(25)))
    assert [entry.get("Error") for entry in entries] == [None] * 25
    assert all(
        get(ddb_client, name, f"k{i:02}") == {"pk": s(f"k{i:02}"), "v": n(i)} for i in range(25)
    )


def test_batch_with_one_failing_write_applies_the_other_24(ddb_client, table):
    # A batch is not a transaction: "Error details for individual statements can be found
    # under the Error field", the others are applied.
    statements = [insert(table, f"k{i:02}") for i in range(24)]
    statements.insert(7, insert(table, "a"))  # a exists: DuplicateItem
    entries = batch(ddb_client, *statements)
    assert [i for i, entry in enumerate(entries) if "Error" in entry] == [7]
    assert entries[7]["Error"]["Code"] == "DuplicateItem"
    assert all(get(ddb_client, table, f"k{i:02}") is not None for i in range(24))


def test_batch_read_of_a_missing_item_has_neither_item_nor_error(ddb_client, table):
    entries = batch(ddb_client, select(table, "a"), select(table, "nobody"))
    assert entries[0]["Item"]["pk"] == s("a")
    assert "Error" not in entries[1]
    assert "Item" not in entries[1]


def test_batch_reads_apply_their_projection(ddb_client, table):
    entries = batch(
        ddb_client,
        {"Statement": f"SELECT v FROM \"{table}\" WHERE pk = 'b'"},
        {"Statement": f"SELECT tag, pk FROM \"{table}\" WHERE pk = 'a'"},
    )
    assert [entry["Item"] for entry in entries] == [{"v": n(2)}, {"tag": s("x"), "pk": s("a")}]


def test_batch_read_from_a_missing_table_fails_alone(ddb_client, table, missing_table):
    # Recorded: the statement on the missing table gets Error.Code "ResourceNotFound", the
    # other is answered.
    entries = batch(ddb_client, select(table, "a"), select(missing_table, "x"))
    assert entries[0]["Item"]["pk"] == s("a")
    assert entries[1]["Error"]["Code"] == "ResourceNotFound"


def test_batch_write_to_a_missing_table(ddb_client, table, missing_table):
    # Only the read case is recorded; a write may be refused alone the same way. An AWS run
    # settles it.
    observe(
        ddb_client.batch_execute_statement,
        Statements=[insert(table, "c"), insert(missing_table, "x")],
    )


def test_batch_select_by_the_whole_composite_key(ddb_client, make_table):
    name = make_table(keys={"pk": "S", "sk": "N"})
    put_all(ddb_client, name, [{"pk": s("p"), "sk": n(i)} for i in range(3)])
    entries = batch(
        ddb_client,
        {
            "Statement": f'SELECT * FROM "{name}" WHERE pk = ? AND sk = ?',
            "Parameters": [s("p"), n(2)],
        },
    )
    assert entries[0]["Item"] == {"pk": s("p"), "sk": n(2)}


@pytest.mark.parametrize(
    ("keys", "where"),
    [
        ({"pk": "S"}, "v = 1"),
        ({"pk": "S", "sk": "N"}, "pk = 'p'"),
        ({"pk": "S", "sk": "N"}, "pk = 'p' AND sk > 0"),
    ],
    ids=["no-key", "partition-key-only", "sort-key-range"],
)
def test_batch_select_without_an_equality_on_the_whole_key_is_refused(
    ddb_client, make_table, keys, where
):
    # "Each read statement in a BatchExecuteStatement must specify an equality condition on
    # all key attributes. This enforces that each SELECT statement in a batch returns at most
    # a single item." Whether the whole request or the statement is refused is not recorded.
    name = make_table(keys=keys)
    ddb_client.put_item(
        TableName=name, Item={"pk": s("p"), **({"sk": n(1)} if "sk" in keys else {})}
    )
    refused_in_batch(ddb_client, {"Statement": f'SELECT * FROM "{name}" WHERE {where}'})


def test_batch_consistent_read_sees_the_latest_write(ddb_client, table):
    # BatchStatementRequest.ConsistentRead: "The read consistency of the PartiQL batch request".
    ddb_client.put_item(TableName=table, Item={"pk": s("a"), "v": n(7)})
    entries = batch(ddb_client, {**select(table, "a"), "ConsistentRead": True})
    assert entries[0]["Item"] == {"pk": s("a"), "v": n(7)}


@pytest.mark.parametrize(
    "value",
    [
        s("text"),
        n("1.50"),
        b(b"\x00\xff"),
        {"BOOL": False},
        {"NULL": True},
        {"L": [s("x"), n(1)]},
        {"M": {"k": s("v")}},
        {"SS": ["q", "p"]},
    ],
    ids=["S", "N", "B", "BOOL", "NULL", "L", "M", "SS"],
)
def test_batch_insert_binds_a_parameter_of_each_type(ddb_client, table, value):
    # Parameters are AttributeValues (BatchStatementRequest.Parameters), stored as given;
    # a number is stored normalized.
    entries = batch(ddb_client, insert(table, "c", w=value))
    assert "Error" not in entries[0]
    stored = get(ddb_client, table, "c")["w"]
    if "SS" in value:
        assert sorted(stored["SS"]) == sorted(value["SS"])
    else:
        assert stored == (n("1.5") if "N" in value else value)


def test_batch_insert_with_an_empty_set_parameter_is_refused(ddb_client, table):
    # An empty set is no value (Supported data types: sets); nothing is stored.
    refused_in_batch(ddb_client, insert(table, "c", w={"SS": []}))
    assert get(ddb_client, table, "c") is None


def test_batch_statement_with_an_empty_parameter_list_is_rejected(ddb_client, table):
    # BatchStatementRequest.Parameters: "Minimum number of 1 item" (API Reference). AWS checks
    # the model's length constraints on the server, as its recorded answers for a 2-character
    # TableName, 101 BatchGetItem keys and an empty TransactItems show (AWS-TRUTH).
    error = error_of(
        ddb_client.batch_execute_statement,
        Statements=[{"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'a'", "Parameters": []}],
    )
    assert error["Code"] == "ValidationException"


def test_batch_statement_with_too_few_parameters(ddb_client, table):
    # Not documented whether the request or the statement is refused. An AWS run settles it.
    observe(
        ddb_client.batch_execute_statement,
        Statements=[select(table, "a"), {"Statement": f'SELECT * FROM "{table}" WHERE pk = ?'}],
    )


def test_batch_statement_with_a_syntax_error(ddb_client, table):
    # Not documented whether the request or the statement is refused. An AWS run settles it.
    observe(
        ddb_client.batch_execute_statement,
        Statements=[select(table, "a"), {"Statement": f'SELEC * FROM "{table}"'}],
    )


def padded_select(table, length):
    """SELECT of item "a", padded with trailing spaces to ``length`` characters."""
    statement = f"SELECT * FROM \"{table}\" WHERE pk = 'a'"
    return {"Statement": statement + " " * (length - len(statement))}


def test_batch_statement_of_8192_characters_is_answered(ddb_client, table):
    # BatchStatementRequest.Statement: "Maximum length of 8192" (API Reference).
    entries = batch(ddb_client, padded_select(table, 8192))
    assert entries[0]["Item"]["pk"] == s("a")


def test_batch_statement_of_8193_characters_is_rejected(ddb_client, table):
    error = error_of(ddb_client.batch_execute_statement, Statements=[padded_select(table, 8193)])
    assert error["Code"] == "ValidationException"


def test_batch_of_two_writes_to_one_item(ddb_client, table):
    # BatchWriteItem refuses two requests for one key ("Provided list of item keys contains
    # duplicates", AWS-TRUTH); whether BatchExecuteStatement does is not documented.
    observe(
        ddb_client.batch_execute_statement,
        Statements=[
            {"Statement": f"UPDATE \"{table}\" SET v = 5 WHERE pk = 'a'"},
            {"Statement": f"UPDATE \"{table}\" SET v = 6 WHERE pk = 'a'"},
        ],
    )


# -- BatchExecuteStatement: per-statement errors -------------------------------------------


def test_batch_failed_condition_returns_the_old_item_when_asked(ddb_client, table):
    # BatchStatementError.Item: "The item which caused the condition check to fail. This
    # will be set if ReturnValuesOnConditionCheckFailure is specified as ALL_OLD."
    entries = batch(
        ddb_client, {**failing_update(table), "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}
    )
    assert entries[0]["Error"]["Code"] == "ConditionalCheckFailed"
    assert entries[0]["Error"]["Item"] == {"pk": s("a"), "v": n(1), "tag": s("x")}


def test_batch_failed_condition_has_no_item_by_default(ddb_client, table):
    entries = batch(ddb_client, failing_update(table))
    assert entries[0]["Error"]["Code"] == "ConditionalCheckFailed"
    assert "Item" not in entries[0]["Error"]


def test_batch_failed_statement_names_its_table(ddb_client, table):
    # BatchStatementResponse.TableName: "The table name associated with a failed PartiQL
    # batch statement."
    entries = batch(ddb_client, failing_update(table))
    assert entries[0]["TableName"] == table


def test_batch_delete_with_a_false_condition_keeps_the_item(ddb_client, table):
    entries = batch(ddb_client, {"Statement": f"DELETE FROM \"{table}\" WHERE pk = 'a' AND v = 99"})
    assert entries[0]["Error"]["Code"] == "ConditionalCheckFailed"
    assert get(ddb_client, table, "a") is not None


def test_batch_update_of_a_missing_item_fails_its_condition(ddb_client, table):
    # A PartiQL UPDATE changes an existing item only (test_partiql.py has it for one
    # statement); in a batch the failure is that statement's.
    entries = batch(
        ddb_client,
        {"Statement": f"UPDATE \"{table}\" SET v = 5 WHERE pk = 'nobody'"},
        {"Statement": f"UPDATE \"{table}\" SET v = 5 WHERE pk = 'b'"},
    )
    assert entries[0]["Error"]["Code"] == "ConditionalCheckFailed"
    assert "Error" not in entries[1]
    assert get(ddb_client, table, "nobody") is None
    assert get(ddb_client, table, "b")["v"] == n(5)


# -- ExecuteTransaction: sizes -------------------------------------------------------------


def test_transaction_of_100_writes_applies_all(ddb_client, make_table):
    # "PartiQL transactions are limited to 100 total statements (actions)".
    name = make_table(keys={"pk": "S"})
    transact(ddb_client, *(insert(name, f"k{i:03}", v=n(i)) for i in range(100)))
    assert all(get(ddb_client, name, f"k{i:03}") is not None for i in range(100))


def test_transaction_of_100_reads_answers_each_in_order(ddb_client, make_table):
    name = make_table(keys={"pk": "S"})
    put_all(ddb_client, name, [{"pk": s(f"k{i:03}"), "v": n(i)} for i in range(100)])
    response = transact(ddb_client, *(select(name, f"k{i:03}") for i in range(100)))
    assert [entry["Item"]["v"] for entry in response["Responses"]] == [n(i) for i in range(100)]


def test_transaction_over_4_mb_is_refused(ddb_client, make_table):
    # "A transaction cannot contain more than 4 MB of data": eleven 400,000-byte INSERTs.
    # Refused and nothing written; the error's code is recorded for TransactWriteItems only.
    name = make_table(keys={"pk": "S"})
    refusal(
        ddb_client.execute_transaction,
        TransactStatements=[insert(name, f"k{i:02}", p=s("x" * 400_000)) for i in range(11)],
    )
    assert get(ddb_client, name, "k00") is None


def test_transaction_read_of_a_missing_item_has_an_entry_without_item(ddb_client, table):
    response = transact(ddb_client, select(table, "nobody"), select(table, "b"))
    entries = response["Responses"]
    assert "Item" not in entries[0]
    assert entries[1]["Item"] == {"pk": s("b"), "v": n(2)}


def test_transaction_reads_apply_their_projection(ddb_client, table):
    response = transact(ddb_client, {"Statement": f"SELECT tag FROM \"{table}\" WHERE pk = 'a'"})
    assert response["Responses"][0]["Item"] == {"tag": s("x")}


def test_transaction_select_without_the_whole_key(ddb_client, table):
    # A transaction reads items by key, as TransactGetItems does; whether a SELECT naming no
    # key is refused (and how) is not documented. An AWS run settles it.
    observe(
        ddb_client.execute_transaction,
        TransactStatements=[{"Statement": f'SELECT * FROM "{table}" WHERE v = 1'}],
    )


# -- ExecuteTransaction: cancellations -----------------------------------------------------
# "If any of the singleton INSERT, UPDATE, or DELETE operations return an error, the
# transactions are canceled with the TransactionCanceledException exception, and the
# cancellation reason code includes the errors from the individual singleton operations";
# the reasons are listed in statement order, one per statement, as TransactWriteItems' are in
# request order (API Reference, TransactionCanceledException; AWS-TRUTH: ["None",
# "ConditionalCheckFailed"]).


def test_transaction_reasons_follow_statement_order(ddb_client, table):
    code, reasons, _ = cancelled(
        ddb_client, insert(table, "c"), failing_update(table, "a"), insert(table, "d")
    )
    assert code == "TransactionCanceledException"
    assert reasons == ["None", "ConditionalCheckFailed", "None"]
    assert get(ddb_client, table, "c") is None
    assert get(ddb_client, table, "d") is None


def test_transaction_duplicate_insert_is_cancelled(ddb_client, table):
    # Recorded: TransactionCanceledException, and nothing applied. The duplicate's own reason
    # code is not recorded (ExecuteStatement answers DuplicateItemException, AWS-TRUTH).
    code, reasons, _ = cancelled(ddb_client, insert(table, "a", v=n(5)), insert(table, "c"))
    assert code == "TransactionCanceledException"
    assert len(reasons) == 2
    assert reasons[0] != "None"
    assert reasons[1] == "None"
    assert get(ddb_client, table, "a")["v"] == n(1)
    assert get(ddb_client, table, "c") is None


@pytest.mark.parametrize(
    "condition", ["pk = 'a' AND v = 2", "pk = 'nobody' AND v = 1"], ids=["false", "missing-item"]
)
def test_transaction_failed_exists_is_a_conditional_check_failure(ddb_client, table, condition):
    # EXISTS works "in a similar manner to ConditionCheck in the TransactWriteItems API".
    code, reasons, _ = cancelled(
        ddb_client,
        {"Statement": f'EXISTS(SELECT * FROM "{table}" WHERE {condition})'},
        insert(table, "c"),
    )
    assert code == "TransactionCanceledException"
    assert reasons == ["ConditionalCheckFailed", "None"]
    assert get(ddb_client, table, "c") is None


def test_transaction_exists_on_the_key_alone(ddb_client, table):
    # An EXISTS that names only the key checks nothing but the item's presence; whether AWS
    # takes it or asks for a condition beyond the key is not documented. An AWS run settles it.
    observe(
        ddb_client.execute_transaction,
        TransactStatements=[
            {"Statement": f"EXISTS(SELECT * FROM \"{table}\" WHERE pk = 'a')"},
            insert(table, "c"),
        ],
    )


def test_transaction_update_of_a_missing_item_is_cancelled(ddb_client, table):
    code, reasons, _ = cancelled(
        ddb_client,
        {"Statement": f"UPDATE \"{table}\" SET v = 5 WHERE pk = 'nobody'"},
        insert(table, "c"),
    )
    assert (code, reasons) == ("TransactionCanceledException", ["ConditionalCheckFailed", "None"])
    assert get(ddb_client, table, "nobody") is None


def test_transaction_delete_of_a_missing_item_is_applied(ddb_client, table):
    # A DELETE without a condition succeeds on a missing item (test_partiql.py), so it does
    # not cancel the transaction.
    transact(
        ddb_client,
        {"Statement": f"DELETE FROM \"{table}\" WHERE pk = 'nobody'"},
        insert(table, "c"),
    )
    assert get(ddb_client, table, "c") == {"pk": s("c")}


def test_transaction_failed_condition_returns_the_old_item_when_asked(ddb_client, table):
    # ParameterizedStatement.ReturnValuesOnConditionCheckFailure; the item comes back in the
    # statement's CancellationReason (API Reference, CancellationReason: Item).
    _, reasons, details = cancelled(
        ddb_client,
        {**failing_update(table, "a"), "ReturnValuesOnConditionCheckFailure": "ALL_OLD"},
        insert(table, "c"),
    )
    assert reasons == ["ConditionalCheckFailed", "None"]
    assert details[0]["Item"] == {"pk": s("a"), "v": n(1), "tag": s("x")}


def test_transaction_failed_condition_has_no_item_by_default(ddb_client, table):
    _, reasons, details = cancelled(ddb_client, failing_update(table, "a"), insert(table, "c"))
    assert reasons == ["ConditionalCheckFailed", "None"]
    assert "Item" not in details[0]


@pytest.mark.parametrize(
    "statements",
    [
        ["UPDATE \"{t}\" SET v = 5 WHERE pk = 'a'", "UPDATE \"{t}\" SET v = 6 WHERE pk = 'a'"],
        [
            "EXISTS(SELECT * FROM \"{t}\" WHERE pk = 'a' AND v = 1)",
            "UPDATE \"{t}\" SET v = 6 WHERE pk = 'a'",
        ],
        ["DELETE FROM \"{t}\" WHERE pk = 'b'", "INSERT INTO \"{t}\" VALUE {{'pk': 'b'}}"],
    ],
    ids=["two-updates", "exists-and-update", "delete-and-insert"],
)
def test_transaction_with_two_statements_on_one_item_is_refused(ddb_client, table, statements):
    # "No two actions in a transaction can work against the same item in the same table"
    # (Constraints: DynamoDB transactions). TransactWriteItems answers a ValidationException
    # (AWS-TRUTH); ExecuteTransaction's code is not recorded. Nothing is applied.
    refusal(
        ddb_client.execute_transaction,
        TransactStatements=[{"Statement": one.format(t=table)} for one in statements],
    )
    assert get(ddb_client, table, "a")["v"] == n(1)
    assert get(ddb_client, table, "b") == {"pk": s("b"), "v": n(2)}


def test_transaction_mixing_reads_and_writes_is_refused(ddb_client, table):
    # "The entire transaction must consist of either read statements or write statements. You
    # can't mix both in one transaction" (EXISTS aside).
    refusal(
        ddb_client.execute_transaction,
        TransactStatements=[select(table, "a"), insert(table, "c")],
    )
    assert get(ddb_client, table, "c") is None


def test_transaction_on_a_missing_table(ddb_client, table, missing_table):
    # ExecuteTransaction may answer ResourceNotFoundException (API Reference, Errors); whether
    # plainly or as a cancellation reason is not recorded. An AWS run settles it.
    observe(
        ddb_client.execute_transaction,
        TransactStatements=[insert(table, "c"), insert(missing_table, "x")],
    )
    assert get(ddb_client, table, "c") is None


def test_transaction_statement_with_a_syntax_error(ddb_client, table):
    # Not documented whether a statement that does not parse cancels the transaction or
    # fails the request. An AWS run settles it.
    observe(
        ddb_client.execute_transaction,
        TransactStatements=[insert(table, "c"), {"Statement": f'UPDAT "{table}" SET v = 1'}],
    )
    assert get(ddb_client, table, "c") is None


# -- ExecuteTransaction: ClientRequestToken ------------------------------------------------
# ClientRequestToken makes the call idempotent: a repeat with the same token and statements
# has no further effect; the same token with other statements is an
# IdempotentParameterMismatchException (API Reference, ExecuteTransaction; TransactWriteItems'
# is in test_transactions.py). Length 1 to 36.


def increment(table):
    return {"Statement": f"UPDATE \"{table}\" SET v = v + 1 WHERE pk = 'a'"}


def test_same_token_and_statements_apply_once(ddb_client, table):
    token = "ddbmatrix-token-0001"
    transact(ddb_client, increment(table), ClientRequestToken=token)
    transact(ddb_client, increment(table), ClientRequestToken=token)
    assert get(ddb_client, table, "a")["v"] == n(2)


def test_same_token_with_other_statements_is_rejected(ddb_client, table):
    token = "ddbmatrix-token-0002"
    transact(ddb_client, increment(table), ClientRequestToken=token)
    error = error_of(
        ddb_client.execute_transaction,
        TransactStatements=[insert(table, "c")],
        ClientRequestToken=token,
    )
    assert_error(error, "IdempotentParameterMismatchException")
    assert get(ddb_client, table, "c") is None


def test_client_request_token_longer_than_36_characters_is_rejected(ddb_client, table):
    error = error_of(
        ddb_client.execute_transaction,
        TransactStatements=[increment(table)],
        ClientRequestToken="t" * 37,
    )
    assert error["Code"] == "ValidationException"
    assert get(ddb_client, table, "a")["v"] == n(1)
