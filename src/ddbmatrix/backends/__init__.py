"""The registry of backends, by name.

``all`` means every local backend; real AWS is never part of it.
"""

from __future__ import annotations

from ddbmatrix.backends.aws import Aws
from ddbmatrix.backends.base import FAKE_CREDENTIALS, Backend, ProcessBackend, Server
from ddbmatrix.backends.dynalite import Dynalite
from ddbmatrix.backends.dynamodb_local import DynamoDBLocal
from ddbmatrix.backends.moto import Moto
from ddbmatrix.errors import UnknownBackendError

__all__ = [
    "BACKENDS",
    "FAKE_CREDENTIALS",
    "Backend",
    "ProcessBackend",
    "Server",
    "get_backend",
    "local_backends",
    "resolve_backends",
]

BACKENDS: dict[str, type[Backend]] = {
    backend.name: backend for backend in (Dynalite, DynamoDBLocal, Moto, Aws)
}


def get_backend(name: str) -> Backend:
    """Return the backend registered under ``name``."""
    try:
        return BACKENDS[name]()
    except KeyError:
        known = ", ".join([*BACKENDS, "all"])
        raise UnknownBackendError(f"unknown backend {name!r}; choose from: {known}") from None


def local_backends() -> list[str]:
    """Return the names ``all`` stands for."""
    return [name for name, backend in BACKENDS.items() if backend.local]


def resolve_backends(spec: str | list[str]) -> list[str]:
    """Turn ``"dynalite,moto"``, ``"all"`` or a list of such into backend names, in order."""
    parts = spec if isinstance(spec, list) else [spec]
    names: list[str] = []
    for part in parts:
        for raw in part.split(","):
            name = raw.strip()
            if not name:
                continue
            for resolved in local_backends() if name == "all" else [name]:
                get_backend(resolved)
                if resolved not in names:
                    names.append(resolved)
    return names
