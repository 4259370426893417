"""``python -m benchmarks [--quick] [--only SECTION ...]`` (``nox -s bench``).

Writes reports/bench.json and reports/bench.md and prints the targets. ``--readme``
measures nothing: it rebuilds README's Performance section from reports/bench.json.

Sections (``--only``): startup, suite, matrix, parts, own_client, alternatives, growth, and
``scale`` (a hook: benchmarks/scale.py, when present, measures the report at 1x/4x/16x).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import psutil

from benchmarks import measure
from benchmarks.output import markdown, terminal, write_readme
from benchmarks.runs import remove_work_folder
from benchmarks.startup import measure_startup
from benchmarks.targets import check
from benchmarks.timing import sample_json
from ddbmatrix.backends import get_backend, local_backends

ROOT = Path(__file__).resolve().parent.parent
#: In the order they run: the targets first, so an interrupted run has the most to say.
SECTIONS = ("suite", "startup", "own_client", "alternatives", "growth", "matrix", "parts", "scale")

#: (full, quick): what each mode measures. Every run is a new pytest process that collects
#: the whole suite (~3 s), so slices keep a 2-core machine's full run near half an hour.
#: Quick runs on dynalite only (unless --backends), small, without the matrix and growth:
#: both are about size, and the sizes they need (45 s of growth alone at 50 and 200 tests)
#: would take quick past its two minutes. ``--quick --only growth`` still measures it.
#: Per-test figures are a steady state's: over 30 tests they were mostly warm-up (the
#: servers' JITs, Python's first calls) and swung 1.04-1.39x from one round to the next.
SUITE_EVERY = (16, 128)  # every Nth compat test: ~100 and ~12 of 1,587 per backend
#: The matrix target is about the full matrix: ~200 tests a backend (1,000 runs), so that the
#: servers' start-up (paid once a process, twice with -n 2) is not most of what is timed.
MATRIX_EVERY = (8, 128)
COUNT = (200, 15)  # tests per synthetic project
GROWTH = ((100, 400, 1300), (50, 200))
QUICK_SKIPS = ("matrix", "growth")
#: The parts of the harness are measured on a Node and a Python backend (full mode).
PARTS_ON = ("dynalite", "moto")


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def _machine() -> dict[str, Any]:
    return {
        "cores": os.cpu_count(),
        "physical_cores": psutil.cpu_count(logical=False),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "platform": f"{platform.system()} {platform.machine()}",
        "python": platform.python_version(),
        "boto3": _version("boto3"),
        "botocore": _version("botocore"),
        "load_before": os.getloadavg()[0],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--quick", action="store_true", help="small counts, no matrix and no growth run"
    )
    parser.add_argument("--repeat", type=int, default=5, help="rounds per figure (at least 5)")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, help="measure these sections")
    parser.add_argument("--backends", help="comma-separated (default: every local backend)")
    parser.add_argument(
        "--matrix-every",
        type=int,
        metavar="N",
        help=f"the matrix on every Nth test (default {MATRIX_EVERY[0]}; 1, the whole suite, "
        "is the target's own terms and takes ~30 min on 2 cores)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "reports")
    parser.add_argument(
        "--readme",
        action="store_true",
        help="measure nothing: rebuild bench.md and README's section from bench.json",
    )
    parser.add_argument(
        "--merge",
        action="store_true",
        help="keep the sections of the existing bench.json that this run does not measure",
    )
    args = parser.parse_args(argv)
    if args.readme:
        bench = json.loads((args.out / "bench.json").read_text())
        (args.out / "bench.md").write_text(markdown(bench) + "\n")
        changed = write_readme(bench, ROOT / "README.md")
        print("README.md updated" if changed else "README.md already up to date")
        return 0
    if args.repeat < 5:
        parser.error("--repeat: every figure is a median of at least 5 repetitions")
    if args.matrix_every is not None and args.matrix_every < 1:
        parser.error("--matrix-every: 1 (the whole suite) or more")
    mode = 1 if args.quick else 0
    default = ["dynalite"] if args.quick else list(local_backends())
    names = args.backends.split(",") if args.backends else default
    sections = args.only or [s for s in SECTIONS if not (args.quick and s in QUICK_SKIPS)]
    started = time.monotonic()
    bench: dict[str, Any] = {
        "schema": 1,
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "mode": "quick" if args.quick else "full",
        "repeat": args.repeat,
        "machine": _machine(),
        "backends": names,
        "versions": {name: get_backend(name).version() for name in names}
        | {"pytest-dynamodb": _version("pytest-dynamodb")},
        "sections": {},
    }
    previous = args.out / "bench.json"
    if args.merge and previous.is_file():
        kept = json.loads(previous.read_text())
        bench["sections"] = {k: v for k, v in kept["sections"].items() if k not in sections}
        # Each kept section keeps the date it was measured on, through repeated merges.
        earlier = kept.get("kept") or {}
        bench["kept"] = {k: earlier.get(k, kept["date"]) for k in bench["sections"]}
        bench["merged_from"] = kept["date"]
    s, repeat = bench["sections"], args.repeat

    def save() -> None:
        """Write what is measured so far: an interrupted run keeps its finished sections."""
        bench["machine"]["load_after"] = os.getloadavg()[0]
        bench["seconds"] = time.monotonic() - started
        bench["targets"] = [target.to_json() for target in check(bench)]
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "bench.json").write_text(json.dumps(bench, indent=1) + "\n")
        (args.out / "bench.md").write_text(markdown(bench) + "\n")

    if "suite" in sections:
        s["suite"] = {}
        for n in names:
            # Recording on against off: on the first backend the harness parts are measured on.
            record_off = args.quick or n == PARTS_ON[0]
            s["suite"][n] = measure.suite(
                n, SUITE_EVERY[mode], repeat, _progress, record_off=record_off
            )
            save()
    if "startup" in sections:
        _progress("cold start of each backend")
        s["startup"] = {"samples": sample_json(measure_startup(names, repeat, _progress))}
        save()
    if "own_client" in sections and "dynalite" in names:
        _progress("a test that builds its own client")
        s["own_client"] = measure.own_client(COUNT[mode], repeat, _progress)
        save()
    if "alternatives" in sections:
        _progress("the alternatives")
        s["alternatives"] = measure.alternatives(names, COUNT[mode], repeat, _progress)
        save()
    if "growth" in sections and "dynalite" in names:
        _progress("growth")
        s["growth"] = measure.growth("dynalite", GROWTH[mode], repeat, _progress)
        save()
    if "matrix" in sections:
        _progress("the matrix, -n 0 against -n 2")
        every = MATRIX_EVERY[mode] if args.matrix_every is None else args.matrix_every
        s["matrix"] = measure.matrix(names, every, repeat, _progress)
        save()
    if "parts" in sections:
        parts_on = names[:1] if args.quick else [n for n in names if n in PARTS_ON]
        s["parts"] = {}
        for n in parts_on:
            s["parts"][n] = measure.parts(n, COUNT[mode], repeat, _progress)
            save()
    if "scale" in sections:
        s["scale"] = _scale(args.quick, repeat)
    save()
    print(terminal(bench))
    print(
        f"\nwritten: {args.out / 'bench.json'}, {args.out / 'bench.md'} in {bench['seconds']:.0f} s"
    )
    return 0


def _scale(quick: bool, repeat: int) -> dict[str, Any] | None:
    """The scale helper's section: benchmarks/scale.py's ``measure(quick, repeat)``, if any.

    It returns a JSON-ready dict with a ``markdown`` entry (rendered under its heading).
    """
    try:
        module = importlib.import_module("benchmarks.scale")
    except ModuleNotFoundError:
        return None
    result: dict[str, Any] = module.measure(quick=quick, repeat=repeat)
    return result


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        remove_work_folder()
