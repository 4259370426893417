"""A small bookshop backend: a catalog (boto3) and orders (PynamoDB), tested on DynamoDB Local."""
