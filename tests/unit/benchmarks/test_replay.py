"""The replay sends a run's calls again: here against a tiny HTTP server that counts them."""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from benchmarks.replay import _blobs, load_wire, replay_boto3, replay_raw, wire_processes


def test_binary_values_become_bytes_again_and_nothing_else_changes():
    wire = {"Item": {"b": {"B": base64.b64encode(b"\x00x").decode()}, "s": {"S": "B"}}}
    assert _blobs(wire) == {"Item": {"b": {"B": b"\x00x"}, "s": {"S": "B"}}}
    assert _blobs({"BS": ["AA=="]}) == {"BS": [b"\x00"]}


def test_every_process_file_of_a_run_is_read(tmp_path):
    for worker, ids in (("gw0", ["a", "b"]), ("gw1", ["c"])):
        tests = [{"id": i, "seconds": 0.1, "calls": []} for i in ids]
        lines = "".join(json.dumps(test) + "\n" for test in tests)
        (tmp_path / f"wire.{worker}.jsonl").write_text(lines)
    assert [t["id"] for t in load_wire(tmp_path / "wire")] == ["a", "b", "c"]
    assert [[t["id"] for t in p] for p in wire_processes(tmp_path / "wire")] == [["a", "b"], ["c"]]


@pytest.fixture
def server():
    targets: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            targets.append(self.headers["X-Amz-Target"])
            body = b"{}"
            self.send_response(200)
            self.send_header("Content-Type", "application/x-amz-json-1.0")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", targets
    httpd.shutdown()


def _call(operation: str, body: dict) -> dict:
    text = json.dumps(body)
    return {
        "headers": {
            "X-Amz-Target": f"DynamoDB_20120810.{operation}",
            "Content-Type": "application/x-amz-json-1.0",
            "Content-Length": str(len(text)),
        },
        "body": text,
    }


TESTS = [
    {"id": "first", "calls": [_call("CreateTable", {"TableName": "t"})]},
    {"id": "second", "calls": [_call("PutItem", {"TableName": "t", "Item": {}})] * 2},
]


@pytest.mark.parametrize("replay", [replay_boto3, replay_raw])
def test_both_replays_send_every_call_in_order(server, replay):
    endpoint, targets = server
    seconds = replay(endpoint, TESTS)
    assert targets == ["DynamoDB_20120810.CreateTable"] + ["DynamoDB_20120810.PutItem"] * 2
    assert seconds > 0
