"""docs/backends.md: every code block is checked, and the third-party example really runs."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from ddbmatrix.cli import _parser as ddbmatrix_parser

DOC = Path(__file__).parents[2] / "docs" / "backends.md"
_BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
BLOCKS = [(match.group(1), match.group(2)) for match in _BLOCK.finditer(DOC.read_text())]


def blocks(language: str) -> list[str]:
    return [text for lang, text in BLOCKS if lang == language]


def test_every_block_is_one_this_test_checks():
    assert sorted({language for language, _ in BLOCKS}) == ["console", "ini", "python", "toml"]


def test_console_commands_parse():
    lines = [line[2:] for text in blocks("console") for line in text.splitlines()]
    assert lines
    for line in lines:
        program, *args = shlex.split(line)
        if program == "ddbmatrix":
            ddbmatrix_parser().parse_args(args)
        else:
            assert program == "pytest"
            assert all(arg.startswith("--ddb-") or "=" in arg for arg in args), line


def test_the_endpoint_ini_adds_its_endpoints(pytester):
    (ini,) = blocks("ini")
    pytester.makeini(ini)
    pytester.makepyfile(test_it="def test_it(ddb_backend):\n    pass\n")
    result = pytester.runpytest_subprocess("--ddb-backend=moto", "--collect-only", "-q")
    result.stdout.fnmatch_lines(
        ["*test_it?moto?", "*test_it?localstack?", "*test_it?alternator?"], consecutive=True
    )


def test_the_third_party_example_installs_and_runs(pytester):
    (module,) = blocks("python")
    (entry_points,) = blocks("toml")
    site = pytester.path / "site"
    (site / "moto_next").mkdir(parents=True)
    (site / "moto_next" / "__init__.py").write_text(module)
    # What pip install makes of the example's pyproject: the package and its .dist-info.
    group = tomllib.loads(entry_points)["project"]["entry-points"]["ddbmatrix.backends"]
    dist_info = site / "moto_next-1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: moto-next\nVersion: 1.0\n")
    lines = "".join(f"{name} = {target}\n" for name, target in group.items())
    (dist_info / "entry_points.txt").write_text(f"[ddbmatrix.backends]\n{lines}")
    env = {**os.environ, "PYTHONPATH": str(site)}  # HOME is pytester's: the venv lands there
    install = subprocess.run(
        [sys.executable, "-m", "ddbmatrix.cli", "install", "moto-next"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    assert "moto-next 5.2.5: ready" in install.stdout
    os.environ["PYTHONPATH"] = str(site)  # pytester's monkeypatch restores it
    pytester.makepyfile(
        test_it="def test_it(ddb_client):\n    assert ddb_client.list_tables()['TableNames'] == []"
    )
    result = pytester.runpytest_subprocess("--ddb-backend=moto,moto-next", "-v")
    result.stdout.fnmatch_lines(["*test_it?moto? PASSED*", "*test_it?moto-next? PASSED*"])


@pytest.fixture(autouse=True)
def _keep_pythonpath(monkeypatch):
    monkeypatch.setenv("PYTHONPATH", os.environ.get("PYTHONPATH", ""))
