"""How a test's record rides from an xdist worker to the controller: as one JSON text.

A record rides on its test's report (:mod:`ddbmatrix.plugin`), and xdist ships a report
through execnet, whose serializer walks every dict, list and string in pure Python, on the
worker and again on the controller. Records are half of what the workers send (every call's
request and response), so on the full matrix that walk was seconds of CPU in each process,
taken from the two cores the tests run on. Packed as one JSON text, a record crosses as one
string, encoded and decoded by the standard library's C code, and reads back equal.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

__all__ = ["ReportWire"]

#: The report attributes packed, and the key their JSON text crosses under.
_PACKED = ("ddbmatrix", "ddbmatrix_fixtures")
_KEY = "ddbmatrix_packed"


class ReportWire:
    """Registered in every process of an xdist run: workers pack, the controller unpacks."""

    @pytest.hookimpl(wrapper=True)
    def pytest_report_to_serializable(self, config: pytest.Config, report: object) -> Any:
        data = yield
        # Only for the trip to the controller: other callers (pytest-reportlog) keep the
        # record as data.
        worker = hasattr(config, "workerinput")
        if worker and isinstance(data, dict) and any(key in data for key in _PACKED):
            packed = {key: data.pop(key) for key in _PACKED if key in data}
            data[_KEY] = json.dumps(packed, separators=(",", ":"))
        return data

    @pytest.hookimpl(wrapper=True)
    def pytest_report_from_serializable(self) -> Any:
        report = yield
        packed = getattr(report, _KEY, None) if report is not None else None
        if isinstance(packed, str):
            delattr(report, _KEY)
            for key, value in json.loads(packed).items():
                setattr(report, key, value)
        return report
