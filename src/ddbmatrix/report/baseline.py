"""Compare a report with a baseline: which divergences are known, new, or gone.

A divergence is identified across runs by its key (see ``Divergence.key``): the test id, how
the backends split into groups, and the classes of difference. Versions are not part of it,
so after upgrading moto a baseline shows exactly what the upgrade changed: a divergence moto
fixed is gone; one it introduced, or one whose class changed, is new. Informational tests
(differences DynamoDB leaves unspecified) are never in a baseline, so never in its gate.

The baseline file (schema ``ddbmatrix-baseline``, version 2: the classes of version 1
were chosen at the first differing call, so its keys mean something else)::

    {"schema": "ddbmatrix-baseline", "schema_version": 2,
     "backends": {"dynalite": "4.0.0", ...},          # name -> version when it was made
     "reference": "aws" | null,                       # the recorded reference, if any
     "divergences": [{"key": str, "test": str, "classes": [str]}]}   # sorted by key

A ``divergence.json`` report is accepted as a baseline too, so CI can compare with the
report of the main branch without a separate file.

A baseline may accept several forms of one test's divergence, for a test whose split flips
between runs (a backend that answers in varying order, a race in the test): a form the run
did not show is reported gone only when the test shows no accepted form at all. Saving a
baseline while comparing with one (``--baseline B --save-baseline B``) keeps the accepted
forms of the tests that still diverge; saving without ``--baseline`` starts afresh.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ddbmatrix.errors import RunFileError
from ddbmatrix.report.data import REPORT_SCHEMA, REPORT_SCHEMA_VERSION

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
BASELINE_SCHEMA_VERSION = 2


@dataclass(frozen=True)
class Baseline:
    path: Path
    backends: dict[str, str | None]
    #: key -> {"key", "test", "classes"}
    divergences: dict[str, dict[str, Any]]
    reference: str | None = None


def baseline_document(data: dict[str, Any], previous: Baseline | None = None) -> dict[str, Any]:
    """Return the baseline of the report ``data``.

    With ``previous``, its forms of tests that still diverge are kept as well.
    """
    entries = {
        d["key"]: {"key": d["key"], "test": d["test"], "classes": d["classes"]}
        for d in data["divergences"]
    }
    if previous is not None:
        divergent = {d["test"] for d in data["divergences"]}
        for key, entry in previous.divergences.items():
            if entry["test"] in divergent:
                entries.setdefault(key, entry)
    return {
        "schema": BASELINE_SCHEMA,
        "schema_version": BASELINE_SCHEMA_VERSION,
        "backends": {backend["name"]: backend["version"] for backend in data["backends"]},
        "reference": _reference_name(data),
        "divergences": [entries[key] for key in sorted(entries)],
    }


def _reference_name(data: dict[str, Any]) -> str | None:
    reference = data.get("reference")
    return str(reference["backend"]) if reference and reference.get("recorded") else None


def render_baseline(data: dict[str, Any], previous: Baseline | None = None) -> str:
    return json.dumps(baseline_document(data, previous), indent=1, sort_keys=True) + "\n"


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
    schema, version = data.get("schema"), data.get("schema_version")
    if schema == REPORT_SCHEMA:
        if version != REPORT_SCHEMA_VERSION:
            raise RunFileError(
                f"{path}: report schema version {version!r}, but this ddbmatrix reads "
                f"version {REPORT_SCHEMA_VERSION} only: build the report again with this "
                "ddbmatrix, or pass a baseline saved by it"
            )
        data = baseline_document(data)
    elif schema != BASELINE_SCHEMA:
        raise RunFileError(
            f'{path}: not a ddbmatrix baseline (no "schema": "{BASELINE_SCHEMA}"); make one '
            "with `ddbmatrix report --save-baseline PATH`"
        )
    elif version != BASELINE_SCHEMA_VERSION:
        raise RunFileError(
            f"{path}: baseline schema version {version!r}, but this ddbmatrix reads version "
            f"{BASELINE_SCHEMA_VERSION} only (it identifies divergences differently): save "
            "it again with `ddbmatrix report RUN_FILES --save-baseline PATH`"
        )
    try:
        entries = {entry["key"]: entry for entry in data["divergences"]}
        backends = dict(data["backends"])
    except (KeyError, TypeError):
        raise RunFileError(f"{path}: baseline has no valid 'divergences' and 'backends'") from None
    reference = data.get("reference")
    return Baseline(path, backends, entries, str(reference) if reference else None)


def apply_baseline(data: dict[str, Any], baseline: Baseline) -> None:
    """Mark each divergence of ``data`` known or new, and record the gone ones."""
    names = [backend["name"] for backend in data["backends"]]
    if sorted(names) != sorted(baseline.backends):
        raise RunFileError(
            f"{baseline.path}: the baseline covers {', '.join(sorted(baseline.backends))} but "
            f"this report covers {', '.join(sorted(names))}; a divergence is identified by "
            "how the backends split, so compare reports of the same backends"
        )
    reference = _reference_name(data)
    if reference != baseline.reference:
        raise RunFileError(
            f"{baseline.path}: the baseline was made with reference {baseline.reference or 'none'}"
            f" and this report has {reference or 'none'}: a reference changes how backends "
            "split, so compare reports made with the same --reference"
        )
    current = {divergence["key"] for divergence in data["divergences"]}
    for divergence in data["divergences"]:
        divergence["status"] = "known" if divergence["key"] in baseline.divergences else "new"
    accepted = {d["test"] for d in data["divergences"] if d["status"] == "known"}
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
            entry
            for key, entry in sorted(baseline.divergences.items())
            if key not in current and entry["test"] not in accepted
        ],
    }


def new_divergences(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [d for d in data["divergences"] if d["status"] == "new"]
