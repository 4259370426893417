"""A test's normalized calls kept deflated: a report holds every test's, and reads few of them.

A report compares every test on every backend, so it holds every normalized call of the run
at once; at 16 times today's suite that was gigabytes of dicts. Most of them are looked at
once (to group the backends that answered alike), and only the calls of one group per
divergence are read again, one divergence at a time, by the comparison and each renderer.
:class:`PackedCalls` keeps them as deflated JSON and inflates them when read; the last few
inflated are cached, since readers go through one divergence's groups at a time.

Packing is exact: the JSON is written with sorted keys, and normalized maps are sorted
already (the map-key-order transformer), so the calls read back are equal to, and in the same
order as, the calls packed. Two packings are equal exactly when the calls are.
"""

from __future__ import annotations

import functools
import json
import zlib
from collections.abc import Iterator, Sequence
from typing import Any, overload

__all__ = ["PackedCalls"]

Json = Any
#: zlib's fastest level: a run's calls deflate about sevenfold at little cost.
_LEVEL = 1
#: Readers go through a divergence's groups (at most one per backend) before the next one.
_CACHED = 16


@functools.lru_cache(maxsize=_CACHED)
def _inflate(packed: bytes) -> tuple[dict[str, Json], ...]:
    return tuple(json.loads(zlib.decompress(packed)))


class PackedCalls(Sequence[dict[str, Json]]):
    """A tuple of normalized calls, stored deflated; read like a tuple."""

    __slots__ = ("_count", "packed")

    def __init__(self, calls: Sequence[dict[str, Json]], *, sort_keys: bool = True) -> None:
        """Pack ``calls``; with ``sort_keys`` off, any list of maps, each keeping its order.

        Sorted keys make equal packings mean equal calls whatever order their maps were
        built in; unsorted, a list of maps built in any order (a group's differences) reads
        back as it was.
        """
        # ASCII: a lone surrogate (JSON can hold one) encodes as its escape, like any other.
        text = json.dumps(list(calls), sort_keys=sort_keys, separators=(",", ":"))
        #: What identifies the calls: equal bytes, equal calls.
        self.packed = zlib.compress(text.encode("ascii"), _LEVEL)
        self._count = len(calls)

    def unpacked(self) -> tuple[dict[str, Json], ...]:
        return _inflate(self.packed)

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0

    @overload
    def __getitem__(self, index: int) -> dict[str, Json]: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[dict[str, Json], ...]: ...
    def __getitem__(self, index: int | slice) -> Any:
        return self.unpacked()[index]

    def __iter__(self) -> Iterator[dict[str, Json]]:
        return iter(self.unpacked())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PackedCalls):
            return self.packed == other.packed
        if isinstance(other, (list, tuple)):
            return list(self.unpacked()) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to lists, which are not hashable

    def __repr__(self) -> str:
        return f"PackedCalls({list(self.unpacked())!r})"
