"""Render the report data as JSON: the full data, stable byte for byte for the same runs.

The text is exactly ``json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False)``: keys
sorted, one value per line, nothing machine-dependent, so shard merges compare byte for
byte. The standard library lays out indented JSON in pure Python, one generator per level,
and that was the slowest part of a large report; this writes the same text with one
recursive function and the C string encoder, and joins each divergence on its own so the
pieces of the whole report never sit in memory at once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

__all__ = ["render_json"]

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
    elif isinstance(value, (list, tuple)):
        _write(list(value), indent, put)
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _text(value: Any, indent: str) -> str:
    out: list[str] = []
    _write(value, indent, out.append)
    return "".join(out)


def render_json(data: dict[str, Any]) -> str:
    # Each top-level value, and each item of a top-level list, is laid out and joined apart,
    # then all of them once: the text is never copied whole more than that one time.
    parts = ["{"]
    for number, key in enumerate(sorted(data)):
        value = data[key]
        parts.append(("\n " if number == 0 else ",\n ") + _encode_string(_key(key)) + ": ")
        if type(value) is list and value:
            parts.append("[\n  ")
            for position, item in enumerate(value):
                if position:
                    parts.append(",\n  ")
                parts.append(_text(item, "  "))
            parts.append("\n ]")
        else:
            parts.append(_text(value, " "))
    parts.append("\n}\n" if len(parts) > 1 else "}\n")
    return "".join(parts)
