"""Real Amazon DynamoDB: the reference every emulator is judged by. Opt-in only."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import boto3

from ddbmatrix.backends.base import Backend, Server
from ddbmatrix.errors import BackendDisabledError

__all__ = ["ENABLE_ENV", "Aws"]

ENABLE_ENV = "DDBMATRIX_AWS"


@dataclass
class AwsEndpoint(Server):
    backend: str
    endpoint: str

    def stop(self) -> None:
        """Nothing to stop: the service is not ours."""


class Aws(Backend):
    """Real DynamoDB through the standard credential chain and region.

    Never part of ``all``: it runs only when asked for by name *and* ``DDBMATRIX_AWS=1``
    is set, so no test run or CI job reaches AWS by accident.
    """

    name = "aws"
    local = False
    real_credentials = True

    def check(self) -> None:
        if os.environ.get(ENABLE_ENV) != "1":
            raise BackendDisabledError(
                f"the aws backend sends requests to real DynamoDB (and costs money); "
                f"set {ENABLE_ENV}=1 to enable it"
            )

    def region(self) -> str:
        return boto3.session.Session().region_name or "us-east-1"

    def version(self) -> str:
        return f"Amazon DynamoDB ({self.region()})"

    def start(
        self, host: str, port: int | None, log_path: Path, *, owners: Sequence[int] = ()
    ) -> Server:
        self.check()
        return AwsEndpoint(self.name, f"https://dynamodb.{self.region()}.amazonaws.com")
