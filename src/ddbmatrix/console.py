"""What a run prints about failures on a backend, with ``--ddb-failures-as-data``.

A test that fails on an emulator is data for the report (DESIGN.md), not a broken run. With
the option (ini ``ddb_failures_as_data``), such a failure:

- shows as one ``f`` in the progress line (``FAILED (recorded)`` with ``-v``), in a category
  of its own, so pytest prints no traceback for it and no ``FAILED`` line in the short
  summary, and its last line says "N failed on a backend" in yellow, not "N failed" in red;
- does not fail the run: when every failure was of this kind, pytest exits 0.

Such a traceback is never printed, so pytest builds it the cheap way (``native``, from the
standard library) rather than its long form, which parses the source of every frame (into
botocore too) for each failure: on an emulator that fails a third of the suite, that was
about 40 % of the run's time (``nox -s bench`` profiles it). The run file's message, the
crash line, is the same either way.

What stays as loud as pytest makes it: failures of tests that run on no backend (the
framework's own tests, a project's plain unit tests) and a ``ddb_diverges`` note gone stale
(the test passes there now, so the note must go). Run files record every outcome alike.
"""

from __future__ import annotations

from collections.abc import Generator

import pytest

from ddbmatrix.options import option

__all__ = ["CATEGORY", "DataFailures", "is_data", "mark_backend"]

#: The terminal reporter's category, as it reads in pytest's last line.
CATEGORY = "failed on a backend"
_ATTRIBUTE = "ddbmatrix_backend"
_STALE_NOTE = "[XPASS(strict)]"


def mark_backend(report: pytest.TestReport, backend: str) -> None:
    """Note on ``report`` that its test ran on ``backend``; xdist ships it with the report."""
    setattr(report, _ATTRIBUTE, backend)


def is_data(report: pytest.TestReport | pytest.CollectReport) -> bool:
    """Return whether ``report`` is a failure of a test on a backend, other than a stale note."""
    if not report.failed or getattr(report, _ATTRIBUTE, None) is None:
        return False
    return not str(report.longrepr).startswith(_STALE_NOTE)


class DataFailures:
    """Registered when the option is on; counts failures as ``session.testsfailed`` does."""

    def __init__(self) -> None:
        self.data = 0
        self.failures = 0

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        callspec = getattr(item, "callspec", None)
        on_backend = callspec is not None and callspec.params.get("ddb_backend") is not None
        if call.excinfo is None or not on_backend:
            return (yield)
        options = item.config.option
        style = options.tbstyle
        options.tbstyle = "native"  # read by the report pytest builds inside this call
        try:
            return (yield)
        finally:
            options.tbstyle = style

    @pytest.hookimpl(tryfirst=True)
    def pytest_report_teststatus(
        self, report: pytest.TestReport
    ) -> tuple[str, str, tuple[str, dict[str, bool]]] | None:
        if not is_data(report):
            return None
        return CATEGORY, "f", ("FAILED (recorded)", {"yellow": True})

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.failed and not hasattr(report, "wasxfail"):
            self.failures += 1
            self.data += is_data(report)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.failures += 1

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        # pytest returns session.exitstatus as it is after this hook.
        if exitstatus == pytest.ExitCode.TESTS_FAILED and self.failures == self.data:
            session.exitstatus = pytest.ExitCode.OK


def pytest_configure(config: pytest.Config) -> None:
    if option(config, "ddb_failures_as_data"):
        config.pluginmanager.register(DataFailures(), "ddbmatrix-data-failures")
