"""The matrix's own physical limit at ``-n 2``: its calls replayed by one process, then two.

``-n 2`` can gain only what the calls themselves gain from a second process on the same
cores (two clients and two sets of servers sharing them). So the calls of an ``-n 0`` matrix
run are replayed, with no pytest and no ddbmatrix, the way ``-n 2`` would run them: each
process starts its own server of every backend (as each xdist worker does), takes every
other test of each backend, and sends their calls through one plain boto3 client per server
(:func:`benchmarks.replay.replay_boto3`). The processes start their servers first and replay
together at a signal, so the figure is the calls' time alone.

    python -m benchmarks.parallel SHARE.json     (one process; the bench starts them)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from benchmarks.replay import Test, replay_boto3
from benchmarks.runs import ROOT
from ddbmatrix.backends import get_backend
from ddbmatrix.outcomes import parametrized_backend

__all__ = ["replay_in_processes", "shares"]

_READY, _GO = "ready", "go"


def shares(tests: Sequence[Test], names: Sequence[str], count: int) -> list[dict[str, list[Test]]]:
    """Split ``tests`` among ``count`` processes: every ``count``-th test of each backend."""
    by_backend: dict[str, list[Test]] = {}
    for test in tests:
        backend = parametrized_backend(test["id"], names)
        if backend is not None:
            by_backend.setdefault(backend, []).append(test)
    return [
        {name: backend_tests[index::count] for name, backend_tests in by_backend.items()}
        for index in range(count)
    ]


def replay_in_processes(
    tests: Sequence[Test], names: Sequence[str], count: int, work: Path
) -> float:
    """Replay ``tests`` split among ``count`` processes at once; return the slowest's seconds."""
    processes = []
    try:
        for share in shares(tests, names, count):
            with tempfile.NamedTemporaryFile(
                "w", suffix=".json", prefix="share-", dir=work, delete=False
            ) as file:
                json.dump(share, file)
            path = Path(file.name)
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "benchmarks.parallel", str(path)],
                    cwd=ROOT,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                )
            )
        for process in processes:  # each has started its servers
            line = process.stdout.readline().strip() if process.stdout else ""
            if line != _READY:
                raise RuntimeError(f"a replay process did not start its servers: {line!r}")
        for process in processes:
            assert process.stdin is not None
            process.stdin.write(_GO + "\n")
            process.stdin.flush()
        seconds = []
        for process in processes:
            out, _ = process.communicate(timeout=3600)
            if process.returncode != 0:
                raise RuntimeError(f"a replay process failed (exit code {process.returncode})")
            seconds.append(float(out.strip().splitlines()[-1]))
        return max(seconds)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()


def _replay_share(share: Mapping[str, list[Test]], log_dir: Path) -> float:
    """Start a server of each backend in ``share``, wait for the signal, replay; the seconds."""
    servers: dict[str, Any] = {}
    try:
        for name in share:
            log = log_dir / f"parallel-{name}-{time.monotonic_ns()}.log"
            servers[name] = get_backend(name).start("127.0.0.1", None, log)
        print(_READY, flush=True)
        if sys.stdin.readline().strip() != _GO:
            raise SystemExit("no signal to replay")
        # replay_boto3 times the calls, not its clients' set-up, and leaves its first test
        # untimed: here every test counts, so an empty one goes first.
        return sum(
            replay_boto3(servers[name].endpoint, [{"calls": []}, *backend_tests])
            for name, backend_tests in share.items()
        )
    finally:
        for server in servers.values():
            server.stop()


def main(argv: Sequence[str]) -> int:
    path = Path(argv[0])
    seconds = _replay_share(json.loads(path.read_text()), path.parent)
    print(seconds, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
