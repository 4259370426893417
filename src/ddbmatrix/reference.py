"""A recorded reference: a saved run file taken as right for the tests it covers.

``ddbmatrix report --reference runs/aws.json ...`` compares every run with a run recorded
earlier, typically from real DynamoDB (``DDBMATRIX_AWS=1 nox -s aws``) and committed, even
though that backend did not take part in this run. Tests the reference does not cover (or
skipped) fall back to the usual rules (:mod:`ddbmatrix.sides`). The reference is compared,
never scored, and the report says what it is, when it was recorded and against which
versions.
"""

from __future__ import annotations

from pathlib import Path

from ddbmatrix.errors import RunFileError
from ddbmatrix.runfile import Run, load_run

__all__ = ["describe_reference", "load_reference"]


def load_reference(path: Path, runs: list[Run]) -> Run:
    """Load ``path`` as the reference of ``runs``; its backend must not be among them."""
    reference = load_run(path)
    for run in runs:
        if run.backend == reference.backend:
            raise RunFileError(
                f"{path} is a run of {reference.backend!r}, and so is {run.path}: a backend "
                "cannot be its own reference; pass it either as a run or as --reference"
            )
    return reference


def describe_reference(reference: dict[str, object] | None) -> str | None:
    """Say in one line what the reference of a report's data is (None without one)."""
    if reference is None:
        return None
    name = "real AWS" if reference["backend"] == "aws" else str(reference["backend"])
    if not reference["recorded"]:
        return f"The reference is {name}, which ran with the others."
    when = reference["recorded_at"] or "an unknown time"
    versions = reference["versions"] if isinstance(reference["versions"], dict) else {}
    against = ", ".join(
        f"{key} {value}" for key, value in versions.items() if key in ("boto3", "botocore")
    )
    commit = f", suite commit {str(reference['commit'])[:10]}" if reference["commit"] else ""
    version = f" {reference['version']}" if reference["version"] else ""
    return (
        f"The reference is {name}{version}, recorded {when}"
        f"{f' with {against}' if against else ''}{commit}; it covers {reference['tests']} "
        "tests, and the others fall back to the assertions, else the majority."
    )
