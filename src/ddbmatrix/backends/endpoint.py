"""A DynamoDB endpoint that is already running, given by ``--ddb-endpoint NAME=URL``.

LocalStack or ScyllaDB Alternator in a container, a shared staging endpoint: ddbmatrix
neither starts nor stops it, only checks that it answers, records its calls under NAME, and
compares it like any other backend.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

from ddbmatrix.backends.base import Backend, Server, probe, wait_for_answer
from ddbmatrix.errors import BackendStartError, UnknownBackendError
from ddbmatrix.hosts import is_aws_host, is_loopback
from ddbmatrix.runschema import BACKEND_NAME

__all__ = ["EndpointBackend", "endpoint_backend", "endpoint_problem"]

#: Asked again until then: an endpoint started just before the run (a container coming up,
#: or a server on a loaded machine) may refuse a connection or time out once, then answer.
_REACH_SECONDS = 5.0
_WHY = {"refused": "nothing listens there", "silent": "no DynamoDB answer"}
_NAME = re.compile(BACKEND_NAME)


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
        state = wait_for_answer(self.url, _REACH_SECONDS)
        if state != "answers":
            raise BackendStartError(
                f"{self.name}: no DynamoDB answered ListTables at {self.url} within "
                f"{_REACH_SECONDS:.0f} s ({_WHY[state]}); start it first, or fix "
                f"--ddb-endpoint {self.name}=URL"
            )
        return RunningEndpoint(self.name, self.url)


def endpoint_problem(
    name: str, url: str, *, reserved: Collection[str] = (), remote: bool = True
) -> str | None:
    """Say what is wrong with the endpoint ``name=url``, in one line naming the fix, or None.

    ``name`` becomes a file name (``runs/NAME.json``), so it must be a backend name, never a
    path; ``reserved`` are the names it may not take (``all``, the registered backends).
    ``remote`` allows a host off this machine (only when the aws backend was asked for:
    otherwise every request to it would be refused as egress).
    """
    if not _NAME.fullmatch(name):
        return (
            f"the name {name!r} is not a backend name ({BACKEND_NAME}: lower-case letters, "
            "digits and '-'): it names the run file, e.g. --ddb-endpoint localstack=URL"
        )
    if name in reserved:
        return (
            f"the name {name!r} is taken ({', '.join(sorted(reserved))} are reserved): "
            f"give the endpoint a name of its own, e.g. --ddb-endpoint my-{name}=URL"
        )
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not one
    except ValueError as error:
        return f"{url!r} is not a URL ({error}): give http://HOST:PORT"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"{url!r} is not an http(s) URL: give http://HOST:PORT, e.g. http://127.0.0.1:4566"
    if is_aws_host(parts.hostname):
        return (
            f"{url} is real AWS: use --ddb-backend=aws with DDBMATRIX_AWS=1, which guards "
            "your tables and cleans up after itself"
        )
    if not remote and not is_loopback(parts.hostname):
        return (
            f"{parts.hostname} is not this machine, and requests leave it only for the aws "
            "backend: run the endpoint on 127.0.0.1 (or ask for --ddb-backend=aws too)"
        )
    return None


def endpoint_backend(name: str, url: str) -> type[EndpointBackend]:
    """Return a backend class for the endpoint ``url``, registered as ``name``."""
    problem = endpoint_problem(name, url, reserved=("all", "no-backend"))
    if problem is not None:
        raise UnknownBackendError(f"--ddb-endpoint {name}={url}: {problem}")
    return type(f"Endpoint_{name}", (EndpointBackend,), {"name": name, "url": url.rstrip("/")})
