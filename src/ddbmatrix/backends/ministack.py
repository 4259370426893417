"""ministack: a Python AWS emulator (MIT), run from a virtual environment of its own.

ministack pins an exact botocore, so it never runs in the environment of the tests: ddbmatrix
creates and reuses an environment for the pinned version (backends/ministack-requirements.txt)
with ``ddbmatrix install ministack``. It is configured through its environment only.
"""

from __future__ import annotations

import subprocess

from ddbmatrix.backends.base import ProcessBackend
from ddbmatrix.toolchain import install_python_env, python_env_executable, python_env_installed

__all__ = ["Ministack"]

REQUIREMENTS = "ministack-requirements.txt"


class Ministack(ProcessBackend):
    name = "ministack"

    def python(self) -> str:
        return str(python_env_executable(REQUIREMENTS, self.name))

    def install(self) -> str | None:
        if python_env_installed(REQUIREMENTS):
            return None
        return f"environment in {install_python_env(REQUIREMENTS, self.name)}"

    def check(self) -> None:
        self.python()

    def version(self) -> str:
        result = subprocess.run(
            [self.python(), "-c", "import importlib.metadata as m; print(m.version('ministack'))"],
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip()

    def command(self, host: str, port: int) -> list[str]:
        return [self.python(), "-m", "ministack.app"]

    def environment(self, host: str, port: int) -> dict[str, str]:
        return {
            "BIND_HOST": host,  # ministack binds 0.0.0.0 without it
            "GATEWAY_PORT": str(port),
            # DynamoDB Streams is a service of its own to ministack: without it every Streams
            # call answers HTTP 400 with an empty body, which is our set-up, not ministack.
            "SERVICES": "dynamodb,dynamodbstreams",
            "LOG_LEVEL": "WARNING",
            "IOT_MTLS_ENABLED": "0",
        }
