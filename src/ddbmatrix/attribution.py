"""Calls made while a fixture wider than a test is set up or torn down are that fixture's.

They are recorded as FixtureRecords (``docs/report-schema.md``; one per fixture, backend and
phase), never as calls of whichever test happened to trigger the set-up or the teardown:
which test that is depends on the order and on the xdist distribution, the calls do not.
Function-scoped fixtures are part of their test, and their calls stay the test's.

- Set-up: a ``pytest_fixture_setup`` wrapper records from the fixture's start to its end,
  on the backend of now.
- Teardown: a finalizer added right after the set-up runs first when pytest finishes the
  fixture (finalizers run last-in, first-out), so it marks the start of the teardown;
  ``pytest_fixture_post_finalizer`` marks its end. In between, the backend of now is the one
  the fixture was set up on (:meth:`~ddbmatrix.context.BackendContext.push`), whichever item
  is current: the environment and the routing of its teardown are its own backend's.

Finished records ride to the controller on the next test report (see plugin.py), like test
records.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest

from ddbmatrix.context import BackendContext
from ddbmatrix.recording import Recorder

__all__ = ["FixtureAttribution"]

_MESSAGE_LIMIT = 2000
FixtureRecord = dict[str, Any]


def _message(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:_MESSAGE_LIMIT]


class FixtureAttribution:
    """The pytest hooks that turn wider fixtures' calls into FixtureRecords."""

    def __init__(self, context: BackendContext, recorder: Recorder) -> None:
        self.context = context
        self.recorder = recorder
        self._finished: list[FixtureRecord] = []
        #: id(fixturedef) -> its teardown record, from the first finalizer to the last.
        self._tearing_down: dict[int, tuple[FixtureRecord, str]] = {}

    def take(self) -> list[FixtureRecord]:
        """Return the records finished since the last call, and forget them."""
        finished, self._finished = self._finished, []
        return finished

    @staticmethod
    def _record(fixturedef: Any, request: Any, backend: str, phase: str) -> FixtureRecord:
        return {
            "id": f"{request.node.nodeid}::{fixturedef.argname}",
            "scope": fixturedef.scope,
            "backend": backend,
            "phase": phase,
            "outcome": "passed",
            "message": None,
            "calls": [],
        }

    def _finish(self, record: FixtureRecord) -> None:
        # A fixture that made no call and did not fail says nothing: most wider fixtures
        # (tmp_path_factory, ddbmatrix's own) never touch DynamoDB.
        if record["calls"] or record["outcome"] != "passed":
            self._finished.append(record)

    @pytest.hookimpl(wrapper=True)
    def pytest_fixture_setup(self, fixturedef: Any, request: Any) -> Any:
        backend = self.context.backend
        if fixturedef.scope == "function" or backend is None:
            return (yield)
        record = self._record(fixturedef, request, backend, "setup")
        self.recorder.open_fixture(record["calls"])
        try:
            result = yield
        except pytest.skip.Exception:
            raise
        except BaseException as error:
            record["outcome"], record["message"] = "error", _message(error)
            raise
        finally:
            self.recorder.close_fixture(record["calls"])
            self._finish(record)
        teardown = functools.partial(self._teardown_begins, fixturedef, request, backend)
        fixturedef.addfinalizer(teardown)
        return result

    def _teardown_begins(self, fixturedef: Any, request: Any, backend: str) -> None:
        record = self._record(fixturedef, request, backend, "teardown")
        self._tearing_down[id(fixturedef)] = (record, backend)
        self.context.push(backend)
        self.recorder.open_fixture(record["calls"])
        # Note a failure of the fixture's own teardown (pytest collects the exceptions of
        # its finalizers itself and raises them after the last one, out of our sight).
        finalizers = getattr(fixturedef, "_finalizers", None)
        if isinstance(finalizers, list):
            finalizers[:] = [self._noting(record, f) for f in finalizers]

    @staticmethod
    def _noting(record: FixtureRecord, finalizer: Callable[[], object]) -> Callable[[], object]:
        def run() -> object:
            try:
                return finalizer()
            except BaseException as error:
                if record["outcome"] == "passed":
                    record["outcome"], record["message"] = "error", _message(error)
                raise

        return run

    def pytest_fixture_post_finalizer(self, fixturedef: Any, request: Any) -> None:
        entry = self._tearing_down.pop(id(fixturedef), None)
        if entry is None:
            return
        record, backend = entry
        self.recorder.close_fixture(record["calls"])
        self.context.pop(backend)
        self._finish(record)
