from __future__ import annotations

import signal
import subprocess
import sys

import boto3
import psutil

from ddbmatrix.cli import main
from tests.unit.factories import make_record


def test_serve_prints_endpoint_and_environment_and_stops_on_ctrl_c():
    process = subprocess.Popen(
        [sys.executable, "-m", "ddbmatrix.cli", "serve", "moto"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    try:
        for line in process.stdout:  # bounded by the server's start-up
            lines.append(line)
            if line.startswith("press Ctrl-C"):
                break
        text = "".join(lines)
        endpoint = next(line.split()[-1] for line in lines if " listening on " in line)
        assert f"export AWS_ENDPOINT_URL_DYNAMODB={endpoint}" in text
        client = boto3.client(
            "dynamodb",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="ddbmatrix",
            aws_secret_access_key="ddbmatrix",
        )
        assert client.list_tables()["TableNames"] == []
        children = psutil.Process(process.pid).children(recursive=True)
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0
    assert "moto stopped" in rest
    assert children
    assert not any(c.is_running() and c.status() != psutil.STATUS_ZOMBIE for c in children)


def test_serve_on_a_taken_port_says_so(capsys):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        assert main(["serve", "moto", "--port", str(port)]) == 2
    assert f"port {port} on 127.0.0.1 is in use" in capsys.readouterr().err


def test_report_names_a_corrupt_run_file(tmp_path, capsys, write_runs):
    good = write_runs({"moto": [make_record("t.py::a", "moto")]})
    bad = tmp_path / "dynalite.json"
    bad.write_text('{"schema": "ddbmatrix-run", "tests": [')
    assert main(["report", str(good[0]), str(bad), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err
    assert "truncated or corrupt" in err
    assert not (tmp_path / "out").exists()


def test_report_writes_markdown_and_json(tmp_path, write_runs, capsys):
    paths = write_runs(
        {
            "x": [make_record("t.py::a", "x")],
            "y": [make_record("t.py::a", "y", "failed", message="assert 1 == 2")],
        }
    )
    assert main(["report", *map(str, paths), "--out", str(tmp_path / "out")]) == 0
    markdown = (tmp_path / "out" / "divergence.md").read_text()
    assert "**1 divergent**" in markdown
    assert "### `t.py::a`" in markdown
    assert (tmp_path / "out" / "divergence.json").is_file()


def test_report_without_runs_explains(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["report"]) == 2
    assert "no run files" in capsys.readouterr().err


def test_unknown_backend_in_install(capsys):
    assert main(["install", "dynamo"]) == 2
    assert "unknown backend 'dynamo'" in capsys.readouterr().err
