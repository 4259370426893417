"""The installed version of ddbmatrix, from its package metadata (pyproject.toml's version)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__"]

try:
    __version__ = version("ddbmatrix")
except PackageNotFoundError:  # a checkout on sys.path that was never installed
    __version__ = "0+unknown"
