"""Running pytest for the benchmark: wall time, each test's time, and the memory of the run.

Every run is a new pytest process (as a user's run is) with :mod:`benchmarks.wire` loaded.
``per_test`` is the mean time of a test's whole protocol (set-up, call, teardown, report
hooks) over every test but each process's first, whose set-up starts the servers: that is
the figure the replay's is compared with. ``own_sleep`` is the mean, over the same tests,
of the time a test slept on its own (:mod:`benchmarks.wire`). ``wall`` is the whole process,
start-up included.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from benchmarks.replay import load_wire, wire_processes
from benchmarks.wire import ENV

__all__ = ["Run", "run_pytest"]

ROOT = Path(__file__).resolve().parent.parent
#: What each process of a run is, from its command line (first match wins). pytest's own
#: come first: the controller's line names the backends (``--ddb-backend=dynalite,...``).
_KINDS = (
    ("watchdog.py", None),  # the servers' watchdogs: a few MiB each, not a server
    ("-m pytest", "pytest"),
    ("exec(eval(sys.stdin.readline()))", "worker"),  # an xdist worker, as execnet starts it
    ("dynalite", "dynalite"),
    ("DynamoDBLocal", "dynamodb-local"),
    ("dynoxide", "dynoxide"),
    ("ministack", "ministack"),
    ("moto", "moto"),
)


@dataclass
class Run:
    wall: float
    per_test: float
    tests: int
    returncode: int
    wire: Path
    own_sleep: float = 0.0
    #: peak RSS in MiB per kind of process ("worker", "dynalite", ...): the largest one.
    peak_rss: dict[str, float] = field(default_factory=dict)

    def figures(self) -> dict[str, float]:
        return {"wall": self.wall, "per_test": self.per_test}


def _kind(process: psutil.Process) -> str | None:
    try:
        line = " ".join(process.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return None
    for needle, kind in _KINDS:
        if needle in line:
            return kind
    return None


class MemorySampler:
    """Sample the RSS of a process tree every ``interval`` seconds; keep each kind's peak."""

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):  # bounded by the run it watches
            try:
                processes = [self.root, *self.root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            for process in processes:
                kind = _kind(process)
                if kind is None:
                    continue
                try:
                    rss = process.memory_info().rss / 2**20
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                self.peak[kind] = max(self.peak.get(kind, 0.0), rss)


def run_pytest(
    args: Sequence[str],
    *,
    cwd: Path = ROOT,
    env: Mapping[str, str] | None = None,
    memory: bool = False,
) -> Run:
    """Run ``python -m pytest ARGS`` with the wire plugin; fail loudly if pytest broke."""
    wire = Path(tempfile.mkdtemp(prefix="ddbmatrix-bench-wire-")) / "wire"
    environment = {
        **os.environ,
        **(env or {}),
        ENV: str(wire),
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    command = [sys.executable, "-m", "pytest", "-q", "-p", "benchmarks.wire", *args]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    peak: dict[str, float] = {}
    if memory:
        with MemorySampler(process.pid) as sampler:
            output, _ = process.communicate()
        peak = sampler.peak
    else:
        output, _ = process.communicate()
    wall = time.perf_counter() - started
    # 0: passed; 1: some test failed (data on an emulator). Anything else is a broken run.
    if process.returncode not in (0, 1):
        tail = output.decode(errors="replace")[-3000:]
        raise RuntimeError(f"pytest {' '.join(args)} exited {process.returncode}:\n{tail}")
    tests = load_wire(wire)
    timed = _timed_by_process(wire)
    per_test = sum(t["seconds"] for t in timed) / len(timed) if timed else 0.0
    own_sleep = sum(t.get("own_sleep", 0.0) for t in timed) / len(timed) if timed else 0.0
    return Run(wall, per_test, len(tests), process.returncode, wire, own_sleep, peak)


def _timed_by_process(wire: Path) -> list[dict[str, Any]]:
    """Each test's record, without the first test of each process (see the docstring)."""
    return [test for tests in wire_processes(wire) for test in tests[1:]]
