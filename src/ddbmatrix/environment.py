"""The process environment that points any boto3 client at the current test's backend.

Code under test often builds its own client (``boto3.client("dynamodb")``, PynamoDB) with no
endpoint argument. botocore reads the endpoint, region, credentials and retry settings from
the environment, so setting them for the duration of a test is enough, as long as nothing
from the user's own AWS set-up (profiles, config files, session tokens) can take precedence
or leak real credentials to an emulator.
"""

from __future__ import annotations

import os

from ddbmatrix.backends import FAKE_CREDENTIALS

__all__ = ["backend_environment"]

#: Variables that could send the user's own identity or settings to a local backend.
_CLEARED = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_ENDPOINT_URL",
)


def backend_environment(endpoint: str, real_credentials: bool) -> dict[str, str | None]:
    """Return the variables to set (``None``: remove) while a test uses ``endpoint``.

    For real AWS only the endpoint and retry settings change; the user's credential chain
    and region stay.
    """
    # One attempt, like the fixtures' clients: the server's first answer is what is observed.
    env: dict[str, str | None] = {
        "AWS_MAX_ATTEMPTS": "1",
        "AWS_RETRY_MODE": "standard",
        "AWS_ENDPOINT_URL_DYNAMODB": endpoint,
    }
    if real_credentials:
        return env
    env |= {name: None for name in _CLEARED}
    env |= {
        "AWS_ENDPOINT_URL_DYNAMODB": endpoint,
        "AWS_ACCESS_KEY_ID": FAKE_CREDENTIALS["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": FAKE_CREDENTIALS["aws_secret_access_key"],
        "AWS_DEFAULT_REGION": FAKE_CREDENTIALS["region_name"],
        "AWS_REGION": FAKE_CREDENTIALS["region_name"],
        # No ~/.aws files: a profile there can set credential_process or an endpoint.
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    return env
