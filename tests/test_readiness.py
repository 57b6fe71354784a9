"""/healthz says the process lives; /readyz says it can serve: database and shared caches."""

import socket

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import override_settings

pytestmark = pytest.mark.django_db


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_ready_with_the_database_and_local_caches(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok"}  # local-memory caches need no check
    assert response["Cache-Control"] == "no-store"


def test_not_ready_without_the_database_but_still_alive(client, monkeypatch):
    from django.db.backends.base.base import BaseDatabaseWrapper

    def broken(self, *args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize(
    "backend", ["django_redis.cache.RedisCache", "django.core.cache.backends.redis.RedisCache"]
)
def test_not_ready_when_a_shared_cache_is_away(client, backend):
    # django-redis with IGNORE_EXCEPTIONS never raises: the round trip tells.
    away = {
        "BACKEND": backend,
        "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        "OPTIONS": {"IGNORE_EXCEPTIONS": True} if backend.startswith("django_redis") else {},
    }
    with override_settings(CACHES={**settings.CACHES, "default": away}):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache:default": "unavailable"}
