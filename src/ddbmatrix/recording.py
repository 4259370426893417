"""Capture every DynamoDB (and DynamoDB Streams) call a test makes, as it went over the wire.

Requests and responses are recorded from the HTTP bodies (DynamoDB's JSON protocol), not from
what boto3 hands the caller: the resource API rewrites values in place, and the wire form is
what the backends actually said. Calls are captured through botocore's documented client
events (``before-call``, ``after-call``, ``after-call-error``). Clients that the code under
test builds itself are reached through :mod:`ddbmatrix.clients`, so a plain
``boto3.client("dynamodb")`` inside application code is recorded too.

A call belongs to the test being run, unless a fixture wider than a test is being set up or
torn down: then it belongs to that fixture (:meth:`Recorder.open_fixture`; see
:mod:`ddbmatrix.attribution`). Each call also keeps where it went (``endpoint``), whose
server that is (``served_by``), and whether ddbmatrix re-addressed it (``routed``), as
:mod:`ddbmatrix.routing` decided before the request was signed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from collections.abc import Iterator
from typing import Any

from ddbmatrix.backends.base import INTERNAL_CLIENT
from ddbmatrix.context import BackendContext
from ddbmatrix.routing import Route

__all__ = ["RECORDED_SERVICES", "Recorder", "shrink"]

Json = Any
#: Strings longer than this are recorded as their length and digest (400 KB items, 1 MB pages).
MAX_STRING = 1024
_HANDLER_ID = "ddbmatrix-recorder"
#: The botocore services whose calls are recorded: DynamoDB, and its streams at the same server.
RECORDED_SERVICES = frozenset({"dynamodb", "dynamodbstreams"})
#: The same services as botocore names them in its events.
_EVENT_SERVICES = ("dynamodb", "dynamodb-streams")


def shrink(value: Json) -> Json:
    """Replace long strings by a stable ``<str len=N sha256=...>`` stand-in, recursively."""
    if isinstance(value, str) and len(value) > MAX_STRING:
        digest = hashlib.sha256(value.encode()).hexdigest()[:16]
        return f"<str len={len(value)} sha256={digest}>"
    if isinstance(value, dict):
        return {key: shrink(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shrink(item) for item in value]
    return value


def _decode(body: bytes | str | None) -> Json:
    if not body:
        return None
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    try:
        value = json.loads(text)
    except ValueError:
        # A crashing server may answer HTML or plain text; keep its start as evidence.
        return {"__raw__": text[:MAX_STRING]}
    # No string in a text this short can be longer than MAX_STRING: most calls skip the walk.
    return value if len(text) <= MAX_STRING else shrink(value)


class Recorder:
    """Collect the calls of the current test from every instrumented client."""

    def __init__(self, context: BackendContext | None = None) -> None:
        #: Per recorder: a run inside another (pytester in-process) has its own handlers.
        self._id = f"{_HANDLER_ID}-{id(self):x}"
        self._calls: list[dict[str, Json]] | None = None
        #: The calls of the fixtures being set up or torn down now, innermost last.
        self._fixtures: list[list[dict[str, Json]]] = []
        self._lock = threading.Lock()
        self._context = context if context is not None else BackendContext()
        #: ``--ddb-record=off``: no handlers on new clients, no calls kept (outcomes still are).
        self.enabled = True

    # -- which clients are recorded ------------------------------------------------------

    def attach(self, client: Any) -> Any:
        """Record the DynamoDB (and DynamoDB Streams) calls ``client`` makes; returns it."""
        model = client.meta.service_model
        if not self.enabled or model.service_name not in RECORDED_SERVICES:
            return client
        if INTERNAL_CLIENT in (client.meta.config.user_agent_extra or ""):
            return client  # ddbmatrix's own probes, possibly from another thread
        service = model.service_id.hyphenize()  # botocore's event names: "dynamodb-streams"
        self._register(client.meta.events, service)
        return client

    def attach_session(self, session: Any) -> None:
        """Record the calls of every client ``session`` (botocore's) builds from now on.

        A client copies its session's handlers when it is built: one registration here
        instead of three per client (botocore inspects each handler it registers).
        """
        if not self.enabled:
            return
        for service in _EVENT_SERVICES:
            self._register(session.get_component("event_emitter"), service)

    def detach_session(self, session: Any) -> None:
        events = session.get_component("event_emitter")
        for service in _EVENT_SERVICES:
            for event, handler, unique_id in self._handlers(service):
                events.unregister(event, handler, unique_id=unique_id)

    def _register(self, events: Any, service: str) -> None:
        # The same ids on a session and on its clients: a client that copied the session's
        # handlers is not hooked twice by attach().
        for event, handler, unique_id in self._handlers(service):
            events.register(event, handler, unique_id=unique_id)

    def _handlers(self, service: str) -> tuple[tuple[str, Any, str], ...]:
        return (
            (f"before-call.{service}", self._before_call, f"{self._id}-b-{service}"),
            (f"after-call.{service}", self._after_call, f"{self._id}-a-{service}"),
            (f"after-call-error.{service}", self._after_call_error, f"{self._id}-e-{service}"),
        )

    # -- when calls are recorded ---------------------------------------------------------

    def start(self) -> None:
        """Begin recording the calls of a new test."""
        with self._lock:
            self._calls = []

    def finish(self) -> list[dict[str, Json]]:
        """Stop recording and return the calls of the test, in the order they were made."""
        with self._lock:
            calls, self._calls = self._calls or [], None
        return calls

    def calls_so_far(self) -> list[dict[str, Json]] | None:
        """Return a copy of the running test's calls until now; None if none is recorded."""
        with self._lock:
            return None if self._calls is None else list(self._calls)

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """Do not record calls made by this thread: they are ddbmatrix's own (table set-up)."""
        with self._context.own_calls():
            yield

    def open_fixture(self, calls: list[dict[str, Json]]) -> None:
        """Record into ``calls`` until :meth:`close_fixture`: a fixture's set-up or teardown."""
        with self._lock:
            self._fixtures.append(calls)

    def close_fixture(self, calls: list[dict[str, Json]]) -> None:
        with self._lock:
            for index in range(len(self._fixtures) - 1, -1, -1):
                if self._fixtures[index] is calls:
                    del self._fixtures[index]
                    return

    def annotate(self, context: dict[str, Any], route: Route) -> None:
        """Note where the call of this request context went (called before it is signed)."""
        call = context.get(self._id)
        if call is None:
            return
        call["endpoint"] = route.endpoint
        call["served_by"] = route.served_by
        if route.routed:
            call["routed"] = True

    # -- botocore event handlers -----------------------------------------------------------

    def _before_call(
        self, model: Any, params: dict[str, Any], context: dict[str, Any], **_: Any
    ) -> None:
        if (
            not self.enabled
            or self._context.in_own_calls
            or (self._calls is None and not self._fixtures)
            # ddbmatrix's own probes, possibly from another thread (their session's handlers)
            or INTERNAL_CLIENT in params.get("headers", {}).get("User-Agent", "")
        ):
            return
        call: dict[str, Json] = {
            "operation": model.name,
            "request": _decode(params.get("body")),
            "status": None,
            "response": None,
            "error": None,
            "endpoint": None,
            "served_by": None,
        }
        context[self._id] = call
        with self._lock:
            sink = self._fixtures[-1] if self._fixtures else self._calls
            if sink is not None:
                sink.append(call)

    def _after_call(
        self, http_response: Any, parsed: dict[str, Any], context: dict[str, Any], **_: Any
    ) -> None:
        call = context.get(self._id)
        if call is None:
            return
        call["status"] = http_response.status_code
        call["response"] = _decode(http_response.content)
        if http_response.status_code >= 300:
            error = parsed.get("Error", {})
            call["error"] = {"code": error.get("Code"), "message": error.get("Message")}

    def _after_call_error(self, exception: Exception, context: dict[str, Any], **_: Any) -> None:
        call = context.get(self._id)
        if call is None:
            return
        # No HTTP answer at all: the server is gone, hung, or closed the connection.
        call["error"] = {"code": type(exception).__name__, "message": str(exception)}
