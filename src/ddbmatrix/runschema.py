"""The run file's JSON Schema (``schemas/run.schema.json``) and one-line messages for what fails it.

Validation uses :mod:`jsonschema` rather than hand-written checks, so every field the schema
describes is checked, and a malformed file is refused with the field at fault named:
``tests[3] (tests/t.py::a).calls[0].status: must be integer or null, not string``.
A file is first checked whole by :mod:`jsonschema_rs` (the same schema, compiled: some fifty
times faster, which a run of thousands of tests needs); only a file it refuses goes through
:mod:`jsonschema`, whose errors name the field at fault.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from importlib.resources import files
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

__all__ = ["BACKEND_NAME", "problem", "run_schema", "valid_backend_name"]

#: What a backend name may be: it becomes a file name, so it can never hold a path.
BACKEND_NAME = "[a-z0-9][a-z0-9-]*"
_JSON_TYPES = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
    type(None): "null",
}
_SHOWN = 60


@functools.cache
def run_schema() -> dict[str, Any]:
    text = files("ddbmatrix").joinpath("schemas").joinpath("run.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@functools.cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(run_schema())


@functools.cache
def _compiled() -> jsonschema_rs.Draft202012Validator:
    return jsonschema_rs.Draft202012Validator(run_schema())


def valid_backend_name(name: object) -> bool:
    return isinstance(name, str) and _validator().is_valid(
        {"schema": "ddbmatrix-run", "schema_version": 2, "backend": name, "tests": []}
    )


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _where(data: Any, path: Sequence[str | int]) -> str:
    """Say where ``path`` is, naming the test record by its id: ``tests[3] (t.py::a).calls[0]``."""
    where, node = "", data
    for step in path:
        if isinstance(step, int):
            where += f"[{step}]"
        else:
            where += f".{step}" if where else step
        if isinstance(node, dict) and isinstance(step, str):
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
        else:
            node = None
        first_level = where.startswith("tests[") and where.count("[") == 1
        if first_level and isinstance(node, dict) and isinstance(node.get("id"), str):
            where += f" ({node['id']})"
    return where or "the file"


def _explain(error: ValidationError) -> str:
    instance: Any = error.instance
    rule: Any = error.validator
    expected: Any = error.validator_value
    if rule == "type":
        types = [expected] if isinstance(expected, str) else list(expected)
        actual = _JSON_TYPES.get(type(instance), type(instance).__name__)
        return f"must be {' or '.join(types)}, not {actual} {_shown(instance)}"
    if rule == "required":
        missing = [key for key in expected if key not in instance]
        return f"has no {missing[0]!r}" if missing else error.message
    if rule == "enum":
        return f"must be one of {', '.join(map(str, expected))}, not {_shown(instance)}"
    if rule == "const":
        return f"must be {_shown(expected)}, not {_shown(instance)}"
    if rule == "not" and isinstance(expected, dict) and "enum" in expected:
        return f"must not be {_shown(instance)}: {', '.join(expected['enum'])} are reserved"
    if rule == "pattern" and expected == f"^{BACKEND_NAME}$":
        return f"must be a backend name ({BACKEND_NAME}), not {_shown(instance)}"
    message = str(error.message)
    return message if len(message) <= 200 else message[:199] + "…"


def _nodeid_problem(data: dict[str, Any]) -> str | None:
    """What the schema cannot say: a record's nodeid is its id on a backend (``id[moto]``).

    The report replaces a test's names on its backend by its id (the test's own name in its
    keys is not a divergence): a nodeid of another test would rewrite what it should not.
    """
    for index, record in enumerate(data["tests"]):
        nodeid = record.get("nodeid")
        if nodeid is not None and nodeid.partition("[")[0] != record["id"].partition("[")[0]:
            return (
                f"{_where(data, ['tests', index])}.nodeid: {_shown(nodeid)} is not this test "
                "on a backend (its id, with the backend in brackets)"
            )
    return None


def problem(data: Any) -> str | None:
    """Return what is wrong with a parsed run file, in one line, or None."""
    if _compiled().is_valid(data):
        return _nodeid_problem(data)
    error = best_match(_validator().iter_errors(data))
    if error is None:
        return _nodeid_problem(data)
    path = list(error.absolute_path)
    if error.validator == "required":
        return f"{_where(data, path)} {_explain(error)}"
    return f"{_where(data, path)}: {_explain(error)}"
