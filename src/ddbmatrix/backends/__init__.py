"""The registry of backends, by name.

Built-in backends, third-party ones from the ``ddbmatrix.backends`` entry point group (each
entry point names a :class:`Backend` subclass), and running endpoints given with
``--ddb-endpoint NAME=URL``. ``all`` means every local backend that can run on this
platform; real AWS and endpoints are never part of it.
"""

from __future__ import annotations

import functools
from importlib.metadata import entry_points

from ddbmatrix.backends.aws import Aws
from ddbmatrix.backends.base import FAKE_CREDENTIALS, Backend, ProcessBackend, Server
from ddbmatrix.backends.dynalite import Dynalite
from ddbmatrix.backends.dynamodb_local import DynamoDBLocal
from ddbmatrix.backends.dynoxide import Dynoxide
from ddbmatrix.backends.endpoint import endpoint_backend
from ddbmatrix.backends.ministack import Ministack
from ddbmatrix.backends.moto import Moto
from ddbmatrix.errors import BackendUnsupportedError, DdbMatrixError, UnknownBackendError
from ddbmatrix.runschema import BACKEND_NAME, valid_backend_name

__all__ = [
    "BACKENDS",
    "ENTRY_POINT_GROUP",
    "FAKE_CREDENTIALS",
    "Backend",
    "ProcessBackend",
    "Server",
    "add_endpoint",
    "get_backend",
    "local_backends",
    "registry",
    "resolve_backends",
]

ENTRY_POINT_GROUP = "ddbmatrix.backends"
BUILTIN: tuple[type[Backend], ...] = (Dynalite, DynamoDBLocal, Moto, Dynoxide, Ministack, Aws)
#: Backends added at run time (--ddb-endpoint); tests may add to it too.
BACKENDS: dict[str, type[Backend]] = {backend.name: backend for backend in BUILTIN}


@functools.cache
def _third_party() -> dict[str, type[Backend]]:
    found: dict[str, type[Backend]] = {}
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        backend = entry.load()
        if not (isinstance(backend, type) and issubclass(backend, Backend)):
            raise DdbMatrixError(
                f"entry point {entry.name!r} in group {ENTRY_POINT_GROUP} ({entry.value}) is not "
                "a ddbmatrix.Backend subclass"
            )
        if not valid_backend_name(backend.name):
            raise DdbMatrixError(
                f"entry point {entry.name!r} in group {ENTRY_POINT_GROUP} ({entry.value}) names "
                f"its backend {backend.name!r}, which is not a backend name ({BACKEND_NAME}: it "
                "names files): its package must name it in lower-case letters, digits and '-'"
            )
        found[backend.name] = backend
    return found


def registry() -> dict[str, type[Backend]]:
    """Return every backend by name: built-in, then third-party, then endpoints."""
    third_party = {n: b for n, b in _third_party().items() if n not in BACKENDS}
    return {**BACKENDS, **third_party}


def add_endpoint(name: str, url: str) -> None:
    """Register a running DynamoDB endpoint ddbmatrix neither starts nor stops."""
    if name in registry() and not getattr(registry()[name], "url", None):
        raise UnknownBackendError(f"--ddb-endpoint {name}=...: {name!r} is already a backend")
    BACKENDS[name] = endpoint_backend(name, url)


def get_backend(name: str) -> Backend:
    """Return the backend registered under ``name``."""
    try:
        return registry()[name]()
    except KeyError:
        known = ", ".join([*registry(), "all"])
        raise UnknownBackendError(f"unknown backend {name!r}; choose from: {known}") from None


def _supported(backend: type[Backend]) -> bool:
    try:
        backend().check()
    except BackendUnsupportedError:
        return False
    except DdbMatrixError:
        return True  # not installed yet: still part of all, and asking for it says how
    return True


def local_backends() -> list[str]:
    """Return the names ``all`` stands for: local backends that can run on this platform."""
    return [name for name, backend in registry().items() if backend.local and _supported(backend)]


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
