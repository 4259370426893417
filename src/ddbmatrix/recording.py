"""Capture every DynamoDB (and DynamoDB Streams) call a test makes, as it went over the wire.

Requests and responses are recorded from the HTTP bodies (DynamoDB's JSON protocol), not from
what boto3 hands the caller: the resource API rewrites values in place, and the wire form is
what the backends actually said. Calls are captured through botocore's documented client
events (``before-call``, ``after-call``, ``after-call-error``). Clients that the code under
test builds itself are reached by wrapping ``botocore.session.Session.create_client``, so a
plain ``boto3.client("dynamodb")`` inside application code is recorded too.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

import botocore.session

from ddbmatrix.backends.base import INTERNAL_CLIENT

__all__ = ["RECORDED_SERVICES", "Recorder", "shrink"]

Json = Any
#: Strings longer than this are recorded as their length and digest (400 KB items, 1 MB pages).
MAX_STRING = 1024
_HANDLER_ID = "ddbmatrix-recorder"
#: The botocore services whose calls are recorded: DynamoDB, and its streams at the same server.
RECORDED_SERVICES = frozenset({"dynamodb", "dynamodbstreams"})


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
        return shrink(json.loads(text))
    except ValueError:
        # A crashing server may answer HTML or plain text; keep its start as evidence.
        return {"__raw__": text[:MAX_STRING]}


class Recorder:
    """Collect the calls of the current test from every instrumented client."""

    def __init__(self) -> None:
        self._calls: list[dict[str, Json]] | None = None
        self._lock = threading.Lock()
        self._local = threading.local()
        self._original_create_client: Callable[..., Any] | None = None

    # -- which clients are recorded ------------------------------------------------------

    def attach(self, client: Any) -> Any:
        """Record the DynamoDB (and DynamoDB Streams) calls ``client`` makes; returns it."""
        model = client.meta.service_model
        if model.service_name not in RECORDED_SERVICES:
            return client
        if INTERNAL_CLIENT in (client.meta.config.user_agent_extra or ""):
            return client  # ddbmatrix's own probes, possibly from another thread
        events = client.meta.events
        service = model.service_id.hyphenize()  # botocore's event names: "dynamodb-streams"
        events.register(f"before-call.{service}", self._before_call, unique_id=_HANDLER_ID + "-b")
        events.register(f"after-call.{service}", self._after_call, unique_id=_HANDLER_ID + "-a")
        events.register(
            f"after-call-error.{service}", self._after_call_error, unique_id=_HANDLER_ID + "-e"
        )
        return client

    def instrument(self) -> None:
        """Attach to every client any botocore session creates from now on."""
        if self._original_create_client is not None:
            return
        original = botocore.session.Session.create_client
        recorder = self

        def create_client(session: Any, *args: Any, **kwargs: Any) -> Any:
            return recorder.attach(original(session, *args, **kwargs))

        self._original_create_client = original
        botocore.session.Session.create_client = create_client  # type: ignore[method-assign,assignment]

    def uninstrument(self) -> None:
        if self._original_create_client is not None:
            botocore.session.Session.create_client = (  # type: ignore[method-assign]
                self._original_create_client
            )
            self._original_create_client = None

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

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """Do not record calls made by this thread (the fixtures' own set-up calls)."""
        previous = getattr(self._local, "paused", False)
        self._local.paused = True
        try:
            yield
        finally:
            self._local.paused = previous

    # -- botocore event handlers -----------------------------------------------------------

    def _before_call(
        self, model: Any, params: dict[str, Any], context: dict[str, Any], **_: Any
    ) -> None:
        if self._calls is None or getattr(self._local, "paused", False):
            return
        call: dict[str, Json] = {
            "operation": model.name,
            "request": _decode(params.get("body")),
            "status": None,
            "response": None,
            "error": None,
        }
        context[_HANDLER_ID] = call
        with self._lock:
            if self._calls is not None:
                self._calls.append(call)

    def _after_call(
        self, http_response: Any, parsed: dict[str, Any], context: dict[str, Any], **_: Any
    ) -> None:
        call = context.get(_HANDLER_ID)
        if call is None:
            return
        call["status"] = http_response.status_code
        call["response"] = _decode(http_response.content)
        if http_response.status_code >= 300:
            error = parsed.get("Error", {})
            call["error"] = {"code": error.get("Code"), "message": error.get("Message")}

    def _after_call_error(self, exception: Exception, context: dict[str, Any], **_: Any) -> None:
        call = context.get(_HANDLER_ID)
        if call is None:
            return
        # No HTTP answer at all: the server is gone, hung, or closed the connection.
        call["error"] = {"code": type(exception).__name__, "message": str(exception)}
