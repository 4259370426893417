from __future__ import annotations

import pytest
from benchmarks.runs import _kind


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
