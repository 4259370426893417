"""A pytest plugin for the benchmark: each test's HTTP calls as sent, and its time.

    pytest -p benchmarks.wire ...        (DDBMATRIX_BENCH_WIRE=<file prefix>)

The run file holds the calls a test made itself; the replay also needs the calls the
fixtures made for it (CreateTable, the polls, DeleteTable), or its calls would find no
table. So this plugin keeps every DynamoDB request that leaves the process while a test
runs (set-up, call, teardown) at the lowest layer every botocore client shares, with its
headers and body, and the wall time of the test's whole protocol (set-up to teardown,
report hooks included). ddbmatrix's own probes are left out. Each process (each xdist
worker) appends each test, as it ends, to ``<prefix>.<worker>.jsonl``: one JSON line a test.
A process that kept them all until it ended would hold every request of the run (1.5 GiB in
a whole-matrix worker), and the bench would report that as the harness's memory.

It also keeps how long each test slept on its own (``own_sleep``): ``time.sleep`` on the
test's thread called from anywhere but ddbmatrix and the server manager it drives (the
suite's ``eventually()`` waiting for a stream record that an emulator never writes, say).
The replay runs no test body, so that wait is neither harness nor calls; the harness's own
waits (a table's polls) stay in the harness's time.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Generator
from pathlib import Path
from typing import Any

import botocore.httpsession
import pytest

from ddbmatrix.backends.base import INTERNAL_CLIENT

ENV = "DDBMATRIX_BENCH_WIRE"
#: Keep every Nth collected test only (a fixed slice of the suite, the same in every run).
EVERY_ENV = "DDBMATRIX_BENCH_EVERY"
#: What each process's file of tests ends with, after ``<prefix>.<worker>``.
SUFFIX = ".jsonl"
#: Whose sleeps are the harness's own: ddbmatrix, and mirakuru, which it starts servers with.
HARNESS_PACKAGES = frozenset({"ddbmatrix", "mirakuru"})


class WireCapture:
    def __init__(self, prefix: str, worker: str) -> None:
        self.path = Path(f"{prefix}.{worker}{SUFFIX}")
        self._file = self.path.open("w", encoding="utf-8")
        self._calls: list[dict[str, Any]] | None = None
        self._original: Any = None
        self._original_sleep: Any = None
        self._slept = 0.0
        self._thread = threading.get_ident()

    def install(self) -> None:
        original = botocore.httpsession.URLLib3Session.send
        capture = self

        def send(session: Any, request: Any) -> Any:
            calls = capture._calls
            if calls is not None:
                headers = {k: _text(v) for k, v in request.headers.items()}
                if INTERNAL_CLIENT not in headers.get("User-Agent", ""):
                    body = request.body
                    if hasattr(body, "read"):  # botocore may hand a stream; DynamoDB's is small
                        body = body.read()
                        request.body = body
                    calls.append({"headers": headers, "body": _text(body or b"")})
            return original(session, request)

        self._original = original
        botocore.httpsession.URLLib3Session.send = send  # type: ignore[method-assign]

        original_sleep = time.sleep

        def sleep(seconds: float) -> None:
            if capture._calls is None or threading.get_ident() != capture._thread:
                return original_sleep(seconds)
            caller = sys._getframe(1).f_globals.get("__name__", "")
            started = time.perf_counter()
            try:
                return original_sleep(seconds)
            finally:
                if caller.partition(".")[0] not in HARNESS_PACKAGES:
                    capture._slept += time.perf_counter() - started

        self._original_sleep = original_sleep
        time.sleep = sleep

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Generator[None, object, object]:
        self._calls = calls = []
        self._slept = 0.0
        started = time.perf_counter()
        try:
            return (yield)
        finally:
            seconds = time.perf_counter() - started
            self._calls = None
            record = {"id": item.nodeid, "seconds": seconds, "own_sleep": self._slept}
            self._file.write(json.dumps(record | {"calls": calls}) + "\n")

    def pytest_unconfigure(self) -> None:
        if self._original is not None:
            botocore.httpsession.URLLib3Session.send = self._original  # type: ignore[method-assign]
        if self._original_sleep is not None:
            time.sleep = self._original_sleep
        self._file.close()


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "surrogateescape") if isinstance(value, bytes) else value


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    every = int(os.environ.get(EVERY_ENV) or 1)
    if every > 1:
        kept = items[::every]
        left = set(map(id, kept))
        config.hook.pytest_deselected(items=[item for item in items if id(item) not in left])
        items[:] = kept


def pytest_configure(config: pytest.Config) -> None:
    prefix = os.environ.get(ENV)
    if not prefix:
        return
    workerinput = getattr(config, "workerinput", None)
    worker = workerinput["workerid"] if workerinput else "main"
    capture = WireCapture(prefix, worker)
    capture.install()
    config.pluginmanager.register(capture, "ddbmatrix-bench-wire")
