"""What a run changes in its process, from its start until every server is stopped.

One object per pytest process ties the pieces together: the isolated environment
(:mod:`ddbmatrix.environment`), the SDK caches kept per backend (:mod:`ddbmatrix.caches`),
the router at the HTTP layer (:mod:`ddbmatrix.routing`), the hooks on every new client
(:mod:`ddbmatrix.clients`) and, for the aws backend only, the user's identity
(:mod:`ddbmatrix.identity`). It follows the backend context (:mod:`ddbmatrix.context`):
when the backend of now changes, the environment points at the new backend's server (or at
the placeholder when there is none) and the SDK caches are swapped.

It starts as early as pytest lets a plugin act (``pytest_load_initial_conftests``, before
any ``conftest.py`` is imported), so that even a client a conftest builds at import time
gets the placeholder endpoint and the fake credentials, and is routed like any other.
"""

from __future__ import annotations

import os
from typing import Any

from ddbmatrix.backends import FAKE_CREDENTIALS
from ddbmatrix.backends.aws import REGION_ENV
from ddbmatrix.caches import SdkCaches
from ddbmatrix.clients import ClientHooks
from ddbmatrix.context import BackendContext
from ddbmatrix.environment import PLACEHOLDER_ENDPOINT, ProcessEnvironment
from ddbmatrix.identity import RealIdentity, capture
from ddbmatrix.recording import Recorder
from ddbmatrix.routing import Router

__all__ = ["Isolation"]


class Isolation:
    """The run's changes to its process: :meth:`start` them, :meth:`stop` them."""

    def __init__(self) -> None:
        self.context = BackendContext()
        self.environment = ProcessEnvironment()
        self.caches = SdkCaches()
        self.recorder = Recorder(self.context)
        self.router = Router(self.context, real_key=self._real_key)
        self.router.on_route = self.recorder.annotate
        self.hooks = ClientHooks(self.context, self.router, self.recorder)
        self.started = False
        #: The value REGION_ENV had before we set it: (whether we set it, the old value).
        self._region_saved: tuple[bool, str | None] = (False, None)
        #: The user's access key id as the controller saw it (an xdist worker's own
        #: environment was isolated before it started, and holds only the fake one).
        self._controller_key: str | None = None

    def _real_key(self) -> str | None:
        # The user's key, as the environment held it before the run (a process a ddbmatrix
        # run started inherits the fake one: that is no secret).
        if self._controller_key is not None:
            return self._controller_key
        key = self.environment.original("AWS_ACCESS_KEY_ID")
        return None if key == FAKE_CREDENTIALS["aws_access_key_id"] else key

    def use_real_key(self, key: str | None) -> None:
        """Refuse requests signed with ``key``, the user's, to anything but AWS (a worker)."""
        self._controller_key = key

    @property
    def identity(self) -> RealIdentity | None:
        return self.hooks.identity

    def start(self, real: bool) -> None:
        """Isolate the process; ``real``: the aws backend is asked for and enabled."""
        if self.started:
            return
        if real:
            # Read before the environment is isolated: the user's chain, once.
            self.use_identity(capture())
        self.environment.isolate()
        self.caches.isolate()
        self.router.install()
        self.hooks.install()
        self.context.on_change(self._changed)
        self.context.activate()
        self.started = True

    def use_identity(self, identity: RealIdentity | None) -> None:
        """Hand ``identity`` to the aws backend's clients (None: there is none)."""
        self.hooks.identity = identity
        self.router.real_backends = frozenset({"aws"})
        if identity is not None and identity.region:
            if not self._region_saved[0]:
                self._region_saved = (True, os.environ.get(REGION_ENV))
            os.environ[REGION_ENV] = identity.region

    def _changed(self, previous: str | None, current: str | None) -> None:
        endpoint = self.context.endpoint(current) if current is not None else None
        region = FAKE_CREDENTIALS["region_name"]
        if current in self.router.real_backends:
            region = os.environ.get(REGION_ENV) or region
        self.environment.point_at(endpoint or PLACEHOLDER_ENDPOINT, region)
        self.caches.switch(previous, current)

    def workerinput(self) -> dict[str, Any]:
        """Return what an xdist worker needs of the identity, and the user's key id.

        The key id (not the secret) lets the worker's router refuse a client that was
        handed the user's keys explicitly, as the controller's does.
        """
        identity = self.identity
        found = {"ddbmatrix_identity": identity.to_workerinput()} if identity else {}
        return {**found, "ddbmatrix_real_key": self._real_key()}

    def stop(self) -> None:
        """Undo everything :meth:`start` did; the user's environment comes back exactly."""
        if not self.started:
            return
        self.hooks.uninstall()
        self.router.uninstall()
        self.caches.restore()
        self.environment.restore()
        was_set, value = self._region_saved
        if was_set and value is None:
            os.environ.pop(REGION_ENV, None)
        elif was_set and value is not None:
            os.environ[REGION_ENV] = value
        self._region_saved = (False, None)
        self.context.deactivate()
        self.started = False
