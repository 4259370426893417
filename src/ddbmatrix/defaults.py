"""Which backends a run uses when none is named: the local backends installed here.

``pip install "ddbmatrix[moto]"`` then ``pytest`` runs on moto and says, in one line, which
backends were left out and how to add them. A backend named on purpose (``--ddb-backend``,
the ini ``ddb_backend``, ``all``) must be installed: if it is not, the run stops at start-up
with a one-line error that names the fix, before any test or server starts.
"""

from __future__ import annotations

import pytest

from ddbmatrix.backends import get_backend, local_backends, resolve_backends
from ddbmatrix.errors import BackendDisabledError, BackendUnavailableError
from ddbmatrix.options import option

__all__ = [
    "ADD_THEM",
    "LEFT_OUT_KEY",
    "check_named",
    "choose_backends",
    "installed_backends",
    "left_out_notice",
    "none_installed",
]

#: The backends a default run left out, and why each is not installed.
LEFT_OUT_KEY = pytest.StashKey[dict[str, str]]()
ADD_THEM = "pip install 'ddbmatrix[all]' && ddbmatrix install"


def installed_backends() -> tuple[list[str], dict[str, str]]:
    """Return the local backends that can run here, and the others with why they cannot."""
    installed, missing = [], {}
    for name in local_backends():
        try:
            get_backend(name).check()
        except BackendDisabledError:
            continue  # not a local backend on this platform: never part of the default
        except BackendUnavailableError as error:
            missing[name] = str(error)
            continue
        installed.append(name)
    return installed, missing


def check_named(names: list[str]) -> None:
    """Raise a one-line UsageError for the first backend in ``names`` that is not installed.

    A backend that is off by design (``aws`` without ``DDBMATRIX_AWS=1``, one with no build
    for this platform) is not an error: its tests are skipped with the reason.
    """
    for name in names:
        try:
            get_backend(name).check()
        except BackendDisabledError:
            continue
        except BackendUnavailableError as error:
            raise pytest.UsageError(f"ddbmatrix: {error}") from None


def none_installed() -> str:
    """Say why a test that needs a backend is skipped when no backend is installed."""
    return (
        "ddbmatrix: no DynamoDB backend is installed here: "
        "`pip install 'ddbmatrix[moto]'` adds moto (pure Python); "
        f"`{ADD_THEM}` adds every one"
    )


def left_out_notice(left_out: dict[str, str]) -> str | None:
    """Return the one line that names the backends a default run left out, or None."""
    if not left_out:
        return None
    return f"ddbmatrix: not installed, so left out: {', '.join(left_out)} (add them: {ADD_THEM})"


def choose_backends(config: pytest.Config, endpoints: list[str]) -> list[str]:
    """Return the run's backends: those named, else the installed ones; plus ``endpoints``.

    Raises:
        UnknownBackendError: a name no backend is registered under.
        pytest.UsageError: a backend named on purpose that is not installed.
    """
    chosen = option(config, "ddb_backend")
    named = [name for name in (chosen if isinstance(chosen, list) else [chosen]) if name]
    if named:
        backends = resolve_backends([*named, *endpoints])
        check_named(backends)
        return backends
    installed, left_out = installed_backends()
    config.stash[LEFT_OUT_KEY] = left_out
    return resolve_backends([*installed, *endpoints])
