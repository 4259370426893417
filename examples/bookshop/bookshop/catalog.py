"""The catalog of books, as the shop's Lambda function reads and writes it (boto3)."""

from __future__ import annotations

import os
from typing import Any

import boto3
from botocore.exceptions import ClientError

# One client per process, built when the module is imported: the usual Lambda pattern. It
# takes its endpoint, region and credentials from the environment.
dynamodb = boto3.client("dynamodb")


def table() -> str:
    return os.environ.get("BOOKS_TABLE", "Books")


def add_book(isbn: str, title: str, author: str, price_cents: int, stock: int) -> bool:
    """Add a book; return False if a book with this ISBN exists already."""
    try:
        dynamodb.put_item(
            TableName=table(),
            Item={
                "isbn": {"S": isbn},
                "title": {"S": title},
                "author": {"S": author},
                "price_cents": {"N": str(price_cents)},
                "stock": {"N": str(stock)},
            },
            ConditionExpression="attribute_not_exists(isbn)",
        )
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise
    return True


def get_book(isbn: str) -> dict[str, Any] | None:
    item = dynamodb.get_item(TableName=table(), Key={"isbn": {"S": isbn}}).get("Item")
    if item is None:
        return None
    return {
        "isbn": item["isbn"]["S"],
        "title": item["title"]["S"],
        "author": item["author"]["S"],
        "price_cents": int(item["price_cents"]["N"]),
        "stock": int(item["stock"]["N"]),
    }


def titles_by(author: str) -> list[str]:
    """Return the titles of an author, in title order (the by_author index)."""
    page = dynamodb.query(
        TableName=table(),
        IndexName="by_author",
        KeyConditionExpression="author = :author",
        ExpressionAttributeValues={":author": {"S": author}},
    )
    return [item["title"]["S"] for item in page["Items"]]


def reserve(isbn: str, quantity: int) -> int | None:
    """Take ``quantity`` copies from stock; return what is left, or None if too few."""
    try:
        answer = dynamodb.update_item(
            TableName=table(),
            Key={"isbn": {"S": isbn}},
            UpdateExpression="SET stock = stock - :n",
            ConditionExpression="stock >= :n",
            ExpressionAttributeValues={":n": {"N": str(quantity)}},
            ReturnValues="UPDATED_NEW",
        )
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return None
        raise
    return int(answer["Attributes"]["stock"]["N"])


def priced_between(low_cents: int, high_cents: int) -> list[str]:
    """Return the titles priced from ``low_cents`` to ``high_cents``, sorted (PartiQL)."""
    page = dynamodb.execute_statement(
        Statement=f'SELECT title FROM "{table()}" WHERE price_cents BETWEEN ? AND ?',
        Parameters=[{"N": str(low_cents)}, {"N": str(high_cents)}],
    )
    return sorted(item["title"]["S"] for item in page["Items"])
