"""Cold start of each backend, to the first successful DynamoDB call, interleaved.

    python -m benchmarks --only startup          (part of: nox -s bench)

Each start is a new process (the JVM's own page cache stays warm, as in any second run).
Besides each backend as ddbmatrix starts it, it times DynamoDB Local started the stock way
(``java -jar DynamoDBLocal.jar -inMemory -disableTelemetry``) and as ddbmatrix starts it
without its AOT cache (what an install whose cache the JVM refuses gets). Every round
starts each variant once, in a rotating order (:func:`benchmarks.timing.interleave`).
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Mapping, Sequence

import psutil

from benchmarks.runs import work_folder
from benchmarks.timing import Sample, interleave
from ddbmatrix.backends import get_backend
from ddbmatrix.backends.base import probe, probe_client
from ddbmatrix.backends.dynamodb_local import DynamoDBLocal
from ddbmatrix.ports import reserve_port
from ddbmatrix.toolchain import java_executable

__all__ = ["measure_startup"]


def ddbmatrix_start(name: str) -> dict[str, float]:
    """Start ``name`` as the plugin does; return seconds to first call and the server's RSS."""
    started = time.perf_counter()
    server = get_backend(name).start("127.0.0.1", None, work_folder() / f"{name}.log")
    elapsed = time.perf_counter() - started
    try:
        children = psutil.Process(server.pid).children(recursive=True)  # below the watchdog
        rss = sum(child.memory_info().rss for child in children) / 2**20
    finally:
        server.stop()
    return {"seconds": elapsed, "rss_mib": rss}


class _NoCache(DynamoDBLocal):
    """DynamoDB Local as ddbmatrix starts it, but without the AOT cache."""

    def _cache_flag(self) -> list[str]:
        return []


def _wait_for(command: Sequence[str], port: int) -> dict[str, float]:
    endpoint = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    process = subprocess.Popen(
        list(command), cwd=work_folder(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        client = probe_client(endpoint, 1)
        deadline = started + 120
        while not probe(endpoint, 1, client):  # bounded by the deadline
            if time.perf_counter() > deadline or process.poll() is not None:
                raise RuntimeError(f"{command[0]} did not start")
            time.sleep(0.01)
        elapsed = time.perf_counter() - started
        rss = psutil.Process(process.pid).memory_info().rss / 2**20
    finally:
        process.terminate()
        process.wait(30)
    return {"seconds": elapsed, "rss_mib": rss}


def stock_dynamodb_local() -> dict[str, float]:
    """Start DynamoDB Local the way its README says, without ddbmatrix's launcher or flags."""
    backend = DynamoDBLocal()
    jar_dir = backend.jar_dir()
    reservation = reserve_port()
    try:
        return _wait_for(
            [
                str(java_executable(backend.name)),
                f"-Djava.library.path={jar_dir / 'DynamoDBLocal_lib'}",
                "-jar",
                str(jar_dir / "DynamoDBLocal.jar"),
                "-inMemory",
                "-disableTelemetry",
                "-port",
                str(reservation.port),
            ],
            reservation.port,
        )
    finally:
        reservation.release()


def uncached_dynamodb_local() -> dict[str, float]:
    reservation = reserve_port()
    try:
        return _wait_for(_NoCache().command("127.0.0.1", reservation.port), reservation.port)
    finally:
        reservation.release()


def measure_startup(
    names: Sequence[str], repeat: int, progress: Callable[[str], None]
) -> Mapping[str, Sample]:
    """Return ``"<variant>.seconds"`` and ``"<variant>.rss_mib"`` samples for every variant."""
    variants: dict[str, Callable[[], Mapping[str, float]]] = {
        name: (lambda name=name: ddbmatrix_start(name)) for name in names
    }
    if "dynamodb-local" in names:
        variants["dynamodb-local (stock java -jar)"] = stock_dynamodb_local
        variants["dynamodb-local (no AOT cache)"] = uncached_dynamodb_local
    return interleave(variants, repeat, progress=progress)
