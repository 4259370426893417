"""Remove what legitimately varies between runs and backends, and nothing else.

A pipeline of small transformers, each with one purpose and a one-line description that the
report prints as its legend. A transformer rewrites one of three things:

- ``text``: every string (values, map keys, error messages, failure messages);
- ``field``: the value of one map entry, chosen by its key (``CreationDateTime``);
- ``mapping``: a whole map, after its entries were transformed (key order).

Some transformers only make sense in pytest's failure messages (Python reprs of objects and
of boto3's ``ResponseMetadata``); they have ``messages_only`` set, so they never touch a
response, where the same pattern could be an item value, which is signal.
"""

from __future__ import annotations

import ast
import functools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "TRANSFORMERS",
    "Context",
    "Transformer",
    "error_free_body",
    "normalize",
    "normalize_calls",
    "normalize_message",
    "normalize_text",
]

Json = Any


@dataclass(frozen=True)
class Context:
    """What the transformers may know about one test on one backend."""

    #: generated table name -> label
    tables: Mapping[str, str] = field(default_factory=dict)
    #: the test's names on this backend -> the same names without the backend, longest first
    test_names: tuple[tuple[str, str], ...] = ()
    #: text -> its normalized value text, in this context: a test repeats its keys and values
    #: in every call, and running each of them through every transformer was most of a
    #: report's time. Not part of what the context is.
    seen: dict[str, str] = field(default_factory=dict, compare=False, hash=False, repr=False)
    #: (kind, generated value) -> its numbered placeholder, in order of first appearance
    generated: dict[tuple[str, str], str] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    def placeholder(self, kind: str, value: str) -> str:
        """Return ``<kind:N>`` for ``value``: the same N wherever the test meets it again."""
        if (kind, value) not in self.generated:
            count = sum(1 for known, _ in self.generated if known == kind)
            self.generated[(kind, value)] = f"<{kind}:{count + 1}>"
        return self.generated[(kind, value)]

    @classmethod
    def of(cls, record: Mapping[str, Any]) -> Context:
        """Return the context of one test record (its tables, its names on its backend)."""
        names: list[tuple[str, str]] = []
        nodeid, stable = record.get("nodeid"), record.get("id")
        if isinstance(nodeid, str) and isinstance(stable, str) and nodeid != stable:
            # request.node.nodeid and request.node.name, often used to make keys unique.
            names.append((nodeid, stable))
            name, stable_name = nodeid.rsplit("::", 1)[-1], stable.rsplit("::", 1)[-1]
            if name != stable_name:
                names.append((name, stable_name))
        return cls(tables=record.get("tables") or {}, test_names=tuple(names))


@dataclass(frozen=True)
class Transformer:
    name: str
    description: str
    text: Callable[[str, Context], str] | None = None
    field: Callable[[str, Json, Context], Json] | None = None
    mapping: Callable[[dict[str, Json], Context], dict[str, Json]] | None = None
    #: Rewrites a test's whole list of normalized calls.
    calls: Callable[[list[dict[str, Json]]], list[dict[str, Json]]] | None = None
    messages_only: bool = False
    #: The keys whose values ``field`` can change (None: any key). A response has hundreds
    #: of thousands of entries, and calling every field transformer on each of them, to
    #: hand back the value it was given, was most of a report's time.
    keys: Callable[[str], bool] | None = None
    #: ``text`` changes only a text that holds one of these (empty: any text); a cheap
    #: substring test that spares running the regular expressions on most texts.
    #: ``mapping`` changes only a map that holds one of these keys.
    needs: tuple[str, ...] = ()


_GENERATED_TABLE = re.compile(r"ddbm-[0-9a-f]{8}-[0-9a-f]{10}")
# pytest shortens long reprs in assertion messages to ``head...tail``.
_TRUNCATED_TABLE = re.compile(r"ddbm-([0-9a-f-]*)\.\.\.([0-9a-f]*)")
_ARN = re.compile(r"arn:aws[\w-]*:dynamodb:[\w-]*:[^:\s\"']*:")
_ENDPOINT = re.compile(r"https?://(?:127\.0\.0\.1|localhost|\[::1\]):\d+")
_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
# The tail of a UUID that pytest's ``head...tail`` shortening cut into.
_TRUNCATED_UUID = re.compile(r"\.\.\.[0-9a-f]{0,8}(?:-[0-9a-f]{0,4}){0,3}-[0-9a-f]{12}\b")
_GENERATED_IDS = {"TableId", "RequestId", "ClientRequestToken", "RevisionId"}
#: Opaque tokens: pagination, and the iterators of DynamoDB Streams.
_TOKENS = {"NextToken", "ShardIterator", "NextShardIterator"}
#: Values a stream generates per run; a test refers back to them (AT_SEQUENCE_NUMBER).
_STREAM_IDS = {
    "ShardId": "shard",
    "ParentShardId": "shard",
    "SequenceNumber": "seq",
    "StartingSequenceNumber": "seq",
    "EndingSequenceNumber": "seq",
    "eventID": "event",
}
_STREAM_LABELS = {"StreamLabel", "LatestStreamLabel"}
# A stream ARN ends in the stream's label, the time it was created; a backup ARN in an id
# made of the time and a random part.
_STREAM_ARN_LABEL = re.compile(r"(:table/[^/\s\"']+/stream/)[^\s\"',}\]]+")
_BACKUP_ARN_ID = re.compile(r"(:table/[^/\s\"']+/backup/)([^\s\"',}\]]+)")
_ERROR_BODY_KEYS = {"__type", "message", "Message"}
_METADATA_VALUES = re.compile(
    r"'(RequestId|x-amzn-requestid|x-amz-crc32|x-amz-id-2|date|Date)': '[^']*'"
)
_DATETIME_REPR = re.compile(r"datetime\.datetime\([^()]*(?:\([^()]*\))?[^()]*\)")
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+>")


def _table_label(name: str, ctx: Context) -> str:
    return f"<table:{ctx.tables.get(name, '?')}>"


def _test_names(text: str, ctx: Context) -> str:
    for name, stable in ctx.test_names:
        if name in text:
            text = text.replace(name, stable)
    return text


def _table_names(text: str, ctx: Context) -> str:
    if "ddbm-" not in text:
        return text

    def truncated(match: re.Match[str]) -> str:
        head, tail = f"ddbm-{match.group(1)}", match.group(2)
        names = [n for n in ctx.tables if n.startswith(head) and n.endswith(tail)]
        return _table_label(names[0], ctx) if len(names) == 1 else "<table:?>"

    text = _GENERATED_TABLE.sub(lambda m: _table_label(m.group(0), ctx), text)
    return _TRUNCATED_TABLE.sub(truncated, text)


def _canonical(value: Json) -> str:
    return json.dumps(value, sort_keys=True)


def _unordered(mapping: dict[str, Json], ctx: Context) -> dict[str, Json]:
    responses = mapping.get("Responses")
    # Only BatchGetItem's Responses is a map (table -> items); TransactGetItems' and
    # BatchExecuteStatement's are lists in request order, which is signal.
    if isinstance(responses, dict) and all(isinstance(v, list) for v in responses.values()):
        mapping["Responses"] = {t: sorted(v, key=_canonical) for t, v in responses.items()}
    capacity = mapping.get("ConsumedCapacity")
    if isinstance(capacity, list):
        mapping["ConsumedCapacity"] = sorted(capacity, key=_canonical)
    return mapping


def _timestamps(key: str, value: Json, ctx: Context) -> Json:
    if key.endswith("DateTime") and isinstance(value, (int, float, str)):
        return "<timestamp>"
    return value


#: The set types of DynamoDB's JSON: their lists hold a set, whose order means nothing.
_SET_TYPES = frozenset({"SS", "NS", "BS"})


def _set_order(key: str, value: Json, ctx: Context) -> Json:
    # A key "SS" whose value is a list is a set's type descriptor: an attribute named "SS"
    # would map to a typed value ({"S": ...}), never to a list.
    if key in _SET_TYPES and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return sorted(value)
    return value


def _generated_ids(key: str, value: Json, ctx: Context) -> Json:
    return "<id>" if key in _GENERATED_IDS and isinstance(value, str) else value


def _json_number(key: str, value: Json, ctx: Context) -> Json:
    # bool is an int subclass, but never a float: True stays True.
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _tokens(key: str, value: Json, ctx: Context) -> Json:
    return "<token>" if key in _TOKENS and isinstance(value, str) else value


def _stream_ids(key: str, value: Json, ctx: Context) -> Json:
    kind = _STREAM_IDS.get(key)
    return ctx.placeholder(kind, value) if kind is not None and isinstance(value, str) else value


def _closing(text: str, start: int) -> int | None:
    """Index of the brace closing the one at ``start`` (quotes respected), or None."""
    depth, quote, index = 0, "", start
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value, key=repr)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    return value


def _dict_order(text: str, ctx: Context) -> str:
    # A backend that returns an item's attributes in another order (dynoxide: a hash map)
    # makes pytest print the same dict with its keys in another order.
    if "{" not in text:
        return text
    out, index = [], 0
    while index < len(text):
        end = _closing(text, index) if text[index] == "{" else None
        if end is not None:
            try:
                value = ast.literal_eval(text[index : end + 1])
            except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                value = None
            if isinstance(value, dict):
                out.append(repr(_sorted(value)))
                index = end + 1
                continue
        out.append(text[index])
        index += 1
    return "".join(out)


def _table_map_order(text: str, ctx: Context) -> str:
    # Some backends print a request's per-table map in their messages (dynoxide:
    # "Value '{<table:a>=[...], <table:b>=[...]}'"), in hash-map order.
    start = text.find("{<table:")
    while start != -1:
        end = _closing(text, start)
        if end is None:
            break
        entries, depth, last = [], 0, start + 1
        for index in range(start + 1, end):
            char = text[index]
            if char in "[{(":
                depth += 1
            elif char in "]})":
                depth -= 1
            elif depth == 0 and text.startswith(", <table:", index):
                entries.append(text[last:index])
                last = index + 2
        entries.append(text[last:end])
        text = text[: start + 1] + ", ".join(sorted(entries)) + text[end:]
        start = text.find("{<table:", end)
    return text


def _key_order(mapping: dict[str, Json], ctx: Context) -> dict[str, Json]:
    # normalize builds a map in the order of its sorted keys, so it is sorted already
    # unless a key was rewritten: then, and only then, is it copied.
    keys = list(mapping)
    return mapping if keys == sorted(keys) else dict(sorted(mapping.items()))


def _collapse_polls(calls: list[dict[str, Json]]) -> list[dict[str, Json]]:
    collapsed: list[dict[str, Json]] = []
    for call in calls:
        previous = collapsed[-1] if collapsed else None
        if (
            previous is not None
            and call["operation"] == previous["operation"] == "DescribeTable"
            and call["request"] == previous["request"]
        ):
            collapsed[-1] = call
        else:
            collapsed.append(call)
    return collapsed


TRANSFORMERS: tuple[Transformer, ...] = (
    Transformer(
        "test-names",
        "the test's own name on a backend (`test_x[moto]`, as `request.node.name` or "
        "`nodeid` puts it into keys and values) becomes its name without the backend "
        "(`test_x`)",
        text=_test_names,
    ),
    Transformer(
        "table-names",
        "generated table names become `<table:LABEL>` wherever they appear (values, keys, "
        "messages, ARNs, pytest's shortened `ddbm-1234...cdef` forms)",
        text=_table_names,
    ),
    Transformer(
        "arn-account-region",
        "the region and account of ARNs become `arn:aws:dynamodb:<region>:<account>:`",
        text=lambda text, ctx: _ARN.sub("arn:aws:dynamodb:<region>:<account>:", text),
        needs=("arn:aws",),
    ),
    Transformer(
        "endpoints",
        "local endpoint URLs (their ports change every run) become `<endpoint>`",
        text=lambda text, ctx: _ENDPOINT.sub("<endpoint>", text),
        needs=("://",),
    ),
    Transformer(
        "request-ids",
        "UUIDs inside strings (request ids, table ids) become `<uuid>`",
        text=lambda text, ctx: _UUID.sub("<uuid>", _TRUNCATED_UUID.sub("...<uuid>", text)),
        needs=("-",),  # both patterns end in "-" and twelve hex digits
    ),
    Transformer(
        "generated-ids",
        "`TableId`, `RequestId`, `ClientRequestToken` and `RevisionId` values become `<id>`",
        field=_generated_ids,
        keys=_GENERATED_IDS.__contains__,
    ),
    Transformer(
        "pagination-tokens",
        "`NextToken`, `ShardIterator` and `NextShardIterator` values become `<token>`: opaque, "
        "and some backends put the time in them",
        field=_tokens,
        keys=_TOKENS.__contains__,
    ),
    Transformer(
        "stream-labels",
        "a stream's label (`StreamLabel`, `LatestStreamLabel`, the end of a stream ARN), the "
        "time the stream was created, becomes `<stream-label>`",
        text=lambda text, ctx: _STREAM_ARN_LABEL.sub(r"\1<stream-label>", text),
        field=lambda key, value, ctx: (
            "<stream-label>" if key in _STREAM_LABELS and isinstance(value, str) else value
        ),
        # The text rewrites the end of stream ARNs, the field the labels' own values.
        keys=_STREAM_LABELS.__contains__,
        needs=("/stream/",),
    ),
    Transformer(
        "backup-ids",
        "the id that ends a backup ARN (its creation time and a random part) becomes "
        "`<backup:N>`, numbered in the order the test first meets it",
        text=lambda text, ctx: _BACKUP_ARN_ID.sub(
            lambda m: m.group(1) + ctx.placeholder("backup", m.group(2)), text
        ),
        needs=("/backup/",),
    ),
    Transformer(
        "stream-ids",
        "shard ids, sequence numbers and stream record `eventID`s, generated per run, become "
        "`<shard:N>`, `<seq:N>`, `<event:N>`, numbered in the order the test first meets them "
        "(so a request that names one of them still matches its answer)",
        field=_stream_ids,
        keys=_STREAM_IDS.__contains__,
    ),
    Transformer(
        "timestamps",
        "values of fields named `*DateTime` become `<timestamp>`",
        field=_timestamps,
        keys=lambda key: key.endswith("DateTime"),
    ),
    Transformer(
        "response-metadata",
        "in failure messages, request ids, dates and checksums of boto3's `ResponseMetadata` "
        "and `datetime(...)` values become `<id>` / `<timestamp>`",
        text=lambda text, ctx: _DATETIME_REPR.sub(
            "<timestamp>", _METADATA_VALUES.sub(r"'\1': '<id>'", text)
        ),
        messages_only=True,
        needs=("': '", "datetime.datetime("),
    ),
    Transformer(
        "table-map-order",
        "per-table maps a backend prints in a message (`{<table:a>=[...], <table:b>=[...]}`) "
        "have their entries sorted: they come in hash-map order",
        text=_table_map_order,
    ),
    Transformer(
        "dict-key-order",
        "in failure messages, the keys of Python dicts pytest printed are sorted: an item's "
        "attributes come back in no fixed order",
        text=_dict_order,
        messages_only=True,
    ),
    Transformer(
        "object-addresses",
        "in failure messages, memory addresses of Python objects (`at 0x7f...`) are dropped",
        text=lambda text, ctx: _ADDRESS.sub(">", text),
        messages_only=True,
        needs=(" at 0x",),
    ),
    Transformer(
        "set-order",
        "the elements of `SS`, `NS` and `BS` sets are sorted: a set has no order (see the "
        "set-order rule)",
        field=_set_order,
        keys=_SET_TYPES.__contains__,
    ),
    Transformer(
        "unordered-results",
        "the items of BatchGetItem's `Responses` and the entries of batch `ConsumedCapacity` "
        "lists are sorted: DynamoDB returns them in no particular order (the batch-get-order "
        "rule; Query order is kept and compared, Scan order is kept and shown)",
        mapping=_unordered,
        needs=("Responses", "ConsumedCapacity"),
    ),
    Transformer(
        "json-numbers",
        "JSON numbers written `1.0` and `1` (e.g. `CapacityUnits`) are the same number "
        "(item values are strings in DynamoDB's JSON and never touched)",
        field=_json_number,
    ),
    Transformer(
        "polling",
        "consecutive DescribeTable calls for one table (a test waiting for a status) count "
        "as the last of them: how many polls a wait takes is timing, not behaviour",
        calls=_collapse_polls,
    ),
    Transformer(
        "map-key-order",
        "map keys are sorted: JSON objects are unordered, so key order is never a difference",
        mapping=_key_order,
    ),
)
_VALUE_TRANSFORMERS = tuple(t for t in TRANSFORMERS if not t.messages_only)
_EMPTY_CONTEXT = Context()


def _transformed(text: str, ctx: Context, transformers: tuple[Transformer, ...]) -> str:
    for transformer in transformers:
        if transformer.text is not None and (
            not transformer.needs or any(needed in text for needed in transformer.needs)
        ):
            text = transformer.text(text, ctx)
    return text


@functools.lru_cache(maxsize=1 << 16)
def _context_free(text: str) -> str:
    """A value text that no context changes, normalized (a suite's runs share most of them)."""
    return _transformed(text, _EMPTY_CONTEXT, _VALUE_TRANSFORMERS)


def normalize_text(
    text: str, ctx: Context, transformers: tuple[Transformer, ...] = _VALUE_TRANSFORMERS
) -> str:
    if transformers is not _VALUE_TRANSFORMERS:
        return _transformed(text, ctx, transformers)
    if text in ctx.seen:
        return ctx.seen[text]
    # Only test-names, table-names and backup-ids (numbered per test) read the context; on a
    # text holding none of the test's names, no generated table name and no backup ARN they
    # change nothing, in this context or in none.
    free = "ddbm-" not in text and "/backup/" not in text
    if free:
        for name, _ in ctx.test_names:  # a loop, not any(): this runs for every new text
            if name in text:
                free = False
                break
    normalized = _context_free(text) if free else _transformed(text, ctx, transformers)
    ctx.seen[text] = normalized
    return normalized


def normalize_message(text: str, ctx: Context) -> str:
    """Normalize a pytest failure or skip message (every text transformer applies)."""
    return normalize_text(text, ctx, TRANSFORMERS)


class _Plan:
    """A tuple of transformers, laid out for :func:`normalize`: which of them touch what."""

    #: Keys met: a response repeats the same few hundred of them; the bound keeps a run with
    #: generated keys from growing it without end.
    KEYS_KEPT = 1 << 14

    def __init__(self, transformers: tuple[Transformer, ...]) -> None:
        self.transformers = transformers
        self.fields = tuple(t for t in transformers if t.field is not None)
        self.mappings = tuple(
            (t.mapping, frozenset(t.needs)) for t in transformers if t.mapping is not None
        )
        #: Only the value transformers' results are kept in Context.seen.
        self.memo = transformers is _VALUE_TRANSFORMERS
        self.by_key: dict[str, tuple[Callable[[str, Json, Context], Json], ...]] = {}

    def fields_for(self, key: str) -> tuple[Callable[[str, Json, Context], Json], ...]:
        """The field transformers that can change the value of ``key``, in order."""
        found = self.by_key.get(key)
        if found is None:
            if len(self.by_key) >= self.KEYS_KEPT:
                self.by_key.clear()
            found = tuple(
                t.field  # type: ignore[misc]  # fields holds only transformers with one
                for t in self.fields
                if t.keys is None or t.keys(key)
            )
            self.by_key[key] = found
        return found


_VALUE_PLAN = _Plan(_VALUE_TRANSFORMERS)
#: Context.seen for transformers whose results it does not keep: never holds anything.
_NOTHING_SEEN: Mapping[str, str] = {}


def normalize(
    value: Json, ctx: Context, transformers: tuple[Transformer, ...] = _VALUE_TRANSFORMERS
) -> Json:
    """Return ``value`` (a request, response or error) with every transformer applied."""
    plan = _VALUE_PLAN if transformers is _VALUE_TRANSFORMERS else _Plan(transformers)
    return _normalized(value, ctx, plan)


def _normalized(value: Json, ctx: Context, plan: _Plan) -> Json:
    if isinstance(value, str):
        return normalize_text(value, ctx, plan.transformers)
    if isinstance(value, list):
        return [_normalized(item, ctx, plan) for item in value]
    if isinstance(value, dict):
        return _normalized_map(value, ctx, plan)
    return value


def _normalized_map(value: dict[str, Json], ctx: Context, plan: _Plan) -> dict[str, Json]:
    # The texts of a map's keys and values are looked up in Context.seen here, not through
    # normalize_text: most are there, and a call per text was a large part of the time.
    seen = ctx.seen if plan.memo else _NOTHING_SEEN
    transformers, by_key = plan.transformers, plan.by_key
    result = {}
    # Sorted, so that numbered placeholders (Context.placeholder) do not depend on the
    # order in which a backend wrote its JSON keys.
    # (Most maps are a typed value, {"S": ...}, with nothing to sort.)
    for key, item in sorted(value.items()) if len(value) > 1 else value.items():
        for field_of in by_key.get(key) or plan.fields_for(key):
            item = field_of(key, item, ctx)
        if isinstance(item, str):
            text = seen.get(item)
            item = normalize_text(item, ctx, transformers) if text is None else text
        elif isinstance(item, (list, dict)):
            item = _normalized(item, ctx, plan)
        name = seen.get(key)
        result[normalize_text(key, ctx, transformers) if name is None else name] = item
    for mapping, needs in plan.mappings:
        if not needs or not needs.isdisjoint(result):
            result = mapping(result, ctx)
    return result


def normalize_calls(calls: list[dict[str, Json]]) -> list[dict[str, Json]]:
    """Apply the transformers that work on a test's sequence of (normalized) calls."""
    for transformer in TRANSFORMERS:
        if transformer.calls is not None:
            calls = transformer.calls(calls)
    return calls


def error_free_body(body: Json) -> Json:
    """Drop the error type and message from an error response body (kept in ``error``)."""
    if isinstance(body, dict):
        return {key: value for key, value in body.items() if key not in _ERROR_BODY_KEYS}
    return body
