"""A DynamoDB endpoint that is already running, given by ``--ddb-endpoint NAME=URL``.

LocalStack or ScyllaDB Alternator in a container, a shared staging endpoint: ddbmatrix
neither starts nor stops it, only checks that it answers, records its calls under NAME, and
compares it like any other backend.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

from ddbmatrix.backends.base import Backend, Server, probe
from ddbmatrix.errors import BackendStartError, UnknownBackendError

__all__ = ["EndpointBackend", "endpoint_backend"]

#: Hosts of real AWS: never reached through --ddb-endpoint (use the aws backend's opt-in).
_AWS_HOSTS = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws")
_REACH_SECONDS = 5.0


@dataclass
class RunningEndpoint(Server):
    backend: str
    endpoint: str

    def stop(self) -> None:
        """Not ours to stop."""

    def answers(self, timeout: float = 2.0) -> bool:
        return probe(self.endpoint, timeout)


class EndpointBackend(Backend):
    """Base of the classes :func:`endpoint_backend` makes, one per ``--ddb-endpoint``."""

    local = False
    url: ClassVar[str]

    def version(self) -> str:
        return f"endpoint {self.url}"

    def start(
        self, host: str, port: int | None, log_path: Path, *, owners: Sequence[int] = ()
    ) -> Server:
        if not probe(self.url, _REACH_SECONDS):
            raise BackendStartError(
                f"{self.name}: no DynamoDB answered ListTables at {self.url} within "
                f"{_REACH_SECONDS:.0f} s; start it first, or fix --ddb-endpoint {self.name}=URL"
            )
        return RunningEndpoint(self.name, self.url)


def endpoint_backend(name: str, url: str) -> type[EndpointBackend]:
    """Return a backend class for the endpoint ``url``, registered as ``name``."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnknownBackendError(f"--ddb-endpoint {name}={url}: not an http(s) URL")
    if parts.hostname.endswith(_AWS_HOSTS):
        raise UnknownBackendError(
            f"--ddb-endpoint {name}={url} is real AWS: use --ddb-backend=aws with DDBMATRIX_AWS=1, "
            "which guards your tables and cleans up after itself"
        )
    return type(f"Endpoint_{name}", (EndpointBackend,), {"name": name, "url": url.rstrip("/")})
