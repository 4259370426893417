"""The performance targets, checked against one bench.json: measured figure, met or missed.

Targets are checked here, by the benchmark, never by timed tests: a shared CI machine would
make those flaky. A target whose figure the run did not measure (``--quick`` leaves parts
out) is listed as not measured, never as met.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["LESS_SLEEP", "Target", "check", "matrix_slice"]


@dataclass(frozen=True)
class Target:
    name: str
    #: "<=" or ">=" the limit.
    op: str
    limit: float
    unit: str
    measured: float | None

    @property
    def met(self) -> bool | None:
        if self.measured is None:
            return None
        return self.measured <= self.limit if self.op == "<=" else self.measured >= self.limit

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "limit": f"{self.op} {self.limit:g}{self.unit}",
            "measured": self.measured,
            "unit": self.unit,
            "met": self.met,
        }


def matrix_slice(every: int) -> str:
    """Say which part of the suite the matrix ran on."""
    return "the whole suite" if every == 1 else f"1 test in {every}"


def _get(bench: dict[str, Any], *path: str) -> Any:
    value: Any = bench
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


#: The harness's own time: the suite under ddbmatrix less what its tests slept of their own
#: accord (:mod:`benchmarks.wire`), which no replay of the calls can include.
LESS_SLEEP = "ddbmatrix less the suite's own sleeps"


def _harness_ratio(ratios: dict[str, Any]) -> Any:
    """Return the harness's own time over the replay's.

    A run from before the suite's sleeps were kept apart has only the whole test's time,
    which is no less.
    """
    for key in (f"{LESS_SLEEP} / replay boto3", "ddbmatrix / replay boto3"):
        if key in ratios:
            return ratios[key].get("ratio")
    return None


def _targets(bench: dict[str, Any]) -> Iterator[Target]:
    sections = bench.get("sections", {})
    for name in bench.get("backends", []):
        yield Target(
            f"harness over the raw replay of the same calls, {name}, -n 0",
            "<=",
            1.10,
            "x",
            _harness_ratio(_get(sections, "suite", name, "ratios") or {}),
        )
    yield Target(
        "a test building its own client, over plain pytest",
        "<=",
        1.10,
        "x",
        _get(sections, "own_client", "ratios", "ddbmatrix / plain pytest", "ratio"),
    )
    every = _get(sections, "matrix", "every") or 1
    part = "" if every == 1 else f", {matrix_slice(every)}"
    yield Target(
        f"-n 2 over -n 0 on the matrix (speed-up){part}",
        ">=",
        1.7,
        "x",
        _get(sections, "matrix", "ratios", "-n 0 / -n 2 (speed-up)", "ratio"),
    )
    for alternative, ours, theirs in (
        ("dynalite tutorial", "ddbmatrix, table per module", "hand-written session fixture"),
        ("pytest-dynamodb", "ddbmatrix, table per test", "pytest-dynamodb"),
    ):
        key = f"{ours} / {theirs} (per test)"
        yield Target(
            f"{ours} against {theirs}",
            "<=",
            1.05,
            "x",
            _get(sections, "alternatives", alternative, "ratios", key, "ratio"),
        )
    for name in bench.get("backends", []):
        limit = 0.8 if name == "dynamodb-local" else 0.6
        yield Target(
            f"{name} cold start (median)",
            "<=",
            limit,
            " s",
            _get(sections, "startup", "samples", f"{name}.seconds", "median"),
        )
    ratios = _get(sections, "growth", "ratios") or {}
    worst = max((r["ratio"] for r in ratios.values() if r.get("ratio")), default=None)
    sizes = list(_get(sections, "growth", "samples") or {})
    yield Target(
        f"per-test cost from {sizes[0]} to {sizes[-1]} tests" if sizes else "per-test cost growth",
        "<=",
        1.10,
        "x",
        worst,
    )
    yield from _report_targets(_get(sections, "scale", "scales") or [])


#: The report's peak memory at 16x today's run files: what a CI runner holds without swapping.
REPORT_PEAK_MIB = 1024.0


def _report_targets(rows: list[dict[str, Any]]) -> Iterator[Target]:
    """Build time linear in the run files' size (CPU per MB, largest scale over 1x); memory."""
    by_scale = {row["scale"]: row for row in rows}
    one = by_scale.get(1)
    # The largest scale above 1x; none if the report was measured at 1x only.
    top = by_scale[max(by_scale)] if max(by_scale, default=1) > 1 else None
    linear = None
    if one and top and one["cpu_seconds"]:
        per_mb = [row["cpu_seconds"] / row["runs_bytes"] for row in (top, one)]
        linear = per_mb[0] / per_mb[1]
    scale = top["scale"] if top else 16
    yield Target(
        f"report CPU time per MB of run files, {scale}x over 1x (linear)", "<=", 1.10, "x", linear
    )
    peak = top["peak_mib"] if top else None
    yield Target(f"report peak memory at {scale}x", "<=", REPORT_PEAK_MIB, " MiB", peak)


def check(bench: dict[str, Any]) -> list[Target]:
    """Return every target with its measured figure from ``bench`` (None: not measured)."""
    return list(_targets(bench))
