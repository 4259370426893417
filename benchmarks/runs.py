"""Running pytest for the benchmark: wall time, each test's time, and the memory of the run.

Every run is a new pytest process (as a user's run is) with :mod:`benchmarks.wire` loaded.
``per_test`` is the mean time of a test's whole protocol (set-up, call, teardown, report
hooks) over every test but each process's first, whose set-up starts the servers: that is
the figure the replay's is compared with. ``own_sleep`` is the mean, over the same tests,
of the time a test slept on its own (:mod:`benchmarks.wire`). ``wall`` is the whole process,
start-up included.

Everything a run writes (its wire files, run files, logs) goes under :func:`work_folder`,
which the bench removes when it ends; a run's wire goes as soon as its figures are read, unless
the caller keeps it to replay its calls (a whole-matrix run's is about 0.5 GB).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from benchmarks.replay import timed_tests, wire_processes
from benchmarks.wire import ENV

__all__ = ["Run", "remove_work_folder", "run_pytest", "work_folder"]

ROOT = Path(__file__).resolve().parent.parent
_work: list[Path] = []
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
    #: The wire's file prefix (:mod:`benchmarks.wire`); gone unless the run kept it.
    wire: Path
    own_sleep: float = 0.0
    #: peak RSS in MiB per kind of process ("worker", "dynalite", ...): the largest one.
    peak_rss: dict[str, float] = field(default_factory=dict)

    def figures(self) -> dict[str, float]:
        return {"wall": self.wall, "per_test": self.per_test}


def work_folder() -> Path:
    """Return the bench's scratch folder, made on first use (importing makes no folder)."""
    if not _work:
        _work.append(Path(tempfile.mkdtemp(prefix="ddbmatrix-bench-")))
    return _work[0]


def remove_work_folder() -> None:
    """Remove the scratch folder: run files, logs and kept wires (GBs for a whole matrix)."""
    for path in _work:
        shutil.rmtree(path, ignore_errors=True)
    _work.clear()


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
    keep_wire: bool = False,
) -> Run:
    """Run ``python -m pytest ARGS`` with the wire plugin; fail loudly if pytest broke."""
    wire = Path(tempfile.mkdtemp(prefix="wire-", dir=work_folder())) / "wire"
    environment = {
        # Python's default, even where the machine turns it off: else every one of the
        # bench's ~70 pytest processes compiles ddbmatrix and rewrites the suite's asserts
        # again (1.6 s of a compat run's 3.4 s of collection), which no user's run repeats.
        **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
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
    processes = wire_processes(wire)
    if not keep_wire:
        shutil.rmtree(wire.parent)
    timed = [test for tests in processes for test in timed_tests(tests)]
    per_test = sum(t["seconds"] for t in timed) / len(timed) if timed else 0.0
    own_sleep = sum(t.get("own_sleep", 0.0) for t in timed) / len(timed) if timed else 0.0
    count = sum(map(len, processes))
    return Run(wall, per_test, count, process.returncode, wire, own_sleep, peak)
