"""Remove what legitimately varies between runs and backends, and nothing else.

A pipeline of small transformers, each with one purpose and a one-line description that the
report prints as its legend. Each takes a JSON value and a :class:`Context` (what is known
about the test, such as the tables it generated) and returns the cleaned value. Map key order
needs no transformer: values are compared as dicts and rendered with sorted keys.
"""

from __future__ import annotations

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
    "normalize_text",
]

Json = Any


@dataclass(frozen=True)
class Context:
    """What the transformers may know about one test on one backend."""

    #: generated table name -> label
    tables: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Transformer:
    name: str
    description: str
    #: Rewrites one string (applied to every string: values, messages, keys).
    text: Callable[[str, Context], str] | None = None
    #: Rewrites one dict value by key; returns the value unchanged if it does not apply.
    field: Callable[[str, Json, Context], Json] | None = None


_GENERATED_TABLE = re.compile(r"ddbm-[0-9a-f]{8}-[0-9a-f]{10}")
_ARN = re.compile(r"arn:aws[\w-]*:dynamodb:[\w-]*:[^:\s\"]*:")
_ENDPOINT = re.compile(r"https?://(?:127\.0\.0\.1|localhost|\[::1\]):\d+")
_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
_GENERATED_IDS = {"TableId", "RequestId", "ClientRequestToken"}
_ERROR_BODY_KEYS = {"__type", "message", "Message"}


def _table_names(text: str, ctx: Context) -> str:
    return _GENERATED_TABLE.sub(lambda m: f"<table:{ctx.tables.get(m.group(0), '?')}>", text)


def _timestamps(key: str, value: Json, ctx: Context) -> Json:
    if key.endswith("DateTime") and isinstance(value, (int, float, str)):
        return "<timestamp>"
    return value


def _generated_ids(key: str, value: Json, ctx: Context) -> Json:
    return "<id>" if key in _GENERATED_IDS and isinstance(value, str) else value


TRANSFORMERS: tuple[Transformer, ...] = (
    Transformer(
        "table-names",
        "generated table names become `<table:LABEL>`, wherever they appear (messages, ARNs)",
        text=_table_names,
    ),
    Transformer(
        "arn-account-region",
        "the region and account of ARNs become `arn:aws:dynamodb:<region>:<account>:`",
        text=lambda text, ctx: _ARN.sub("arn:aws:dynamodb:<region>:<account>:", text),
    ),
    Transformer(
        "endpoints",
        "local endpoint URLs (their ports change every run) become `<endpoint>`",
        text=lambda text, ctx: _ENDPOINT.sub("<endpoint>", text),
    ),
    Transformer(
        "uuids",
        "UUIDs inside strings (request ids, table ids) become `<uuid>`",
        text=lambda text, ctx: _UUID.sub("<uuid>", text),
    ),
    Transformer(
        "timestamps",
        "values of fields named `*DateTime` become `<timestamp>`",
        field=_timestamps,
    ),
    Transformer(
        "generated-ids",
        "`TableId`, `RequestId` and `ClientRequestToken` values become `<id>`",
        field=_generated_ids,
    ),
)


def normalize_text(
    text: str, ctx: Context, transformers: tuple[Transformer, ...] = TRANSFORMERS
) -> str:
    for transformer in transformers:
        if transformer.text is not None:
            text = transformer.text(text, ctx)
    return text


def normalize(
    value: Json, ctx: Context, transformers: tuple[Transformer, ...] = TRANSFORMERS
) -> Json:
    """Return ``value`` with every transformer applied, recursively."""
    if isinstance(value, str):
        return normalize_text(value, ctx, transformers)
    if isinstance(value, list):
        return [normalize(item, ctx, transformers) for item in value]
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            for transformer in transformers:
                if transformer.field is not None:
                    item = transformer.field(key, item, ctx)
            result[normalize_text(key, ctx, transformers)] = normalize(item, ctx, transformers)
        return result
    return value


def error_free_body(body: Json) -> Json:
    """Drop the error type and message from an error response body (kept in ``error``)."""
    if isinstance(body, dict):
        return {key: value for key, value in body.items() if key not in _ERROR_BODY_KEYS}
    return body
