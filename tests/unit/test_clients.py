"""Every new client is routed and recorded; only clients built on aws get the real identity."""

from __future__ import annotations

from botocore.credentials import Credentials

from ddbmatrix.clients import ClientHooks
from ddbmatrix.context import BackendContext
from ddbmatrix.identity import RealIdentity
from ddbmatrix.recording import Recorder
from ddbmatrix.routing import Router


def test_only_clients_built_on_the_aws_backend_get_it_and_the_guard():
    context = BackendContext()
    identity = RealIdentity(Credentials("AKIAHELD", "held-secret"), "us-east-1")
    guarded = []
    hooks = ClientHooks(
        context,
        Router(context, real_backends=frozenset({"aws"})),
        Recorder(context),
        identity=identity,
        guard=lambda backend, client: guarded.append(backend) or client,
    )
    seen = []

    def create(session, service, **kwargs):
        seen.append(kwargs.get("aws_access_key_id"))
        return _FakeClient()

    context.enter_item("moto")
    hooks.create_client(create, _FakeSession(), "dynamodb")
    context.enter_item("aws")
    hooks.create_client(create, _FakeSession(), "dynamodb")
    hooks.create_client(create, _FakeSession(), "dynamodb", aws_access_key_id="mine")
    assert seen == [None, "AKIAHELD", "mine"]
    assert guarded == ["aws", "aws"]


class _FakeClient:
    class meta:
        class service_model:
            service_name = "sts"


class _FakeSession:
    class _Events:
        @staticmethod
        def register(*args, **kwargs):
            pass

        register_first = unregister = register

    def get_component(self, name):
        assert name == "event_emitter"
        return self._Events()


def test_a_client_built_before_the_backend_was_known_is_routed_and_recorded(stub_server):
    import boto3

    from ddbmatrix.environment import PLACEHOLDER_ENDPOINT

    context = BackendContext()
    context.register("moto", stub_server)
    recorder = Recorder(context)
    router = Router(context)
    router.on_route = recorder.annotate
    hooks = ClientHooks(context, router, recorder)
    hooks.install()
    try:
        client = boto3.session.Session(
            aws_access_key_id="ddbmatrix", aws_secret_access_key="x", region_name="us-east-1"
        ).client("dynamodb", endpoint_url=PLACEHOLDER_ENDPOINT)
    finally:
        hooks.uninstall()
    context.activate()
    try:
        context.enter_item("moto")
        recorder.start()
        assert client.list_tables()["TableNames"] == []
        (call,) = recorder.finish()
    finally:
        context.deactivate()
    assert call["operation"] == "ListTables"
    assert (call["endpoint"], call["served_by"], call["routed"]) == (stub_server, "moto", True)


def _handler_ids(emitter, *owners: object) -> set[str]:
    """The unique ids of the handlers of ``owners`` (this test's router and recorder)."""
    marks = [f"-{id(owner):x}" for owner in owners]
    return {key for key in emitter._emitter._unique_id_handlers if any(m in key for m in marks)}


def test_a_session_is_hooked_once_for_all_its_clients_and_unhooked_at_the_end():
    import boto3

    context = BackendContext()
    router, recorder = Router(context), Recorder(context)
    hooks = ClientHooks(context, router, recorder)
    session = boto3.session.Session(
        aws_access_key_id="ddbmatrix", aws_secret_access_key="x", region_name="us-east-1"
    )
    emitter = session._session.get_component("event_emitter")
    hooks.install()
    try:
        first = session.client("dynamodb", endpoint_url="http://127.0.0.1:9")
        hooked = _handler_ids(emitter, router, recorder)
        second = session.client("dynamodb", endpoint_url="http://127.0.0.1:9")
        assert _handler_ids(emitter, router, recorder) == hooked
    finally:
        hooks.uninstall()
    # One router handler, three recorder handlers for each of the two recorded services.
    assert len(hooked) == 1 + 3 * 2
    assert _handler_ids(emitter, router, recorder) == set()
    # Clients built during the run keep what they copied; the session builds no more such.
    for client in (first, second):
        assert _handler_ids(client.meta.events, router, recorder) == hooked
    assert _handler_ids(session.client("dynamodb").meta.events, router, recorder) == set()
