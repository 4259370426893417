from __future__ import annotations

import json
from collections.abc import Generator
from types import SimpleNamespace
from typing import Any

from _pytest.reports import TestReport

from ddbmatrix.reportwire import ReportWire

WORKER = SimpleNamespace(workerinput={})


def _report() -> TestReport:
    location = ("t.py", 1, "test[moto]")
    report = TestReport("t.py::test[moto]", location, {}, "passed", None, "teardown")
    report.ddbmatrix = {"id": "t.py::test", "calls": [{"operation": "PutItem", "n": 1.5}]}  # type: ignore[attr-defined]
    report.ddbmatrix_fixtures = [{"id": "t.py::table", "phase": "setup"}]  # type: ignore[attr-defined]
    return report


def _through(hook: Generator[None, Any, Any], result: Any) -> Any:
    """Run a wrapper hook around ``result``, as pluggy does."""
    next(hook)
    try:
        hook.send(result)
    except StopIteration as stop:
        return stop.value
    raise AssertionError("the wrapper yielded twice")


def test_a_worker_sends_the_record_as_one_json_text_and_the_controller_reads_it_back():
    wire, report = ReportWire(), _report()
    data = report._to_json()
    sent = _through(wire.pytest_report_to_serializable(WORKER, report), data)
    assert "ddbmatrix" not in sent
    assert "ddbmatrix_fixtures" not in sent
    assert json.loads(sent["ddbmatrix_packed"])["ddbmatrix"] == report.ddbmatrix  # type: ignore[attr-defined]

    received = _through(wire.pytest_report_from_serializable(), TestReport._from_json(sent))
    assert received.ddbmatrix == report.ddbmatrix  # type: ignore[attr-defined]
    assert received.ddbmatrix_fixtures == report.ddbmatrix_fixtures  # type: ignore[attr-defined]
    assert not hasattr(received, "ddbmatrix_packed")


def test_outside_a_worker_the_record_stays_data():
    wire, report = ReportWire(), _report()
    data = report._to_json()
    kept = _through(wire.pytest_report_to_serializable(SimpleNamespace(), report), dict(data))
    assert kept["ddbmatrix"] == report.ddbmatrix  # type: ignore[attr-defined]
    assert "ddbmatrix_packed" not in kept


def test_a_report_without_a_record_crosses_unchanged():
    wire = ReportWire()
    report = TestReport("t.py::plain", ("t.py", 1, "plain"), {}, "passed", None, "call")
    data = report._to_json()
    sent = _through(wire.pytest_report_to_serializable(WORKER, report), dict(data))
    assert sent == data
    received = _through(wire.pytest_report_from_serializable(), TestReport._from_json(sent))
    assert not hasattr(received, "ddbmatrix")
