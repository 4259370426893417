"""SDK caches are kept per backend: nothing cached under one backend serves another."""

from __future__ import annotations

import boto3
import pytest
from pynamodb.attributes import UnicodeAttribute
from pynamodb.models import Model

from ddbmatrix.caches import SdkCaches


class Thing(Model):
    class Meta:
        table_name = "things"

    pk = UnicodeAttribute(hash_key=True)


@pytest.fixture
def caches(monkeypatch):
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", "the user's session")
    monkeypatch.setattr(Thing, "_connection", None)
    caches = SdkCaches()
    caches.isolate()
    yield caches
    caches.restore()


def test_the_default_session_is_set_aside_and_kept_per_backend(caches):
    assert boto3.DEFAULT_SESSION is None  # the user's may hold their credentials
    boto3.DEFAULT_SESSION = "moto's"
    caches.switch("moto", "dynalite")
    assert boto3.DEFAULT_SESSION is None
    boto3.DEFAULT_SESSION = "dynalite's"
    caches.switch("dynalite", "moto")
    assert boto3.DEFAULT_SESSION == "moto's"  # back, not rebuilt (botocore's models stay loaded)
    caches.switch("moto", None)
    caches.restore()
    assert boto3.DEFAULT_SESSION == "the user's session"


def test_a_models_cached_connection_belongs_to_its_backend(caches):
    Thing._connection = "connection to moto"
    caches.switch("moto", "dynalite")
    assert Thing._connection is None  # PynamoDB builds one for dynalite when it is used
    Thing._connection = "connection to dynalite"
    caches.switch("dynalite", "moto")
    assert Thing._connection == "connection to moto"
    caches.switch("moto", "dynalite")
    assert Thing._connection == "connection to dynalite"
    caches.restore()  # the run's servers are gone
    assert Thing._connection is None


def test_ddbmatrix_sessions_share_one_model_loader():
    from ddbmatrix.backends.base import fake_session
    from ddbmatrix.caches import model_loader

    first, second = fake_session(), fake_session()
    assert first._session.get_component("data_loader") is model_loader()
    assert second._session.get_component("data_loader") is model_loader()
