"""Rate limits: counters nobody can evict, every POST counted, closed when the store is away."""

import socket

import pytest
from django.core.cache import caches
from django.test import override_settings

from infra import ratelimit
from practices.models import PracticeProposal
from tests.practices.proposal_helpers import PDF_BYTES, form_data, upload

pytestmark = pytest.mark.django_db

PROPOSE_URL = "/practices/propose/"


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lost_limit_store(settings):
    """The rate-limit store points at a Redis that is not there."""
    config = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    # override_settings resets the cache handlers on entry and exit.
    with override_settings(CACHES=config):
        yield


def test_rates_read_like_drf_and_like_the_proposal_setting():
    assert ratelimit.parse_rate("5/h") == (5, 3600)
    assert ratelimit.parse_rate("5/2h") == (5, 7200)
    assert ratelimit.parse_rate("120/minute") == (120, 60)
    assert ratelimit.parse_rate("20/day") == (20, 86400)
    assert ratelimit.parse_rate("5") == (5, 3600)
    assert ratelimit.parse_rate("") == (None, None)
    with pytest.raises(ValueError):
        ratelimit.parse_rate("5/fortnight")


def test_counters_survive_a_flood_of_other_cache_entries(client, settings):
    # Junk query strings once filled the shared local-memory cache until the
    # proposal counter was culled (about 320 pages) and the limit reset.
    settings.PROPOSAL_RATE_LIMIT = "1/h"
    assert client.post(PROPOSE_URL, form_data()).status_code == 302
    default = caches["default"]
    for n in range(2000):
        default.set(f"views.page.junk-{n}", "x" * 100)
    assert client.post(PROPOSE_URL, form_data()).status_code == 429
    assert PracticeProposal.objects.count() == 1


def test_every_post_counts_invalid_ones_too(client, settings):
    settings.PROPOSAL_RATE_LIMIT = "3/h"
    for _ in range(3):
        # No title, a file that is not what it says: refused, but counted.
        data = form_data(title="")
        data["attachments"] = [upload("report.pdf", b"PK\x03\x04 not a pdf")]
        assert client.post(PROPOSE_URL, data).status_code == 400
    response = client.post(PROPOSE_URL, form_data())
    assert response.status_code == 429
    assert not PracticeProposal.objects.exists()


def test_a_window_counts_every_hit_and_an_open_one_costs_one_store_call(monkeypatch):
    store = caches[ratelimit.CACHE_ALIAS]
    calls = []
    for name in ("add", "get", "set", "incr"):
        method = getattr(store, name)
        monkeypatch.setattr(
            store,
            name,
            lambda *a, _name=name, _method=method, **k: (calls.append(_name), _method(*a, **k))[1],
        )
    assert ratelimit.hit("api", "192.0.2.1", "2/m") == 0
    calls.clear()
    assert ratelimit.hit("api", "192.0.2.1", "2/m") == 0
    # One round trip to Redis (django-redis counts in one script).
    assert calls == ["incr"]
    assert 0 < ratelimit.hit("api", "192.0.2.1", "2/m") <= 60
    assert ratelimit.hit("api", "192.0.2.9", "2/m") == 0


def test_the_store_raises_instead_of_failing_soft(lost_limit_store):
    with pytest.raises(ratelimit.LimitUnavailable):
        ratelimit.hit("test", "10.0.0.1", "5/h")


def test_proposals_are_refused_with_503_when_the_store_is_away(client, lost_limit_store):
    existing = PracticeProposal.objects.count()
    data = form_data(title="Kept while the store is away")
    data["attachments"] = [upload("slides.pdf", PDF_BYTES)]
    responses = [client.post(PROPOSE_URL, data) for _ in range(7)]
    assert {r.status_code for r in responses} == {503}
    response = responses[-1]
    assert response["Retry-After"]
    html = response.content.decode()
    assert "The form cannot be sent right now" in html
    # What the visitor typed is still in the form.
    assert 'value="Kept while the store is away"' in html
    assert "paola.rossi@private.example" in html
    assert PracticeProposal.objects.count() == existing


def test_the_api_answers_503_when_the_store_is_away(client, lost_limit_store):
    response = client.get("/api/v1/topics/")
    assert response.status_code == 503
    assert response.json()["detail"]


def test_the_api_throttle_counts_in_the_rate_limit_store(client, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    codes = [client.get("/api/v1/topics/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    # Emptying the default cache (pages, facets) does not reset the limit.
    caches["default"].clear()
    assert client.get("/api/v1/topics/").status_code == 429


def test_suggestions_are_limited_per_address_with_a_429(client, settings):
    settings.SUGGEST_RATE = "3/m"
    for _ in range(3):
        assert client.get("/suggest/project/", {"q": "gre"}).status_code == 200
    refused = client.get("/suggest/region/", {"q": "pol"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["results"] == []
    # Another address has its own allowance.
    other = client.get("/suggest/project/", {"q": "gre"}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


def test_suggestions_are_served_while_the_limit_store_is_away(client, lost_limit_store):
    # One bounded query each: a lost Redis must not break every combobox.
    assert client.get("/suggest/project/", {"q": "gre"}).status_code == 200
