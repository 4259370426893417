from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from ddbmatrix.runfile import write_run

pytest_plugins = ["pytester"]


@pytest.fixture
def write_runs(tmp_path: Path):
    """Write run files from {backend: [records]} and return their paths.

    Keyword arguments replace envelope fields (``started_at``, ``incidents``, ...).
    """

    def write(
        runs: dict[str, list[dict[str, Any]]], folder: Path | None = None, **envelope: Any
    ) -> list[Path]:
        folder = folder or tmp_path / "runs"
        paths = []
        for backend, records in runs.items():
            fields = {
                "backend": backend,
                "backend_version": "1.0",
                "versions": {},
                "commit": "abc",
                "dirty": False,
                "started_at": "t0",
                "finished_at": "t1",
                "exit_status": 0,
                "complete": True,
                "argv": [],
                **envelope,
            }
            paths.append(write_run(folder / f"{backend}.json", fields, records))
        return paths

    return write


class Stub(ThreadingHTTPServer):
    """A loopback server answering every DynamoDB call with an empty ListTables."""

    def __init__(self, port: int = 0) -> None:
        self.seen: list[dict[str, str]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                stub.seen.append(dict(self.headers))
                body = json.dumps({"TableNames": []}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/x-amz-json-1.0")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def stub_http():
    server = Stub()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def stub_server(stub_http):
    """The URL of a loopback stub standing in for a backend's server."""
    return stub_http.url
