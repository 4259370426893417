"""Orders against Customers and Orders tables that the models create once for the module."""

from __future__ import annotations

import pytest
from bookshop.orders import Customer, Order, orders_of, place_order, ship
from pynamodb.exceptions import TransactWriteError


@pytest.fixture(scope="module", autouse=True)
def tables(ddb_url):
    for model in (Customer, Order):
        model.Meta.host = ddb_url
        model.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
    yield
    for model in (Customer, Order):
        model.delete_table()


@pytest.fixture
def customer(request):
    customer_id = request.node.name  # one customer per test: the tests share the tables
    Customer(customer_id, name="Ada").save()
    return customer_id


def test_placing_an_order_counts_it(customer):
    place_order(customer, "o-1", "978-0-00-000001-1", 1)
    assert Order.get(customer, "o-1").quantity == 1
    assert Customer.get(customer).orders_placed == 1


def test_an_order_is_placed_once(customer):
    place_order(customer, "o-1", "978-0-00-000001-1", 1)
    with pytest.raises(TransactWriteError):
        place_order(customer, "o-1", "978-0-00-000001-1", 3)
    assert Order.get(customer, "o-1").quantity == 1
    assert Customer.get(customer).orders_placed == 1


def test_an_order_of_an_unknown_customer_is_refused():
    with pytest.raises(TransactWriteError):
        place_order("nobody", "o-1", "978-0-00-000001-1", 1)
    assert list(Order.query("nobody")) == []


def test_orders_of_a_customer_are_in_order_id_order(customer):
    for order_id in ("o-2", "o-1", "o-3"):
        place_order(customer, order_id, "978-0-00-000002-8", 1)
    assert orders_of(customer) == ["o-1", "o-2", "o-3"]


def test_an_order_ships_once(customer):
    place_order(customer, "o-1", "978-0-00-000003-5", 2)
    assert ship(customer, "o-1")
    assert not ship(customer, "o-1")
    assert Order.get(customer, "o-1").status == "shipped"
