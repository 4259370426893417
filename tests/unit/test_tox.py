"""tox.toml stays the twin of the nox sessions, and the usage docs' tox.toml really runs."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.unit.sessions import ROOT, TOX, load_noxfile, tox_config
from tests.unit.sessions import tox_commands as commands
from tests.unit.test_docs import DOCS, SECTIONS

#: nox sessions with no tox twin: the maintainers' tools (lint, benchmarks, CI-only checks).
NOX_ONLY = {"lint", "bench", "integration", "example", "docs", "readme"}


@pytest.fixture(scope="module")
def noxfile():
    return load_noxfile()


@pytest.fixture(scope="module")
def envs():
    return tox_config(ROOT)


def test_every_nox_session_has_a_tox_twin_or_is_a_maintainers_tool(noxfile, envs):
    assert noxfile.sessions >= NOX_ONLY, "NOX_ONLY names a session the noxfile no longer has"
    assert set(envs) == noxfile.sessions - NOX_ONLY


def test_a_backend_environment_runs_the_suite_as_its_nox_session_does(noxfile, envs):
    for backend in noxfile.LOCAL_BACKENDS:
        env = envs[backend]
        assert env["extras"] == backend
        assert commands(env) == [
            ["ddbmatrix", "install", backend],
            ["pytest", *noxfile.SUITE_ARGS, f"--ddb-backend={backend}"],
        ]
        assert f"{noxfile.RUNS_DIR}/{backend}.json" in env["description"]
        for name, value in noxfile.SUITE_ENV.items():
            assert f"{name}={value}" in env["set_env"].split()


def test_all_backends_and_report_use_the_committed_baseline(noxfile, envs):
    install, suite, report = commands(envs["all-backends"])
    assert install == ["ddbmatrix", "install", *noxfile.LOCAL_BACKENDS]
    assert suite == ["pytest", *noxfile.SUITE_ARGS, "--ddb-backend=all"]
    assert report == ["ddbmatrix", "report", "--baseline", noxfile.BASELINE]
    assert commands(envs["report"]) == [["ddbmatrix", "report", "--baseline", noxfile.BASELINE]]
    assert envs["all-backends"]["extras"] == "all"


def test_tests_runs_the_unit_tests_with_moto_only(envs):
    assert commands(envs["tests"]) == [["pytest", "tests/unit", "-n", "auto"]]
    assert envs["tests"]["extras"] == "moto"


def test_aws_refuses_to_run_without_the_opt_in(noxfile, envs):
    guard, suite = commands(envs["aws"])
    assert suite == ["pytest", *noxfile.SUITE_ARGS, "--ddb-backend=aws"]
    env = {k: v for k, v in os.environ.items() if k != "DDBMATRIX_AWS"}
    refused = subprocess.run(
        [sys.executable, *guard[1:]], env=env, capture_output=True, text=True, check=False
    )
    assert refused.returncode == 1
    assert "set DDBMATRIX_AWS=1" in refused.stderr
    allowed = subprocess.run([sys.executable, *guard[1:]], env={**env, "DDBMATRIX_AWS": "1"})
    assert allowed.returncode == 0


# -- the usage docs' tox project -------------------------------------------------------------

(USING_TOX,) = [s for s in SECTIONS if s.path == DOCS[0] and s.heading == "Using tox"]


@pytest.fixture(scope="module")
def wheels(tmp_path_factory):
    """A wheel of this checkout, where pip looks for ddbmatrix (it is not on any index)."""
    folder = tmp_path_factory.mktemp("wheels")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(folder), ROOT],
        check=True,
    )
    return folder


@pytest.fixture
def project(tmp_path):
    for block in USING_TOX.blocks:
        if block.language == "python":
            name = block.tags.get("file") or f"test_doc_{block.line}.py"
            (tmp_path / name).write_text(block.text)
        elif block.language == "toml":
            (tmp_path / block.tags["file"]).write_text(block.text)
    return tmp_path


def test_the_docs_tox_toml_loads_and_names_its_backends(project):
    envs = tox_config(project)
    assert set(envs) == {"dynalite", "dynamodb-local", "moto", "report"}
    assert commands(envs["moto"])[1][:4] == ["pytest", "-n", "auto", "--ddb-backend=moto"]


def test_the_docs_tox_toml_runs_a_backend_then_the_report(project, wheels):
    links = " ".join(filter(None, [os.environ.get("PIP_FIND_LINKS"), str(wheels)]))
    env = {**os.environ, "PIP_FIND_LINKS": links}
    out = {}
    for tox_env in ("moto", "report"):
        result = subprocess.run(
            [*TOX, "run", "-e", tox_env], cwd=project, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        out[tox_env] = result.stdout
    assert "test_count_orders[moto] PASSED" in out["moto"] or "1 passed" in out["moto"]
    assert (project / "reports" / "runs" / "moto.json").is_file()
    assert "report: file://" in out["report"]
    assert (project / "reports" / "divergence.json").is_file()
