"""The user's real identity: read only for an aws run, and handed only to aws clients."""

from __future__ import annotations

import pytest
from botocore.credentials import Credentials

from ddbmatrix.identity import RealIdentity, capture, wanted

PLANTED = {"AWS_ACCESS_KEY_ID": "AKIAPLANTEDREALKEY", "AWS_SECRET_ACCESS_KEY": "planted-secret"}


@pytest.fixture
def planted(monkeypatch, tmp_path):
    for name, value in PLANTED.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))


def test_only_an_enabled_aws_run_wants_the_identity():
    assert wanted(["moto", "aws"], {"DDBMATRIX_AWS": "1"})
    assert not wanted(["moto", "aws"], {})
    assert not wanted(["all"], {"DDBMATRIX_AWS": "1"})  # all never includes aws


def test_the_users_chain_is_captured_and_shown_nowhere(planted):
    identity = capture()
    assert identity is not None
    assert identity.region == "eu-west-1"
    assert identity.frozen()["aws_access_key_id"] == "AKIAPLANTEDREALKEY"
    assert "planted" not in repr(identity)
    assert "AKIA" not in repr(identity)
    again = RealIdentity.from_workerinput(identity.to_workerinput())
    assert again.frozen() == identity.frozen()
    assert again.region == "eu-west-1"


def test_ddbmatrix_own_fake_key_is_no_identity(monkeypatch, planted):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "ddbmatrix")  # a worker's isolated environment
    assert capture() is None


def test_an_identity_session_resolves_only_its_own_credentials(planted):
    identity = RealIdentity(Credentials("AKIAHELD", "held-secret"), "ap-south-1")
    session = identity.botocore_session()
    assert session.get_credentials().access_key == "AKIAHELD"  # not the environment's
    assert session.get_config_variable("region") == "ap-south-1"
