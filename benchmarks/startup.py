"""Cold start of each backend, to the first successful DynamoDB call, measured side by side.

    python benchmarks/startup.py [--repeat 5]          (or: nox -s bench)

Each start is a new process (the JVM's own page cache stays warm, as in any second run).
Besides each backend as ddbmatrix starts it, it times DynamoDB Local started the stock way
(``java -jar DynamoDBLocal.jar -inMemory -disableTelemetry``) and all backends of a worker
started one after another versus at once, and prints ratios from the same run: absolute
seconds on a shared machine are noise, ratios measured together are the signal.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

from ddbmatrix.backends import get_backend, local_backends
from ddbmatrix.backends.base import probe, probe_client
from ddbmatrix.backends.dynamodb_local import DynamoDBLocal
from ddbmatrix.ports import reserve_port
from ddbmatrix.toolchain import java_executable

LOGS = Path(tempfile.mkdtemp(prefix="ddbmatrix-bench-"))


def ddbmatrix_start(name: str) -> tuple[float, float]:
    """Start ``name`` as the plugin does; return (seconds to first call, server RSS MiB)."""
    started = time.monotonic()
    server = get_backend(name).start("127.0.0.1", None, LOGS / f"{name}.log")
    elapsed = time.monotonic() - started
    try:
        children = psutil.Process(server.pid).children(recursive=True)  # below the watchdog
        rss = sum(child.memory_info().rss for child in children) / 2**20
    finally:
        server.stop()
    return elapsed, rss


def stock_dynamodb_local() -> tuple[float, float]:
    """Start DynamoDB Local the way its README says, without ddbmatrix's launcher or flags."""
    backend = DynamoDBLocal()
    jar_dir = backend.jar_dir()
    reservation = reserve_port()
    endpoint = f"http://127.0.0.1:{reservation.port}"
    command = [
        str(java_executable(backend.name)),
        f"-Djava.library.path={jar_dir / 'DynamoDBLocal_lib'}",
        "-jar",
        str(jar_dir / "DynamoDBLocal.jar"),
        "-inMemory",
        "-disableTelemetry",
        "-port",
        str(reservation.port),
    ]
    started = time.monotonic()
    process = subprocess.Popen(
        command, cwd=LOGS, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        client = probe_client(endpoint, 1)
        deadline = started + 120
        while not probe(endpoint, 1, client):  # bounded by the deadline
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("stock DynamoDB Local did not start")
            time.sleep(0.02)
        elapsed = time.monotonic() - started
        rss = psutil.Process(process.pid).memory_info().rss / 2**20
    finally:
        process.terminate()
        process.wait(30)
        reservation.release()
    return elapsed, rss


def all_at_once(names: list[str]) -> Callable[[], tuple[float, float]]:
    def run() -> tuple[float, float]:
        started = time.monotonic()
        with ThreadPoolExecutor(len(names)) as pool:
            servers = list(
                pool.map(
                    lambda n: get_backend(n).start("127.0.0.1", None, LOGS / f"{n}.log"), names
                )
            )
        elapsed = time.monotonic() - started
        for server in servers:
            server.stop()
        return elapsed, 0.0

    return run


def one_after_another(names: list[str]) -> Callable[[], tuple[float, float]]:
    def run() -> tuple[float, float]:
        started = time.monotonic()
        servers = [get_backend(n).start("127.0.0.1", None, LOGS / f"{n}.log") for n in names]
        elapsed = time.monotonic() - started
        for server in servers:
            server.stop()
        return elapsed, 0.0

    return run


def measure(label: str, start: Callable[[], tuple[float, float]], repeat: int) -> float:
    samples = [start() for _ in range(repeat)]
    seconds = statistics.median(s for s, _ in samples)
    rss = statistics.median(r for _, r in samples)
    memory = f"{rss:7.0f} MiB" if rss else " " * 11
    runs = " ".join(f"{s:.2f}" for s, _ in samples)
    print(f"{label:38} {seconds:6.2f} s {memory}   ({runs})", flush=True)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    names = local_backends()
    print(f"cold start to first successful call, median of {args.repeat}\n")
    print(f"{'':38} {'median':>8} {'server RSS':>11}   (each run)")
    medians = {
        name: measure(
            f"{name} (as ddbmatrix starts it)", lambda name=name: ddbmatrix_start(name), args.repeat
        )
        for name in names
    }
    stock = measure("dynamodb-local (stock java -jar)", stock_dynamodb_local, args.repeat)
    serial = measure(
        f"{len(names)} backends, one after another", one_after_another(names), args.repeat
    )
    together = measure(f"{len(names)} backends, at once", all_at_once(names), args.repeat)
    print()
    print(f"dynamodb-local: stock / ddbmatrix = {stock / medians['dynamodb-local']:.2f}x")
    print(f"worker start-up: one after another / at once = {serial / together:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
