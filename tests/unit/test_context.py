"""The backend context: the backend of now, for items and for wider fixtures' teardowns."""

from __future__ import annotations

from ddbmatrix import current_backend
from ddbmatrix.context import BackendContext, netloc


def test_items_and_acting_backends_stack_and_notify_each_change():
    context = BackendContext()
    changes = []
    context.on_change(lambda previous, current: changes.append((previous, current)))
    context.enter_item("moto")
    context.enter_item("moto")  # no change, no notice
    context.push("dynalite")  # a wider fixture of dynalite tears down during a moto item
    assert context.backend == "dynalite"
    with context.acting_for("moto"):
        assert context.backend == "moto"
    context.pop("dynalite")
    context.leave_item()
    assert context.backend is None
    assert changes == [
        (None, "moto"),
        ("moto", "dynalite"),
        ("dynalite", "moto"),
        ("moto", "dynalite"),
        ("dynalite", "moto"),
        ("moto", None),
    ]


def test_servers_are_known_by_their_netloc():
    context = BackendContext()
    context.register("moto", "http://127.0.0.1:4567")
    assert context.endpoint("moto") == "http://127.0.0.1:4567"
    assert context.served_by("http://127.0.0.1:4567/") == "moto"
    assert context.served_by("http://user:pw@127.0.0.1:4567/?x=1") == "moto"
    assert context.served_by("http://127.0.0.1:4568/") is None
    assert netloc("https://Dynamodb.US-East-1.amazonaws.com./") == (
        "dynamodb.us-east-1.amazonaws.com:443"
    )


def test_the_innermost_active_context_answers_current_backend():
    outer, inner = BackendContext(), BackendContext()
    outer.activate()
    try:
        outer.enter_item("moto")
        assert current_backend() == "moto"
        inner.activate()  # a pytest run inside this one (pytester, in-process)
        inner.enter_item("dynalite")
        assert current_backend() == "dynalite"
        inner.deactivate()
        assert current_backend() == "moto"
    finally:
        outer.deactivate()


def test_own_calls_are_marked_per_thread():
    context = BackendContext()
    assert not context.in_own_calls
    with context.own_calls():
        assert context.in_own_calls
    assert not context.in_own_calls
