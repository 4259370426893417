"""moto: the Python AWS mock, run as its standalone ``moto_server`` process."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import sys

from ddbmatrix.backends.base import ProcessBackend
from ddbmatrix.errors import BackendUnavailableError

__all__ = ["Moto"]


class Moto(ProcessBackend):
    name = "moto"

    def check(self) -> None:
        if importlib.util.find_spec("moto") is None or importlib.util.find_spec("flask") is None:
            raise BackendUnavailableError(
                "moto's server is not installed in this environment: "
                "run `pip install 'ddbmatrix[moto]'`"
            )

    def version(self) -> str:
        self.check()
        return importlib.metadata.version("moto")

    def command(self, host: str, port: int) -> list[str]:
        # The server process, not the in-process mock: mock_aws ignores clients that set an
        # endpoint, and a separate process is what the other backends are too.
        return [sys.executable, "-m", "moto.server", "-H", host, "-p", str(port)]
