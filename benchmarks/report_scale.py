"""How the report scales: build time, peak memory, HTML size and opening time at k times the runs.

    python benchmarks/report_scale.py [RUN_FILE ...] [--scales 1 4 16] [--keep DIR]

Real run files (default: ``reports/runs/*.json``, else the recorded scenario runs) are scaled
by :func:`scale_runs`: every test is cloned k times under a renamed id, so the scaled input
has k times the tests, calls and divergences of the real one, with the same causes, and a
given k always gives the same files. ``ddbmatrix report`` then runs on them in a fresh
process (its own peak RSS, ``VmHWM``, so neither the bench's memory nor one scale's leaks
into the next), and
the HTML is opened in headless Chromium (Debian's, through playwright) to time its first
contentful paint and its ``load`` event. :func:`measure` returns the figures;
``nox -s bench`` prints them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["clone_id", "default_sources", "measure", "open_html", "run_report", "scale_runs"]

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_RUNS = ROOT / "tests" / "scenarios" / "runs"
#: Flags that work in containers and CI; no profile, no background traffic.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
#: A page that has not loaded by then counts as not opening at all.
OPEN_TIMEOUT_S = 180


def default_sources() -> list[Path]:
    """The runs of the last full run if there are any, else the recorded scenario runs."""
    runs = sorted(Path("reports/runs").glob("*.json"))
    return runs or sorted(SCENARIO_RUNS.glob("*.json"))


def clone_id(test_id: str, copy: int) -> str:
    """Name copy ``copy`` (1-based; 0 is the original) of a test id.

    The clone lives in a folder of its own beside the test file, so its area (the file's
    stem) and its test name, which suites put into keys and values, stay as they were.
    """
    if copy == 0:
        return test_id
    path, sep, name = test_id.partition("::")
    folder, slash, file = path.rpartition("/")
    return f"{folder}{slash}x{copy}/{file}{sep}{name}"


def _renamed(value: Any, old: str, new: str) -> Any:
    """``value`` with every occurrence of the node id ``old`` in its strings made ``new``."""
    if isinstance(value, str):
        return value.replace(old, new) if old in value else value
    if isinstance(value, list):
        return [_renamed(item, old, new) for item in value]
    if isinstance(value, dict):
        return {key: _renamed(item, old, new) for key, item in value.items()}
    return value


def _clone(record: dict[str, Any], copy: int) -> dict[str, Any]:
    if copy == 0:
        return record
    old_id, old_node = record["id"], record["nodeid"]
    # A parametrized test's nodeid is not its id plus a suffix (``test_x[a-moto]`` for
    # ``test_x[a]``), but both start with the test file's path, which is all a clone changes.
    new_id, new_node = clone_id(old_id, copy), clone_id(old_node, copy)
    clone: dict[str, Any] = _renamed(record, old_node, new_node)
    clone["id"], clone["nodeid"] = new_id, new_node
    return clone


def scale_runs(sources: Sequence[Path], k: int, out: Path) -> list[Path]:
    """Write each run file of ``sources`` to ``out`` with every test cloned ``k`` times."""
    if k < 1:
        raise ValueError(f"scale must be at least 1, not {k}")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for source in sources:
        data = json.loads(source.read_text("utf-8"))
        tests = [_clone(record, copy) for record in data["tests"] for copy in range(k)]
        data["tests"] = sorted(tests, key=lambda record: (record["id"], record["nodeid"]))
        target = out / source.name
        target.write_text(json.dumps(data, indent=1) + "\n", "utf-8")
        written.append(target)
    return written


#: The report's command: it writes its own peak RSS last on stderr. Linux's ``ru_maxrss`` of a
#: child (from ``wait4``) is at least its parent's RSS at the fork: a bench that had loaded a
#: full matrix's calls read 1.8 GiB for a 0.4 MB report. ``VmHWM`` is the process's own.
_REPORT = """
import atexit, sys
from ddbmatrix.cli import main

def _peak() -> None:
    try:
        status = open("/proc/self/status").read()
    except OSError:
        return
    kib = [line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")]
    sys.stderr.write(f"\\nddbmatrix-bench-peak-kib {kib[0]}\\n" if kib else "")

atexit.register(_peak)
sys.exit(main())
"""
_PEAK = "ddbmatrix-bench-peak-kib "


def _peak_mib(errors: bytes, maxrss_kib: int) -> float:
    """The process's own peak, where /proc says it; else (not Linux) ``ru_maxrss``."""
    lines = errors.decode("utf-8", "replace").splitlines()
    kib = [int(line.removeprefix(_PEAK)) for line in lines if line.startswith(_PEAK)]
    return round((kib[-1] if kib else maxrss_kib) / 1024, 1)


def run_report(paths: Sequence[Path], out: Path) -> dict[str, float]:
    """Run ``ddbmatrix report`` on ``paths`` in a fresh process: seconds, CPU seconds, peak RSS."""
    command = [
        sys.executable,
        "-c",
        _REPORT,
        "report",
        *map(str, paths),
        "--out",
        str(out),
    ]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    errors = process.stderr.read()  # the pipe is drained before waiting, so it never fills
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):  # 1: divergences found, a report all the same
        text = errors.decode("utf-8", "replace").strip()
        raise RuntimeError(f"ddbmatrix report failed ({process.returncode}): {text[-500:]}")
    return {
        "seconds": round(seconds, 2),
        # CPU time says more than wall time on a machine other jobs share.
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_mib": _peak_mib(errors, usage.ru_maxrss),
    }


def open_html(path: Path, chromium: str | None = None) -> dict[str, float | None]:
    """Open ``path`` from file:// in headless Chromium: first contentful paint and load, in s.

    None for both when Chromium or playwright is missing, or the page did not load in time.
    """
    chromium = chromium or shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        return {"paint_seconds": None, "open_seconds": None}
    if chromium is None:
        return {"paint_seconds": None, "open_seconds": None}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()
            started = time.perf_counter()
            try:
                page.goto(path.as_uri(), wait_until="load", timeout=OPEN_TIMEOUT_S * 1000)
            except Error:
                return {"paint_seconds": None, "open_seconds": None}
            loaded = time.perf_counter() - started
            paint = page.evaluate(
                "() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime"
            )
        finally:
            browser.close()
    return {
        "paint_seconds": round(paint / 1000, 2) if paint is not None else None,
        "open_seconds": round(loaded, 2),
    }


def measure(
    scales: Iterable[int] = (1, 4, 16),
    sources: Sequence[Path] | None = None,
    keep: Path | None = None,
    html: bool = True,
) -> dict[int, dict[str, Any]]:
    """Build the report at each scale and return its figures, by scale.

    Each scale's figures: runs_bytes, seconds, cpu_seconds, peak_mib, html_bytes, and (with
    ``html``) paint_seconds and html_open_seconds, None if the page could not be opened.
    ``keep`` keeps each scale's inputs and report under ``keep/<k>x``; otherwise they go in
    a temporary folder that is removed.
    """
    sources = list(sources) if sources is not None else default_sources()
    if not sources:
        raise SystemExit("no run files: run a backend first, or pass run files")
    work = keep or Path(tempfile.mkdtemp(prefix="ddbmatrix-scale-"))
    results: dict[int, dict[str, Any]] = {}
    try:
        for k in scales:
            folder = work / f"{k}x"
            paths = scale_runs(sources, k, folder / "runs")
            figures: dict[str, Any] = {"runs_bytes": sum(p.stat().st_size for p in paths)}
            figures.update(run_report(paths, folder / "report"))
            page = folder / "report" / "divergence.html"
            figures["html_bytes"] = page.stat().st_size
            if html:
                opened = open_html(page)
                figures["paint_seconds"] = opened["paint_seconds"]
                figures["html_open_seconds"] = opened["open_seconds"]
            results[k] = figures
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("runs", nargs="*", type=Path, help="run files (default: reports/runs)")
    parser.add_argument("--scales", nargs="+", type=int, default=[1, 4, 16])
    parser.add_argument("--keep", type=Path, help="keep inputs and reports under this folder")
    parser.add_argument("--no-html", action="store_true", help="do not open the HTML")
    args = parser.parse_args(argv)
    results = measure(args.scales, args.runs or None, args.keep, html=not args.no_html)
    print(f"{'scale':>5} {'runs MB':>8} {'seconds':>8} {'CPU s':>7} {'peak MiB':>9} "
          f"{'HTML MB':>8} {'paint s':>8} {'load s':>7}")  # fmt: skip
    for k, f in results.items():
        print(
            f"{k:>4}x {f['runs_bytes'] / 1e6:8.1f} {f['seconds']:8.2f} {f['cpu_seconds']:7.2f} "
            f"{f['peak_mib']:9.1f} "
            f"{f['html_bytes'] / 1e6:8.1f} {f.get('paint_seconds')!s:>8} "
            f"{f.get('html_open_seconds')!s:>7}"
        )
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
