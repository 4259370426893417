"""The errors ddbmatrix raises.

Every message names what went wrong and the command or setting that fixes it::

    DdbMatrixError
     ├── UnknownBackendError      a name that no backend is registered under
     ├── BackendUnavailableError  toolchain or emulator files missing (names the install command)
     │    └── BackendDisabledError a backend that does not run here by design: its tests
     │         │                   are skipped, not failed (aws without DDBMATRIX_AWS=1)
     │         └── BackendUnsupportedError  no build of it for this platform
     ├── BackendStartError        the server did not become ready (command line + log tail)
     ├── BackendBrokenError       the server crashed or hung mid-run (log tail)
     ├── RunFileError             a run file that is missing, corrupt, foreign or of another schema
     └── RequestRefusedError      a DynamoDB request ddbmatrix would not send (see routing.py)
          ├── EgressRefusedError  to a host off this machine, with no aws backend asked for
          ├── OutsideTestError    to the placeholder endpoint, with no test on a backend running
          ├── StaleEndpointError  to another backend's server than the one of the running test
          └── AwsGuardError       to real AWS, that could change what the run did not create
"""

from __future__ import annotations

__all__ = [
    "AwsGuardError",
    "BackendBrokenError",
    "BackendDisabledError",
    "BackendStartError",
    "BackendUnavailableError",
    "BackendUnsupportedError",
    "DdbMatrixError",
    "EgressRefusedError",
    "OutsideTestError",
    "RequestRefusedError",
    "RunFileError",
    "StaleEndpointError",
    "UnknownBackendError",
]


class DdbMatrixError(Exception):
    """Base class of every error ddbmatrix raises on purpose."""


class UnknownBackendError(DdbMatrixError, ValueError):
    """A backend name that is not registered."""


class BackendUnavailableError(DdbMatrixError):
    """A backend cannot run here: its toolchain or files are missing."""


class BackendDisabledError(BackendUnavailableError):
    """A backend that does not run here by design; its tests are skipped with the reason."""


class BackendUnsupportedError(BackendDisabledError):
    """A backend with no build for this platform (e.g. dynoxide outside linux-x64)."""


class BackendStartError(DdbMatrixError):
    """A backend server exited or never answered a DynamoDB call."""


class BackendBrokenError(DdbMatrixError):
    """A backend server that crashed or hung while the run was using it."""

    def __init__(self, backend: str, kind: str, message: str) -> None:
        super().__init__(message)
        self.backend = backend
        #: "crashed" or "hung"
        self.kind = kind


class RunFileError(DdbMatrixError):
    """A run file that cannot be used for a report."""


class RequestRefusedError(DdbMatrixError):
    """A request ddbmatrix refused to send; the message says why and what fixes it.

    Raised inside the SDK call, so the test (or fixture) that made the call fails with it
    and its run-file record keeps the refusal as the call's error.
    """


class EgressRefusedError(RequestRefusedError):
    """A request to a host off this machine while no aws backend was asked for and enabled."""


class OutsideTestError(RequestRefusedError):
    """A request to the placeholder endpoint while no test or fixture runs on a backend."""


class StaleEndpointError(RequestRefusedError):
    """A request to one backend's server while a test of another backend runs."""


class AwsGuardError(RequestRefusedError):
    """A request to real AWS that could change a table the run did not create.

    Raised by the aws write guard (:mod:`ddbmatrix.aws_guard`), also for a request whose
    effect it cannot tell with certainty.
    """
