"""A lost Redis means no cache, not errors."""

import socket

import pytest
from django.core.cache import caches
from django.test import override_settings

from infra import cache as fail_soft


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lost_redis():
    location = f"redis://127.0.0.1:{closed_port()}/0"
    config = {
        "default": {
            "BACKEND": "infra.cache.FailSoftRedisCache",
            "LOCATION": location,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    # override_settings resets the cache handlers on entry and exit.
    with override_settings(CACHES=config):
        yield caches["default"]


def test_every_call_answers_like_a_miss(lost_redis, caplog):
    cache = lost_redis
    with caplog.at_level("WARNING", logger="exchange.cache"):
        assert cache.get("k") is None
        assert cache.get("k", "fallback") == "fallback"
        assert cache.set("k", 1) is None
        assert cache.add("k", 1) is False
        assert cache.get_many(["a", "b"]) == {}
        assert cache.set_many({"a": 1}) == ["a"]
        assert cache.delete("k") is False
        assert cache.has_key("k") is False
        assert cache.get_or_set("k", lambda: 42) == 42
        with pytest.raises(ValueError):
            cache.incr("k")
        cache.delete_many(["a"])
        cache.clear()
    # One warning, then a pause without further attempts.
    warnings = [r for r in caplog.records if r.name == "exchange.cache"]
    assert len(warnings) == 1
    assert "Cache unavailable" in warnings[0].getMessage()


def test_the_cache_is_tried_again_after_the_pause(lost_redis, monkeypatch, caplog):
    cache = lost_redis
    cache.get("k")
    monkeypatch.setattr(fail_soft, "PAUSE_AFTER_FAILURE", 0.0)
    cache._paused_until = 0.0
    with caplog.at_level("WARNING", logger="exchange.cache"):
        assert cache.get("k", 7) == 7
    assert any(r.name == "exchange.cache" for r in caplog.records)


@pytest.mark.django_db
def test_pages_work_without_redis(lost_redis, client):
    for url in ("/", "/practices/", "/regions/", "/events/"):
        response = client.get(url)
        assert response.status_code == 200, url
