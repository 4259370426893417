"""ddbmatrix: one DynamoDB test suite, run unchanged on every backend, and where they diverge."""

from __future__ import annotations

from ddbmatrix._version import __version__ as __version__
from ddbmatrix.backends import Backend, ProcessBackend, Server, get_backend, resolve_backends
from ddbmatrix.context import current_backend
from ddbmatrix.declarations import DeclarationError, DeclaredTable
from ddbmatrix.errors import (
    AwsGuardError,
    BackendBrokenError,
    BackendDisabledError,
    BackendStartError,
    BackendUnavailableError,
    BackendUnsupportedError,
    DdbMatrixError,
    EgressRefusedError,
    OutsideTestError,
    RequestRefusedError,
    RunFileError,
    StaleEndpointError,
    UnknownBackendError,
)
from ddbmatrix.tables import IndexSpec, TableSpec
from ddbmatrix.templates import load_template

__all__ = [
    "AwsGuardError",
    "Backend",
    "BackendBrokenError",
    "BackendDisabledError",
    "BackendStartError",
    "BackendUnavailableError",
    "BackendUnsupportedError",
    "DdbMatrixError",
    "DeclarationError",
    "DeclaredTable",
    "EgressRefusedError",
    "IndexSpec",
    "OutsideTestError",
    "ProcessBackend",
    "RequestRefusedError",
    "RunFileError",
    "Server",
    "StaleEndpointError",
    "TableSpec",
    "UnknownBackendError",
    "current_backend",
    "get_backend",
    "load_template",
    "resolve_backends",
]
