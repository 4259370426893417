"""Repetitions, interleaved: every variant runs once per round, in an order that rotates.

On a shared machine the load drifts over minutes. Running variant A five times and then B
five times lets that drift into the ratio A/B; running A, B, then B, A, ... exposes both to
the same load. So every comparison here is a ratio of medians from one interleaved set of
rounds, and absolute figures are context.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Sample", "interleave", "ratio", "sample_json"]


@dataclass(frozen=True)
class Sample:
    """The repetitions of one figure: median, min, max, and each run in order."""

    runs: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    def to_json(self) -> dict[str, Any]:
        return {
            "median": self.median,
            "min": min(self.runs),
            "max": max(self.runs),
            "runs": list(self.runs),
        }


def interleave(
    variants: Mapping[str, Callable[[], Mapping[str, float]]],
    repeat: int,
    *,
    progress: Callable[[str], None] = lambda line: None,
) -> dict[str, Sample]:
    """Run each variant ``repeat`` times, rotating the order each round.

    A variant returns one or more named figures (seconds, MiB, ...); the result maps
    ``"<variant>"`` (a single figure called "") or ``"<variant>.<figure>"`` to its sample.
    """
    names = list(variants)
    runs: dict[str, list[float]] = {}
    for round_ in range(repeat):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            for figure, value in variants[name]().items():
                runs.setdefault(f"{name}.{figure}" if figure else name, []).append(value)
            progress(f"  round {round_ + 1}/{repeat}: {name}")
    return {key: Sample(tuple(values)) for key, values in runs.items()}


def ratio(numerator: Sample, denominator: Sample) -> dict[str, Any]:
    """The ratio of two medians from the same rounds, and of each round's pair (its spread)."""
    pairs = [a / b for a, b in zip(numerator.runs, denominator.runs, strict=False) if b]
    return {
        "ratio": numerator.median / denominator.median if denominator.median else None,
        "min": min(pairs, default=None),
        "max": max(pairs, default=None),
    }


def sample_json(samples: Mapping[str, Sample]) -> dict[str, Any]:
    return {key: sample.to_json() for key, sample in samples.items()}
