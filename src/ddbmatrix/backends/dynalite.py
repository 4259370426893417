"""dynalite: a Node.js DynamoDB emulator on LevelDB, run in memory."""

from __future__ import annotations

import json

from ddbmatrix.backends.base import ProcessBackend
from ddbmatrix.toolchain import (
    install_npm_packages,
    node_executable,
    npm_package_dir,
    npm_packages_installed,
)

__all__ = ["Dynalite"]


class Dynalite(ProcessBackend):
    name = "dynalite"

    def install(self) -> str | None:
        if npm_packages_installed():
            return None
        return f"npm packages in {install_npm_packages(self.name)}"

    def check(self) -> None:
        node_executable(self.name)
        npm_package_dir("dynalite", self.name)

    def version(self) -> str:
        package = npm_package_dir("dynalite", self.name) / "package.json"
        return str(json.loads(package.read_text())["version"])

    def command(self, host: str, port: int) -> list[str]:
        cli = npm_package_dir("dynalite", self.name) / "cli.js"
        # Tables and indexes become ACTIVE at once: the suite tests data-plane behaviour,
        # and real DynamoDB's transition times are not something an emulator can match.
        delays = ["--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"]
        # --host: dynalite listens on every interface unless told otherwise.
        return [
            str(node_executable(self.name)),
            str(cli),
            "--host",
            host,
            "--port",
            str(port),
            *delays,
        ]
