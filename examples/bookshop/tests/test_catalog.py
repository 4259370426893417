"""The catalog against a Books table created once for the module."""

from __future__ import annotations

import pytest
from bookshop import catalog

BOOKS = [
    ("978-0-00-000001-1", "Dune", "Frank Herbert", 1099, 5),
    ("978-0-00-000002-8", "Children of Dune", "Frank Herbert", 999, 2),
    ("978-0-00-000003-5", "The Left Hand of Darkness", "Ursula K. Le Guin", 899, 7),
]


@pytest.fixture(scope="module", autouse=True)
def books_table(dynamodb):
    dynamodb.create_table(
        TableName="Books",
        KeySchema=[{"AttributeName": "isbn", "KeyType": "HASH"}],
        AttributeDefinitions=[
            {"AttributeName": "isbn", "AttributeType": "S"},
            {"AttributeName": "author", "AttributeType": "S"},
            {"AttributeName": "title", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by_author",
                "KeySchema": [
                    {"AttributeName": "author", "KeyType": "HASH"},
                    {"AttributeName": "title", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.get_waiter("table_exists").wait(TableName="Books", WaiterConfig={"Delay": 1})
    for isbn, title, author, price, stock in BOOKS:
        catalog.add_book(isbn, title, author, price, stock)
    yield "Books"
    dynamodb.delete_table(TableName="Books")


def test_a_book_is_found_by_isbn():
    assert catalog.get_book("978-0-00-000001-1") == {
        "isbn": "978-0-00-000001-1",
        "title": "Dune",
        "author": "Frank Herbert",
        "price_cents": 1099,
        "stock": 5,
    }


def test_an_unknown_isbn_is_none():
    assert catalog.get_book("978-0-00-999999-9") is None


def test_a_book_is_added_once():
    assert catalog.add_book("978-0-00-000100-1", "Emma", "Jane Austen", 599, 1)
    assert not catalog.add_book("978-0-00-000100-1", "Emma (again)", "Jane Austen", 599, 1)
    assert catalog.get_book("978-0-00-000100-1")["title"] == "Emma"


def test_titles_of_an_author_are_in_title_order():
    assert catalog.titles_by("Frank Herbert") == ["Children of Dune", "Dune"]


def test_reserving_takes_from_stock():
    catalog.add_book("978-0-00-000200-8", "Persuasion", "Jane Austen", 699, 3)
    assert catalog.reserve("978-0-00-000200-8", 2) == 1
    assert catalog.get_book("978-0-00-000200-8")["stock"] == 1


def test_reserving_more_than_the_stock_is_refused():
    catalog.add_book("978-0-00-000300-5", "Sanditon", "Jane Austen", 499, 1)
    assert catalog.reserve("978-0-00-000300-5", 2) is None
    assert catalog.get_book("978-0-00-000300-5")["stock"] == 1


def test_books_in_a_price_range():
    assert catalog.priced_between(800, 1000) == ["Children of Dune", "The Left Hand of Darkness"]
