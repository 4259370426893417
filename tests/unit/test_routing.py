"""Where requests may go: the placeholder re-addressed, stale servers and egress refused.

No request here leaves the machine: a tripwire below the router under test fails the test
if one ever would.
"""

from __future__ import annotations

import botocore.httpsession
import pytest
from botocore.awsrequest import AWSRequest

from ddbmatrix import EgressRefusedError, OutsideTestError, RequestRefusedError, StaleEndpointError
from ddbmatrix.context import BackendContext
from ddbmatrix.environment import PLACEHOLDER_ENDPOINT
from ddbmatrix.routing import Router, endpoint_of

AWS = "https://dynamodb.us-east-1.amazonaws.com/"


@pytest.fixture
def stub(stub_http):
    return stub_http


@pytest.fixture
def context(stub):
    context = BackendContext()
    context.register("moto", stub.url)
    context.register("dynalite", "http://127.0.0.1:4567")
    context.activate()  # the innermost run's: only its router decides
    yield context
    context.deactivate()


def test_the_placeholder_goes_to_the_backend_of_now(context, stub):
    context.enter_item("moto")
    route = Router(context).decide(f"{PLACEHOLDER_ENDPOINT}/")
    assert route.url == f"{stub.url}/"
    assert (route.endpoint, route.served_by, route.routed) == (stub.url, "moto", True)


def test_the_placeholder_with_no_backend_of_now_is_refused(context):
    with pytest.raises(OutsideTestError, match=r"outside any test on a backend.*Module-level"):
        Router(context).decide(f"{PLACEHOLDER_ENDPOINT}/")


def test_the_placeholder_never_goes_to_real_aws(context):
    context.register("aws", AWS)
    context.enter_item("aws")
    with pytest.raises(OutsideTestError, match=r"fake credentials.*real AWS"):
        Router(context, real_backends=frozenset({"aws"})).decide(f"{PLACEHOLDER_ENDPOINT}/")


def test_a_mocked_call_outside_any_test_is_left_to_moto(context, monkeypatch):
    from moto.core import models

    monkeypatch.setattr(models.botocore_stubber, "enabled", True)  # inside mock_aws()
    route = Router(context).decide(f"{PLACEHOLDER_ENDPOINT}/")
    assert route.url == AWS  # where mock_aws answers (before the HTTP layer)


def test_another_backends_server_is_stale(context):
    context.enter_item("moto")
    router = Router(context)
    with pytest.raises(StaleEndpointError, match=r"server of dynalite, during a test on moto"):
        router.decide("http://127.0.0.1:4567/")
    # ddbmatrix's own clean-up of dynalite's tables, during a moto test, is not stale.
    assert router.decide("http://127.0.0.1:4567/", own=True).served_by == "dynalite"
    context.leave_item()
    assert router.decide("http://127.0.0.1:4567/").served_by == "dynalite"


def test_nothing_leaves_the_machine_unasked(context):
    context.enter_item("moto")
    with pytest.raises(EgressRefusedError, match=r"no aws backend was asked for"):
        Router(context).decide(AWS)
    with pytest.raises(EgressRefusedError):
        Router(context).decide("http://10.0.0.8:8000/")
    real = Router(context, real_backends=frozenset({"aws"}))
    with pytest.raises(EgressRefusedError, match=r"running now is on moto, not on aws"):
        real.decide(AWS)
    context.enter_item("aws")
    assert real.decide(AWS).served_by is None
    assert real.decide("http://169.254.169.254/latest/api/token").url  # credential refresh


def test_endpoints_the_run_was_given_are_reachable(context):
    router = Router(context)
    router.allow("http://alternator.internal:8000")
    assert router.decide("http://alternator.internal:8000/").endpoint == (
        "http://alternator.internal:8000"
    )


def test_the_users_real_key_goes_nowhere_but_aws(context, stub):
    router = Router(context, real_key=lambda: "AKIAPLANTEDREALKEY")
    header = "AWS4-HMAC-SHA256 Credential=AKIAPLANTEDREALKEY/20261202/us-east-1/dynamodb/aws4"
    with pytest.raises(RequestRefusedError, match="real AWS access key"):
        router.decide(f"{stub.url}/", authorization=header)
    fake = header.replace("AKIAPLANTEDREALKEY", "ddbmatrix")
    assert router.decide(f"{stub.url}/", authorization=fake).served_by == "moto"


def test_a_run_nested_in_another_leaves_its_requests_to_the_inner_router(context):
    inner = BackendContext()
    inner.activate()
    try:
        # The outer router (of context) lets the inner run's placeholder through.
        assert Router(context).decide(f"{PLACEHOLDER_ENDPOINT}/").routed is False
    finally:
        inner.deactivate()


def test_recorded_endpoints_hold_no_userinfo_or_query():
    assert endpoint_of("http://user:secret@127.0.0.1:8000/?token=x#f") == "http://127.0.0.1:8000"
    assert endpoint_of("https://dynamodb.us-east-1.amazonaws.com/") == AWS.rstrip("/")
    assert endpoint_of("http://[::1]:8000/") == "http://[::1]:8000"


@pytest.fixture
def http_router(context, monkeypatch):
    """The router at the HTTP layer, above a tripwire that no request may pass off-machine."""
    below = botocore.httpsession.URLLib3Session.send

    def tripwire(session, request):
        assert request.url.startswith("http://127.0.0.1:"), f"would have sent {request.url}"
        return below(session, request)

    monkeypatch.setattr(botocore.httpsession.URLLib3Session, "send", tripwire)
    router = Router(context, real_key=lambda: "AKIAPLANTEDREALKEY")
    router.install()
    yield router
    router.uninstall()
    assert botocore.httpsession.URLLib3Session.send is tripwire


def send(url: str, authorization: str = "") -> int:
    """Send a ListTables request as any botocore client would, at the HTTP layer."""
    headers = {
        "X-Amz-Target": "DynamoDB_20120810.ListTables",
        "Content-Type": "application/x-amz-json-1.0",
    }
    if authorization:
        headers["Authorization"] = authorization
    request = AWSRequest(method="POST", url=url, data=b"{}", headers=headers).prepare()
    return botocore.httpsession.URLLib3Session().send(request).status_code


def test_the_http_layer_readdresses_clients_no_event_reached(http_router, context, stub):
    context.enter_item("moto")
    assert send(f"{PLACEHOLDER_ENDPOINT}/") == 200
    assert len(stub.seen) == 1


def test_the_http_layer_refuses_aws_and_real_keys(http_router, context, stub):
    context.enter_item("moto")
    with pytest.raises(EgressRefusedError):
        send(AWS)
    with pytest.raises(RequestRefusedError, match="real AWS access key"):
        send(f"{stub.url}/", "AWS4-HMAC-SHA256 Credential=AKIAPLANTEDREALKEY/x")
    context.leave_item()
    with pytest.raises(OutsideTestError):
        send(f"{PLACEHOLDER_ENDPOINT}/")
    assert stub.seen == []


def test_a_models_connection_kept_for_another_backend_is_refused_not_served(pytester, tmp_path):
    from ddbmatrix.backends import get_backend

    other = get_backend("moto").start("127.0.0.1", None, tmp_path / "other.log")
    try:
        pytester.makepyfile(
            test_stale="""
            from pynamodb.attributes import UnicodeAttribute
            from pynamodb.models import Model


            class Thing(Model):
                class Meta:
                    table_name = "things"

                pk = UnicodeAttribute(hash_key=True)


            def test_host_from_the_first_backend(ddb_endpoint):
                if Thing.Meta.__dict__.get("host") is None:
                    Thing.Meta.host = ddb_endpoint  # kept by the class, across backends
                    Thing.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
                Thing("a").save()
            """
        )
        result = pytester.runpytest_subprocess(
            "--ddb-backend=moto", f"--ddb-endpoint=other={other.endpoint}", "-p", "no:randomly"
        )
        result.assert_outcomes(passed=1, failed=1)
        result.stdout.fnmatch_lines(
            [
                "*StaleEndpointError: ddbmatrix refused a request to http://127.0.0.1:*, the server"
                " of moto, during a test on other*"
            ]
        )
    finally:
        other.stop()
