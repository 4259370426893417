"""Fingerprints: what makes two differences, in two tests, the same root cause.

Modelled on Sentry's grouping (STYLE.md, 6b): a fingerprint is the operation, the kind of
difference, its *locus* and the backends on each side. The locus is the field paths for
content, shape and order differences (list positions as ``[]``, table names as
``<table>``), and the error code plus the message with its values masked for errors
(``Value '<v>' at '<v>' failed to satisfy constraint: Member must have length less than or
equal to <n>``). So "moto adds ``WarmThroughput`` to every CreateTable answer" is one
fingerprint, however many tests show it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ddbmatrix.classify import NO_ANSWER_CODES, UNSUPPORTED_CODES
from ddbmatrix.differences import CallDifference

__all__ = ["Fingerprint", "Site", "mask", "sites"]

Json = Any
_MASK_LIMIT = 160
_MASKS = (
    (re.compile(r"<table:[^>]*>"), "<table>"),
    (re.compile(r"'[^']*'"), "'<v>'"),
    (re.compile(r'"[^"]*"'), '"<v>"'),
    (re.compile(r"\[[^\[\]]*\]"), "[<v>]"),
    (re.compile(r"\{[^{}]*\}"), "{<v>}"),
    (re.compile(r"(?<![\w<])-?\d+(?:\.\d+)?(?![\w>])"), "<n>"),
    (re.compile(r"\s+"), " "),
)


def mask(text: str | None) -> str:
    """Replace the values in a message by placeholders, keeping its wording."""
    text = text or ""
    for pattern, placeholder in _MASKS:
        text = pattern.sub(placeholder, text)
    text = text.strip()
    return text if len(text) <= _MASK_LIMIT else text[: _MASK_LIMIT - 1] + "…"


def _path(path: str) -> str:
    return re.sub(r"<table:[^>]*>", "<table>", path) or "(body)"


@dataclass(frozen=True, order=True)
class Site:
    """Where and how one difference shows, without the backends: (operation, kind, locus).

    ``who`` says which side the locus describes: "odd" (the group that differs) or "base"
    (the side it is compared with), e.g. who answered 500 or who rejected the request.
    ``flipped_locus`` is the locus seen from the other side (``+A`` becomes ``-A``).
    """

    kind: str
    operation: str
    locus: str
    who: str = "odd"
    flipped_locus: str = field(default="", compare=False)

    def flipped(self) -> Site:
        """The same difference, with the base side as the odd one."""
        locus = self.flipped_locus or self.locus
        who = "base" if self.who == "odd" else "odd"
        return Site(self.kind, self.operation, locus, who, self.locus)


@dataclass(frozen=True, order=True)
class Fingerprint:
    kind: str
    operation: str
    locus: str
    who: str
    odd: tuple[str, ...]
    other: tuple[str, ...]

    @classmethod
    def of(cls, site: Site, odd: tuple[str, ...], other: tuple[str, ...]) -> Fingerprint:
        return cls(site.kind, site.operation, site.locus, site.who, odd, other)

    @property
    def text(self) -> str:
        return (
            f"{self.operation} · {self.kind} · {self.locus} · {self.who} · "
            f"{', '.join(self.odd)} | {', '.join(self.other)}"
        )


def _answer(call: dict[str, Json] | None) -> str:
    if call is None:
        return "no call"
    error = call.get("error") or {}
    if error.get("code") in NO_ANSWER_CODES:
        return f"no answer ({error['code']})"
    code = error.get("code") or ""
    status = str(call.get("status"))
    return f"HTTP {status} {code}".strip() if code != status else f"HTTP {status}"


def _failing(call: dict[str, Json] | None) -> bool:
    if call is None:
        return False
    error = call.get("error") or {}
    status = call.get("status")
    return error.get("code") in NO_ANSWER_CODES or (status is not None and status >= 500)


def _error(call: dict[str, Json] | None) -> dict[str, Json]:
    return (call or {}).get("error") or {}


def _flip_signs(locus: str) -> str:
    return ", ".join(("-" + p[1:] if p.startswith("+") else "+" + p[1:]) for p in locus.split(", "))


def _call_sites(
    d: CallDifference, base: dict[str, Json] | None, own: dict[str, Json] | None
) -> list[Site]:
    op = d.operation
    if d.key == "requests":
        change = (
            "extra" if d.base_index is None else "missing" if d.other_index is None else "other"
        )
        return [Site("requests", op, f"{change} {op} call")]
    if d.key == "server-error":
        who = "odd" if _failing(own) else "base"
        return [Site("server-error", op, _answer(own if who == "odd" else base), who)]
    if d.key == "unsupported":
        who = "odd" if _error(own).get("code") in UNSUPPORTED_CODES else "base"
        return [Site("unsupported", op, str(_error(own if who == "odd" else base)["code"]), who)]
    if d.key == "accepted-invalid":
        who = "base" if _error(base) else "odd"  # the side that rejected
        error = _error(base if who == "base" else own)
        locus = f"{error.get('code')}: {mask(error.get('message'))}"
        return [Site("accepted-invalid", op, locus, who)]
    if d.key == "error-code":
        mine, theirs = _error(own).get("code"), _error(base).get("code")
        return [Site("error-code", op, f"{mine} / {theirs}", flipped_locus=f"{theirs} / {mine}")]
    found: list[Site] = []
    for f in d.fields:
        if f.kind == "message":
            code = _error(own).get("code")
            locus, flipped = f"{code}: {mask(str(f.other))}", f"{code}: {mask(str(f.base))}"
            found.append(Site("message", op, locus, flipped_locus=flipped))
        elif f.kind == "shape":
            locus = ("+" if f.change == "added" else "-") + _path(f.path)
            found.append(Site("shape", op, locus, flipped_locus=_flip_signs(locus)))
        else:
            found.append(Site(f.kind, op, _path(f.path)))
    return sorted(set(found))


def sites(
    differences: list[CallDifference],
    base_calls: Sequence[dict[str, Json]],
    own_calls: Sequence[dict[str, Json]],
    skip_informational: bool,
) -> list[tuple[Site, CallDifference]]:
    """Return every site of a group's differences, in call order."""
    found = []
    for d in differences:
        if skip_informational and d.informational is not None:
            continue
        base = base_calls[d.base_index] if d.base_index is not None else None
        own = own_calls[d.other_index] if d.other_index is not None else None
        found += [(site, d) for site in _call_sites(d, base, own)]
    return found
