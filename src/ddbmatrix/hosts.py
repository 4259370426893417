"""Which hosts are this machine and which are real AWS: the one place a host is judged.

A host is compared in its canonical form: lower case, without the trailing dot of a fully
qualified name (``dynamodb.us-east-1.amazonaws.com.`` is the same host as without it), and
without the brackets of an IPv6 literal. Addresses are parsed with :mod:`ipaddress`, never
matched as text, so ``127.0.0.2``, ``::1`` and ``::ffff:127.0.0.1`` are loopback while
``127.0.0.1.example.com`` is not.

Both checks err on the side that sends nothing off the machine: forms an address parser
does not accept (``2130706433``, ``0x7f.1``, ``127.1``) and the unspecified address
(``0.0.0.0``, ``::``) are not called loopback, so a request to them is refused as egress
rather than trusted; name them as ``127.0.0.1``.
"""

from __future__ import annotations

import functools
import ipaddress

__all__ = ["AWS_SUFFIXES", "canonical_host", "is_aws_host", "is_loopback"]

#: Domains of AWS service endpoints (commercial, China, the dual-stack ``api.aws``).
AWS_SUFFIXES = ("amazonaws.com", "amazonaws.com.cn", "api.aws")


def canonical_host(host: str) -> str:
    """Return ``host`` lower-cased, without a trailing dot or IPv6 brackets."""
    host = host.strip().lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host[:-1] if host.endswith(".") else host


@functools.lru_cache(maxsize=256)  # a pure function of a few hosts, asked on every request
def is_loopback(host: str) -> bool:
    """Return whether ``host`` names this machine's loopback interface."""
    host = canonical_host(host)
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])  # no IPv6 zone
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


@functools.lru_cache(maxsize=256)
def is_aws_host(host: str) -> bool:
    """Return whether ``host`` is an AWS service endpoint (``dynamodb.REGION.amazonaws.com``)."""
    host = canonical_host(host)
    return any(host == suffix or host.endswith(f".{suffix}") for suffix in AWS_SUFFIXES)
