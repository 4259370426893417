"""Keep secrets out of everything a run records: run files, reports, JUnit files.

Two kinds of secret reach ddbmatrix through its inputs: a password or token in a URL
(``--ddb-endpoint mine=http://user:secret@host``, a presigned ``?X-Amz-Signature=``), and
the value of an option that names one (``--db-password=...``). :func:`redact_url` and
:func:`redact_text` hide the first wherever a URL is written; :func:`redact_argv` hides
both in a command line. What is hidden becomes :data:`MASK`; the rest of the URL (scheme,
host, port, path) stays, since it says which endpoint was meant.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

__all__ = ["MASK", "redact", "redact_argv", "redact_text", "redact_url"]

MASK = "***"

#: A URL inside any text: scheme, then up to the first character a URL cannot hold unquoted.
_URL = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s\"'<>`]+")
#: An option whose value is a secret: --*password*, --*secret*, --*token*, --*key*.
_SECRET_OPTION = re.compile(r"^--[\w-]*(?:password|passwd|secret|token|key)[\w-]*$", re.I)


def redact_url(url: str) -> str:
    """Return ``url`` with its userinfo and query string (and fragment) masked."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    cut = min((i for i in (rest.find("/"), rest.find("?"), rest.find("#")) if i >= 0), default=-1)
    authority, tail = (rest, "") if cut < 0 else (rest[:cut], rest[cut:])
    if "@" in authority:
        authority = f"{MASK}@{authority.rpartition('@')[2]}"
    path, qmark, query = tail.partition("?")
    path, hash_, fragment = path.partition("#")
    if qmark:
        query, hash_, fragment = query.partition("#")
        query = MASK
    return f"{scheme}://{authority}{path}{qmark}{query}{hash_}{MASK if fragment else ''}"


def redact_text(text: str) -> str:
    """Return ``text`` with every URL in it redacted (:func:`redact_url`)."""
    return _URL.sub(lambda match: redact_url(match.group(0)), text) if "://" in text else text


def redact_argv(argv: Sequence[str]) -> list[str]:
    """Return a copy of a command line with secret option values and URLs masked.

    ``--db-password=x`` and ``--db-password x`` both lose ``x``; a value that looks like
    another option is left alone (the option was a flag).
    """
    redacted: list[str] = []
    secret_next = False
    for arg in argv:
        if secret_next and not arg.startswith("-"):
            redacted.append(MASK)
            secret_next = False
            continue
        secret_next = False
        name, eq, _ = arg.partition("=")
        if _SECRET_OPTION.match(name):
            if eq:
                redacted.append(f"{name}={MASK}")
                continue
            secret_next = True
        redacted.append(redact_text(arg))
    return redacted


def redact(value: Any) -> Any:
    """Return ``value`` (JSON data) with every URL in every string redacted."""
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, list):
        return [redact(item) for item in value]
    if isinstance(value, dict):
        return {key: redact(item) for key, item in value.items()}
    return value
