"""The physical limit: a run's DynamoDB calls again, with no pytest and no ddbmatrix.

The calls come from a run of the suite (:mod:`benchmarks.wire`: the tests' own calls, which
the run file records too, plus the fixtures' table calls that make them possible), and are
sent again in the same order to a fresh server of the same backend, two ways:

- ``boto3``: one plain low-level client (validation off and one attempt, as ddbmatrix's),
  the request bodies turned back into parameters. The least any boto3 suite can cost.
- ``raw``: the same bytes through one pooled urllib3 connection: the floor below boto3.

Both time each test's calls and skip the run's first test, as the harness figures do:
its set-up starts the server and creates the suite's declared tables.
"""

from __future__ import annotations

import base64
import contextlib
import json
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
import urllib3
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from benchmarks.wire import SUFFIX
from ddbmatrix.backends import FAKE_CREDENTIALS

__all__ = ["load_wire", "replay_boto3", "replay_raw", "wire_processes"]

Test = dict[str, Any]
_SERVICES = {"DynamoDB_20120810": "dynamodb", "DynamoDBStreams_20120810": "dynamodbstreams"}


def wire_processes(prefix: Path) -> list[list[Test]]:
    """Return the tests of each process of a run (:mod:`benchmarks.wire`), in the order run."""
    return [
        [json.loads(line) for line in path.read_text().splitlines()]
        for path in sorted(prefix.parent.glob(f"{prefix.name}.*{SUFFIX}"))
    ]


def load_wire(prefix: Path) -> list[Test]:
    """Return the tests of every process of a run, in the order each process ran them."""
    return [test for tests in wire_processes(prefix) for test in tests]


def timed_tests(tests: Sequence[Test]) -> Sequence[Test]:
    """The tests whose time counts: all but the first (server start, declared tables)."""
    return tests[1:]


def _blobs(value: Any) -> Any:
    """Turn the wire's base64 binary attribute values back into bytes, as boto3 takes them."""
    if isinstance(value, dict):
        if len(value) == 1 and isinstance(value.get("B"), str):
            return {"B": base64.b64decode(value["B"])}
        if len(value) == 1 and isinstance(value.get("BS"), list):
            return {"BS": [base64.b64decode(v) for v in value["BS"]]}
        return {key: _blobs(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_blobs(item) for item in value]
    return value


def _operation(call: dict[str, Any]) -> tuple[str, str]:
    prefix, _, name = call["headers"].get("X-Amz-Target", "").partition(".")
    return _SERVICES.get(prefix, "dynamodb"), name


def replay_boto3(endpoint: str, tests: Sequence[Test]) -> float:
    """Send every call through one plain client per service; return the timed tests' seconds."""
    config = Config(parameter_validation=False, retries={"total_max_attempts": 1})
    session = boto3.session.Session(**FAKE_CREDENTIALS)
    clients = {
        service: session.client(service, endpoint_url=endpoint, config=config)
        for service in set(_SERVICES.values())
    }
    prepared = [
        [
            (clients[s], xform_name(op), _blobs(json.loads(c["body"] or "{}")))
            for c in test["calls"]
            for s, op in [_operation(c)]
            if op
        ]
        for test in tests
    ]
    return _timed(prepared, _boto3_call)


def _boto3_call(call: tuple[Any, str, dict[str, Any]]) -> None:
    client, method, params = call
    # The suite provokes errors on purpose; their answer is the call's cost.
    with contextlib.suppress(ClientError, BotoCoreError):
        getattr(client, method)(**params)


def replay_raw(endpoint: str, tests: Sequence[Test]) -> float:
    """Send the recorded bytes over one pooled connection; return the timed tests' seconds."""
    url = urlsplit(endpoint)
    pool = urllib3.HTTPConnectionPool(url.hostname, url.port, maxsize=1, retries=False)
    prepared = [
        [(pool, c["headers"], c["body"].encode("utf-8", "surrogateescape")) for c in test["calls"]]
        for test in tests
    ]
    try:
        return _timed(prepared, _raw_call)
    finally:
        pool.close()


def _raw_call(call: tuple[urllib3.HTTPConnectionPool, dict[str, str], bytes]) -> None:
    pool, headers, body = call
    pool.urlopen("POST", "/", body=body, headers=headers, preload_content=True)


def _timed(prepared: Sequence[Iterable[Any]], send: Any) -> float:
    total = 0.0
    for index, calls in enumerate(prepared):
        started = time.perf_counter()
        for call in calls:
            send(call)
        if index > 0:  # see timed_tests()
            total += time.perf_counter() - started
    return total
