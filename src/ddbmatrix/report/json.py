"""Render the report data as JSON: the full data, stable byte for byte for the same runs.

The text is exactly ``json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False)``: keys
sorted, one value per line, nothing machine-dependent, so shard merges compare byte for
byte. The standard library lays out indented JSON in pure Python, one generator per level,
and that was the slowest part of a large report; this writes the same text with one
recursive function and the C string encoder, and lays out each divergence on its own, as
the file is written (:func:`json_chunks`), so the text of the whole report (hundreds of MB
at 16 times today's suite) never sits in memory at once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any

__all__ = ["json_chunks", "render_json"]

_encode_string = json.encoder.encode_basestring  # C-accelerated where available
_encode_float = float.__repr__
#: What json.dumps writes for the floats that have no JSON literal (allow_nan is its default).
_NON_FINITE = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}


def _float(value: float) -> str:
    text = _encode_float(value)
    return _NON_FINITE.get(text, text)


def _key(key: Any) -> str:
    """A map key as json.dumps writes it (it turns scalar keys into strings)."""
    if isinstance(key, str):
        return key
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, float):
        return _float(key)
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _write(value: Any, indent: str, put: Callable[[str], None]) -> None:
    """Put the text of ``value``, whose first line is already indented."""
    kind = type(value)
    if kind is str:
        put(_encode_string(value))
    elif kind is dict:
        if not value:
            put("{}")
            return
        inner = indent + " "
        separator = "{\n" + inner
        keys = sorted(value)
        for key in keys:
            put(separator)
            put(_encode_string(key if type(key) is str else _key(key)))
            put(": ")
            _write(value[key], inner, put)
            separator = ",\n" + inner
        put("\n" + indent + "}")
    elif kind is list or kind is tuple:
        if not value:
            put("[]")
            return
        inner = indent + " "
        separator = "[\n" + inner
        for item in value:
            put(separator)
            _write(item, inner, put)
            separator = ",\n" + inner
        put("\n" + indent + "]")
    elif value is None:
        put("null")
    elif value is True:
        put("true")
    elif value is False:
        put("false")
    elif isinstance(value, int):
        put(int.__repr__(value))
    elif isinstance(value, float):
        put(_float(value))
    elif isinstance(value, str):
        put(_encode_string(value))
    elif isinstance(value, dict):
        _write(dict(value), indent, put)
    elif isinstance(value, Sequence):  # str is written above; a group's calls, deflated
        _write(list(value), indent, put)
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _text(value: Any, indent: str) -> str:
    out: list[str] = []
    _write(value, indent, out.append)
    return "".join(out)


def json_chunks(data: dict[str, Any]) -> Iterator[str]:
    """Yield the text of :func:`render_json` in pieces: a large report is never one string.

    Each top-level value, and each item of a top-level list (a divergence), is one piece,
    laid out when it is asked for, so the file can be written as the pieces come.
    """
    yield "{"
    for number, key in enumerate(sorted(data)):
        value = data[key]
        yield ("\n " if number == 0 else ",\n ") + _encode_string(_key(key)) + ": "
        if type(value) is list and value:
            yield "[\n  "
            for position, item in enumerate(value):
                if position:
                    yield ",\n  "
                yield _text(item, "  ")
            yield "\n ]"
        else:
            yield _text(value, " ")
    yield "\n}\n" if data else "}\n"


def render_json(data: dict[str, Any]) -> str:
    return "".join(json_chunks(data))
