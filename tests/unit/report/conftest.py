from __future__ import annotations

import pytest

from ddbmatrix.compare import compare, load_runs
from ddbmatrix.report.data import report_data
from tests.unit.factories import SAMPLE_INCIDENT, sample_runs


@pytest.fixture
def sample_paths(write_runs, tmp_path):
    """Run files of the sample scenario; moto crashed during one test."""
    runs = sample_runs()
    paths = write_runs({b: r for b, r in runs.items() if b != "moto"})
    return paths + write_runs({"moto": runs["moto"]}, incidents=[SAMPLE_INCIDENT])


@pytest.fixture
def sample_data(sample_paths):
    return report_data(compare(load_runs(sample_paths)))
