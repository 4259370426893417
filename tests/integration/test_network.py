"""Nothing gets in, nothing gets out: loopback-only listeners, no outbound connections."""

from __future__ import annotations

import ipaddress
import time

import boto3
import psutil

from tests.integration.conftest import server_processes


def test_every_server_listens_on_loopback_only(started):
    server, _ = started
    listening = [
        connection.laddr
        for process in server_processes(server)
        for connection in process.net_connections(kind="inet")
        if connection.status == psutil.CONN_LISTEN
    ]
    assert listening, "the server listens on no socket?"
    # Read from the OS, not from our configuration: 127.0.0.1 and nothing else.
    assert {address.ip for address in listening} == {"127.0.0.1"}, listening
    assert server.endpoint.endswith(f":{listening[0].port}")


def test_servers_open_no_outbound_connection(started):
    server, log_dir = started
    client = boto3.client(
        "dynamodb",
        endpoint_url=server.endpoint,
        region_name="us-east-1",
        aws_access_key_id="ddbmatrix",
        aws_secret_access_key="ddbmatrix",
    )
    remote = set()
    for _ in range(20):  # sample the sockets for ~2 s while the server works
        client.list_tables()
        for process in server_processes(server):
            for connection in process.net_connections(kind="all"):
                peer = getattr(connection.raddr, "ip", None) if connection.raddr else None
                if peer and not ipaddress.ip_address(peer.removeprefix("::ffff:")).is_loopback:
                    remote.add((process.name(), peer, connection.raddr.port))
        time.sleep(0.1)
    assert remote == set()
    # DynamoDB Local's telemetry leaves a metadata file in its working directory.
    assert not list(log_dir.rglob("dynamodb-local-metadata.json"))
