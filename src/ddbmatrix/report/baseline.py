"""Compare a report with a baseline: which divergences are known, new, or gone.

A divergence is identified across runs by its key (see ``Divergence.key``): the test id, how
the backends split into groups, and the classes of difference. Versions are not part of it,
so after upgrading moto a baseline shows exactly what the upgrade changed: a divergence moto
fixed is gone; one it introduced, or one whose class changed, is new.

The baseline file (schema ``ddbmatrix-baseline``, version 1)::

    {"schema": "ddbmatrix-baseline", "schema_version": 1,
     "backends": {"dynalite": "4.0.0", ...},          # name -> version when it was made
     "divergences": [{"key": str, "test": str, "classes": [str]}]}   # sorted by key

A ``divergence.json`` report is accepted as a baseline too, so CI can compare with the
report of the main branch without a separate file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ddbmatrix.errors import RunFileError
from ddbmatrix.report.data import REPORT_SCHEMA

__all__ = [
    "BASELINE_SCHEMA",
    "BASELINE_SCHEMA_VERSION",
    "Baseline",
    "apply_baseline",
    "baseline_document",
    "load_baseline",
    "new_divergences",
    "render_baseline",
]

BASELINE_SCHEMA = "ddbmatrix-baseline"
BASELINE_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Baseline:
    path: Path
    backends: dict[str, str | None]
    #: key -> {"key", "test", "classes"}
    divergences: dict[str, dict[str, Any]]


def baseline_document(data: dict[str, Any]) -> dict[str, Any]:
    """Return the baseline that records every divergence of the report ``data``."""
    return {
        "schema": BASELINE_SCHEMA,
        "schema_version": BASELINE_SCHEMA_VERSION,
        "backends": {backend["name"]: backend["version"] for backend in data["backends"]},
        "divergences": sorted(
            (
                {"key": d["key"], "test": d["test"], "classes": d["classes"]}
                for d in data["divergences"]
            ),
            key=lambda entry: entry["key"],
        ),
    }


def render_baseline(data: dict[str, Any]) -> str:
    return json.dumps(baseline_document(data), indent=1, sort_keys=True) + "\n"


def load_baseline(path: Path) -> Baseline:
    """Load a baseline file (or a report JSON); every problem names the file."""
    try:
        data = json.loads(path.read_text())
    except OSError as error:
        raise RunFileError(f"{path}: cannot read baseline ({error.strerror})") from None
    except ValueError as error:
        raise RunFileError(f"{path}: baseline is not valid JSON ({error})") from None
    if not isinstance(data, dict):
        raise RunFileError(f"{path}: not a ddbmatrix baseline")
    if data.get("schema") == REPORT_SCHEMA:
        data = baseline_document(data)
    elif data.get("schema") != BASELINE_SCHEMA:
        raise RunFileError(
            f'{path}: not a ddbmatrix baseline (no "schema": "{BASELINE_SCHEMA}"); make one '
            "with `ddbmatrix report --save-baseline PATH`"
        )
    elif data.get("schema_version") != BASELINE_SCHEMA_VERSION:
        raise RunFileError(
            f"{path}: baseline schema version {data.get('schema_version')!r}, this ddbmatrix "
            f"reads version {BASELINE_SCHEMA_VERSION}; save the baseline again"
        )
    try:
        entries = {entry["key"]: entry for entry in data["divergences"]}
        backends = dict(data["backends"])
    except (KeyError, TypeError):
        raise RunFileError(f"{path}: baseline has no valid 'divergences' and 'backends'") from None
    return Baseline(path, backends, entries)


def apply_baseline(data: dict[str, Any], baseline: Baseline) -> None:
    """Mark each divergence of ``data`` known or new, and record the gone ones."""
    names = [backend["name"] for backend in data["backends"]]
    if sorted(names) != sorted(baseline.backends):
        raise RunFileError(
            f"{baseline.path}: the baseline covers {', '.join(sorted(baseline.backends))} but "
            f"this report covers {', '.join(sorted(names))}; a divergence is identified by "
            "how the backends split, so compare reports of the same backends"
        )
    current = set()
    for divergence in data["divergences"]:
        current.add(divergence["key"])
        divergence["status"] = "known" if divergence["key"] in baseline.divergences else "new"
    statuses = [d["status"] for d in data["divergences"]]
    data["baseline"] = {
        "backends": dict(sorted(baseline.backends.items())),
        "version_changes": {
            backend["name"]: [baseline.backends[backend["name"]], backend["version"]]
            for backend in data["backends"]
            if baseline.backends[backend["name"]] != backend["version"]
        },
        "known": statuses.count("known"),
        "new": statuses.count("new"),
        "gone": [
            baseline.divergences[key] for key in sorted(baseline.divergences.keys() - current)
        ],
    }


def new_divergences(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [d for d in data["divergences"] if d["status"] == "new"]
