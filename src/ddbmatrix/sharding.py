"""Split one backend's tests into N shards, the same split on every machine and every backend.

``--ddb-shard=i/n`` (ini ``ddb_shard``) keeps the tests whose stable id (the node id
without the backend, :func:`ddbmatrix.outcomes.stable_id`) hashes to shard ``i`` of ``n``
and deselects the others. The hash is SHA-256 of that id, so a test lands in the same shard
whatever the machine, the Python version (``hash()`` is salted per process), the order of
collection or the other tests, and on every backend alike: shard 2 of moto and shard 2 of
dynalite hold the same tests, which is what lets ``ddbmatrix report`` merge shards of one
backend (:mod:`ddbmatrix.shards`) and compare them test by test.

Why not pytest-shard or pytest-split: pytest-shard hashes the full node id, which carries
the backend (``test_x[moto]``), so the backends would split differently, and it is
unmaintained since 2020; pytest-split balances by recorded durations (a ``.test_durations``
file), so its split changes when the durations do, and differs per backend by design.

A shard's run file is ``<backend>.shard-<i>-of-<n>.json``; ``1/1`` is no sharding at all.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import pytest

from ddbmatrix.options import option
from ddbmatrix.outcomes import stable_id

__all__ = ["Shard", "parse_shard", "pytest_collection_modifyitems", "run_file_name", "shard_of"]

_SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")
#: ``moto.shard-2-of-3.json`` -> ("moto", 2, 3)
SHARD_FILE = re.compile(r"^(?P<backend>.+)\.shard-(?P<index>\d+)-of-(?P<count>\d+)\.json$")


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` (1-based) of ``count``."""

    index: int
    count: int

    def holds(self, test_id: str) -> bool:
        """Whether the test of stable id ``test_id`` belongs to this shard."""
        digest = hashlib.sha256(test_id.encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1

    def envelope(self) -> dict[str, int]:
        return {"index": self.index, "count": self.count}


def parse_shard(value: str) -> Shard | None:
    """Parse ``i/n``; None for no sharding (empty or ``1/1``).

    Raises:
        pytest.UsageError: not ``i/n`` with 1 <= i <= n, naming the fix.
    """
    if not value.strip():
        return None
    match = _SPEC.match(value)
    if match is None or not 1 <= int(match[1]) <= int(match[2]):
        raise pytest.UsageError(
            f"--ddb-shard {value!r}: expected i/n with 1 <= i <= n (e.g. --ddb-shard=2/3)"
        )
    shard = Shard(int(match[1]), int(match[2]))
    return None if shard.count == 1 else shard


def shard_of(config: pytest.Config) -> Shard | None:
    """Return the shard ``--ddb-shard`` (or its ini twin) asks for, None for the whole suite."""
    return parse_shard(str(option(config, "ddb_shard") or ""))


def run_file_name(backend: str, shard: Shard | None) -> str:
    """Return the run file's name: distinct per shard, so shards of a backend never collide."""
    if shard is None:
        return f"{backend}.json"
    return f"{backend}.shard-{shard.index}-of-{shard.count}.json"


def _test_id(item: pytest.Item) -> str:
    callspec = getattr(item, "callspec", None)
    backend = callspec.params.get("ddb_backend") if callspec else None
    return stable_id(item, backend) if isinstance(backend, str) else item.nodeid


@pytest.hookimpl(trylast=True)  # after -k/-m deselection: the shard splits what is left
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    shard = shard_of(config)
    if shard is None:
        return
    kept: list[pytest.Item] = []
    left: list[pytest.Item] = []
    for item in items:
        (kept if shard.holds(_test_id(item)) else left).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept
