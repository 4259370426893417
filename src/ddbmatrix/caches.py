"""SDK state that outlives a client, kept per backend so none of it crosses to another.

Two caches matter for DynamoDB code:

- ``boto3.DEFAULT_SESSION``, behind ``boto3.client(...)`` and ``boto3.resource(...)``. It
  holds the credentials it resolved first and botocore's loaded service models (loading
  them costs 50-130 ms). It does not hold the endpoint: that is read from the environment
  for every new client.
- A PynamoDB model's ``_connection``: a client bound to the endpoint that was current when
  the model was first used.

When the backend of now changes, each backend gets back what it had the last time it was
current (or nothing, so that the SDK builds it afresh), and the previous backend's state is
set aside for its next turn. Swapping rather than dropping matters when tests of several
backends alternate (``--ddb-scope=function``): a test that builds ``boto3.client("dynamodb")``
then costs the same as in plain pytest, instead of reloading botocore's models every time.

PynamoDB is looked at only if the code under test imported it; ddbmatrix never imports it.

ddbmatrix's own sessions (fixtures' clients, readiness probes) share one botocore model
loader per process (:func:`model_loader`): each new session would otherwise parse the
DynamoDB model again (50-130 ms, more on a loaded machine), and every server start builds a
probe client. The models are files of the installed botocore, the same for every backend.
"""

from __future__ import annotations

import functools
import sys
import weakref
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.loaders

__all__ = ["SdkCaches", "model_loader"]

_UNSET = object()


def _pynamodb_models() -> Iterator[type]:
    models = sys.modules.get("pynamodb.models")
    base = getattr(models, "Model", None)
    if base is None:
        return
    seen: set[type] = set()
    pending = list(base.__subclasses__())
    while pending:  # bounded: each class is visited once
        cls = pending.pop()
        if cls in seen:
            continue
        seen.add(cls)
        pending.extend(cls.__subclasses__())
        yield cls


@functools.cache
def model_loader() -> botocore.loaders.Loader:
    """Return this process's botocore loader: it parses each model file once (its own cache)."""
    return botocore.loaders.create_loader()


class SdkCaches:
    """Per-backend copies of the SDK caches; :meth:`switch` on every change of backend."""

    def __init__(self) -> None:
        self._original_session: Any = _UNSET
        self._sessions: dict[str | None, Any] = {}
        #: backend -> {model class: its connection on that backend}; classes die freely.
        self._connections: dict[str | None, weakref.WeakKeyDictionary[type, Any]] = {}

    def isolate(self) -> None:
        """Set aside a default session built before the run (it may hold the user's keys)."""
        if self._original_session is _UNSET:
            self._original_session = boto3.DEFAULT_SESSION
            boto3.DEFAULT_SESSION = None

    def switch(self, previous: str | None, current: str | None) -> None:
        """Set ``previous``'s caches aside and give ``current`` its own."""
        self._sessions[previous] = boto3.DEFAULT_SESSION
        boto3.DEFAULT_SESSION = self._sessions.pop(current, None)
        held = self._connections.setdefault(previous, weakref.WeakKeyDictionary())
        wanted = self._connections.pop(current, None)
        for model in _pynamodb_models():
            connection = model.__dict__.get("_connection")
            if connection is not None:
                held[model] = connection
            restored = wanted.get(model) if wanted is not None else None
            if connection is not None or restored is not None:
                model._connection = restored  # type: ignore[attr-defined]

    def restore(self) -> None:
        """Give back the default session from before the run; drop the run's connections.

        The run's servers are gone after it: a model used later builds a new connection.
        """
        if self._original_session is not _UNSET:
            boto3.DEFAULT_SESSION = self._original_session
            self._original_session = _UNSET
        for model in _pynamodb_models():
            if model.__dict__.get("_connection") is not None:
                model._connection = None  # type: ignore[attr-defined]
        self._sessions.clear()
        self._connections.clear()
