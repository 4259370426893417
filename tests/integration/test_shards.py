"""Shards of two backends merge into the report of one unsharded run, byte for byte."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ddbmatrix.cli import main as ddbmatrix

ROOT = Path(__file__).parents[2]
#: A small part of the compat suite, of both passes and divergences on these two backends.
SUBSET = ("tests/compat/test_items.py",)
BACKENDS = "moto,dynalite"


def run_suite(runs_dir: Path, *args: str) -> None:
    """Run the compat subset as the nox sessions do (failures are data), at -n 0."""
    command = [sys.executable, "-m", "pytest", *SUBSET, f"--ddb-backend={BACKENDS}", "-q"]
    command += ["-n", "0", "--ddb-failures-as-data", f"--ddb-runs-dir={runs_dir}", *args]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def report(runs: list[Path], out: Path) -> tuple[dict, str]:
    assert ddbmatrix(["report", *map(str, runs), "--out", str(out)]) == 0
    data = json.loads((out / "divergence.json").read_text())
    generated = data.pop("generated_at")
    return data, (out / "divergence.md").read_text().replace(generated, "")


def test_three_shards_of_two_backends_give_the_report_of_one_run(tmp_path: Path) -> None:
    run_suite(tmp_path / "whole")
    for index in (1, 2, 3):
        run_suite(tmp_path / "shards", f"--ddb-shard={index}/3")
    shard_files = sorted((tmp_path / "shards").glob("*.json"))
    assert [path.name for path in shard_files] == [
        f"{backend}.shard-{index}-of-3.json"
        for backend in ("dynalite", "moto")
        for index in (1, 2, 3)
    ]
    whole = report(sorted((tmp_path / "whole").glob("*.json")), tmp_path / "one")
    merged = report(shard_files, tmp_path / "merged")
    assert whole[0]["summary"]["tests"] > 100
    assert whole[0] == merged[0]
    assert whole[1] == merged[1]
    one = (tmp_path / "one" / "divergence.json").read_text()
    assert json.dumps(whole[0]) == json.dumps(merged[0])
    assert one.count("\n") == (tmp_path / "merged" / "divergence.json").read_text().count("\n")
