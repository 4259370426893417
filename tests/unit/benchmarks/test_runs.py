from __future__ import annotations

import shutil

import pytest
from benchmarks.replay import load_wire
from benchmarks.runs import _kind, run_pytest, work_folder


class _Process:
    def __init__(self, line: str) -> None:
        self.line = line

    def cmdline(self) -> list[str]:
        return self.line.split()


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        # The controller names every backend on its command line: it is pytest, no server.
        ("python -m pytest -q tests/compat --ddb-backend=dynalite,moto -n 2", "pytest"),
        ("python -u -c import sys;exec(eval(sys.stdin.readline()))", "worker"),
        ("python /x/ddbmatrix/watchdog.py --owner 1 -- node /x/dynalite/cli.js", None),
        ("node /x/node_modules/dynalite/cli.js --port 1", "dynalite"),
        ("java -cp launcher.jar:DynamoDBLocal.jar Launcher -inMemory", "dynamodb-local"),
        ("python -m moto.server -H 127.0.0.1 -p 1", "moto"),
        ("python -m ministack.app", "ministack"),
    ],
)
def test_each_process_of_a_run_is_told_by_its_command_line(line, kind):
    assert _kind(_Process(line)) == kind  # type: ignore[arg-type]


def test_a_runs_wire_is_removed_once_read_unless_kept(tmp_path):
    (tmp_path / "test_three.py").write_text(
        "import pytest\n\n@pytest.mark.parametrize('i', range(3))\ndef test_it(i):\n    pass\n"
    )
    args = ["-p", "no:ddbmatrix", "-p", "no:cacheprovider"]
    gone = run_pytest(args, cwd=tmp_path)
    assert gone.tests == 3
    assert not gone.wire.parent.exists()
    kept = run_pytest(args, cwd=tmp_path, keep_wire=True)
    try:
        ids = [test["id"] for test in load_wire(kept.wire)]
        assert ids == [f"test_three.py::test_it[{i}]" for i in range(3)]
        assert kept.wire.parent.parent == work_folder()  # removed with it when the bench ends
    finally:
        shutil.rmtree(kept.wire.parent)
