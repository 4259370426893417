"""The process environment during a run: fake credentials, and the endpoint of the backend of now.

Code under test often builds its own client (``boto3.client("dynamodb")``, PynamoDB) with no
endpoint argument; botocore reads the endpoint, region, credentials and retry settings from
the environment. So from the start of the run until every server is stopped, the process
environment holds none of the user's AWS identity (every ``AWS_*`` variable is set aside:
keys, session tokens, profiles, config files, role settings), only fake credentials and a
region, and ``AWS_ENDPOINT_URL_DYNAMODB`` names the server of the backend of now (see
:mod:`ddbmatrix.context`). It changes when that backend changes, never per test: nothing
else about the environment differs from one test to the next.

With no backend current (while modules are imported, in a test on no backend),
``AWS_ENDPOINT_URL_DYNAMODB`` is :data:`PLACEHOLDER_ENDPOINT`, a loopback address nothing
listens on. A client built then is re-addressed to the backend of the test that uses it
(:mod:`ddbmatrix.routing`); anything that bypassed that would fail locally, never reach AWS.

The real credentials are never put back into the environment during the run, not even for
the aws backend: ddbmatrix hands them to the clients built for it (:mod:`ddbmatrix.identity`).
The user's variables come back, exactly, when the run ends.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

from ddbmatrix.backends import FAKE_CREDENTIALS

__all__ = ["PLACEHOLDER_ENDPOINT", "ProcessEnvironment", "backend_environment"]

#: Where clients built before any backend was known are addressed (port 9: discard).
PLACEHOLDER_ENDPOINT = "http://127.0.0.1:9"

#: ``AWS_*`` variables that are kept: they name no identity and change no endpoint.
_KEPT = frozenset({"AWS_CA_BUNDLE"})


def backend_environment(
    endpoint: str, region: str = FAKE_CREDENTIALS["region_name"]
) -> dict[str, str | None]:
    """Return the variables to set (``None``: remove) while the backend at ``endpoint`` is current.

    ``region`` is the fake region for local backends, the user's for real AWS.
    """
    return {
        "AWS_ENDPOINT_URL_DYNAMODB": endpoint,
        # DynamoDB Local and moto serve streams on the same port; the others have none.
        "AWS_ENDPOINT_URL_DYNAMODB_STREAMS": endpoint,
        # Always the fake ones, also for real AWS (see the module docstring).
        "AWS_ACCESS_KEY_ID": FAKE_CREDENTIALS["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": FAKE_CREDENTIALS["aws_secret_access_key"],
        "AWS_DEFAULT_REGION": region,
        "AWS_REGION": region,
        # No ~/.aws files: a profile there can set credential_process or an endpoint.
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
        # One attempt, like the fixtures' clients: the server's first answer is observed.
        "AWS_MAX_ATTEMPTS": "1",
        "AWS_RETRY_MODE": "standard",
    }


class ProcessEnvironment:
    """Own the ``AWS_*`` variables of this process from :meth:`isolate` to :meth:`restore`."""

    def __init__(self, environ: MutableMapping[str, str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ
        self._saved: dict[str, str] | None = None
        self._managed: set[str] = set()

    @property
    def isolated(self) -> bool:
        return self._saved is not None

    def original(self, name: str) -> str | None:
        """Return the user's value of ``name`` from before :meth:`isolate`."""
        if self._saved is None:
            return self._environ.get(name)
        return self._saved.get(name)

    def isolate(self) -> None:
        """Set the user's AWS variables aside; leave fake credentials and the placeholder."""
        if self._saved is not None:
            return
        self._saved = {k: v for k, v in self._environ.items() if k.startswith("AWS_")}
        for name in self._saved:
            if name not in _KEPT:
                del self._environ[name]
        self._managed = set(self._saved)
        self.point_at(PLACEHOLDER_ENDPOINT)

    def point_at(self, endpoint: str, region: str = FAKE_CREDENTIALS["region_name"]) -> None:
        """Make clients built from now on reach ``endpoint`` (in ``region``)."""
        # Every test enters its backend and leaves it: most variables keep their value, and
        # setting one costs a putenv().
        for name, value in backend_environment(endpoint, region).items():
            self._managed.add(name)
            if value is None:
                self._environ.pop(name, None)
            elif self._environ.get(name) != value:
                self._environ[name] = value

    def restore(self) -> None:
        """Put back every variable as it was before :meth:`isolate`."""
        if self._saved is None:
            return
        for name in self._managed:
            if name in self._saved:
                self._environ[name] = self._saved[name]
            else:
                self._environ.pop(name, None)
        self._saved = None
        self._managed = set()
