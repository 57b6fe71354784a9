"""A lost Redis means no cache, not errors; a live one caches.

The cache configuration is the one exchange/settings.py builds from
REDIS_URL (loaded in a subprocess), pointed at a port where nothing
listens, at one that never answers, or at a throwaway redis-server.
"""

import logging
import shutil
import socket
import subprocess
import time

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings

from infra import caching, ratelimit
from tests.test_settings_env import load

PAGES = ("/", "/practices/", "/practices/?q=energy", "/regions/", "/events/", "/api/v1/practices/")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def settings_cache(location):
    """CACHES as the settings build them for REDIS_URL=location."""
    (loaded,) = load({"REDIS_URL": location})
    return {"default": loaded["CACHE"]}


@pytest.fixture(scope="module")
def redis_config_template():
    return settings_cache("redis://127.0.0.1:1/0")["default"]


def use_redis(template, location, **aliases):
    # override_settings resets the cache handlers on entry and exit.
    caches_setting = {**settings.CACHES, "default": {**template, "LOCATION": location}, **aliases}
    return override_settings(CACHES=caches_setting)


@pytest.fixture
def lost_redis(redis_config_template):
    with use_redis(redis_config_template, f"redis://127.0.0.1:{free_port()}/0"):
        yield caches["default"]


@pytest.fixture
def hung_redis(redis_config_template):
    """A Redis host that stops answering: connections never complete."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    # Fill the accept queue; further connection attempts then wait unanswered.
    fillers = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        try:
            filler.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        fillers.append(filler)
    try:
        with use_redis(redis_config_template, f"redis://127.0.0.1:{port}/0"):
            yield caches["default"]
    finally:
        for s in (*fillers, listener):
            s.close()


def test_settings_use_django_redis_and_ignore_its_errors(redis_config_template):
    assert redis_config_template["BACKEND"] == "django_redis.cache.RedisCache"
    assert redis_config_template["OPTIONS"]["IGNORE_EXCEPTIONS"] is True


def test_every_call_answers_like_a_miss_and_is_logged(lost_redis, caplog):
    cache = lost_redis
    with caplog.at_level(logging.ERROR, logger="exchange.cache"):
        assert cache.get("k") is None
        assert cache.get("k", "fallback") == "fallback"
        cache.set("k", 1)
        assert not cache.add("k", 1)
        assert cache.get_many(["a", "b"]) == {}
        cache.set_many({"a": 1})
        assert not cache.delete("k")
        assert not cache.has_key("k")
        assert cache.get_or_set("k", lambda: 42) == 42
        cache.incr("k")
        cache.delete_many(["a"])
        cache.clear()
    logged = [r for r in caplog.records if r.name == "exchange.cache"]
    assert logged
    assert all(r.exc_info for r in logged)


@pytest.mark.django_db
def test_pages_work_without_redis(lost_redis, client):
    for url in PAGES:
        response = client.get(url, secure=True)
        assert response.status_code == 200, url
    # django-redis answers every lost get_many() with one shared dict:
    # nothing may have written into it.
    assert lost_redis.get_many(["a"]) == {}


@pytest.mark.django_db
def test_without_redis_facets_are_counted_without_waiting_for_a_lock(
    lost_redis, client, monkeypatch
):
    # No lock can be taken or seen: the request computes at once instead of
    # waiting for another one (infra.caching.single_flight). The wait is made
    # long so that a loaded machine cannot blur the difference.
    monkeypatch.setattr(caching, "FLIGHT_WAIT_SECONDS", 60.0)
    started = time.monotonic()
    assert client.get("/practices/?q=energy&sort=title", secure=True).status_code == 200
    assert time.monotonic() - started < 30


@pytest.mark.django_db
def test_rate_limits_do_not_count_in_the_default_cache(lost_redis):
    # Their counters have a store of their own (tests/test_security_limits.py):
    # a lost default cache neither resets nor blocks them.
    assert ratelimit.hit("proposal", "203.0.113.9", "1/h") == 0
    assert ratelimit.hit("proposal", "203.0.113.9", "1/h") > 0


@pytest.mark.django_db
def test_a_hung_redis_costs_its_timeouts_not_the_page(hung_redis, client):
    # Without socket timeouts each call would wait for the kernel to give
    # up connecting (minutes); with them a page pays a fraction of a second
    # per cache call.
    for url in ("/practices/", "/api/v1/practices/"):
        started = time.monotonic()
        response = client.get(url, secure=True)
        assert response.status_code == 200, url
        assert time.monotonic() - started < 5, url


@pytest.fixture
def live_redis(redis_config_template, tmp_path):
    server = shutil.which("redis-server")
    if not server:
        pytest.skip("redis-server is not installed (Debian package redis-server)")
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)
        location = f"redis://127.0.0.1:{port}/0"
        (loaded,) = load({"REDIS_URL": location})
        with use_redis(redis_config_template, location, ratelimit=loaded["RATELIMIT_CACHE"]):
            yield caches["default"]
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.django_db
def test_a_live_redis_caches_pages_and_counters(live_redis, client):
    live_redis.set("k", {"a": 1})
    assert live_redis.get("k") == {"a": 1}
    live_redis.set("n", 1)
    assert live_redis.incr("n") == 2
    with pytest.raises(ValueError):
        live_redis.incr("missing")
    for url in PAGES:
        assert client.get(url, secure=True).status_code == 200, url
        assert client.get(url, secure=True).status_code == 200, url
    assert live_redis.keys("*")
    # Rate limits count in the same Redis, in their own alias.
    for _ in range(5):
        assert ratelimit.hit("proposal", "203.0.113.9", "5/h") == 0
    assert ratelimit.hit("proposal", "203.0.113.9", "5/h") > 0
    assert any(key.startswith("rl:proposal:") for key in live_redis.keys("*"))
