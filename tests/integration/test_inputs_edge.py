"""Inputs validated at the edge (issue 11, point 7): every bad input is one line, never a traceback.

``ddbmatrix report`` refuses a run file it cannot use with exit status 2 and one line naming
the file and the field; the plugin refuses a bad option as pytest's usage error (exit 4)
before any test runs or any server starts; nothing is written outside ``--out`` and the
runs folder, and a report is replaced all or nothing.

None of these needs a backend server: the run files are made here, and the plugin's runs
stop at start-up (or collect only).
"""

from __future__ import annotations

import errno
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ddbmatrix.cli import main
from ddbmatrix.runfile import SCHEMA_VERSION
from tests.unit.factories import make_call, make_record

TEST_ID = "tests/t.py::test_get"
SUITE = "def test_get(ddb_client):\n    ddb_client.list_tables()\n"


#: A fixture record without the backend it ran on.
FIXTURE = {"id": "t.py::f", "scope": "module", "phase": "setup", "outcome": "passed", "calls": []}


def _run_file(backend: str = "moto", **record_fields: Any) -> dict[str, Any]:
    record = make_record(TEST_ID, backend, calls=[make_call()], **record_fields)
    return {
        "schema": "ddbmatrix-run",
        "schema_version": SCHEMA_VERSION,
        "backend": backend,
        "backend_version": "1.0",
        "versions": {},
        "commit": "abc",
        "dirty": False,
        "started_at": "t0",
        "finished_at": "t1",
        "exit_status": 0,
        "complete": True,
        "argv": [],
        "tests": [record],
    }


def _write(path: Path, content: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content)
    else:
        path.write_text(json.dumps(content))
    return path


def _report(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``ddbmatrix report`` as a user does, in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "ddbmatrix.cli", "report", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _one_line_error(returncode: int, stderr: str, *expected: str) -> str:
    assert returncode == 2, stderr
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    for text in expected:
        assert text in lines[0]
    return lines[0]


def _call_of(data: dict[str, Any], **fields: Any) -> dict[str, Any]:
    data["tests"][0]["calls"][0].update(fields)
    return data


# -- run files: ddbmatrix report -------------------------------------------------------------

BAD_RUN_FILES = {
    "not-utf8": (b'{"schema": "ddbmatrix-run", "backend": "\xff\xfe"}', "UTF-8"),
    "truncated": (json.dumps(_run_file())[:80], "JSON"),
    "list-at-top": ([_run_file()], "run file"),
    "empty": ("", "JSON"),
    "tables-a-list": (_run_file(tables=["t"]), "tables"),
    "message-an-int": (_run_file(message=5), "message"),
    "error-a-string": (_call_of(_run_file(), error="boom"), "error"),
    "status-a-string": (_call_of(_run_file(), status="200"), "status"),
    "no-backend": ({k: v for k, v in _run_file().items() if k != "backend"}, "backend"),
    "fixture-without-backend": ({**_run_file(), "fixtures": [FIXTURE]}, "fixtures[0]"),
    "error-without-code": (_call_of(_run_file(), error={"message": "m"}), "error"),
    "nodeid-of-another-test": (_run_file(nodeid="s"), "nodeid"),
    "backend-a-path": (_run_file("../../evil"), "backend"),
}


@pytest.mark.parametrize(("content", "field"), BAD_RUN_FILES.values(), ids=BAD_RUN_FILES)
def test_a_malformed_run_file_is_one_line_naming_file_and_field(tmp_path, capsys, content, field):
    # In this process, for speed: an exception would escape main() and fail the test.
    good = _write(tmp_path / "runs" / "dynalite.json", _run_file("dynalite"))
    bad = _write(tmp_path / "runs" / "bad.json", content)
    returncode = main(["report", str(good), str(bad), "--out", str(tmp_path / "out")])
    _one_line_error(returncode, capsys.readouterr().err, str(bad), field)
    assert not (tmp_path / "out").exists()  # refused whole, before anything is written


def test_the_command_says_it_in_one_line_and_exit_status_2(tmp_path):
    good = _write(tmp_path / "runs" / "dynalite.json", _run_file("dynalite"))
    bad = _write(tmp_path / "runs" / "bad.json", BAD_RUN_FILES["not-utf8"][0])
    result = _report(tmp_path, str(good), str(bad), "--out", "out")
    _one_line_error(result.returncode, result.stderr, str(bad), "UTF-8")


def test_a_folder_given_as_a_run_file_is_one_line(tmp_path):
    good = _write(tmp_path / "runs" / "dynalite.json", _run_file("dynalite"))
    (tmp_path / "runs" / "moto.json").mkdir()
    result = _report(tmp_path, str(good), "runs/moto.json", "--out", "out")
    _one_line_error(result.returncode, result.stderr, "runs/moto.json")


def test_a_backend_named_as_a_path_writes_nothing_outside_out(tmp_path):
    good = _write(tmp_path / "runs" / "dynalite.json", _run_file("dynalite"))
    evil = _write(tmp_path / "runs" / "evil.json", _run_file("../../evil"))
    out = tmp_path / "a" / "b" / "out"
    _report(tmp_path, str(good), str(evil), "--out", str(out))
    assert not list(tmp_path.rglob("evil.xml"))
    assert not (tmp_path / "a").exists()


# -- the report's files: all or nothing --------------------------------------------------------


@pytest.fixture
def previous(tmp_path):
    """A report already in place, and run files whose report is a different one."""
    old = [_write(tmp_path / "old" / f"{b}.json", _run_file(b)) for b in ("dynalite", "moto", "x")]
    out = tmp_path / "out"
    assert main(["report", *map(str, old), "--out", str(out)]) == 0
    before = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
    assert (out / "junit" / "x.xml") in before
    new = [
        _write(tmp_path / "new" / "dynalite.json", _run_file("dynalite")),
        _write(tmp_path / "new" / "moto.json", _run_file("moto", outcome="failed")),
    ]
    return out, before, new


class _FullDisk(io.StringIO):
    """A file on a disk that fills up after 100 characters."""

    def __init__(self, real: Any) -> None:
        super().__init__()
        self.real = real

    def write(self, text: str) -> int:
        self.real.write(text[:100])
        self.real.flush()
        raise OSError(errno.ENOSPC, "No space left on device", self.real.name)

    def close(self) -> None:
        self.real.close()
        super().close()


def _failing_writes(monkeypatch, fails) -> None:
    """Make ``Path.open`` for writing fail where ``fails(path)`` returns an error maker."""
    real_open = Path.open

    def open_(path: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        failure = fails(path) if ("w" in mode or "a" in mode or "x" in mode) else None
        if failure is None:
            return real_open(path, mode, *args, **kwargs)
        return failure(path, real_open(path, mode, *args, **kwargs))

    monkeypatch.setattr(Path, "open", open_)


def _unchanged(out: Path, before: dict[Path, bytes]) -> None:
    after = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
    assert after == before  # nothing rewritten, nothing new, no partial or hidden file


def test_a_full_disk_mid_write_leaves_the_previous_report_intact(previous, monkeypatch, capsys):
    out, before, new = previous

    def html_fills_the_disk(path: Path) -> Any:
        return (lambda p, real: _FullDisk(real)) if "divergence.html" in path.name else None

    _failing_writes(monkeypatch, html_fills_the_disk)
    assert main(["report", *map(str, new), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert "No space left on device" in err
    assert len(err.splitlines()) == 1
    _unchanged(out, before)


def test_an_unwritable_junit_folder_leaves_the_previous_report_intact(
    previous, monkeypatch, capsys
):
    out, before, new = previous

    def junit_refuses(path: Path) -> Any:
        if path.parent.name != "junit":
            return None

        def refuse(p: Path, real: Any) -> Any:
            real.close()
            p.unlink()
            raise PermissionError(errno.EACCES, "Permission denied", str(p))

        return refuse

    _failing_writes(monkeypatch, junit_refuses)
    assert main(["report", *map(str, new), "--out", str(out)]) == 2
    assert "Permission denied" in capsys.readouterr().err
    _unchanged(out, before)


def test_a_new_report_replaces_every_file(previous):
    out, before, new = previous
    assert main(["report", *map(str, new), "--out", str(out)]) == 0
    assert sorted(p.name for p in (out / "junit").iterdir()) == ["dynalite.xml", "moto.xml"]
    for name in ("divergence.md", "divergence.html", "divergence.json"):
        assert (out / name).read_bytes() != before[out / name]


# -- the plugin's options: usage errors before anything runs -----------------------------------


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(test_t=SUITE)
    return pytester


def _usage_error(result: pytest.RunResult, *expected: str) -> str:
    """The run stopped at start-up with one line that names ``expected``."""
    assert result.ret == pytest.ExitCode.USAGE_ERROR, result.stdout.str() + result.stderr.str()
    errors = [line for line in result.stderr.lines if line.startswith("ERROR:")]
    assert len(errors) == 1, result.stderr.str()
    assert "Traceback" not in result.stderr.str() + result.stdout.str()
    for text in expected:
        assert text in errors[0]
    return errors[0]


@pytest.mark.parametrize("value", ["0", "-1", "nan"])
def test_a_call_timeout_that_is_not_a_positive_number_is_one_usage_error(suite, value):
    result = suite.runpytest_subprocess("--ddb-backend=moto", f"--ddb-call-timeout={value}")
    _usage_error(result, "--ddb-call-timeout", "positive")


def test_a_backend_list_naming_nothing_is_a_usage_error(suite):
    _usage_error(suite.runpytest_subprocess("--ddb-backend=,"), "--ddb-backend", "names no")


def test_no_backend_named_still_runs_on_the_installed_ones(suite):
    result = suite.runpytest_subprocess("--collect-only", "-q")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*test_get[[]moto[]]*"])


def test_an_endpoint_named_all_is_refused_rather_than_running_every_backend(suite):
    # (other reserved names: tests/unit/test_options.py)
    result = suite.runpytest_subprocess(
        "--ddb-backend=moto", "--ddb-endpoint=all=http://127.0.0.1:9"
    )
    _usage_error(result, "--ddb-endpoint", "'all' is taken")


def test_an_endpoint_named_as_a_path_is_refused_and_writes_nothing(suite):
    result = suite.runpytest_subprocess(
        "--ddb-backend=moto", "--ddb-endpoint=../../evil=http://127.0.0.1:9"
    )
    _usage_error(result, "--ddb-endpoint", "[a-z0-9][a-z0-9-]*")
    assert not list(suite.path.rglob("*.json"))  # no run file at all: nothing ran


@pytest.mark.parametrize(
    "url", ["http://dynamodb.us-east-1.amazonaws.com./", "https://DYNAMODB.US-EAST-1.AMAZONAWS.COM"]
)
def test_an_endpoint_at_real_aws_is_refused_in_any_spelling(suite, url):
    result = suite.runpytest_subprocess("--ddb-backend=moto", f"--ddb-endpoint=x={url}")
    _usage_error(result, "--ddb-endpoint", "real AWS", "--ddb-backend=aws")


@pytest.mark.parametrize("url", ["http://2130706433:8000", "http://[::ffff:10.0.0.1]:8000"])
def test_an_endpoint_off_this_machine_is_a_usage_error_without_aws(suite, url):
    result = suite.runpytest_subprocess("--ddb-backend=moto", f"--ddb-endpoint=x={url}")
    _usage_error(result, "--ddb-endpoint", "not this machine")


@pytest.mark.parametrize("url", ["http://localhost.:9", "http://[::ffff:127.0.0.1]:9"])
def test_an_endpoint_on_loopback_is_accepted_in_any_spelling(suite, url):
    result = suite.runpytest_subprocess("--ddb-backend=moto", f"--ddb-endpoint=x={url}", "--co")
    assert result.ret == pytest.ExitCode.OK, result.stderr.str()
    result.stdout.fnmatch_lines(["*test_get[[]x[]]*"])


def test_an_endpoint_that_is_not_an_http_url_is_a_usage_error(suite):
    result = suite.runpytest_subprocess("--ddb-backend=moto", "--ddb-endpoint=x=ftp://127.0.0.1:9")
    _usage_error(result, "--ddb-endpoint", "http(s)")


def test_a_runs_folder_that_is_a_file_is_a_usage_error_before_any_test(suite):
    (suite.path / "runs").write_text("not a folder")
    result = suite.runpytest_subprocess("--ddb-backend=moto", "--ddb-runs-dir=runs")
    _usage_error(result, "--ddb-runs-dir", "file")
    assert (suite.path / "runs").read_text() == "not a folder"
    assert "test_get" not in result.stdout.str()
