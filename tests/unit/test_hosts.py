"""Loopback and real-AWS hosts: parsed, not matched as text, in every spelling a URL allows."""

from __future__ import annotations

import pytest

from ddbmatrix.hosts import canonical_host, is_aws_host, is_loopback


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "127.0.0.2", "127.255.255.254", "localhost", "LOCALHOST", "localhost.",
     "::1", "[::1]", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1", "[::ffff:7f00:1]"],
)  # fmt: skip
def test_loopback_in_every_spelling(host):
    assert is_loopback(host)


@pytest.mark.parametrize(
    "host",
    ["10.0.0.1", "169.254.169.254", "0.0.0.0", "::", "2130706433", "0x7f.1", "127.1",
     "127.0.0.1.example.com", "localhost.example.com", "notlocalhost", "::ffff:10.0.0.1",
     "fe80::1%eth0", "", "dynamodb.us-east-1.amazonaws.com"],
)  # fmt: skip
def test_what_is_not_parsed_as_loopback_is_not_trusted(host):
    # Forms only a lenient resolver accepts (decimal, hex, short) and the unspecified
    # address are refused as egress, never trusted: they are spelled 127.0.0.1 instead.
    assert not is_loopback(host)


@pytest.mark.parametrize(
    "host",
    ["dynamodb.us-east-1.amazonaws.com", "dynamodb.us-east-1.amazonaws.com.",
     "DYNAMODB.US-EAST-1.AMAZONAWS.COM", "dynamodb.cn-north-1.amazonaws.com.cn",
     "dynamodb.us-east-1.api.aws", "sts.amazonaws.com", "amazonaws.com"],
)  # fmt: skip
def test_aws_hosts_with_a_trailing_dot_or_in_upper_case(host):
    assert is_aws_host(host)


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "localhost", "amazonaws.com.example.org", "notamazonaws.com", "api.awsx"]
)
def test_other_hosts_are_not_aws(host):
    assert not is_aws_host(host)


def test_the_canonical_form_has_no_case_brackets_or_trailing_dot():
    assert canonical_host(" Dynamodb.Example.COM. ") == "dynamodb.example.com"
    assert canonical_host("[::1]") == "::1"
