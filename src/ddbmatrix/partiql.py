"""Just enough of PartiQL to tell which table a DynamoDB statement changes.

The aws write guard (:mod:`ddbmatrix.aws_guard`) must know, for every ``ExecuteStatement``,
``BatchExecuteStatement`` and ``ExecuteTransaction``, whether a statement writes and to
which table. A regular expression cannot answer that: ``INSERT INTO"prod"`` needs no space,
a quoted identifier may hold ``""``, a string literal or a comment may hold anything that
looks like a statement. So statements are split into tokens first, the way a PartiQL lexer
does, and only then read.

Why not a library: the PartiQL reference implementation is Kotlin (partiql-lang-kotlin);
the Python packages on PyPI named partiql are either bindings that need a JVM or
unmaintained, and DynamoDB's dialect is a small subset (INSERT/UPDATE/DELETE/SELECT, and
EXISTS in transactions). Its lexical rules are what matter here, and they are few.

The reading is deliberately strict: anything this module does not understand exactly
(an unknown first word, a target that is not one identifier, an unexpected word after the
target, a second statement after ``;``, an unterminated quote or comment) raises
:class:`PartiQLError`, and the guard refuses the request. Refusing a statement DynamoDB
would have accepted costs a test; accepting one it reads differently could cost a table.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PartiQLError", "Statement", "Token", "parse", "tokenize"]

#: Whitespace as PartiQL's lexer knows it; any other character outside a token is an error.
_SPACE = " \t\r\n\f\v"
#: Unquoted identifiers and keywords: PartiQL's IDENTIFIER rule.
_WORD_START = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$"
_WORD = _WORD_START + "0123456789"
_DIGITS = "0123456789"
#: Operators and punctuation, longest first so that ``<=`` is one token, not two.
_PUNCTUATION = (
    "<<",
    ">>",
    "<=",
    ">=",
    "<>",
    "!=",
    "||",
    *"=<>+-*/%.,;:()[]{}?",
)
#: The words a write statement's target may be followed by (or nothing). Reserved words: none
#: can be a second table or an alias, so the target is the one table the statement names,
#: even where DynamoDB then rejects the statement (``UPDATE "t" WHERE ...``, ``VALUES``).
_AFTER_TARGET = frozenset({"VALUE", "VALUES", "SET", "REMOVE", "WHERE", "RETURNING"})


class PartiQLError(ValueError):
    """A statement this module cannot read with certainty."""


@dataclass(frozen=True)
class Token:
    """One lexical token: its kind, its value (quotes removed, escapes resolved), its offset."""

    #: ``word`` (keyword or unquoted identifier), ``quoted`` ("..."), ``string`` ('...'),
    #: ``ion`` (`...`), ``number`` or ``punct``.
    kind: str
    value: str
    offset: int

    def is_word(self, *words: str) -> bool:
        return self.kind == "word" and self.value.upper() in words

    @property
    def identifier(self) -> bool:
        return self.kind in ("word", "quoted")


def _quoted(text: str, start: int, quote: str) -> tuple[str, int]:
    """Read a token quoted by ``quote`` from ``start``; a doubled quote is one quote."""
    chars: list[str] = []
    i = start + 1
    while i < len(text):
        if text[i] == quote:
            if text.startswith(quote * 2, i):
                chars.append(quote)
                i += 2
                continue
            return "".join(chars), i + 1
        chars.append(text[i])
        i += 1
    raise PartiQLError(f"unterminated {quote} at offset {start}")


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens, dropping whitespace and comments (``--`` and ``/* */``)."""
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char in _SPACE:
            i += 1
        elif text.startswith("--", i):
            end = text.find("\n", i)
            i = len(text) if end == -1 else end + 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end == -1:
                raise PartiQLError(f"unterminated comment at offset {i}")
            i = end + 2
        elif char in "\"'`":
            kind = {'"': "quoted", "'": "string", "`": "ion"}[char]
            value, end = _quoted(text, i, char)
            tokens.append(Token(kind, value, i))
            i = end
        elif char in _WORD_START:
            end = i
            while end < len(text) and text[end] in _WORD:
                end += 1
            tokens.append(Token("word", text[i:end], i))
            i = end
        elif char in _DIGITS:
            end = i
            while end < len(text) and (text[end] in _DIGITS or text[end] in ".eE"):
                end += 1
            tokens.append(Token("number", text[i:end], i))
            i = end
        else:
            punct = next((p for p in _PUNCTUATION if text.startswith(p, i)), None)
            if punct is None:
                raise PartiQLError(f"unexpected character {char!r} at offset {i}")
            tokens.append(Token("punct", punct, i))
            i += len(punct)
    return tokens


@dataclass(frozen=True)
class Statement:
    """What a statement does: its verb, and the table it changes or checks (None for reads)."""

    verb: str
    table: str | None

    @property
    def reads_only(self) -> bool:
        return self.verb == "SELECT"


def _one_statement(tokens: list[Token]) -> list[Token]:
    """Drop one trailing ``;``; refuse a second statement."""
    if tokens and tokens[-1].kind == "punct" and tokens[-1].value == ";":
        tokens = tokens[:-1]
    for token in tokens:
        if token.kind == "punct" and token.value == ";":
            raise PartiQLError(f"more than one statement (';' at offset {token.offset})")
    return tokens


def _target(tokens: list[Token], at: int, verb: str) -> str:
    """Return the table named by the identifier at ``tokens[at]``, checking what follows."""
    if at >= len(tokens) or not tokens[at].identifier:
        raise PartiQLError(f"{verb}: no table name where one must be")
    if at + 1 < len(tokens) and not tokens[at + 1].is_word(*_AFTER_TARGET):
        expected = ", ".join(sorted(_AFTER_TARGET))
        raise PartiQLError(f"{verb}: the table name must be followed by one of {expected}")
    return tokens[at].value


def _exists_target(tokens: list[Token]) -> str:
    """Return the table of ``EXISTS(SELECT ... FROM table ...)`` (a transaction's check)."""
    if len(tokens) < 3 or tokens[1].value != "(" or not tokens[2].is_word("SELECT"):
        raise PartiQLError("EXISTS must be followed by (SELECT ...)")
    depth = 0
    for i, token in enumerate(tokens[1:], start=1):
        if token.kind == "punct" and token.value in "([{":
            depth += 1
        elif token.kind == "punct" and token.value in ")]}":
            depth -= 1
        elif depth == 1 and token.is_word("FROM"):
            if i + 1 < len(tokens) and tokens[i + 1].identifier:
                return tokens[i + 1].value
            break
    raise PartiQLError("EXISTS: no table after FROM")


def parse(text: str) -> Statement:
    """Return what the one DynamoDB PartiQL statement ``text`` does, or raise why unsure."""
    tokens = _one_statement(tokenize(text))
    if not tokens:
        raise PartiQLError("an empty statement")
    first = tokens[0]
    if first.is_word("SELECT"):
        return Statement("SELECT", None)
    if first.is_word("EXISTS"):
        return Statement("EXISTS", _exists_target(tokens))
    if first.is_word("INSERT", "DELETE"):
        verb = first.value.upper()
        keyword = "INTO" if verb == "INSERT" else "FROM"
        if len(tokens) < 2 or not tokens[1].is_word(keyword):
            raise PartiQLError(f"{verb} must be followed by {keyword}")
        return Statement(verb, _target(tokens, 2, verb))
    if first.is_word("UPDATE"):
        return Statement("UPDATE", _target(tokens, 1, "UPDATE"))
    raise PartiQLError(f"a statement that begins with {first.value!r}")
