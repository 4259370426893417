"""Render the report data as JSON: the full data, stable byte for byte for the same runs."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["render_json"]


def render_json(data: dict[str, Any]) -> str:
    # Sorted keys and no machine-dependent formatting: shard merges compare byte for byte.
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
