"""The public API is what ddbmatrix/__init__.py lists, sorted (httpx's check)."""

from __future__ import annotations

import ddbmatrix


def test_all_is_complete_and_sorted():
    public = {name for name in dir(ddbmatrix) if not name.startswith("_")} - {"annotations"}
    modules = {name for name in public if type(getattr(ddbmatrix, name)).__name__ == "module"}
    assert set(ddbmatrix.__all__) == public - modules
    assert ddbmatrix.__all__ == sorted(ddbmatrix.__all__)
