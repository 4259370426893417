"""Every botocore client built during the run, by anyone, passes through here.

``botocore.session.Session.create_client`` is wrapped for the run (boto3's clients and
resources, PynamoDB, and ddbmatrix's fixtures all build their clients through it), so that
each new client (through handlers registered once on its session, which every client
copies when it is built):

- has its requests decided before signing by the router (:mod:`ddbmatrix.routing`);
- has its DynamoDB calls recorded (:mod:`ddbmatrix.recording`);
- when built while the aws backend is current: gets the user's real credentials (unless the
  caller passed credentials of its own) and the write guard of the aws backend
  (:func:`ddbmatrix.aws_guard.guard`). A client built at any other time never gets the
  credentials; the guard holds for it anyway, at the HTTP layer
  (:class:`ddbmatrix.aws_guard.HttpGuard`).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

import botocore.session

from ddbmatrix.context import BackendContext
from ddbmatrix.identity import REAL_SESSION_MARK, RealIdentity
from ddbmatrix.recording import Recorder
from ddbmatrix.routing import Router

__all__ = ["ClientHooks"]

#: Positional parameters of ``create_client`` before ``aws_access_key_id``.
_BEFORE_KEYS = 6


class ClientHooks:
    """The wrapper of ``create_client`` for one pytest process."""

    def __init__(
        self,
        context: BackendContext,
        router: Router,
        recorder: Recorder,
        *,
        identity: RealIdentity | None = None,
        guard: Callable[[str, Any], Any] = lambda backend, client: client,
    ) -> None:
        self.context = context
        self.router = router
        self.recorder = recorder
        self.identity = identity
        #: (backend, client) -> the client, guarded if the backend is real AWS.
        self.guard = guard
        self._original: Callable[..., Any] | None = None
        #: The botocore sessions whose handlers route and record their clients.
        self._sessions: weakref.WeakSet[Any] = weakref.WeakSet()

    def _real(self, backend: str | None) -> bool:
        return self.identity is not None and backend in self.router.real_backends

    def create_client(
        self, original: Callable[..., Any], session: Any, *args: Any, **kw: Any
    ) -> Any:
        backend = self.context.backend
        real = self._real(backend)
        # ddbmatrix's own aws sessions resolve the real credentials themselves (refreshing).
        passed = len(args) > _BEFORE_KEYS or kw.get("aws_access_key_id") is not None
        if real and not passed and not getattr(session, REAL_SESSION_MARK, False):
            assert self.identity is not None
            kw.update(self.identity.frozen())
        self._prepare(session)
        client = original(session, *args, **kw)
        if real and backend is not None:
            client = self.guard(backend, client)
        return client

    def _prepare(self, session: Any) -> None:
        """Route and record the clients of ``session``: once per session, not per client."""
        if session in self._sessions:
            return
        self.router.attach_session(session)
        self.recorder.attach_session(session)
        self._sessions.add(session)

    def install(self) -> None:
        if self._original is not None:
            return
        original = botocore.session.Session.create_client
        hooks = self

        def create_client(session: Any, *args: Any, **kwargs: Any) -> Any:
            return hooks.create_client(original, session, *args, **kwargs)

        self._original = original
        botocore.session.Session.create_client = create_client  # type: ignore[method-assign,assignment]

    def uninstall(self) -> None:
        if self._original is not None:
            botocore.session.Session.create_client = self._original  # type: ignore[method-assign]
            self._original = None
        # Clients built during the run keep their handlers; the sessions build no more such.
        for session in list(self._sessions):
            self.router.detach_session(session)
            self.recorder.detach_session(session)
        self._sessions.clear()
