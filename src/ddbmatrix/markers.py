"""The markers that choose backends per test and note known divergences.

``@pytest.mark.ddb_backends("dynalite", "moto")``
    run only on these of the selected backends;
``@pytest.mark.ddb_backends(exclude=["moto"])``
    run on the selected backends but these. Markers on the module, class and function
    combine: a backend must pass every restriction and no exclusion.
``@pytest.mark.ddb_diverges("moto", reason="...", link="...")``
    the test is expected to fail on moto, and does, as a strict xfail: the run file records
    ``xfailed``. When it passes there, it FAILS, saying the divergence is gone, so a stale
    note is noticed and removed.

Backend names are not checked against the registry: a name may stand for a backend or
endpoint that this run does not have. A test left with no backend is skipped, saying why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pytest

__all__ = ["Divergence", "backends_for", "divergence_marks", "divergences"]

_XPASS_STRICT = "[XPASS(strict)]"

MARKERS = (
    "ddb_backends(*names, exclude=()): run this test only on these of the selected DynamoDB "
    "backends, or on all selected but the excluded ones",
    "ddb_diverges(*backends, reason, link=None): a known divergence: the test is expected to "
    "fail on these backends (strict: it fails when it passes there)",
)


def pytest_configure(config: pytest.Config) -> None:
    for line in MARKERS:
        config.addinivalue_line("markers", line)


def _strings(value: Any, where: str) -> tuple[str, ...]:
    values = (value,) if isinstance(value, str) else tuple(value)
    if not all(isinstance(v, str) and v for v in values):
        raise pytest.UsageError(f"{where}: backend names must be non-empty strings, got {value!r}")
    return values


def backends_for(node: pytest.Item, selected: Sequence[str]) -> tuple[list[str], str | None]:
    """Return the selected backends the ``ddb_backends`` markers leave, and why none if none."""
    chosen = list(selected)
    for mark in node.iter_markers("ddb_backends"):
        where = f"{node.nodeid}: ddb_backends"
        unknown = set(mark.kwargs) - {"exclude"}
        if unknown:
            raise pytest.UsageError(f"{where}: unknown argument {', '.join(sorted(unknown))}")
        only = _strings(mark.args, where)
        exclude = _strings(mark.kwargs.get("exclude", ()), where)
        if not only and not exclude:
            raise pytest.UsageError(f"{where}: name backends to run on, or exclude=[...]")
        chosen = [b for b in chosen if (not only or b in only) and b not in exclude]
    if chosen:
        return chosen, None
    return [], (
        f"ddb_backends: none of the selected backends ({', '.join(selected)}) "
        "is one this test runs on"
    )


@dataclass(frozen=True)
class Divergence:
    """One ``ddb_diverges`` note about one backend."""

    backend: str
    reason: str
    link: str | None = None

    def describe(self) -> str:
        link = f" ({self.link})" if self.link else ""
        return f"known divergence on {self.backend}: {self.reason}{link}"


def divergences(node: pytest.Item, backend: str) -> list[Divergence]:
    """Return the ``ddb_diverges`` notes of ``node`` that concern ``backend``."""
    found = []
    for mark in node.iter_markers("ddb_diverges"):
        where = f"{node.nodeid}: ddb_diverges"
        reason, link = mark.kwargs.get("reason"), mark.kwargs.get("link")
        if not isinstance(reason, str) or not reason.strip():
            raise pytest.UsageError(f"{where}: reason='...' is required (what differs, and how)")
        if set(mark.kwargs) - {"reason", "link"} or not mark.args:
            raise pytest.UsageError(
                f'{where}: expected ddb_diverges("backend", ..., reason="...", link="...")'
            )
        if backend in _strings(mark.args, where):
            found.append(Divergence(backend, reason, link))
    return found


def divergence_marks(node: pytest.Item, backend: str) -> list[pytest.MarkDecorator]:
    """Return the strict xfail marks for ``backend``'s parameter of ``node``."""
    notes = divergences(node, backend)
    if not notes:
        return []
    reason = "; ".join(note.describe() for note in notes)
    return [pytest.mark.xfail(strict=True, reason=reason)]


def _backend(item: pytest.Item) -> str | None:
    callspec = getattr(item, "callspec", None)
    value = callspec.params.get("ddb_backend") if callspec else None
    return value if isinstance(value, str) else None


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report: pytest.TestReport = yield
    backend = _backend(item)
    if backend is None or report.when != "call" or not report.failed:
        return report
    if str(report.longrepr).startswith(_XPASS_STRICT):
        notes = divergences(item, backend)
        if notes:
            described = "; ".join(note.describe() for note in notes)
            report.longrepr = (
                f"{_XPASS_STRICT} ddb_diverges: the test passes on {backend} now, so the "
                f"divergence is gone; remove {backend!r} from the marker ({described})"
            )
    return report
