"""Merge the run files of one backend's shards (``--ddb-shard=i/n``) into one run of it.

Each shard of a backend ran a disjoint part of the same suite (:mod:`ddbmatrix.sharding`);
together they are what one run of that backend would have recorded. The merged run holds
every shard's tests (sorted by id, as one run file is), their incidents in shard order, and
one record per wider fixture (a module split across shards set its fixtures up in each,
kept as one run keeps those of several xdist workers). So the report of merged shards is
the report of one run, byte for byte. What cannot be one run is refused, naming the files:
shards of different counts, one shard twice, shards of different versions or commits, a
test in two shards. A missing shard is a warning naming it, and the backend is marked
incomplete in the report.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from ddbmatrix.errors import RunFileError
from ddbmatrix.runfile import Run

__all__ = ["merge_shards"]

#: Envelope fields every shard of one backend must agree on to be one run.
_SAME = ("backend_version", "versions", "commit")


def _count(runs: list[Run]) -> int:
    counts = {run.data["shard"]["count"] for run in runs}
    if len(counts) > 1:
        listing = ", ".join(f"{run.path} (of {run.data['shard']['count']})" for run in runs)
        raise RunFileError(
            f"shards of {runs[0].backend!r} of different counts: {listing}; pass the shards "
            "of one sharded run"
        )
    return int(counts.pop())


def _check_alike(runs: list[Run]) -> None:
    first = runs[0]
    for run in runs[1:]:
        for key in _SAME:
            if run.data.get(key) != first.data.get(key):
                raise RunFileError(
                    f"{run.path} and {first.path} are shards of {first.backend!r} with "
                    f"different {key}: they are not one run; record them again together"
                )


def _tests(runs: list[Run]) -> list[dict[str, Any]]:
    where: dict[str, Path] = {}
    tests: list[dict[str, Any]] = []
    for run in runs:
        for record in run.tests:
            if record["id"] in where:
                raise RunFileError(
                    f"{record['id']} is in two shards of {run.backend!r} ({where[record['id']]} "
                    f"and {run.path}): the shards overlap; record them with one shard count"
                )
            where[record["id"]] = run.path
            tests.append(record)
    return sorted(tests, key=lambda test: (test["id"], test["nodeid"]))


def _merge(runs: list[Run], warnings: list[str]) -> Run:
    from ddbmatrix.collector import unique_fixtures  # imports pytest: only when merging

    runs = sorted(runs, key=lambda run: int(run.data["shard"]["index"]))
    count = _count(runs)
    indexes = [int(run.data["shard"]["index"]) for run in runs]
    for index, times in Counter(indexes).items():
        if times > 1:
            given = ", ".join(str(r.path) for r in runs if r.data["shard"]["index"] == index)
            raise RunFileError(
                f"shard {index} of {count} of {runs[0].backend!r} is given twice ({given})"
            )
    _check_alike(runs)
    backend = runs[0].backend
    missing = [index for index in range(1, count + 1) if index not in indexes]
    if missing:
        names = ", ".join(f"{backend}.shard-{index}-of-{count}.json" for index in missing)
        warnings.append(
            f"{backend}: {len(missing)} of {count} shards missing ({names}): the report "
            f"covers the tests of shards {', '.join(map(str, indexes))} only"
        )
    first = runs[0].data
    data = {
        **first,
        "started_at": min(str(run.data.get("started_at")) for run in runs),
        "finished_at": max(str(run.data.get("finished_at")) for run in runs),
        "exit_status": max(int(run.data.get("exit_status") or 0) for run in runs),
        "complete": not missing and all(run.data.get("complete") is not False for run in runs),
        "dirty": any(run.data.get("dirty") for run in runs) or first.get("dirty"),
        "incidents": [incident for run in runs for incident in run.incidents],
        "fixtures": unique_fixtures([fixture for run in runs for fixture in run.fixtures]),
        "shard": None,
        "tests": _tests(runs),
    }
    expected = [run.data.get("expected") for run in runs]
    if all(isinstance(value, int) for value in expected):
        data["expected"] = sum(expected)
    observed = {test: seen for run in runs for test, seen in run.observed.items()}
    return Run(runs[0].path, data, observed)


def merge_shards(runs: list[Run]) -> tuple[list[Run], list[str]]:
    """Return ``runs`` with each backend's shards merged into one run, and warnings.

    Runs that are not shards pass through unchanged, in their place; a backend's merged run
    takes the place of its first shard.

    Raises:
        RunFileError: shards that cannot be one run, or a backend given both as a whole run
            and as shards, naming the files.
    """
    shards: dict[str, list[Run]] = defaultdict(list)
    whole: dict[str, Run] = {}
    order: list[str] = []
    for run in runs:
        if run.backend not in order:
            order.append(run.backend)
        if run.data.get("shard"):
            shards[run.backend].append(run)
        elif run.backend in whole:
            raise RunFileError(
                f"{run.path} and {whole[run.backend].path} are both runs of {run.backend!r}; "
                "pass one run per backend (or its shards)"
            )
        else:
            whole[run.backend] = run
    warnings: list[str] = []
    merged: list[Run] = []
    for backend in order:
        if backend in whole and backend in shards:
            raise RunFileError(
                f"{whole[backend].path} is a whole run of {backend!r} and {shards[backend][0].path}"
                " one of its shards: pass either the run or its shards"
            )
        merged.append(whole[backend] if backend in whole else _merge(shards[backend], warnings))
    return merged, warnings
