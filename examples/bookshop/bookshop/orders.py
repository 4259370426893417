"""Customers and their orders (PynamoDB models; placing an order is a transaction)."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.connection import Connection
from pynamodb.exceptions import UpdateError
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite


class Customer(Model):
    class Meta:
        # No host: the endpoint comes from the environment (AWS_ENDPOINT_URL_DYNAMODB).
        table_name = "Customers"

    customer_id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    orders_placed = NumberAttribute(default=0)


class Order(Model):
    class Meta:
        table_name = "Orders"

    customer_id = UnicodeAttribute(hash_key=True)
    order_id = UnicodeAttribute(range_key=True)
    isbn = UnicodeAttribute()
    quantity = NumberAttribute()
    status = UnicodeAttribute(default="placed")


def place_order(customer_id: str, order_id: str, isbn: str, quantity: int) -> None:
    """Save the order and count it on the customer, both or neither."""
    order = Order(customer_id, order_id, isbn=isbn, quantity=quantity)
    with TransactWrite(connection=Connection()) as transaction:
        transaction.save(order, condition=Order.order_id.does_not_exist())
        transaction.update(
            Customer(customer_id),
            actions=[Customer.orders_placed.add(1)],
            condition=Customer.customer_id.exists(),
        )


def ship(customer_id: str, order_id: str) -> bool:
    """Mark a placed order shipped; return False if it was not in the placed state."""
    order = Order.get(customer_id, order_id)
    try:
        order.update(actions=[Order.status.set("shipped")], condition=Order.status == "placed")
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def orders_of(customer_id: str) -> list[str]:
    return [order.order_id for order in Order.query(customer_id)]
