"""Sessions: one per backend, all local backends plus the report, the framework's tests, lint.

A failing compat test is data, not a broken run: the suite runs with --ddb-failures-as-data,
so such a failure costs one letter of output and pytest exits 0; a session fails on anything
else (a stale ddb_diverges note, a usage or internal error, an interruption, no tests).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import nox

nox.needs_version = ">=2025.02.09"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["tests", "lint"]
nox.options.reuse_venv = "yes"

PYPROJECT = nox.project.load_toml("pyproject.toml")
TEST_DEPS = nox.project.dependency_groups(PYPROJECT, "test")
LINT_DEPS = nox.project.dependency_groups(PYPROJECT, "lint")
LOCAL_BACKENDS = ("dynalite", "dynamodb-local", "moto", "dynoxide", "ministack")
RUNS_DIR = "reports/runs"
BASELINE = "reports/baseline.json"
#: How the compat suite runs (tox.toml's backend environments run the same; a test checks it).
SUITE_ARGS = ("tests/compat", f"--ddb-runs-dir={RUNS_DIR}", "-n", "auto", "--ddb-failures-as-data")
#: pytest fills the terminal's width with progress letters; a CI log is no terminal, and at
#: its 80 columns 8,000 results take 110 lines. Wider lines keep the summary on one screen.
SUITE_ENV = {"COLUMNS": "240"}


def _install(session: nox.Session, extras: str) -> None:
    session.install("-e", f".[{extras}]", *TEST_DEPS)


def _suite(session: nox.Session, backends: str) -> None:
    """Run tests/compat on ``backends`` in parallel workers; forward posargs to pytest."""
    session.run("pytest", *SUITE_ARGS, f"--ddb-backend={backends}", *session.posargs, env=SUITE_ENV)


def _backend_session(backend: str) -> None:
    def run(session: nox.Session) -> None:
        _install(session, backend)
        session.run("ddbmatrix", "install", backend)
        _suite(session, backend)

    run.__doc__ = f"Run the compat suite on {backend} and write {RUNS_DIR}/{backend}.json."
    nox.session(name=backend)(run)


for _backend in LOCAL_BACKENDS:
    _backend_session(_backend)


@nox.session(name="aws", default=False)
def aws(session: nox.Session) -> None:
    """Run the compat suite on real DynamoDB (needs DDBMATRIX_AWS=1 and AWS credentials)."""
    if os.environ.get("DDBMATRIX_AWS") != "1":
        session.error("the aws session sends requests to real DynamoDB: set DDBMATRIX_AWS=1")
    session.install("-e", ".", *TEST_DEPS)
    _suite(session, "aws")


@nox.session(name="all-backends")
def all_backends(session: nox.Session) -> None:
    """Run the compat suite on every local backend in one run, then build the report."""
    _install(session, "all")
    session.run("ddbmatrix", "install", *LOCAL_BACKENDS)
    _suite(session, "all")
    # A backend this platform cannot run (dynoxide outside linux-x64) leaves no run file.
    runs = [path for b in LOCAL_BACKENDS if (path := Path(RUNS_DIR, f"{b}.json")).is_file()]
    # The committed baseline tells what is new since the pinned versions were last compared.
    baseline = ["--baseline", BASELINE] if Path(BASELINE).is_file() else []
    session.run("ddbmatrix", "report", *map(str, runs), *baseline)


#: What users would pick instead of ddbmatrix, measured against it by the benchmark.
BENCH_DEPS = ("pytest-dynamodb==3.0.2",)


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Measure where a test's time goes; write reports/bench.{json,md}; check the targets.

    ``-- --quick`` is a small run (dynalite only, no matrix, no growth); ``-- --readme``
    measures nothing and rebuilds README's Performance section from reports/bench.json.
    """
    _install(session, "all")
    session.install(*BENCH_DEPS)
    if "--readme" not in session.posargs:
        session.run("ddbmatrix", "install", *LOCAL_BACKENDS)
    session.run("python", "-m", "benchmarks", *session.posargs)


@nox.session
def report(session: nox.Session) -> None:
    """Build the report from every run file in reports/runs, against the committed baseline."""
    session.install("-e", ".")
    # Arguments replace the default, as in tox.toml's report environment.
    session.run("ddbmatrix", "report", *(session.posargs or ["--baseline", BASELINE]))


@nox.session
def tests(session: nox.Session) -> None:
    """Run the framework's own tests (no Node or Java needed)."""
    _install(session, "moto")
    session.run("pytest", "tests/unit", "-n", "auto", *session.posargs)


@nox.session(default=False)
def integration(session: nox.Session) -> None:
    """Check the real backends: loopback-only listeners, no outbound traffic, no leaked secrets."""
    _install(session, "all")
    session.run("ddbmatrix", "install", *LOCAL_BACKENDS)
    session.run("pytest", "tests/integration", *session.posargs)


@nox.session(default=False)
def docs(session: nox.Session) -> None:
    """Run every code block of README.md and docs/usage.md on every local backend."""
    _install(session, "all")
    session.run("ddbmatrix", "install", *LOCAL_BACKENDS)
    # `nox -s tests` runs the same blocks on the backends it has (moto, without Node or Java).
    env = {"DDBMATRIX_DOCS_BACKENDS": "all"}
    session.run("pytest", "tests/unit/test_docs.py", "-n", "auto", *session.posargs, env=env)


@nox.session(default=False)
def readme(session: nox.Session) -> None:
    """Regenerate README.md's report excerpt from reports/divergence.json (of all-backends)."""
    session.install("-e", ".")
    session.run("python", "docs/readme_excerpt.py", *session.posargs)


@nox.session(default=False)
def example(session: nox.Session) -> None:
    """Run the example projects as their READMEs say: on every local backend, then the report."""
    _install(session, "all")
    session.run("ddbmatrix", "install", *LOCAL_BACKENDS)
    session.chdir("examples/people")
    # Every test passes or is a noted divergence (xfailed): any failure fails the session.
    session.run("pytest", "-n", "2", "--ddb-backend=all", *session.posargs)
    session.run("ddbmatrix", "report")
    # An existing suite, unchanged: what fails on an emulator is data, but DynamoDB Local,
    # the backend it was written for, must pass every test.
    session.chdir("../bookshop")
    session.run(
        "pytest",
        "-n",
        "2",
        "--ddb-backend=all",
        "--ddb-failures-as-data",
        *session.posargs,
    )
    session.run("ddbmatrix", "report")
    run = json.loads(Path(RUNS_DIR, "dynamodb-local.json").read_text())
    failed = [test["id"] for test in run["tests"] if test["outcome"] != "passed"]
    if failed or not run["tests"]:
        session.error(f"examples/bookshop: DynamoDB Local did not pass {failed or 'any test'}")


@nox.session
def lint(session: nox.Session) -> None:
    """Check style (ruff), types (mypy strict on src/ and this file) and the CI workflows."""
    session.install("-e", ".", *LINT_DEPS)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
    # The schema ships inside check-jsonschema, so this works offline.
    workflows = sorted(str(path) for path in Path(".github/workflows").glob("*.yml"))
    session.run("check-jsonschema", "--builtin-schema", "vendor.github-workflows", *workflows)


if __name__ == "__main__":
    nox.main()
