"""dynoxide: a Rust DynamoDB emulator on SQLite, from its platform-specific npm package.

Only ``@dynoxide/linux-x64`` is published to the registries ddbmatrix uses, pinned as an
optional dependency in backends/package.json (npm installs it only on linux-x64). Elsewhere
the backend is unsupported: its tests are skipped with the reason, and ``all`` leaves it out.
"""

from __future__ import annotations

import json
import platform
import sys
from pathlib import Path

from ddbmatrix.backends.base import ProcessBackend
from ddbmatrix.errors import BackendUnsupportedError
from ddbmatrix.toolchain import install_npm_packages, npm_package_dir, npm_packages_installed

__all__ = ["Dynoxide"]

#: (sys.platform, machine) -> npm package with the binary
PACKAGES = {("linux", "x86_64"): "@dynoxide/linux-x64"}


class Dynoxide(ProcessBackend):
    name = "dynoxide"

    def package(self) -> str:
        key = (sys.platform, platform.machine())
        if key not in PACKAGES:
            raise BackendUnsupportedError(
                f"dynoxide has no build for {key[0]}-{key[1]} on the npm registry "
                f"(only for {', '.join('-'.join(k) for k in PACKAGES)}); its tests are skipped"
            )
        return PACKAGES[key]

    def binary(self) -> Path:
        return npm_package_dir(self.package(), self.name) / "dynoxide"

    def install(self) -> str | None:
        self.package()  # unsupported platforms stop here, saying so
        if npm_packages_installed():
            return None
        return f"npm packages in {install_npm_packages(self.name)}"

    def check(self) -> None:
        self.binary()

    def version(self) -> str:
        package = npm_package_dir(self.package(), self.name) / "package.json"
        return str(json.loads(package.read_text())["version"])

    def command(self, host: str, port: int) -> list[str]:
        # In memory by default; binds the given host (127.0.0.1 is also its default).
        return [str(self.binary()), "--host", host, "--port", str(port)]
