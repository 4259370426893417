"""Root causes: the divergent tests grouped by fingerprint, ranked, each said in one sentence.

Reviewers read causes, not tests. Every difference of every divergent test gets a
fingerprint (:mod:`ddbmatrix.fingerprints`); tests with the same fingerprint share a cause.
Causes are ranked by the severity of their class, then by how many tests they affect, and
each reads as one sentence: "moto adds `WarmThroughput` to CreateTable `TableDescription`".
A test may show several causes (a field one backend adds, and the request it accepts);
the cause of its decisive difference is its first.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from ddbmatrix.classify import severity
from ddbmatrix.compare import Comparison, Divergence, Group
from ddbmatrix.fingerprints import Fingerprint, Site, mask, sites

__all__ = ["Cause", "Family", "causes_of", "families", "sentence"]


@dataclass
class Cause:
    fingerprint: Fingerprint
    #: Test ids showing it, sorted.
    tests: list[str] = field(default_factory=list)
    #: Tests where it is the decisive difference.
    decisive: list[str] = field(default_factory=list)
    #: Tests where no side could be taken as right.
    without_reference: list[str] = field(default_factory=list)
    informational: bool = False

    @property
    def id(self) -> str:
        return "c-" + hashlib.sha256(self.fingerprint.text.encode()).hexdigest()[:10]

    @property
    def severity(self) -> int:
        return severity(self.fingerprint.kind)

    @property
    def sentence(self) -> str:
        return sentence(self.fingerprint)


@dataclass
class Family:
    """Wording causes of one backend set and error code, read as one: "X words Y differently"."""

    odd: tuple[str, ...]
    other: tuple[str, ...]
    code: str
    causes: list[Cause]

    @property
    def id(self) -> str:
        text = f"{self.code} · {', '.join(self.odd)} | {', '.join(self.other)}"
        return "w-" + hashlib.sha256(text.encode()).hexdigest()[:10]

    @property
    def tests(self) -> list[str]:
        return sorted({test for cause in self.causes for test in cause.tests})

    @property
    def sentence(self) -> str:
        count = len(self.causes)
        return (
            f"{_verb(self.odd, 'words', 'word')} {self.code} messages otherwise than "
            f"{_names(self.other)} ({count} wording{'s' * (count != 1)})"
        )


def families(causes: list[Cause]) -> list[Family]:
    """Group the wording causes by their sides and error code, largest first."""
    grouped: dict[tuple[tuple[str, ...], tuple[str, ...], str], list[Cause]] = defaultdict(list)
    for cause in causes:
        fp = cause.fingerprint
        if fp.kind == "message" and not cause.informational:
            grouped[fp.odd, fp.other, fp.locus.partition(": ")[0]].append(cause)
    found = [Family(odd, other, code, members) for (odd, other, code), members in grouped.items()]
    return sorted(found, key=lambda f: (-len(f.tests), f.odd, f.code))


def _names(backends: tuple[str, ...]) -> str:
    return ", ".join(backends) if backends else "no other backend"


def _verb(backends: tuple[str, ...], singular: str, plural: str) -> str:
    return f"{_names(backends)} {singular if len(backends) == 1 else plural}"


def _fields(locus: str) -> tuple[str, str]:
    """Split ``+A.B, +A.C`` into (parent ``A``, fields ``B, C``) when they share a parent."""
    paths = [p.lstrip("+-") for p in locus.split(", ")]
    parents = {p.rpartition(".")[0] for p in paths}
    if len(parents) == 1 and next(iter(parents)):
        return next(iter(parents)), ", ".join(p.rpartition(".")[2] for p in paths)
    return "", ", ".join(paths)


def _shape(fp: Fingerprint) -> str:
    parent, names = _fields(fp.locus)
    where = f"{fp.operation} `{parent}`" if parent else fp.operation
    signs = {path[0] for path in fp.locus.split(", ")}
    if signs == {"+"}:
        return f"{_verb(fp.odd, 'adds', 'add')} `{names}` to {where}"
    if signs == {"-"}:
        return f"{_verb(fp.odd, 'leaves', 'leave')} `{names}` out of {where}"
    return f"{_verb(fp.odd, 'answers', 'answer')} {fp.operation} with fields `{fp.locus}`"


def sentence(fp: Fingerprint) -> str:
    """Say a root cause in one sentence, from the odd side's point of view."""
    odd, other, op, locus = fp.odd, fp.other, fp.operation, fp.locus
    failing, fine = (odd, other) if fp.who == "odd" else (other, odd)
    code, _, text = locus.partition(": ")
    mine, _, theirs = locus.partition(" / ")
    if fp.kind == "shape":
        return _shape(fp)
    said = {
        "server-error": f"{_verb(failing, 'answers', 'answer')} {op} with {locus} where "
        f"{_names(fine)} answer",
        "unsupported": f"{_verb(failing, 'does', 'do')} not implement {op} ({locus})",
        "setup-error": f"set-up fails on {_names(failing)} before any DynamoDB call: “{locus}”",
        "accepted-invalid": f"{_verb(fine, 'accepts', 'accept')} {op} requests that "
        f"{_verb(failing, 'rejects', 'reject')} with {code} “{text}”",
        "error-code": f"{_verb(odd, 'answers', 'answer')} {op} with {mine} where "
        f"{_names(other)} answer {theirs}",
        "content": f"{_verb(odd, 'returns', 'return')} other values in {op} `{locus}` than "
        f"{_names(other)}",
        "order": f"{_verb(odd, 'returns', 'return')} {op} `{locus}` in another order than "
        f"{_names(other)}",
        "requests": f"the test makes different calls on {_names(odd)} ({locus}), after an "
        "answer it branched on",
        "message": f"{_verb(odd, 'words', 'word')} {code} on {op} differently: “{text}”",
    }
    return said.get(
        fp.kind,
        f"the test ends otherwise on {_names(odd)} ({locus}), with every call answered alike",
    )


def _group_sites(divergence: Divergence, group: Group) -> list[tuple[Site, bool]]:
    """Every site of one group's differences, and whether it is the decisive one.

    Different requests are a consequence (the test stopped, or took another path, after an
    answer that differed): they are a cause only of a group that differs in nothing else.
    """
    base = divergence.groups[divergence.base].observation
    own = group.observation
    skip = own.outcome == base.outcome and not divergence.informational
    found = [
        (site, difference is group.decisive)
        for site, difference in sites(group.differences, base.calls, own.calls, skip)
        if site.kind != "requests" or group.diff_class is None or group.diff_class.key == "requests"
    ]
    if not found and group.diff_class is not None:  # outcome or set-up only
        if group.diff_class.key == "setup-error":
            failing = own if own.set_up_failed else base
            who = "odd" if own.set_up_failed else "base"
            found = [(Site("setup-error", "(set-up)", mask(failing.message), who), True)]
        else:
            found = [(Site("outcome", "(outcome)", f"{own.outcome} / {base.outcome}"), True)]
    return found


def _sides(
    divergence: Divergence, site: Site, odd: set[str], decisive: bool
) -> tuple[Site, tuple[str, ...], tuple[str, ...], bool]:
    """Decide which side of one difference is odd: (site, odd, other, decided).

    A reference run decides every difference; the assertions decide the one the outcome
    turned on; any other difference (a field one backend adds, another's wording) goes by
    the majority of the backends on that difference alone, so the same field reads the
    same way in every test.
    """
    everyone = sorted(b for g in divergence.groups for b in g.backends)
    other = {b for b in everyone if b not in odd}
    decided = divergence.basis == "reference" or (decisive and divergence.basis == "assertions")
    if not decided and len(odd) > len(other):
        site, odd, other = site.flipped(), other, odd
    has_side = decided or len(odd) != len(other)
    return site, tuple(sorted(odd)), tuple(sorted(other)), has_side


def causes_of(comparison: Comparison) -> tuple[list[Cause], dict[str, list[str]]]:
    """Return the causes, ranked, and test id -> its cause ids (decisive first)."""
    causes: dict[Fingerprint, Cause] = {}
    members: dict[Fingerprint, set[str]] = defaultdict(set)  # cause.tests, to look up quickly
    by_test: dict[str, list[tuple[bool, int, str]]] = defaultdict(list)
    for divergence in [*comparison.divergences, *comparison.informational]:
        odd_of: dict[Site, set[str]] = defaultdict(set)
        decisive: set[Site] = set()
        for group in divergence.groups:
            for site, is_decisive in _group_sites(divergence, group):
                odd_of[site].update(group.backends)
                if is_decisive:
                    decisive.add(site)
        for site, odd in odd_of.items():
            seen, odd_side, other, has_side = _sides(divergence, site, odd, site in decisive)
            fingerprint = Fingerprint.of(seen, odd_side, other)
            cause = causes.setdefault(
                fingerprint, Cause(fingerprint, informational=divergence.informational)
            )
            if divergence.test_id in members[fingerprint]:
                continue
            members[fingerprint].add(divergence.test_id)
            cause.tests.append(divergence.test_id)
            if site in decisive:
                cause.decisive.append(divergence.test_id)
            if not has_side:
                cause.without_reference.append(divergence.test_id)
            by_test[divergence.test_id].append((site not in decisive, cause.severity, cause.id))
    ranked = sorted(
        causes.values(),
        key=lambda c: (c.informational, c.severity, -len(c.tests), c.fingerprint.text),
    )
    order = {cause.id: index for index, cause in enumerate(ranked)}
    return ranked, {
        test: sorted(dict.fromkeys(cid for *_, cid in sorted(entries)), key=lambda c: order[c])
        for test, entries in by_test.items()
    }
