"""Where a DynamoDB request may go during a run, whenever (and by whom) its client was built.

Three rules, in this order:

1. **The placeholder is re-addressed.** A client built while no backend was current (at
   import time, in a fixture before any test on a backend) was addressed to
   :data:`~ddbmatrix.environment.PLACEHOLDER_ENDPOINT`. Its requests go to the server of the
   backend of now (:mod:`ddbmatrix.context`) and the recorded call says ``routed``. With no
   backend current the request is refused (:class:`OutsideTestError`); on the aws backend
   too, since such a client holds the fake credentials, never the real ones.
2. **No stale servers.** A request to one backend's server while another backend is current
   (a client or model connection cached from an earlier test) is refused
   (:class:`StaleEndpointError`), never served silently by the wrong backend.
3. **Nothing leaves the machine unasked.** A request to a host that is not loopback is
   refused (:class:`EgressRefusedError`) unless it is an endpoint the run was given
   (``--ddb-endpoint``) or, with the aws backend asked for and enabled and current, an AWS
   host (DynamoDB, and the credential services a refresh may need). A request carrying the
   user's real access key to anything but AWS is refused too (a client built before the
   run began resolved it).

The rules are applied twice. Before signing (botocore's ``before-sign`` event, registered on
every client built during the run): a re-addressed request is then signed for the host it
goes to, and the recorded call learns where it went. And at the HTTP layer, by wrapping
``botocore.httpsession.URLLib3Session.send``: that is the only layer every botocore client
crosses, including clients built before ddbmatrix loaded, whose events it never saw. It is a
botocore internal, but a stable one (the class every endpoint sends through since botocore
1.11), and nothing above it sees all clients. moto's ``mock_aws`` answers in ``before-send``,
before this layer, so tests that mix it in keep working; a request with no backend current
that ``mock_aws`` would answer is addressed to AWS's regional URL so that it can.

Local emulators do not check signatures, so a request re-addressed only at the HTTP layer
still works (``tests/integration/test_routing.py`` checks this on every local backend).
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import botocore.httpsession

from ddbmatrix.backends.base import INTERNAL_CLIENT
from ddbmatrix.context import BackendContext, netloc
from ddbmatrix.environment import PLACEHOLDER_ENDPOINT
from ddbmatrix.errors import (
    EgressRefusedError,
    OutsideTestError,
    RequestRefusedError,
    StaleEndpointError,
)
from ddbmatrix.hosts import is_aws_host, is_loopback

__all__ = ["Route", "Router", "endpoint_of"]

#: The instance and container credential endpoints (a refresh of role credentials).
_AWS_CREDENTIAL_HOSTS = frozenset({"169.254.169.254", "169.254.170.2", "fd00:ec2::254"})
_HANDLER_ID = "ddbmatrix-router"
#: aiobotocore's HTTP sessions: (module, class), each with ``async def send(request)``.
_ASYNC_SESSIONS = (
    ("aiobotocore.httpsession", "AIOHTTPSession"),
    ("aiobotocore.httpxsession", "HttpxSession"),
)
_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/")

ModuleLevelHelp = (
    "Build the client inside the test or fixture that uses it, or let it be built at import "
    "time but used only from tests (see 'Module-level clients' in docs/usage.md)."
)


@functools.lru_cache(maxsize=256)  # a pure function of a few URLs, asked on every request
def endpoint_of(url: str) -> str:
    """Return ``scheme://host[:port][/path]`` of ``url``: no userinfo, query or fragment."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit((parts.scheme, host + port, parts.path.rstrip("/"), "", ""))


def _moto_mock_active() -> bool:
    models = sys.modules.get("moto.core.models")
    return bool(getattr(getattr(models, "botocore_stubber", None), "enabled", False))


@dataclass(frozen=True)
class Route:
    """Where one request goes: its URL, the recorded endpoint, and whose server that is."""

    url: str
    endpoint: str
    served_by: str | None
    routed: bool = False


class Router:
    """Apply the rules of the module docstring for one pytest process."""

    def __init__(
        self,
        context: BackendContext,
        *,
        real_backends: frozenset[str] = frozenset(),
        real_key: Callable[[], str | None] = lambda: None,
        placeholder: str = PLACEHOLDER_ENDPOINT,
    ) -> None:
        self.context = context
        #: Backends that may reach AWS (aws, when asked for and enabled).
        self.real_backends = real_backends
        self.real_key = real_key
        self.placeholder = netloc(placeholder)
        self._allowed_hosts: set[str] = set()
        self._original_send: Callable[..., Any] | None = None
        #: aiobotocore session class -> its own send, while wrapped.
        self._async_sends: dict[type, Callable[..., Any]] = {}
        #: Called with (request context, route) for every request decided before signing.
        self.on_route: Callable[[dict[str, Any], Route], None] = lambda context, route: None

    def allow(self, url: str) -> None:
        """Let requests reach ``url``'s host (an endpoint given with ``--ddb-endpoint``)."""
        self._allowed_hosts.add(netloc(url))

    # -- the rules -------------------------------------------------------------------------

    def decide(
        self, url: str, *, own: bool = False, authorization: str = "", streams: bool = False
    ) -> Route:
        """Return where a request addressed to ``url`` goes, or raise why it may not."""
        if not self.context.innermost:
            # A run nested in this one (pytester in-process) decides its own requests.
            return Route(url, endpoint_of(url), None)
        backend = self.context.backend
        where = netloc(url)
        if where == self.placeholder:
            return self._reroute(url, backend, streams)
        served_by = self.context.served_by(url)
        if served_by is not None and backend is not None and served_by != backend and not own:
            raise StaleEndpointError(
                f"ddbmatrix refused a request to {endpoint_of(url)}, the server of {served_by}, "
                f"during a test on {backend}: the client (or a PynamoDB model's cached "
                f"connection) was built for {served_by} and kept. Build it in a fixture of "
                "the backend's scope from ddb_endpoint (with --ddb-scope wide enough for the "
                "fixtures that cache it), or leave the endpoint to the environment."
            )
        self._check_egress(url, backend, own)
        self._check_key(url, authorization)
        return Route(url, endpoint_of(url), served_by)

    def _reroute(self, url: str, backend: str | None, streams: bool) -> Route:
        if backend is None:
            if _moto_mock_active():
                service = "streams.dynamodb" if streams else "dynamodb"
                aws = f"https://{service}.us-east-1.amazonaws.com"
                return Route(self._readdress(url, aws), endpoint_of(aws), None, routed=True)
            raise OutsideTestError(
                "ddbmatrix refused a DynamoDB request made outside any test on a backend (at "
                "import time, or in a test or fixture that uses no ddbmatrix fixture): there "
                "is no backend to send it to. Make the call from a test or fixture that runs "
                "on a backend (one that asks for ddb_backend, ddb_endpoint or another "
                f"ddbmatrix fixture). {ModuleLevelHelp}"
            )
        if backend in self.real_backends:
            raise OutsideTestError(
                "ddbmatrix refused to send a request of a client built before the backend was "
                f"known (it holds the fake credentials) to real AWS ({backend}). "
                f"{ModuleLevelHelp}"
            )
        endpoint = self.context.endpoint(backend)
        if endpoint is None:
            raise OutsideTestError(f"ddbmatrix: backend {backend} has no server running yet")
        return Route(self._readdress(url, endpoint), endpoint_of(endpoint), backend, routed=True)

    @staticmethod
    def _readdress(url: str, endpoint: str) -> str:
        old, new = urlsplit(url), urlsplit(endpoint)
        return urlunsplit((new.scheme, new.netloc, old.path, old.query, old.fragment))

    def _check_egress(self, url: str, backend: str | None, own: bool) -> None:
        where = netloc(url)
        host = where.rsplit(":", 1)[0]
        if is_loopback(host) or where in self._allowed_hosts:
            return
        aws_host = is_aws_host(host) or host in _AWS_CREDENTIAL_HOSTS
        if aws_host and self.real_backends and (own or backend in self.real_backends):
            return
        if self.real_backends and aws_host:
            why = f"the test running now is on {backend or 'no backend'}, not on aws"
        else:
            why = "no aws backend was asked for and enabled (--ddb-backend=aws, DDBMATRIX_AWS=1)"
        raise EgressRefusedError(
            f"ddbmatrix refused a request to {endpoint_of(url)}: during a run nothing leaves "
            f"this machine unless it is the aws backend's, and {why}. The client was most "
            "likely built before the run began (in a conftest.py or plugin imported early) "
            "or given an endpoint of its own. Build it lazily, inside the code that uses "
            "it, or give the endpoint with --ddb-endpoint NAME=URL if it is a DynamoDB of "
            "your own."
        )

    def _check_key(self, url: str, authorization: str) -> None:
        real = self.real_key()
        if not real or not authorization:
            return
        match = _CREDENTIAL.search(authorization)
        host = netloc(url).rsplit(":", 1)[0]
        # The aws backend's own endpoint may be elsewhere (DDBMATRIX_AWS_ENDPOINT).
        aws_endpoint = self.context.served_by(url) in self.real_backends
        if match and match.group(1) == real and not is_aws_host(host) and not aws_endpoint:
            raise RequestRefusedError(
                f"ddbmatrix refused to send your real AWS access key to {endpoint_of(url)}: "
                "the client resolved its credentials before the run hid them, or was handed "
                "them (built in a conftest.py or plugin imported before ddbmatrix started, or "
                "given aws_access_key_id). Build it lazily, inside the code that uses it, "
                "and let it take the credentials from the environment."
            )

    # -- before signing --------------------------------------------------------------------

    def attach_session(self, session: Any) -> None:
        """Decide the requests of every client ``session`` (botocore's) builds from now on.

        A client copies its session's handlers when it is built: one registration here
        instead of one per client (botocore inspects each handler it registers).
        """
        # First: before any handler that reads the URL, and before the router of a run this
        # one is nested in (pytester in-process), which would not know this run's backends.
        session.get_component("event_emitter").register_first(
            "before-sign", self._before_sign, unique_id=self._handler_id
        )

    def detach_session(self, session: Any) -> None:
        session.get_component("event_emitter").unregister(
            "before-sign", self._before_sign, unique_id=self._handler_id
        )

    @property
    def _handler_id(self) -> str:
        return f"{_HANDLER_ID}-{id(self):x}"

    def _before_sign(self, request: Any, **_: Any) -> None:
        own = self.context.in_own_calls or INTERNAL_CLIENT in request.headers.get("User-Agent", "")
        target = request.headers.get("X-Amz-Target", b"")
        streams = (target.decode() if isinstance(target, bytes) else target).startswith(
            "DynamoDBStreams"
        )
        context = getattr(request, "context", None)
        try:
            route = self.decide(request.url, own=own, streams=streams)
        except RequestRefusedError:
            if isinstance(context, dict):
                served_by = self.context.served_by(request.url)
                self.on_route(context, Route(request.url, endpoint_of(request.url), served_by))
            raise
        if route.routed:
            request.url = route.url
        if isinstance(context, dict):
            self.on_route(context, route)

    # -- the HTTP layer --------------------------------------------------------------------

    def route_request(self, request: Any) -> None:
        """Decide one request about to be sent (re-address it, or raise why it may not go)."""
        headers = request.headers
        route = self.decide(
            request.url,
            own=self.context.in_own_calls
            or INTERNAL_CLIENT in _text(headers.get("User-Agent", "")),
            authorization=_text(headers.get("Authorization", "")),
            streams=_text(headers.get("X-Amz-Target", "")).startswith("DynamoDBStreams"),
        )
        if route.routed:
            request.url = route.url

    def install(self) -> None:
        """Decide every request botocore sends in this process, from now on.

        Also the requests of aiobotocore's sessions (they subclass no botocore session and
        send through aiohttp or httpx), if it is imported: call again when it may have been
        since (:meth:`install` is cheap and idempotent).
        """
        if self._original_send is None:
            original = botocore.httpsession.URLLib3Session.send
            router = self

            def send(session: Any, request: Any) -> Any:
                router.route_request(request)
                return original(session, request)

            self._original_send = original
            botocore.httpsession.URLLib3Session.send = send  # type: ignore[method-assign,assignment]
        for module, name in _ASYNC_SESSIONS:
            cls = getattr(sys.modules.get(module), name, None)
            if cls is not None and cls not in self._async_sends:
                self._async_sends[cls] = cls.send
                setattr(cls, "send", self._async_send(cls.send))  # noqa: B010

    def _async_send(self, original: Callable[..., Any]) -> Callable[..., Any]:
        router = self

        async def send(session: Any, request: Any) -> Any:
            router.route_request(request)
            return await original(session, request)

        return send

    def uninstall(self) -> None:
        if self._original_send is not None:
            botocore.httpsession.URLLib3Session.send = self._original_send  # type: ignore[method-assign]
            self._original_send = None
        for cls, original in self._async_sends.items():
            setattr(cls, "send", original)  # noqa: B010 - a class mypy knows nothing of
        self._async_sends.clear()


def _text(value: str | bytes) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value
