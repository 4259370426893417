"""UpdateItem: the SET, REMOVE, ADD and DELETE clauses, ReturnValues, and update errors.

Sources: Amazon DynamoDB Developer Guide, "Using update expressions in DynamoDB"; API
Reference, "UpdateItem" (UpdateExpression, ReturnValues, ReturnValuesOnConditionCheckFailure).
Where the documentation is silent, facts come from ScyllaDB's Alternator test suite
(test/alternator/test_update_expression.py, test_returnvalues.py), whose tests are run
against real DynamoDB and quote its answers; such assertions say "(Alternator, on AWS)".
"""

from __future__ import annotations

from typing import Any

import pytest
from support import assert_error, b, error_of, n, observe, s

KEY = {"pk": s("k")}


@pytest.fixture
def table(ddb_client, make_table):
    """A hash-key table; each test writes its own starting item."""
    return make_table(keys={"pk": "S"})


def put(client, table, **attributes):
    client.put_item(TableName=table, Item={**KEY, **attributes})


def update_args(table, expression, values=None, names=None, **kwargs) -> dict[str, Any]:
    kwargs = {"TableName": table, "Key": KEY, "UpdateExpression": expression, **kwargs}
    if values is not None:
        kwargs["ExpressionAttributeValues"] = values
    if names is not None:
        kwargs["ExpressionAttributeNames"] = names
    return kwargs


def update(client, table, expression, values=None, names=None, **kwargs):
    return client.update_item(**update_args(table, expression, values, names, **kwargs))


def rejected(client, table, expression, values=None, names=None, **kwargs):
    """Run an update the server must refuse; return its error."""
    return error_of(client.update_item, **update_args(table, expression, values, names, **kwargs))


def stored(client, table, key=None):
    item = client.get_item(TableName=table, Key=key or KEY, ConsistentRead=True).get("Item")
    return canonical(item) if item is not None else None


def canonical(value):
    """Sort the members of sets (their order on the wire is unspecified), recursively."""
    if isinstance(value, dict):
        if len(value) == 1:
            kind, inner = next(iter(value.items()))
            if kind in ("SS", "NS", "BS"):
                return {kind: sorted(inner)}
            if kind == "L":
                return {"L": [canonical(v) for v in inner]}
            if kind == "M":
                return {"M": {k: canonical(v) for k, v in inner.items()}}
        return {k: canonical(v) for k, v in value.items()}
    return value


# --- SET --------------------------------------------------------------------------------


def test_set_adds_attributes_and_keeps_the_others(ddb_client, table):
    put(ddb_client, table, a=s("x"))
    update(ddb_client, table, "SET b = :b, c = :c", {":b": n(1), ":c": s("y")})
    assert stored(ddb_client, table) == {**KEY, "a": s("x"), "b": n(1), "c": s("y")}


def test_set_replaces_a_value_with_one_of_another_type(ddb_client, table):
    put(ddb_client, table, a=s("x"))
    update(ddb_client, table, "SET a = :v", {":v": {"L": [n(1)]}})
    assert stored(ddb_client, table) == {**KEY, "a": {"L": [n(1)]}}


@pytest.mark.parametrize(
    ("expression", "values", "expected"),
    [
        ("SET c = c + :d", {":d": n(3)}, "8"),
        ("SET c = c - :d", {":d": n(7)}, "-2"),
        ("SET c = :d - c", {":d": n(10)}, "5"),
        ("SET c = :x + :y", {":x": n(2), ":y": n("0.5")}, "2.5"),
    ],
    ids=["attribute-plus-value", "attribute-minus-value", "value-minus-attribute", "two-values"],
)
def test_set_arithmetic(ddb_client, table, expression, values, expected):
    put(ddb_client, table, c=n(5))
    update(ddb_client, table, expression, values)
    assert stored(ddb_client, table)["c"] == n(expected)


def test_set_arithmetic_with_three_operands_is_rejected(ddb_client, table):
    # Only "operand + operand" or "operand - operand" (Developer Guide, SET syntax).
    put(ddb_client, table, c=n(5))
    error = rejected(ddb_client, table, "SET c = c + :x + :y", {":x": n(1), ":y": n(2)})
    assert_error(error, "ValidationException")
    assert stored(ddb_client, table)["c"] == n(5)


def test_set_arithmetic_on_a_string_attribute_is_rejected(ddb_client, table):
    # "An operand in the update expression has an incorrect data type" (Alternator, on AWS).
    put(ddb_client, table, a=s("x"))
    error = rejected(ddb_client, table, "SET a = a + :one", {":one": n(1)})
    assert_error(error, "ValidationException", "operand")
    assert stored(ddb_client, table)["a"] == s("x")


def test_set_arithmetic_with_a_string_value_is_rejected(ddb_client, table):
    # "Incorrect operand type for operator or function; operator or function: +, operand
    # type: S" (Alternator, on AWS).
    put(ddb_client, table, c=n(5))
    error = rejected(ddb_client, table, "SET c = c + :x", {":x": s("1")})
    assert_error(error, "ValidationException", "operand")


def test_set_arithmetic_on_a_missing_attribute_is_rejected(ddb_client, table):
    # "The provided expression refers to an attribute that does not exist in the item"
    # (Alternator, on AWS): SET reads the attribute, it does not default it to 0.
    put(ddb_client, table, c=n(5))
    error = rejected(ddb_client, table, "SET c = ghost + :one", {":one": n(1)})
    assert_error(error, "ValidationException", "does not exist")
    assert stored(ddb_client, table)["c"] == n(5)


def test_set_copy_of_a_missing_attribute_is_rejected(ddb_client, table):
    put(ddb_client, table, c=n(5))
    error = rejected(ddb_client, table, "SET d = ghost")
    assert_error(error, "ValidationException", "does not exist")


def test_set_copies_another_attribute(ddb_client, table):
    put(ddb_client, table, a=s("x"))
    update(ddb_client, table, "SET b = a")
    assert stored(ddb_client, table) == {**KEY, "a": s("x"), "b": s("x")}


def test_actions_read_the_item_as_it_was_before_the_update(ddb_client, table):
    # "DynamoDB evaluates every action against the item's attribute values as they were
    # before the update" (Developer Guide, update expressions).
    put(ddb_client, table, a=s("old"))
    update(ddb_client, table, "SET a = :new, b = a", {":new": s("new")})
    assert stored(ddb_client, table) == {**KEY, "a": s("new"), "b": s("old")}


def test_remove_and_copy_of_the_same_attribute_reads_the_old_value(ddb_client, table):
    # Reading a path that is also modified is allowed; only two modifications overlap.
    put(ddb_client, table, a=s("x"))
    update(ddb_client, table, "REMOVE a SET b = a")
    assert stored(ddb_client, table) == {**KEY, "b": s("x")}


def test_if_not_exists_sets_a_missing_attribute(ddb_client, table):
    put(ddb_client, table)
    update(ddb_client, table, "SET c = if_not_exists(c, :v)", {":v": n(1)})
    assert stored(ddb_client, table)["c"] == n(1)


def test_if_not_exists_keeps_an_existing_attribute(ddb_client, table):
    put(ddb_client, table, c=n(7))
    update(ddb_client, table, "SET c = if_not_exists(c, :v)", {":v": n(1)})
    assert stored(ddb_client, table)["c"] == n(7)


def test_if_not_exists_plus_a_value_counts_from_a_new_item(ddb_client, table):
    for _ in range(2):
        update(
            ddb_client,
            table,
            "SET c = if_not_exists(c, :zero) + :one",
            {":zero": n(0), ":one": n(1)},
        )
    assert stored(ddb_client, table) == {**KEY, "c": n(2)}


def test_list_append_adds_to_the_end(ddb_client, table):
    put(ddb_client, table, l={"L": [s("a"), s("b")]})
    update(ddb_client, table, "SET l = list_append(l, :v)", {":v": {"L": [s("c")]}})
    assert stored(ddb_client, table)["l"] == {"L": [s("a"), s("b"), s("c")]}


def test_list_append_with_the_list_second_adds_to_the_front(ddb_client, table):
    # "You can append the new element to the start or the end of the list by reversing the
    # order of the operands" (API Reference, UpdateItem).
    put(ddb_client, table, l={"L": [s("a"), s("b")]})
    update(ddb_client, table, "SET l = list_append(:v, l)", {":v": {"L": [s("z")]}})
    assert stored(ddb_client, table)["l"] == {"L": [s("z"), s("a"), s("b")]}


def test_list_append_of_a_non_list_is_rejected(ddb_client, table):
    # "Incorrect operand type for operator or function; operator or function: list_append,
    # operand type: S" (Alternator, on AWS).
    put(ddb_client, table, l={"L": [s("a")]})
    error = rejected(ddb_client, table, "SET l = list_append(l, :v)", {":v": s("b")})
    assert_error(error, "ValidationException", "operand")
    assert stored(ddb_client, table)["l"] == {"L": [s("a")]}


def test_list_append_of_a_missing_attribute_is_rejected(ddb_client, table):
    put(ddb_client, table)
    error = rejected(ddb_client, table, "SET l = list_append(l, :v)", {":v": {"L": [s("a")]}})
    assert_error(error, "ValidationException", "does not exist")


def test_update_function_names_are_case_sensitive(ddb_client, table):
    # "The function name is case-sensitive" (Developer Guide, list_append).
    put(ddb_client, table, l={"L": [s("a")]})
    error = rejected(ddb_client, table, "SET l = LIST_APPEND(l, :v)", {":v": {"L": [s("b")]}})
    assert_error(error, "ValidationException")


def test_unknown_update_function_is_rejected(ddb_client, table):
    # "Invalid UpdateExpression: Invalid function name; function: f" (Alternator, on AWS).
    error = rejected(ddb_client, table, "SET a = f(:v)", {":v": n(1)})
    assert_error(error, "ValidationException", "function")


def test_set_adds_a_key_to_a_nested_map(ddb_client, table):
    put(ddb_client, table, m={"M": {"x": n(1)}})
    update(ddb_client, table, "SET m.y = :v", {":v": n(2)})
    assert stored(ddb_client, table)["m"] == {"M": {"x": n(1), "y": n(2)}}


def test_set_replaces_a_list_element(ddb_client, table):
    put(ddb_client, table, l={"L": [s("a"), s("b"), s("c")]})
    update(ddb_client, table, "SET l[1] = :v", {":v": s("B")})
    assert stored(ddb_client, table)["l"] == {"L": [s("a"), s("B"), s("c")]}


def test_set_of_an_element_beyond_the_end_appends_it(ddb_client, table):
    # "If the element does not already exist, SET will append the new element at the end
    # of the list" (Developer Guide, adding elements to a list).
    put(ddb_client, table, l={"L": [s("a"), s("b")]})
    update(ddb_client, table, "SET l[7] = :v", {":v": s("c")})
    assert stored(ddb_client, table)["l"] == {"L": [s("a"), s("b"), s("c")]}


def test_set_of_several_elements_beyond_the_end_appends_them_in_index_order(ddb_client, table):
    # "If you add multiple elements in a single SET operation, the elements are sorted in
    # order by element number" (Developer Guide).
    put(ddb_client, table, l={"L": [s("a")]})
    update(ddb_client, table, "SET l[9] = :x, l[5] = :y", {":x": s("x"), ":y": s("y")})
    assert stored(ddb_client, table)["l"] == {"L": [s("a"), s("y"), s("x")]}


def test_set_of_a_deep_path_with_list_index_and_placeholder(ddb_client, table):
    put(ddb_client, table, m={"M": {"c": {"L": [s("hi"), {"M": {"x": {"L": [n(3), n(5)]}}}]}}})
    update(ddb_client, table, "SET m.c[1].#x[1] = :v", {":v": n(9)}, {"#x": "x"})
    assert stored(ddb_client, table)["m"] == {
        "M": {"c": {"L": [s("hi"), {"M": {"x": {"L": [n(3), n(9)]}}}]}}
    }


@pytest.mark.parametrize(
    "expression",
    ["SET ghost.k = :v", "SET a.k = :v", "SET a[0] = :v", "SET ghost[0] = :v"],
    ids=["missing-map-parent", "string-parent", "index-into-string", "missing-list-parent"],
)
def test_set_under_a_missing_or_non_document_parent_is_rejected(ddb_client, table, expression):
    # "The document path provided in the update expression is invalid for update"
    # (Alternator, on AWS; also a commonly reported AWS error).
    put(ddb_client, table, a=s("x"))
    error = rejected(ddb_client, table, expression, {":v": n(1)})
    assert_error(error, "ValidationException", "document path")
    assert stored(ddb_client, table) == {**KEY, "a": s("x")}


def test_placeholder_holding_a_dot_names_a_top_level_attribute(ddb_client, table):
    # A "." inside an ExpressionAttributeNames value is part of the name, not a path.
    put(ddb_client, table)
    update(ddb_client, table, "SET #ab = :v", {":v": n(3)}, {"#ab": "a.b"})
    assert stored(ddb_client, table) == {**KEY, "a.b": n(3)}


def test_set_of_an_empty_set_is_rejected(ddb_client, table):
    # Sets cannot be empty (Developer Guide, data types).
    error = rejected(ddb_client, table, "SET ss = :v", {":v": {"SS": []}})
    assert_error(error, "ValidationException", "empty")
    assert stored(ddb_client, table) is None


def test_set_of_empty_list_map_and_string_is_stored(ddb_client, table):
    # Empty lists and maps, and empty non-key strings, are valid values.
    update(
        ddb_client,
        table,
        "SET l = :l, m = :m, t = :t",
        {":l": {"L": []}, ":m": {"M": {}}, ":t": s("")},
    )
    assert stored(ddb_client, table) == {**KEY, "l": {"L": []}, "m": {"M": {}}, "t": s("")}


def test_decimal_arithmetic(ddb_client, table):
    # Numbers are decimal, but no document states the result of 0.1 + 0.2.
    put(ddb_client, table, c=n("0.1"))
    observe(
        ddb_client.update_item,
        **update_args(table, "SET c = c + :d", {":d": n("0.2")}, ReturnValues="UPDATED_NEW"),
    )


# --- REMOVE -----------------------------------------------------------------------------


def test_remove_deletes_attributes_and_ignores_missing_ones(ddb_client, table):
    # "If the attributes do not exist, nothing happens" (Developer Guide, REMOVE).
    put(ddb_client, table, a=s("x"), b=s("y"), c=s("z"))
    update(ddb_client, table, "REMOVE a, c, ghost")
    assert stored(ddb_client, table) == {**KEY, "b": s("y")}


def test_remove_of_list_elements_shifts_the_rest(ddb_client, table):
    # The Developer Guide's example: REMOVE l[1], l[2] on five elements leaves three.
    items = [s(v) for v in ["Chisel", "Hammer", "Nails", "Screwdriver", "Hacksaw"]]
    put(ddb_client, table, l={"L": items})
    update(ddb_client, table, "REMOVE l[1], l[2]")
    assert stored(ddb_client, table)["l"] == {"L": [s("Chisel"), s("Screwdriver"), s("Hacksaw")]}


def test_remove_of_an_index_beyond_the_end_changes_nothing(ddb_client, table):
    put(ddb_client, table, l={"L": [n(4), n(5)]})
    update(ddb_client, table, "REMOVE l[17]")
    assert stored(ddb_client, table)["l"] == {"L": [n(4), n(5)]}


def test_list_indexes_in_one_update_refer_to_the_original_list(ddb_client, table):
    # REMOVE l[1] SET l[3] = :v: index 3 is the original position (Alternator, on AWS).
    put(ddb_client, table, l={"L": [n(v) for v in [2, 3, 4, 5, 6, 7]]})
    update(ddb_client, table, "REMOVE l[1] SET l[3] = :v", {":v": n(17)})
    assert stored(ddb_client, table)["l"] == {"L": [n(v) for v in [2, 4, 17, 6, 7]]}


def test_remove_of_a_nested_map_key(ddb_client, table):
    put(ddb_client, table, m={"M": {"x": n(1), "y": n(2)}})
    update(ddb_client, table, "REMOVE m.x")
    assert stored(ddb_client, table)["m"] == {"M": {"y": n(2)}}


def test_remove_of_the_last_map_key_leaves_an_empty_map(ddb_client, table):
    put(ddb_client, table, m={"M": {"x": n(1)}})
    update(ddb_client, table, "REMOVE m.x")
    assert stored(ddb_client, table)["m"] == {"M": {}}


def test_remove_only_update_of_a_missing_item_creates_nothing(ddb_client, table):
    # An update that only removes attributes of an item that does not exist does not
    # create it, and ALL_NEW returns no Attributes (ScyllaDB issue 5862, test run on AWS;
    # Alternator, on AWS). DynamoDB Local, dynalite and moto all create {pk}.
    response = update(ddb_client, table, "REMOVE a", ReturnValues="ALL_NEW")
    assert "Attributes" not in response
    assert stored(ddb_client, table) is None


# --- ADD --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "delta", "expected"),
    [("5", "3", "8"), ("5", "-7", "-2"), (None, "4", "4")],
    ids=["positive", "negative-subtracts", "missing-attribute-starts-at-zero"],
)
def test_add_to_a_number(ddb_client, table, start, delta, expected):
    # API Reference, UpdateItem (ADD): a missing attribute is taken as 0.
    put(ddb_client, table, **({"c": n(start)} if start else {}))
    update(ddb_client, table, "ADD c :d", {":d": n(delta)})
    assert stored(ddb_client, table)["c"] == n(expected)


def test_add_to_a_missing_item_creates_it(ddb_client, table):
    # "If you use ADD ... for an item that doesn't exist before the update, DynamoDB uses
    # 0 as the initial value" (API Reference, UpdateItem).
    update(ddb_client, table, "ADD c :d", {":d": n(3)})
    assert stored(ddb_client, table) == {**KEY, "c": n(3)}


def test_add_elements_to_a_string_set(ddb_client, table):
    put(ddb_client, table, ss={"SS": ["a", "b"]})
    update(ddb_client, table, "ADD ss :v", {":v": {"SS": ["b", "c"]}})
    assert stored(ddb_client, table)["ss"] == {"SS": ["a", "b", "c"]}


def test_add_creates_a_missing_set(ddb_client, table):
    put(ddb_client, table)
    update(ddb_client, table, "ADD ns :v", {":v": {"NS": ["2", "1"]}})
    assert stored(ddb_client, table)["ns"] == {"NS": ["1", "2"]}


@pytest.mark.parametrize(
    ("start", "value"),
    [
        ({"NS": ["1"]}, n(2)),
        ({"NS": ["1"]}, {"SS": ["2"]}),
        ({"L": [n(1)]}, {"L": [n(2)]}),
        ({"SS": ["a"]}, s("b")),
        (s("a"), n(1)),
    ],
    ids=[
        "number-to-set",
        "string-set-to-number-set",
        "list-to-list",
        "string-to-set",
        "number-to-string",
    ],
)
def test_add_of_the_wrong_type_is_rejected(ddb_client, table, start, value):
    # "The ADD action only supports Number and set data types"; both sets "must have the
    # same primitive data type" (API Reference, UpdateItem).
    put(ddb_client, table, a=start)
    error = rejected(ddb_client, table, "ADD a :v", {":v": value})
    assert_error(error, "ValidationException", "operand")
    assert stored(ddb_client, table)["a"] == canonical(start)


# --- DELETE -----------------------------------------------------------------------------


def test_delete_removes_elements_from_a_set(ddb_client, table):
    # API Reference, UpdateItem: [a,b,c] DELETE [a,c] leaves [b].
    put(ddb_client, table, ss={"SS": ["a", "b", "c"]})
    update(ddb_client, table, "DELETE ss :v", {":v": {"SS": ["a", "c"]}})
    assert stored(ddb_client, table)["ss"] == {"SS": ["b"]}


def test_delete_from_a_binary_set(ddb_client, table):
    put(ddb_client, table, bs={"BS": [b"\x01", b"\x02"]})
    update(ddb_client, table, "DELETE bs :v", {":v": {"BS": [b"\x02"]}})
    assert stored(ddb_client, table)["bs"] == {"BS": [b"\x01"]}


def test_delete_of_every_element_removes_the_attribute(ddb_client, table):
    # A set cannot be empty, so the attribute goes (Alternator, on AWS).
    put(ddb_client, table, ns={"NS": ["1", "2"]}, other=s("x"))
    update(ddb_client, table, "DELETE ns :v", {":v": {"NS": ["1", "2"]}})
    assert stored(ddb_client, table) == {**KEY, "other": s("x")}


def test_delete_of_absent_elements_changes_nothing(ddb_client, table):
    put(ddb_client, table, ss={"SS": ["a"]})
    update(ddb_client, table, "DELETE ss :v", {":v": {"SS": ["z"]}})
    assert stored(ddb_client, table)["ss"] == {"SS": ["a"]}


def test_delete_from_a_missing_attribute_changes_nothing(ddb_client, table):
    put(ddb_client, table, other=s("x"))
    update(ddb_client, table, "DELETE ss :v", {":v": {"SS": ["a"]}})
    assert stored(ddb_client, table) == {**KEY, "other": s("x")}


@pytest.mark.parametrize(
    ("start", "value"),
    [({"SS": ["a"]}, s("a")), (n(5), n(1)), ({"L": [s("a")]}, {"L": [s("a")]})],
    ids=["string-from-set", "number-from-number", "list-from-list"],
)
def test_delete_of_a_non_set_is_rejected(ddb_client, table, start, value):
    # "The DELETE action only supports set data types" (API Reference, UpdateItem).
    put(ddb_client, table, a=start)
    error = rejected(ddb_client, table, "DELETE a :v", {":v": value})
    assert_error(error, "ValidationException", "operand")
    assert stored(ddb_client, table)["a"] == start


def test_delete_of_an_empty_set_is_rejected(ddb_client, table):
    # "Specifying an empty set is an error" (API Reference, UpdateItem).
    put(ddb_client, table, ss={"SS": ["a"]})
    error = rejected(ddb_client, table, "DELETE ss :v", {":v": {"SS": []}})
    assert_error(error, "ValidationException", "empty")


def test_delete_of_a_set_of_another_type(ddb_client, table):
    # Documented for ADD only; what DELETE of a number set from a string set answers is not.
    put(ddb_client, table, ss={"SS": ["1"]})
    observe(ddb_client.update_item, **update_args(table, "DELETE ss :v", {":v": {"NS": ["1"]}}))


# --- Errors in the expression's structure -----------------------------------------------


@pytest.mark.parametrize(
    ("expression", "values", "names"),
    [
        ("SET a = :v REMOVE a", {":v": n(1)}, None),
        ("REMOVE a SET a = :v", {":v": n(1)}, None),
        ("SET a = :v, a = :w", {":v": n(1), ":w": n(2)}, None),
        ("SET #x = :v, #y = :w", {":v": n(1), ":w": n(2)}, {"#x": "a", "#y": "a"}),
        ("SET a = :v, a.b = :w", {":v": n(1), ":w": n(2)}, None),
        ("SET a[1] = :v, a[1][2] = :w", {":v": n(1), ":w": n(2)}, None),
        ("ADD ss :v DELETE ss :w", {":v": {"SS": ["x"]}, ":w": {"SS": ["y"]}}, None),
    ],
    ids=[
        "set-then-remove",
        "remove-then-set",
        "same-path-twice",
        "same-path-through-placeholders",
        "parent-and-child",
        "list-element-and-its-child",
        "add-and-delete",
    ],
)
def test_overlapping_paths_are_rejected(ddb_client, table, expression, values, names):
    # "Two document paths overlap with each other; must remove or rewrite one of these
    # paths" (AWS message quoted in public issues; Alternator, on AWS).
    put(ddb_client, table, a={"M": {"b": n(0)}}, ss={"SS": ["y"]})
    error = rejected(ddb_client, table, expression, values, names)
    assert_error(error, "ValidationException", "overlap")


def test_conflicting_paths_are_rejected(ddb_client, table):
    # a.b treats a as a map and a[1] as a list: "Two document paths conflict with each
    # other" (Alternator, on AWS).
    error = rejected(ddb_client, table, "SET a.b = :v, a[1] = :w", {":v": n(1), ":w": n(2)})
    assert_error(error, "ValidationException", "conflict")


def test_clause_used_twice_is_rejected(ddb_client, table):
    # "each action keyword can appear only once" (Developer Guide, update expressions).
    error = rejected(ddb_client, table, "SET a = :v SET b = :w", {":v": n(1), ":w": n(2)})
    assert_error(error, "ValidationException")


def test_clauses_may_come_in_any_order(ddb_client, table):
    put(ddb_client, table, a=s("x"), c=n(1))
    update(ddb_client, table, "ADD c :one REMOVE a SET b = :v", {":one": n(1), ":v": s("y")})
    assert stored(ddb_client, table) == {**KEY, "b": s("y"), "c": n(2)}


def test_empty_update_expression_is_rejected(ddb_client, table):
    # "The expression can not be empty" (Alternator, on AWS).
    error = rejected(ddb_client, table, "")
    assert_error(error, "ValidationException", "empty")


@pytest.mark.parametrize(
    "expression",
    ["HELLO a = :v", "SET :v = :v", "SET a = :v,", "SET a == :v"],
    ids=["unknown-clause", "value-on-the-left", "trailing-comma", "double-equals"],
)
def test_update_syntax_error_is_rejected(ddb_client, table, expression):
    error = rejected(ddb_client, table, expression, {":v": n(1)})
    assert_error(error, "ValidationException", "Invalid UpdateExpression", "Syntax error")


def test_undefined_attribute_name_in_update_is_rejected(ddb_client, table):
    # "An expression attribute name used in the document path is not defined; attribute
    # name: #missing" (AWS message quoted in public issues).
    error = rejected(ddb_client, table, "SET #missing = :v", {":v": n(1)})
    assert_error(error, "ValidationException", "#missing")


@pytest.mark.parametrize(
    ("expression", "values"),
    [
        ("REMOVE pk", None),
        ("SET sk = :v", {":v": n(2)}),
        ("ADD sk :v", {":v": n(1)}),
        ("DELETE pk :v", {":v": {"SS": ["k"]}}),
    ],
    ids=["remove-hash-key", "set-range-key", "add-range-key", "delete-hash-key"],
)
def test_update_of_a_key_attribute_is_rejected(ddb_client, make_table, expression, values):
    # "Cannot update attribute pk. This attribute is part of the key" (recorded AWS run).
    composite = make_table(keys={"pk": "S", "sk": "N"})
    key = {"pk": s("k"), "sk": n(1)}
    ddb_client.put_item(TableName=composite, Item={**key, "a": s("x")})
    kwargs = {"ExpressionAttributeValues": values} if values else {}
    error = error_of(
        ddb_client.update_item, TableName=composite, Key=key, UpdateExpression=expression, **kwargs
    )
    assert_error(error, "ValidationException", "key")
    assert stored(ddb_client, composite, key) == {**key, "a": s("x")}


# --- Upsert -----------------------------------------------------------------------------


def test_update_of_a_missing_item_creates_it(ddb_client, table):
    # "Edits an existing item's attributes, or adds a new item to the table if it does not
    # already exist" (API Reference, UpdateItem).
    update(ddb_client, table, "SET a = :v", {":v": s("x")})
    assert stored(ddb_client, table) == {**KEY, "a": s("x")}


def test_update_of_a_missing_item_with_a_composite_key_creates_it(ddb_client, make_table):
    composite = make_table(keys={"pk": "S", "sk": "B"})
    key = {"pk": s("k"), "sk": b(b"\x00\xff")}
    ddb_client.update_item(
        TableName=composite,
        Key=key,
        UpdateExpression="SET a = :v",
        ExpressionAttributeValues={":v": n(1)},
    )
    assert stored(ddb_client, composite, key) == {**key, "a": n(1)}


# --- ReturnValues -----------------------------------------------------------------------


@pytest.fixture
def item(ddb_client, table):
    """The starting item of the ReturnValues tests: pk, a="hi", b="dog", c=1."""
    put(ddb_client, table, a=s("hi"), b=s("dog"), c=n(1))
    return table


def returned(client, table, return_values, expression, values=None):
    response = update(client, table, expression, values, ReturnValues=return_values)
    return canonical(response.get("Attributes"))


def test_return_values_none_returns_nothing(ddb_client, item):
    response = update(ddb_client, item, "SET b = :v", {":v": s("cat")}, ReturnValues="NONE")
    assert "Attributes" not in response


def test_return_values_all_old_returns_the_whole_old_item(ddb_client, item):
    attributes = returned(ddb_client, item, "ALL_OLD", "SET b = :v", {":v": s("cat")})
    assert attributes == {**KEY, "a": s("hi"), "b": s("dog"), "c": n(1)}


def test_return_values_all_old_of_a_new_item_returns_nothing(ddb_client, table):
    assert returned(ddb_client, table, "ALL_OLD", "SET b = :v", {":v": s("cat")}) is None


def test_return_values_updated_old_returns_changed_attributes_as_they_were(ddb_client, item):
    # Only attributes that existed before are returned: d is new (Alternator, on AWS).
    attributes = returned(
        ddb_client, item, "UPDATED_OLD", "SET b = :v, d = :w", {":v": s("cat"), ":w": s("new")}
    )
    assert attributes == {"b": s("dog")}


def test_return_values_updated_old_includes_removed_attributes(ddb_client, item):
    assert returned(ddb_client, item, "UPDATED_OLD", "REMOVE a, ghost") == {"a": s("hi")}


def test_return_values_all_new_returns_the_whole_new_item(ddb_client, item):
    attributes = returned(ddb_client, item, "ALL_NEW", "SET b = :v REMOVE a", {":v": s("cat")})
    assert attributes == {**KEY, "b": s("cat"), "c": n(1)}


def test_return_values_updated_new_returns_changed_attributes_as_they_are(ddb_client, item):
    # New attributes are included; removed ones are not (Alternator, on AWS).
    attributes = returned(
        ddb_client,
        item,
        "UPDATED_NEW",
        "SET b = :v, d = :w REMOVE a ADD c :one",
        {":v": s("cat"), ":w": s("new"), ":one": n(1)},
    )
    assert attributes == {"b": s("cat"), "c": n(2), "d": s("new")}


def test_return_values_updated_new_of_a_new_item_omits_the_key(ddb_client, table):
    attributes = returned(ddb_client, table, "UPDATED_NEW", "SET a = :v", {":v": n(1)})
    assert attributes == {"a": n(1)}


def test_return_values_all_new_of_a_new_item_is_the_created_item(ddb_client, table):
    attributes = returned(ddb_client, table, "ALL_NEW", "ADD c :v", {":v": n(5)})
    assert attributes == {**KEY, "c": n(5)}


@pytest.mark.parametrize(
    ("return_values", "expected"),
    [
        ("UPDATED_OLD", {"m": {"M": {"x": s("old")}}}),
        ("UPDATED_NEW", {"m": {"M": {"x": s("new")}}}),
    ],
    ids=["updated-old", "updated-new"],
)
def test_return_values_of_a_nested_update_hold_only_the_nested_path(
    ddb_client, table, return_values, expected
):
    # Only the updated nested attribute, inside its parents, not its siblings (Alternator,
    # on AWS; dynoxide issue 36 and ExtendDB PR 105, both checked against AWS).
    put(ddb_client, table, m={"M": {"x": s("old"), "y": s("kept")}})
    attributes = returned(ddb_client, table, return_values, "SET m.x = :v", {":v": s("new")})
    assert attributes == expected


@pytest.mark.parametrize("return_values", ["none", "ALL", "UPDATED"])
def test_invalid_return_values_is_rejected(ddb_client, item, return_values):
    # Valid values: NONE | ALL_OLD | UPDATED_OLD | ALL_NEW | UPDATED_NEW (case-sensitive).
    error = rejected(ddb_client, item, "SET b = :v", {":v": s("cat")}, ReturnValues=return_values)
    assert_error(error, "ValidationException")
    assert stored(ddb_client, item)["b"] == s("dog")


# --- ReturnValuesOnConditionCheckFailure -----------------------------------------------


def conditional_failure(client, table, on_failure, key=None):
    args = update_args(
        table,
        "SET b = :v",
        {":v": s("cat"), ":expected": s("nobody")},
        ConditionExpression="b = :expected",
        ReturnValuesOnConditionCheckFailure=on_failure,
    )
    if key:
        args["Key"] = key
    with pytest.raises(client.exceptions.ConditionalCheckFailedException) as raised:
        client.update_item(**args)
    return raised.value.response


def test_failed_update_condition_returns_the_old_item_when_asked(ddb_client, item):
    # Recorded AWS run: the error carries the item as it was.
    response = conditional_failure(ddb_client, item, "ALL_OLD")
    assert canonical(response["Item"]) == {**KEY, "a": s("hi"), "b": s("dog"), "c": n(1)}
    assert stored(ddb_client, item)["b"] == s("dog")


def test_failed_update_condition_with_none_returns_no_item(ddb_client, item):
    response = conditional_failure(ddb_client, item, "NONE")
    assert "Item" not in response


def test_failed_update_condition_on_a_missing_item_returns_no_item(ddb_client, table):
    response = conditional_failure(ddb_client, table, "ALL_OLD")
    assert "Item" not in response
    assert stored(ddb_client, table) is None


def test_passed_update_condition_returns_nothing_for_on_failure(ddb_client, item):
    response = update(
        ddb_client,
        item,
        "SET b = :v",
        {":v": s("cat"), ":expected": s("dog")},
        ConditionExpression="b = :expected",
        ReturnValuesOnConditionCheckFailure="ALL_OLD",
    )
    assert "Attributes" not in response
    assert "Item" not in response
    assert stored(ddb_client, item)["b"] == s("cat")


@pytest.mark.parametrize("on_failure", ["ALL_NEW", "UPDATED_OLD", "all_old"])
def test_invalid_return_values_on_condition_check_failure_is_rejected(ddb_client, item, on_failure):
    # Valid values: ALL_OLD | NONE (API Reference, UpdateItem).
    error = rejected(
        ddb_client,
        item,
        "SET b = :v",
        {":v": s("cat"), ":expected": s("dog")},
        ConditionExpression="b = :expected",
        ReturnValuesOnConditionCheckFailure=on_failure,
    )
    assert_error(error, "ValidationException")
    assert stored(ddb_client, item)["b"] == s("dog")
