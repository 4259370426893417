"""The nox sessions and tox environments, as the tests that compare them see them."""

from __future__ import annotations

import configparser
import functools
import importlib.util
import os
import shlex
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import nox

ROOT = Path(__file__).parents[2]
TOX = [sys.executable, "-m", "tox"]


@functools.cache
def load_noxfile() -> ModuleType:
    """Import noxfile.py (it reads pyproject.toml from the working directory).

    The module gets ``sessions``: the names of the sessions it declares.
    """
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        spec = importlib.util.spec_from_file_location("ddbmatrix_noxfile", ROOT / "noxfile.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        os.chdir(cwd)
    module.sessions = set(nox.registry.get())  # type: ignore[attr-defined]
    return module


def tox_config(root: Path) -> dict[str, dict[str, str]]:
    """Return every tox environment of ``root`` with its commands, extras and description."""
    result = subprocess.run(
        [*TOX, "config", "-e", "ALL", "-k", "commands", "extras", "description", "set_env"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # tox reports a key it cannot load in its value and still exits 0.
    assert "Exception" not in result.stdout, result.stdout
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(result.stdout)
    return {
        section.removeprefix("testenv:"): dict(parser[section])
        for section in parser.sections()
        if section.startswith("testenv:") and section != "testenv:.pkg"
    }


def tox_commands(env: dict[str, str]) -> list[list[str]]:
    return [shlex.split(line) for line in env["commands"].splitlines() if line.strip()]
