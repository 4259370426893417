"""The PartiQL tokenizer the aws write guard reads statements with."""

from __future__ import annotations

import pytest

from ddbmatrix.partiql import PartiQLError, Statement, parse, tokenize


def kinds(text):
    return [(token.kind, token.value) for token in tokenize(text)]


def test_adjacent_tokens_need_no_space():
    assert kinds('INSERT INTO"prod"VALUE{') == [
        ("word", "INSERT"),
        ("word", "INTO"),
        ("quoted", "prod"),
        ("word", "VALUE"),
        ("punct", "{"),
    ]


def test_a_doubled_quote_is_one_quote_inside_identifiers_and_strings():
    assert kinds("\"a\"\"b\" 'it''s'") == [("quoted", 'a"b'), ("string", "it's")]


def test_comments_and_whitespace_are_dropped():
    text = "-- DELETE FROM x\n/* UPDATE y */\tSELECT\r\n1"
    assert kinds(text) == [("word", "SELECT"), ("number", "1")]


def test_quotes_hide_what_looks_like_a_statement():
    assert kinds("'; DELETE FROM \"x\"' `{a: 1}`") == [
        ("string", '; DELETE FROM "x"'),
        ("ion", "{a: 1}"),
    ]


def test_operators_are_read_longest_first():
    assert [v for _, v in kinds("a<=b<>c!=d<<e>>||?")] == [
        *"a",
        "<=",
        "b",
        "<>",
        "c",
        "!=",
        "d",
        "<<",
        "e",
        ">>",
        "||",
        "?",
    ]


@pytest.mark.parametrize(
    "text", ['SELECT "x', "SELECT 'x", "SELECT `x", "SELECT /* x", "SELECT #", "SELECT \u00a0x"]
)
def test_what_cannot_be_tokenized_is_an_error(text):
    with pytest.raises(PartiQLError):
        tokenize(text)


@pytest.mark.parametrize(
    ("text", "statement"),
    [
        ('SELECT * FROM "prod"', Statement("SELECT", None)),
        ('select * from "prod"."by_email" where a = ?', Statement("SELECT", None)),
        ("INSERT INTO \"t\" VALUE {'pk': 'a'}", Statement("INSERT", "t")),
        ('insert into"t"value{}', Statement("INSERT", "t")),
        ('UPDATE "t" SET a = 1 WHERE pk = ?', Statement("UPDATE", "t")),
        ('UPDATE"t"REMOVE a WHERE pk = ?', Statement("UPDATE", "t")),
        ('DELETE FROM "t" WHERE pk = ?;', Statement("DELETE", "t")),
        ("DELETE FROM t WHERE pk = ?", Statement("DELETE", "t")),
        ('/* c */ DELETE -- c\n FROM "t" WHERE pk = ?', Statement("DELETE", "t")),
        ('UPDATE "a""b" SET x = 1', Statement("UPDATE", 'a"b')),
        ('EXISTS(SELECT * FROM "t" WHERE pk = ?)', Statement("EXISTS", "t")),
        # Malformed, but naming one table only: DynamoDB rejects them, on that table.
        ("INSERT INTO \"t\" VALUES ('a', 1)", Statement("INSERT", "t")),
        ("UPDATE \"t\" WHERE pk = 'a'", Statement("UPDATE", "t")),
        ('DELETE FROM "t"', Statement("DELETE", "t")),
    ],
)
def test_statements_name_the_table_they_change(text, statement):
    assert parse(text) == statement


@pytest.mark.parametrize(
    "text",
    [
        "",
        "-- only a comment",
        'SELECT * FROM "a"; DELETE FROM "b" WHERE pk = 1',
        'UPSERT INTO "t" VALUE {}',
        'REPLACE INTO "t" VALUE {}',
        'INSERT "t" VALUE {}',
        'INSERT INTO "a" "b" VALUE {}',
        'INSERT INTO "a"."b" VALUE {}',
        "INSERT INTO 'a' VALUE {}",
        'UPDATE "a" , "b" SET x = 1',
        'DELETE FROM "a" AS x WHERE pk = 1',
        'DELETE "a" WHERE pk = 1',
        "DELETE FROM",
        "EXISTS SELECT",
        "EXISTS(SELECT * WHERE a = 1)",
    ],
)
def test_what_cannot_be_read_with_certainty_is_an_error(text):
    with pytest.raises(PartiQLError):
        parse(text)
