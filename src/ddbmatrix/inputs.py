"""Check that the run files given to a report can be compared at all, and say what is odd.

- Runs that share no test come from different suites: nothing would be compared, so the
  report refuses them rather than print an empty matrix.
- One backend alone compares with nothing: a warning.
- Runs of different commits, or of different sets of tests, are named, since some of
  their differences may be the suite's rather than the backends'.
"""

from __future__ import annotations

from collections import defaultdict

from ddbmatrix.errors import RunFileError
from ddbmatrix.runfile import Run

__all__ = ["check_inputs"]

_EXAMPLES = 2


def _commit(run: Run) -> str:
    commit = run.data.get("commit")
    return str(commit)[:10] if commit else "an unknown commit"


def _shared(runs: list[Run]) -> set[str]:
    seen: dict[str, int] = defaultdict(int)
    for run in runs:
        for test_id in {record["id"] for record in run.tests}:
            seen[test_id] += 1
    return {test_id for test_id, count in seen.items() if count > 1}


def check_inputs(runs: list[Run], reference: Run | None = None) -> list[str]:
    """Return warnings about ``runs`` (and a recorded reference); raise if nothing compares."""
    warnings: list[str] = []
    if reference is not None:
        runs = [*runs, reference]
    if len(runs) == 1:
        warnings.append(
            f"only one backend ({runs[0].backend}): there is nothing to compare it with; "
            "pass the run files of other backends too"
        )
        return warnings
    if not _shared(runs):
        described = "; ".join(f"{run.path} ({len(run.tests)} tests)" for run in runs)
        raise RunFileError(
            f"the run files share no tests, so nothing can be compared: {described}; "
            "they come from different suites (or different -k selections): pass runs of one suite"
        )
    by_commit: dict[str, list[str]] = defaultdict(list)
    for run in runs:
        by_commit[_commit(run)].append(run.backend)
    if len(by_commit) > 1:
        parts = "; ".join(f"{', '.join(b)} at {c}" for c, b in sorted(by_commit.items()))
        warnings.append(
            f"the runs come from different commits ({parts}): some differences may be the suite's"
        )
    everything = {record["id"] for run in runs for record in run.tests}
    # Tests a ddb_backends marker keeps off a backend are not missing from its run.
    excused: dict[str, set[str]] = defaultdict(set)
    for run in runs:
        for record in run.tests:
            for backend in record.get("excluded") or ():
                excused[backend].add(record["id"])
    for run in runs:
        own = {record["id"] for record in run.tests}
        missing = sorted(everything - own - excused[run.backend])
        if missing and run.data.get("shard") is None:
            examples = ", ".join(missing[:_EXAMPLES]) + (", …" if len(missing) > _EXAMPLES else "")
            warnings.append(
                f"{run.backend}'s run lacks {len(missing)} of the {len(everything)} tests the "
                f"others ran ({examples}): a different suite or selection"
            )
    return warnings
