"""Read a run file one test record at a time, so its parsed whole never sits in memory.

A run file is mostly its ``tests`` list, and a report needs each record only long enough to
observe (normalize) it: :func:`stream_run` parses the records one by one from the file's
text with the standard library's decoder (:meth:`json.JSONDecoder.raw_decode`, so each value
is exactly what :func:`json.loads` makes of it), checks each against the run schema, and
hands it to the caller before it parses the next. At 16 times today's suite that is the
difference between a run file's text and several times that as dicts.

It reads only what it can check as it goes. Anything else (not UTF-8, not JSON, a key given
twice, a record or envelope the schema refuses, a test recorded twice) makes it return None
and the caller loads the file whole with :func:`ddbmatrix.runfile.load_run`, which refuses
it with the message naming the field at fault, or reads it as the same run.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema_rs

from ddbmatrix import runschema
from ddbmatrix.runfile import SCHEMA, SCHEMA_VERSION, Run

__all__ = ["stream_run"]

Record = dict[str, Any]
_WHITESPACE = re.compile(r"[ \t\n\r]*")  # what json.loads skips between tokens
_DECODER = json.JSONDecoder()


class _NotPlain(Exception):
    """The file is not one this reader checks as it goes: load it whole."""


@functools.cache
def _record_validator() -> jsonschema_rs.Draft202012Validator:
    schema = runschema.run_schema()
    return jsonschema_rs.Draft202012Validator(
        {"$schema": schema["$schema"], "$ref": "#/$defs/test", "$defs": schema["$defs"]}
    )


class _Reader:
    """The file's text and a position in it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def skip(self) -> str:
        """Skip whitespace; return the next character ('' at the end)."""
        match = _WHITESPACE.match(self.text, self.at)
        self.at = match.end() if match else self.at
        return self.text[self.at : self.at + 1]

    def expect(self, *chars: str) -> str:
        char = self.skip()
        if char == "" or char not in chars:
            raise _NotPlain
        self.at += 1
        return char

    def value(self) -> Any:
        self.skip()
        try:
            value, self.at = _DECODER.raw_decode(self.text, self.at)
        except ValueError:
            raise _NotPlain from None
        return value


def _check(record: Any, backend: str | None, seen: set[str]) -> Record:
    """The checks :func:`ddbmatrix.runfile.load_run` makes of one record."""
    if not _record_validator().is_valid(record):
        raise _NotPlain
    nodeid = record.get("nodeid")
    if nodeid is not None and nodeid.partition("[")[0] != record["id"].partition("[")[0]:
        raise _NotPlain
    if record.get("backend", backend) != backend or record["id"] in seen:
        raise _NotPlain
    seen.add(record["id"])
    checked: Record = record
    return checked


def _records(reader: _Reader, envelope: Record, each: Callable[[Record], None]) -> list[Record]:
    backend = envelope.get("backend")
    if not isinstance(backend, str):
        raise _NotPlain  # the records would be checked against a backend not yet read
    records: list[Record] = []
    seen: set[str] = set()
    reader.expect("[")
    if reader.skip() == "]":
        reader.at += 1
        return records
    while True:
        record = _check(reader.value(), backend, seen)
        each(record)
        records.append(record)
        if reader.expect(",", "]") == "]":
            return records


def _read(text: str, path: Path, each: Callable[[Record], None]) -> Run:
    reader = _Reader(text)
    envelope: Record = {}
    reader.expect("{")
    if reader.skip() != "}":
        while True:
            key = reader.value()
            if not isinstance(key, str) or key in envelope:
                raise _NotPlain
            reader.expect(":")
            envelope[key] = _records(reader, envelope, each) if key == "tests" else reader.value()
            if reader.expect(",", "}") == "}":
                break
    else:
        reader.at += 1
    if reader.skip() != "":
        raise _NotPlain  # something after the object
    if envelope.get("schema") != SCHEMA or envelope.get("schema_version") != SCHEMA_VERSION:
        raise _NotPlain
    if "tests" not in envelope or runschema.problem({**envelope, "tests": []}) is not None:
        raise _NotPlain
    return Run(path, envelope)


def stream_run(path: Path, each: Callable[[Record], None]) -> Run | None:
    """Read and check ``path`` record by record, calling ``each`` with every record.

    ``each`` sees a record once it is checked, before the next is parsed, and may change it
    (drop its calls); the run returned holds the records as ``each`` left them. None: the
    file is not one this reader checks as it goes (``each`` may have seen some of its
    records); load it whole.
    """
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    try:
        return _read(text, path, each)
    except _NotPlain:
        return None
