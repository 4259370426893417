"""The state one pytest process keeps for ddbmatrix: chosen backends, servers, clients, recorder."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from ddbmatrix.aws_guard import guard
from ddbmatrix.backends import Backend, Server, get_backend
from ddbmatrix.backends.aws import CONTROL_PLANE_CONFIG, control_plane_slot, run_tags
from ddbmatrix.backends.base import fake_session
from ddbmatrix.context import BackendContext
from ddbmatrix.errors import BackendDisabledError, BackendUnavailableError
from ddbmatrix.identity import RealIdentity
from ddbmatrix.recording import Recorder
from ddbmatrix.servers import ServerPool
from ddbmatrix.tables import TableFactory, table_name_prefix

__all__ = ["DEFAULT_CALL_TIMEOUT", "DdbMatrixState", "client_config", "streams_endpoint"]

#: Seconds a call may take before the backend counts as hung (see servers.HANG_SECONDS).
DEFAULT_CALL_TIMEOUT = 30.0
#: AWS serves DynamoDB Streams from a host of its own; emulators serve it beside DynamoDB.
_AWS_DYNAMODB = re.compile(r"^https://dynamodb\.([a-z0-9-]+)\.amazonaws\.com(?=/|$)")


def streams_endpoint(endpoint: str) -> str:
    """Return where the DynamoDB Streams API of the DynamoDB ``endpoint`` is served."""
    return _AWS_DYNAMODB.sub(r"https://streams.dynamodb.\1.amazonaws.com", endpoint, count=1)


def client_config(call_timeout: float = DEFAULT_CALL_TIMEOUT) -> Config:
    """No client-side validation and one attempt: what the server itself answers is observed."""
    return Config(
        parameter_validation=False,
        retries={"total_max_attempts": 1, "mode": "standard"},
        connect_timeout=5,
        read_timeout=call_timeout,
    )


@dataclass
class DdbMatrixState:
    """Everything ddbmatrix holds for the duration of one pytest process."""

    backends: list[str]
    run_id: str
    worker: str
    log_dir: Path
    pool: ServerPool
    call_timeout: float = DEFAULT_CALL_TIMEOUT
    #: The backends this process has tests for (after deselection): worth starting early.
    wanted: set[str] = field(default_factory=set)
    recorder: Recorder = field(default_factory=Recorder)
    context: BackendContext = field(default_factory=BackendContext)
    #: The user's credentials, captured only when the aws backend is asked for and enabled.
    identity: RealIdentity | None = None
    #: Per backend: the labels of the tables ``make_shared_table`` holds now.
    shared_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    _backends: dict[str, Backend] = field(default_factory=dict)
    _unavailable: dict[str, BackendUnavailableError | None] = field(default_factory=dict)
    _clients: dict[str, Any] = field(default_factory=dict)
    _resources: dict[str, Any] = field(default_factory=dict)
    _streams_clients: dict[str, Any] = field(default_factory=dict)

    def backend(self, name: str) -> Backend:
        if name not in self._backends:
            self._backends[name] = get_backend(name)
        return self._backends[name]

    def unavailable(self, name: str) -> BackendUnavailableError | None:
        """Return why ``name`` cannot run here, or None; checked once per process."""
        if name not in self._unavailable:
            try:
                self.backend(name).check()
                self._unavailable[name] = None
            except BackendUnavailableError as error:
                self._unavailable[name] = error
        return self._unavailable[name]

    def disabled(self, name: str) -> bool:
        return isinstance(self.unavailable(name), BackendDisabledError)

    def server(self, name: str) -> Server:
        """Return the running server of backend ``name``, starting it (and the others) if needed.

        The first call also starts, in the background, every other backend this process has
        tests for. Raises why the backend cannot run, or why it broke.
        """
        unavailable = self.unavailable(name)
        if unavailable is not None:
            raise unavailable
        with self.recorder.paused():  # the readiness probes' calls are nobody's
            self.pool.prefetch(b for b in self.wanted if self.unavailable(b) is None)
            server = self.pool.get(name)
        self.context.register(name, server.endpoint)
        return server

    def _session(self, name: str) -> boto3.session.Session:
        if self.backend(name).real_credentials:
            if self.identity is None:
                raise BackendUnavailableError(
                    f"{name}: no AWS credentials were found when the run started; configure "
                    "them as for the AWS CLI (aws configure, AWS_PROFILE, SSO) and run again"
                )
            return boto3.session.Session(botocore_session=self.identity.botocore_session())
        return fake_session()

    @property
    def table_prefix(self) -> str:
        return table_name_prefix(self.run_id)

    def guarded(self, name: str, client: Any) -> Any:
        """On real AWS, make ``client`` refuse writes to tables this run did not create."""
        return guard(client, self.table_prefix) if self.backend(name).real_credentials else client

    def client(self, name: str, endpoint: str) -> Any:
        """Return this process's recorded low-level client for backend ``name``."""
        if name not in self._clients:
            client = self._session(name).client(
                "dynamodb", endpoint_url=endpoint, config=client_config(self.call_timeout)
            )
            self._clients[name] = self.guarded(name, self.recorder.attach(client))
        return self._clients[name]

    def streams_client(self, name: str, endpoint: str) -> Any:
        """Return this process's recorded DynamoDB Streams client for backend ``name``."""
        if name not in self._streams_clients:
            client = self._session(name).client(
                "dynamodbstreams",
                endpoint_url=streams_endpoint(endpoint),
                config=client_config(self.call_timeout),
            )
            self._streams_clients[name] = self.guarded(name, self.recorder.attach(client))
        return self._streams_clients[name]

    def resource(self, name: str, endpoint: str) -> Any:
        """Return this process's boto3 resource for backend ``name``, sharing its recording."""
        if name not in self._resources:
            resource = self._session(name).resource(
                "dynamodb", endpoint_url=endpoint, config=client_config(self.call_timeout)
            )
            self.guarded(name, self.recorder.attach(resource.meta.client))
            self._resources[name] = resource
        return self._resources[name]

    def table_factory(self, name: str, endpoint: str) -> TableFactory:
        """Return a table factory for one test on backend ``name``."""
        if not self.backend(name).real_credentials:
            return TableFactory(self.client(name, endpoint), self.table_prefix)
        # Real AWS: a client that retries throttling, bounded concurrency, waiting on deletes.
        control = self._session(name).client(
            "dynamodb", endpoint_url=endpoint, config=CONTROL_PLANE_CONFIG
        )
        return TableFactory(
            self.guarded(name, control),
            self.table_prefix,
            wait_deleted=True,
            slot=control_plane_slot,
            tags=run_tags(self.run_id),
        )
