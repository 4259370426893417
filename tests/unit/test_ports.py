from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from ddbmatrix.ports import PortReservation, reserve_port


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
            "from ddbmatrix.ports import PortReservation, reserve_port\n"
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


def test_reserve_skips_a_port_taken_by_another_program(monkeypatch):
    import port_for

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        taken = sock.getsockname()[1]
        free = reserve_port()
        free.release()
        candidates = iter([taken, free.port])
        monkeypatch.setattr(port_for, "select_random", lambda *a, **k: next(candidates))
        reservation = reserve_port()
        assert reservation.port == free.port
        reservation.release()


def test_a_server_whose_port_is_taken_at_bind_time_moves_to_another(monkeypatch, tmp_path):
    """The race a reservation cannot prevent: a program that ignores reservations binds first."""
    import ddbmatrix.backends.base as base
    from ddbmatrix.backends import get_backend

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        taken = sock.getsockname()[1]
        real_reserve = base.reserve_port
        calls = []

        def reserve(host, port=None):
            calls.append(port)
            if len(calls) == 1:
                return PortReservation(taken)  # looks free to us, but is not
            return real_reserve(host, port)

        monkeypatch.setattr(base, "reserve_port", reserve)
        server = get_backend("moto").start("127.0.0.1", None, tmp_path / "moto.log")
        try:
            assert not server.endpoint.endswith(f":{taken}")
            assert len(calls) == 2
        finally:
            server.stop()


def test_two_concurrent_runs_with_two_workers_each_both_pass(pytester):
    pytester.makepyfile(
        **{
            f"test_run{i}": "\n".join(
                f"def test_{n}(ddb_client, make_table):\n"
                f"    table = make_table(keys={{'pk': 'S'}})\n"
                f"    ddb_client.put_item(TableName=table, Item={{'pk': {{'S': 'x'}}}})\n"
                for n in range(6)
            )
            for i in (1, 2)
        }
    )
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pytest",
                f"test_run{i}.py",
                "--ddb-backend=moto",
                "-n",
                "2",
                "-p",
                "no:cacheprovider",
                f"--ddb-runs-dir=runs{i}",
            ],
            cwd=pytester.path,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for i in (1, 2)
    ]
    outputs = [run.communicate(timeout=180)[0] for run in runs]
    for run, output in zip(runs, outputs, strict=True):
        assert run.returncode == 0, output
        assert "6 passed" in output
