"""The backend context: which backend the code running now belongs to.

A test runs on one backend (its ``ddb_backend`` parameter). The plugin enters that backend
for the item before any of its fixtures is set up and leaves it after its teardown, which
is also where pytest tears down the wider-scoped fixtures the next item does not need. A
fixture wider than a test is torn down on the backend it was set up on, whichever item is
current then (:meth:`BackendContext.acting_for`). Everything that depends on "the backend
of now" asks here: the process environment (``AWS_ENDPOINT_URL_DYNAMODB``), the SDK caches,
the routing of requests, the recording of fixture calls.

Other code reads it with :func:`current_backend`. The context is one per pytest run, not
per thread: code under test that calls DynamoDB from a thread pool belongs to the running
test too. A pytest run started inside another in the same process (pytester's in-process
runs) has a context of its own, active until it ends.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

__all__ = ["BackendContext", "current_backend", "netloc"]

#: Called with (previous backend, new backend) whenever the backend of now changes.
Listener = Callable[[str | None, str | None], None]


@functools.lru_cache(maxsize=256)  # a pure function of a few URLs, asked on every request
def netloc(url: str) -> str:
    """Return ``host:port`` of ``url``, lower-cased, with the scheme's default port filled in."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{host}:{port}"


class BackendContext:
    """The backend of the running item, and of a wider fixture's teardown inside it."""

    def __init__(self) -> None:
        self._item: str | None = None
        self._acting: list[str] = []
        self._listeners: list[Listener] = []
        #: backend -> its endpoint, and the reverse by netloc: every server this process used.
        self._endpoints: dict[str, str] = {}
        self._by_netloc: dict[str, str] = {}
        self._own = threading.local()

    # -- reading ---------------------------------------------------------------------------

    @property
    def backend(self) -> str | None:
        """The backend of now, or None outside any test or fixture that runs on one."""
        return self._acting[-1] if self._acting else self._item

    @property
    def innermost(self) -> bool:
        """Whether this is the context of the innermost run (the one whose tests run now)."""
        return bool(_ACTIVE) and _ACTIVE[-1] is self

    def endpoint(self, backend: str) -> str | None:
        """Return the endpoint of ``backend``'s server in this process, if one was entered."""
        return self._endpoints.get(backend)

    def served_by(self, url: str) -> str | None:
        """Return the backend whose server ``url`` addresses, or None."""
        return self._by_netloc.get(netloc(url))

    # -- changing --------------------------------------------------------------------------

    def register(self, backend: str, endpoint: str) -> None:
        """Remember ``backend``'s endpoint (its server is running)."""
        self._endpoints[backend] = endpoint
        self._by_netloc[netloc(endpoint)] = backend

    def on_change(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _changed(self, previous: str | None) -> None:
        if self.backend != previous:
            for listener in self._listeners:
                listener(previous, self.backend)

    def enter_item(self, backend: str | None) -> None:
        """Make ``backend`` the backend of now for an item (None: an item on no backend)."""
        previous = self.backend
        self._item = backend
        self._changed(previous)

    def leave_item(self) -> None:
        self.enter_item(None)

    def push(self, backend: str) -> None:
        """Act for ``backend`` until the matching :meth:`pop` (a fixture's teardown)."""
        previous = self.backend
        self._acting.append(backend)
        self._changed(previous)

    def pop(self, backend: str) -> None:
        previous = self.backend
        if backend in self._acting:
            # The newest entry of it: teardowns end in the reverse order they began.
            del self._acting[len(self._acting) - 1 - self._acting[::-1].index(backend)]
        self._changed(previous)

    @contextlib.contextmanager
    def acting_for(self, backend: str) -> Iterator[None]:
        """Run a block on ``backend`` (ddbmatrix's own clean-up of one backend's tables)."""
        self.push(backend)
        try:
            yield
        finally:
            self.pop(backend)

    def activate(self) -> None:
        """Make this the context :func:`current_backend` reads (the start of a run)."""
        _ACTIVE.append(self)

    def deactivate(self) -> None:
        """Forget everything and stop being the active context (the end of a run)."""
        if self in _ACTIVE:
            _ACTIVE.remove(self)
        self._item = None
        self._acting.clear()
        self._listeners.clear()
        self._endpoints.clear()
        self._by_netloc.clear()

    # -- ddbmatrix's own calls -------------------------------------------------------------

    @contextlib.contextmanager
    def own_calls(self) -> Iterator[None]:
        """Mark this thread's calls as ddbmatrix's own (not recorded, never stale)."""
        previous = getattr(self._own, "active", False)
        self._own.active = True
        try:
            yield
        finally:
            self._own.active = previous

    @property
    def in_own_calls(self) -> bool:
        return bool(getattr(self._own, "active", False))


#: The contexts of the runs in this process, innermost last (usually just one).
_ACTIVE: list[BackendContext] = []


def current_backend() -> str | None:
    """Return the backend the running test or fixture phase is on, or None outside any.

    "Running" includes the set-up and teardown of the test's fixtures, and the teardown of a
    wider fixture: that is on the backend the fixture was set up on.
    """
    return _ACTIVE[-1].backend if _ACTIVE else None
