"""With no backend named, a run uses the installed ones; a named one must be installed."""

from __future__ import annotations

import pytest

from ddbmatrix import defaults
from ddbmatrix.backends import Dynalite, Moto
from ddbmatrix.errors import BackendUnavailableError, BackendUnsupportedError

TEST = "def test_it(ddb_backend):\n    pass\n"
NO_MOTO = """
from ddbmatrix.backends.moto import Moto
from ddbmatrix.errors import BackendUnavailableError


def _missing(self):
    raise BackendUnavailableError("moto is not installed: run `pip install 'ddbmatrix[moto]'`")


Moto.check = _missing
"""


def literal(text):
    """Escape fnmatch's brackets (``ddbmatrix[all]``)."""
    return text.replace("[", "[[]")


@pytest.fixture
def only_moto(pytester, monkeypatch, tmp_path):
    """A machine where the cache of npm emulators and Python environments is empty."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "empty-cache"))
    monkeypatch.delenv("DDBMATRIX_NPM_DIR", raising=False)
    pytester.makepyfile(test_it=TEST)
    return pytester


def test_a_default_run_uses_what_is_installed_and_says_what_it_left_out(only_moto):
    result = only_moto.runpytest_subprocess("-v")
    assert result.ret == pytest.ExitCode.OK
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*test_it?moto? PASSED*"])
    notice = literal(
        "ddbmatrix: not installed, so left out: dynalite, dynamodb-local, dynoxide, ministack "
        "(add them: pip install 'ddbmatrix[all]' && ddbmatrix install)"
    )
    result.stdout.fnmatch_lines(["ddbmatrix: backends moto (run *)", notice])
    result.stdout.fnmatch_lines(["*= ddbmatrix =*", "  moto *", notice])
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


def test_workers_run_the_backends_the_controller_chose(only_moto):
    result = only_moto.runpytest_subprocess("-n", "2")
    assert result.ret == pytest.ExitCode.OK
    result.assert_outcomes(passed=1)


@pytest.mark.parametrize("named", ["--ddb-backend=dynalite,moto", "--ddb-backend=all"])
def test_a_named_backend_that_is_not_installed_is_a_one_line_error(only_moto, named):
    result = only_moto.runpytest_subprocess(named)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    (error,) = [line for line in result.stderr.lines if line.strip()]
    # Without Node.js the fix is two commands; with it (a full environment), the second.
    assert error.startswith("ERROR: ddbmatrix: dynalite ")
    assert error.endswith("ddbmatrix install dynalite`")
    assert "collected" not in result.stdout.str()


def test_the_ini_names_backends_as_the_option_does(only_moto):
    only_moto.makeini("[pytest]\nddb_backend = dynalite\n")
    assert only_moto.runpytest_subprocess().ret == pytest.ExitCode.USAGE_ERROR


def test_with_nothing_installed_tests_are_skipped_saying_how_to_install(only_moto):
    only_moto.makeconftest(NO_MOTO)
    result = only_moto.runpytest_subprocess("-rs")
    assert result.ret == pytest.ExitCode.OK
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(
        [
            "ddbmatrix: backends none (run *)",
            literal("*no DynamoDB backend is installed here: `pip install 'ddbmatrix[moto]'`*"),
        ]
    )


def test_with_nothing_installed_workers_skip_saying_how_to_install_too(only_moto):
    only_moto.makeconftest(NO_MOTO)
    result = only_moto.runpytest_subprocess("-n", "2", "-rs")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines([literal("*no DynamoDB backend is installed here*")])


def test_installed_backends_splits_what_can_run_from_what_is_missing(monkeypatch):
    def missing(self):
        raise BackendUnavailableError("run `ddbmatrix install dynalite`")

    def unsupported(self):
        raise BackendUnsupportedError("no build here")

    monkeypatch.setattr(defaults, "local_backends", lambda: ["dynalite", "moto", "dynoxide"])
    monkeypatch.setattr(Dynalite, "check", missing)
    monkeypatch.setattr(Moto, "check", lambda self: None)
    monkeypatch.setattr("ddbmatrix.backends.Dynoxide.check", unsupported)
    assert defaults.installed_backends() == (
        ["moto"],
        {"dynalite": "run `ddbmatrix install dynalite`"},
    )


def test_the_notice_is_one_line_or_nothing():
    assert defaults.left_out_notice({}) is None
    notice = defaults.left_out_notice({"dynalite": "x", "ministack": "y"})
    assert notice == (
        "ddbmatrix: not installed, so left out: dynalite, ministack "
        "(add them: pip install 'ddbmatrix[all]' && ddbmatrix install)"
    )
