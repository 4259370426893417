from __future__ import annotations

import json
import random

from ddbmatrix.report import ReportOptions, build_report
from tests.unit.factories import SAMPLE_INCIDENT, sample_runs


def _without_generation_time(text: str) -> str:
    data = json.loads(text)
    assert data.pop("generated_at")
    return json.dumps(data)


def test_shards_merge_into_the_same_report_as_one_run(write_runs, tmp_path):
    """Run files of separate jobs give the report of one run of every backend, byte for byte.

    The jobs differ in everything a run may: start and finish times, command line, exit
    status, durations, the order and the folders the files are given from.
    """
    runs = sample_runs()
    incidents = {"moto": [SAMPLE_INCIDENT]}
    single = []
    for backend, records in runs.items():
        single += write_runs(
            {backend: records},
            tmp_path / "all",
            started_at="2026-01-01T10:00:00+00:00",
            finished_at="2026-01-01T10:04:00+00:00",
            argv=["tests/compat", "--ddb-backend=all"],
            exit_status=1,
            incidents=incidents.get(backend, []),
        )
    shards = []
    for index, (backend, records) in enumerate(runs.items()):
        jittered = [{**record, "duration": random.random()} for record in records]
        shards += write_runs(
            {backend: jittered},
            tmp_path / f"shard-{backend}",
            started_at=f"2026-01-0{index + 2}T08:00:00+00:00",
            finished_at=f"2026-01-0{index + 2}T08:01:00+00:00",
            argv=["tests/compat", f"--ddb-backend={backend}", "-n", "auto"],
            exit_status=index % 2,
            incidents=incidents.get(backend, []),
        )
    one = build_report(single, ReportOptions(out=tmp_path / "out-all"))
    merged = build_report(shards[::-1], ReportOptions(out=tmp_path / "out-shards"))
    assert one.data["summary"]["divergent"] == 4
    all_json = (tmp_path / "out-all" / "divergence.json").read_text()
    shard_json = (tmp_path / "out-shards" / "divergence.json").read_text()
    assert _without_generation_time(all_json) == _without_generation_time(shard_json)
    generated = [json.loads(text)["generated_at"] for text in (all_json, shard_json)]
    assert all_json.replace(generated[0], "") == shard_json.replace(generated[1], "")
    assert merged.data["backends"] == one.data["backends"]


def test_the_text_is_what_json_dumps_writes(sample_data):
    """The fast layout is byte for byte the standard library's, edge cases included."""
    from ddbmatrix.report.json import render_json

    odd = {
        "empty": [{}, [], ""],
        "nested": [[[{"b": 1, "a": [True, False, None]}]]],
        "numbers": [0, -1, 2**70, 0.1, -0.0, 1e-07, 1e300, float("inf"), float("nan")],
        "text": 'tab\t newline\n quote" backslash\\ nul\x00 é \u2028 😀',
        "scalar keys": {3: "three", 1: "one"},
        "tuple": (1, "a"),
    }
    for data in (sample_data, odd, {}, {"only": []}):
        assert render_json(data) == (
            json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        )


def test_the_pieces_are_the_text(sample_data):
    from ddbmatrix.report.json import json_chunks, render_json

    pieces = list(json_chunks(sample_data))
    assert len(pieces) > len(sample_data)  # a piece per divergence, not the whole at once
    assert "".join(pieces) == render_json(sample_data)
