from __future__ import annotations

import argparse
import importlib.metadata
import signal
import subprocess
import sys
from pathlib import Path

import boto3
import psutil
import pytest

import ddbmatrix
from ddbmatrix.backends import Moto
from ddbmatrix.cli import _parser, main
from tests.unit.factories import make_call, make_record


def test_serve_prints_endpoint_and_environment_and_stops_on_ctrl_c():
    process = subprocess.Popen(
        [sys.executable, "-m", "ddbmatrix.cli", "serve", "moto"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    try:
        for line in process.stdout:  # bounded by the server's start-up
            lines.append(line)
            if line.startswith("press Ctrl-C"):
                break
        text = "".join(lines)
        endpoint = next(line.split()[-1] for line in lines if " listening on " in line)
        assert f"export AWS_ENDPOINT_URL_DYNAMODB={endpoint}" in text
        client = boto3.client(
            "dynamodb",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="ddbmatrix",
            aws_secret_access_key="ddbmatrix",
        )
        assert client.list_tables()["TableNames"] == []
        children = psutil.Process(process.pid).children(recursive=True)
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0
    assert "moto stopped" in rest
    assert children
    assert not any(c.is_running() and c.status() != psutil.STATUS_ZOMBIE for c in children)
    log = Path(next(line.split()[-1] for line in lines if line.startswith("log: ")))
    assert not log.parent.exists(), "serve left its temporary folder behind"


def test_serve_on_a_taken_port_says_so(capsys):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        assert main(["serve", "moto", "--port", str(port)]) == 2
    assert f"port {port} on 127.0.0.1 is in use" in capsys.readouterr().err


def test_report_names_a_corrupt_run_file(tmp_path, capsys, write_runs):
    good = write_runs({"moto": [make_record("t.py::a", "moto")]})
    bad = tmp_path / "dynalite.json"
    bad.write_text('{"schema": "ddbmatrix-run", "tests": [')
    assert main(["report", str(good[0]), str(bad), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err
    assert "truncated or corrupt" in err
    assert not (tmp_path / "out").exists()


def test_report_writes_every_format(tmp_path, write_runs, capsys):
    paths = write_runs(
        {
            "x": [make_record("t.py::a", "x")],
            "y": [make_record("t.py::a", "y", "failed", message="assert 1 == 2")],
        }
    )
    assert main(["report", *map(str, paths), "--out", str(tmp_path / "out")]) == 0
    out = tmp_path / "out"
    markdown = (out / "divergence.md").read_text()
    assert "**1 differ in behaviour**" in markdown
    assert "**`a`**" in markdown
    for name in ("divergence.json", "divergence.html", "junit/x.xml", "junit/y.xml"):
        assert (out / name).is_file(), name
    printed = capsys.readouterr().out
    written = "divergence.md, divergence.html, divergence.json, junit/x.xml, junit/y.xml"
    assert printed.startswith(f"wrote {written} in {out}\n")
    assert "1 of 1 tests compared diverge: 1 in behaviour, 0 in wording only" in printed
    assert "1 root causes (1 of behaviour, 0 wording families); the largest: " in printed
    assert f"report: {(out / 'divergence.html').resolve().as_uri()}" in printed


def test_report_summary_only_leaves_the_details_out(tmp_path, write_runs):
    paths = write_runs(
        {
            b: [make_record("t.py::a", b, calls=[make_call(status=s)])]
            for b, s in (("x", 200), ("y", 400))
        }
    )
    assert main(["report", *map(str, paths), "--out", str(tmp_path), "--summary-only"]) == 0
    markdown = (tmp_path / "divergence.md").read_text()
    assert "## Compatibility by area" in markdown
    assert "## Divergent tests" not in markdown


def test_report_fail_on_new_names_the_new_divergences(tmp_path, write_runs, capsys):
    def runs(moto_status):
        return {
            b: [
                make_record("t.py::old", b, calls=[make_call(status=200 if b == "x" else 400)]),
                make_record("t.py::fresh", b, calls=[make_call(status=s)]),
            ]
            for b, s in (("x", 200), ("y", moto_status))
        }

    baseline = tmp_path / "baseline.json"
    before = write_runs(runs(200), tmp_path / "before")
    assert (
        main(
            [
                "report",
                *map(str, before),
                "--out",
                str(tmp_path / "a"),
                "--save-baseline",
                str(baseline),
            ]
        )
        == 0
    )
    after = write_runs(runs(400), tmp_path / "after")
    args = ["report", *map(str, after), "--out", str(tmp_path / "b"), "--baseline", str(baseline)]
    assert main(args) == 0
    assert main([*args, "--fail-on-new"]) == 1
    captured = capsys.readouterr()
    assert "  new: t.py::fresh [x | y]" in captured.out
    assert "t.py::old" not in captured.out.split("since the baseline")[-1]
    assert "1 new divergences since" in captured.err
    assert (
        main(
            [
                "report",
                *map(str, before),
                "--out",
                str(tmp_path / "c"),
                "--baseline",
                str(baseline),
                "--fail-on-new",
            ]
        )
        == 0
    )


def test_report_refuses_runs_that_share_no_test(tmp_path, write_runs, capsys):
    paths = write_runs({"x": [make_record("a.py::t", "x")], "y": [make_record("b.py::t", "y")]})
    assert main(["report", *map(str, paths), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "the run files share no tests" in err
    assert all(str(path) in err for path in paths)
    assert not (tmp_path / "out").exists()


def test_report_warns_with_one_backend(tmp_path, write_runs, capsys):
    paths = write_runs({"x": [make_record("t.py::a", "x", calls=[make_call()])]})
    assert main(["report", *map(str, paths), "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "warning: only one backend (x): there is nothing to compare it with" in err
    assert "only one backend (x)" in (tmp_path / "out" / "divergence.md").read_text()


def test_report_names_the_runs_whose_commit_or_tests_differ(tmp_path, write_runs, capsys):
    folder = tmp_path / "runs"
    paths = write_runs(
        {"x": [make_record("t.py::a", "x"), make_record("t.py::b", "x")]}, folder, commit="1" * 40
    )
    paths += write_runs({"y": [make_record("t.py::a", "y")]}, folder, commit="2" * 40)
    paths += write_runs({"z": [make_record("t.py::a", "z")]}, folder, commit=None)
    assert main(["report", *map(str, paths), "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert (
        "the runs come from different commits (x at 1111111111; y at 2222222222; "
        "z at an unknown commit)"
    ) in err
    assert "y's run lacks 1 of the 2 tests the others ran (t.py::b)" in err
    for name in ("divergence.md", "divergence.html", "divergence.json"):
        assert "None" not in (tmp_path / "out" / name).read_text().replace('"commit": null', "")


def test_report_takes_a_recorded_reference(tmp_path, write_runs, capsys):
    good, bad = make_call(response={"Count": 1}), make_call(response={"Count": 2})
    (reference,) = write_runs(
        {"aws": [make_record("t.py::a", "aws", calls=[bad])]},
        tmp_path / "recorded",
        started_at="2026-11-30T10:00:00+00:00",
        versions={"boto3": "1.40.0", "botocore": "1.40.0"},
    )
    paths = write_runs(
        {
            "x": [make_record("t.py::a", "x", calls=[good])],
            "y": [make_record("t.py::a", "y", calls=[good])],
            "z": [make_record("t.py::a", "z", calls=[bad])],
        }
    )
    out = tmp_path / "out"
    args = ["report", *map(str, paths), "--out", str(out), "--reference", str(reference)]
    assert main(args) == 0
    markdown = (out / "divergence.md").read_text()
    assert (
        "The reference is real AWS 1.0, recorded 2026-11-30T10:00:00+00:00 with boto3 1.40.0, "
        "botocore 1.40.0, suite commit abc; it covers 1 tests"
    ) in markdown
    assert "| z | 1 | 1 | 0 |" in markdown
    assert not (out / "junit" / "aws.xml").exists()
    again = ["report", *map(str, paths), str(reference), "--out", str(out)]
    assert main([*again, "--reference", str(reference)]) == 2
    assert "cannot be its own reference" in capsys.readouterr().err


def test_report_fail_on_new_needs_a_baseline(tmp_path, write_runs, capsys):
    paths = write_runs({"x": [make_record("t.py::a", "x")]})
    assert main(["report", *map(str, paths), "--out", str(tmp_path), "--fail-on-new"]) == 2
    assert "--fail-on-new needs --baseline" in capsys.readouterr().err


def test_report_refuses_two_runs_of_one_backend_naming_both(tmp_path, write_runs, capsys):
    first = write_runs({"x": [make_record("t.py::a", "x")]}, tmp_path / "a")
    second = write_runs({"x": [make_record("t.py::a", "x")]}, tmp_path / "b")
    assert main(["report", str(first[0]), str(second[0]), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert str(first[0]) in err
    assert str(second[0]) in err


def test_report_without_runs_explains(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["report"]) == 2
    assert "no run files" in capsys.readouterr().err


def test_unknown_backend_in_install(capsys):
    assert main(["install", "dynamo"]) == 2
    assert "unknown backend 'dynamo'" in capsys.readouterr().err


def test_version_comes_from_the_package_metadata(capsys):
    assert ddbmatrix.__version__ == importlib.metadata.version("ddbmatrix")
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"ddbmatrix {ddbmatrix.__version__}\n"


def _walk(parser, path=("ddbmatrix",)):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, subparser in action.choices.items():
                yield from _walk(subparser, (*path, name))
        else:
            yield path, action


def test_every_argument_of_every_command_has_help():
    arguments = list(_walk(_parser()))
    assert len(arguments) > 15
    missing = [
        f"{' '.join(path)} {'/'.join(action.option_strings) or action.dest}"
        for path, action in arguments
        if not action.help or action.help == argparse.SUPPRESS
    ]
    assert not missing


def test_install_of_an_installed_backend_says_so(capsys):
    assert main(["install", "moto"]) == 0
    assert capsys.readouterr().out == f"moto {Moto().version()}: already installed\n"


def test_install_says_what_it_did_when_it_did_something(capsys, monkeypatch):
    calls = []
    monkeypatch.setattr(Moto, "install", lambda self: calls.append(1) or "made it")
    assert main(["install", "moto"]) == 0
    out = capsys.readouterr().out
    assert calls
    assert out == f"moto: made it\nmoto {Moto().version()}: ready\n"


def test_report_open_opens_the_html_report(tmp_path, write_runs, monkeypatch, capsys):
    opened = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    paths = write_runs({b: [make_record("t.py::a", b)] for b in ("x", "y")})
    out = tmp_path / "out"
    assert main(["report", *map(str, paths), "--out", str(out), "--open"]) == 0
    assert opened == [(out / "divergence.html").resolve().as_uri()]
    assert main(["report", *map(str, paths), "--out", str(out)]) == 0
    assert len(opened) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "afile"], "--out afile: it is a file, not a folder"),
        (["--out", "afile/out"], "--out afile/out: afile is a file, not a folder"),
        (["--junit-dir", "afile"], "--junit-dir afile: it is a file, not a folder"),
        (["--save-baseline", "."], "--save-baseline .: a folder; give a file"),
        (["--save-baseline", "afile/b.json"], "--save-baseline afile: it is a file"),
        (
            ["--source-url", "https://x/{file}#L{line}"],
            "--source-url 'https://x/{file}#L{line}': not",
        ),
        (["--source-url", "https://x/{path}#L{0}"], "use {path} and {line}"),
    ],
)
def test_report_refuses_outputs_it_could_never_write_before_reading_runs(
    tmp_path, write_runs, capsys, monkeypatch, args, message
):
    paths = write_runs({b: [make_record("t.py::a", b)] for b in ("moto", "dynalite")})
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("kept")
    assert main(["report", *map(str, paths), *args]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert (tmp_path / "afile").read_text() == "kept"
    assert not (tmp_path / "reports").exists()
