from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from ddbmatrix.ports import reserve_port


def test_reserved_ports_are_distinct_and_free():
    reservations = [reserve_port() for _ in range(20)]
    try:
        ports = [r.port for r in reservations]
        assert len(set(ports)) == 20
        for port in ports:
            with socket.socket() as sock:
                sock.bind(("127.0.0.1", port))
    finally:
        for reservation in reservations:
            reservation.release()


def test_a_reserved_port_is_refused_to_another_process():
    reservation = reserve_port()
    try:
        code = (
            "import sys\n"
            "from ddbmatrix.ports import reserve_port\n"
            f"try:\n    reserve_port(port={reservation.port})\n"
            "except OSError:\n    sys.exit(7)\n"
        )
        assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 7
    finally:
        reservation.release()


def test_a_port_taken_by_another_program_is_refused():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        taken = sock.getsockname()[1]
        with pytest.raises(OSError, match=f"port {taken} on 127.0.0.1 is in use"):
            reserve_port(port=taken)


def test_released_port_can_be_reserved_again():
    reservation = reserve_port()
    port = reservation.port
    reservation.release()
    again = reserve_port(port=port)
    assert again.port == port
    again.release()
