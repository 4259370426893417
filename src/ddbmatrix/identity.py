"""The user's real AWS identity, for the aws backend only, and never in the environment.

When (and only when) the aws backend is asked for by name and enabled, the credentials and
region the user's usual chain resolves (environment, profile, SSO, instance role) are read
once, before the environment is isolated (:mod:`ddbmatrix.environment`), and kept here.
ddbmatrix then hands them to exactly two kinds of clients: its own clients for the aws
backend, and the clients code under test builds while the aws backend is the backend of now
(:mod:`ddbmatrix.clients`). Everything else only ever sees the fake credentials. xdist
workers get them from the controller in memory (``workerinput``), as a frozen copy: their
own environment was isolated before they started.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import botocore.session
from botocore.credentials import CredentialProvider, CredentialResolver, Credentials

from ddbmatrix.backends import FAKE_CREDENTIALS
from ddbmatrix.backends.aws import ENABLE_ENV

__all__ = ["REAL_SESSION_MARK", "RealIdentity", "capture", "wanted"]

#: Set on the botocore sessions :meth:`RealIdentity.botocore_session` builds.
REAL_SESSION_MARK = "_ddbmatrix_real_identity"


def wanted(backend_names: list[str], environ: Any = None) -> bool:
    """Return whether the run asks for the aws backend and has it enabled."""
    environ = os.environ if environ is None else environ
    return environ.get(ENABLE_ENV) == "1" and "aws" in backend_names


@dataclass(frozen=True)
class RealIdentity:
    """Credentials (possibly refreshing) and region of the user; the repr shows neither."""

    credentials: Credentials = field(repr=False)
    region: str | None = None

    def frozen(self) -> dict[str, str | None]:
        """Return the current keys as ``create_client`` takes them (refreshing them if due)."""
        now = self.credentials.get_frozen_credentials()
        return {
            "aws_access_key_id": now.access_key,
            "aws_secret_access_key": now.secret_key,
            "aws_session_token": now.token,
        }

    def to_workerinput(self) -> dict[str, str | None]:
        return {**self.frozen(), "region": self.region}

    @classmethod
    def from_workerinput(cls, data: dict[str, str | None]) -> RealIdentity:
        credentials = Credentials(
            str(data["aws_access_key_id"]),
            str(data["aws_secret_access_key"]),
            data.get("aws_session_token"),
        )
        return cls(credentials, data.get("region"))

    def botocore_session(self) -> botocore.session.Session:
        """Return a botocore session that reads no file and resolves only these credentials."""
        session = botocore.session.Session(
            session_vars={
                "profile": (None, None, None, None),
                "config_file": (None, None, os.devnull, None),
                "credentials_file": (None, None, os.devnull, None),
            }
        )
        session.register_component("credential_provider", CredentialResolver([_Held(self)]))
        if self.region:
            session.set_config_variable("region", self.region)
        setattr(session, REAL_SESSION_MARK, True)
        return session


class _Held(CredentialProvider):
    """A credential provider that hands out the captured credentials, refreshes included."""

    METHOD = "ddbmatrix-captured"
    CANONICAL_NAME = "ddbmatrix-captured"

    def __init__(self, identity: RealIdentity) -> None:
        super().__init__()
        self._identity = identity

    def load(self) -> Credentials:
        return self._identity.credentials


def capture() -> RealIdentity | None:
    """Resolve the user's credentials and region now, from their usual chain.

    Returns None when there are none, or when what resolves is ddbmatrix's own fake key (the
    environment of a process a ddbmatrix run started, such as an xdist worker).
    """
    session = botocore.session.Session()
    credentials = session.get_credentials()
    if credentials is None:
        return None
    if credentials.get_frozen_credentials().access_key == FAKE_CREDENTIALS["aws_access_key_id"]:
        return None
    region = session.get_config_variable("region")
    return RealIdentity(credentials, region if isinstance(region, str) else None)
