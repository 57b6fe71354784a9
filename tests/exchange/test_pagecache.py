"""Whole-page cache of public pages: hits cost no query, edits show at once."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from infra import caching
from tests.factories import (
    EventFactory,
    GoodPracticeFactory,
    PracticeProposalFactory,
    PresentationFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def test_repeated_detail_view_is_a_cache_hit(client, django_assert_num_queries):
    practice = GoodPracticeFactory(title="Cached practice")
    url = reverse("practices:practice-detail", kwargs={"slug": practice.slug})
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    # Hits say so (the load test counts them); builds do not.
    assert second["X-Page-Cache"] == "hit" and not first.has_header("X-Page-Cache")


def test_editing_a_practice_shows_at_once(client):
    practice = GoodPracticeFactory(title="Old title of the practice")
    detail = reverse("practices:practice-detail", kwargs={"slug": practice.slug})
    listing = reverse("practices:practice-list")
    assert "Old title of the practice" in client.get(detail).content.decode()
    assert "Old title of the practice" in client.get(listing).content.decode()
    practice.title = "New title of the practice"
    practice.save()
    assert "New title of the practice" in client.get(detail).content.decode()
    assert "New title of the practice" in client.get(listing).content.decode()


def test_unpublishing_removes_the_page_at_once(client):
    practice = GoodPracticeFactory()
    url = reverse("practices:practice-detail", kwargs={"slug": practice.slug})
    assert client.get(url).status_code == 200
    practice.publication_state = "draft"
    practice.save()
    assert client.get(url).status_code == 404


def test_changing_a_topic_link_shows_at_once(client):
    practice = GoodPracticeFactory()
    url = reverse("practices:practice-detail", kwargs={"slug": practice.slug})
    client.get(url)
    practice.topics.add(TopicFactory(name="Freshly linked topic"))
    assert "Freshly linked topic" in client.get(url).content.decode()


def test_event_edit_shows_at_once(client):
    event = EventFactory(title="First event title")
    url = event.get_absolute_url()
    assert "First event title" in client.get(url).content.decode()
    event.title = "Second event title"
    event.save()
    assert "Second event title" in client.get(url).content.decode()


def test_pages_vary_on_language(client):
    practice = GoodPracticeFactory()
    url = reverse("practices:practice-detail", kwargs={"slug": practice.slug})
    english = client.get(url)
    polish = client.get(f"/pl{url}") if not url.startswith("/pl/") else client.get(url)
    if polish.status_code == 200:
        assert polish.content != english.content


def test_page_with_a_message_is_not_stored(client, django_assert_max_num_queries):
    GoodPracticeFactory()
    url = reverse("practices:practice-list") + "?page=abc"
    first = client.get(url)
    assert "page number was not understood" in first.content.decode()
    # Not served from the cache: the view runs (and queries) again.
    with django_assert_max_num_queries(50) as captured:
        client.get(url)
    assert len(captured.captured_queries) > 0


def test_signed_in_staff_never_get_cached_pages(client, django_assert_max_num_queries):
    practice = GoodPracticeFactory(title="Staff sees this")
    url = reverse("practices:practice-detail", kwargs={"slug": practice.slug})
    client.get(url)
    user = get_user_model().objects.create_user("staff", password="x", is_staff=True)
    client.force_login(user)
    with django_assert_max_num_queries(50) as captured:
        response = client.get(url)
    assert response.status_code == 200
    # Rendered for them (the practice read again), not the stored copy.
    assert any("practices_goodpractice" in q["sql"] for q in captured.captured_queries)


def test_changes_without_signals_show_once_the_pages_expire(client, monkeypatch, settings):
    from practices.models import GoodPractice

    practice = GoodPracticeFactory(title="Title before the bulk update")
    url = reverse("practices:practice-detail", kwargs={"slug": practice.slug})
    client.get(url)
    GoodPractice.objects.filter(pk=practice.pk).update(title="Title after the bulk update")
    # No signal: the stored page is served until it expires...
    assert "Title before the bulk update" in client.get(url).content.decode()
    # ...and no longer.
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + settings.PAGE_CACHE_SECONDS + 1)
    assert "Title after the bulk update" in client.get(url).content.decode()


def test_a_page_cache_of_zero_seconds_builds_every_page_afresh(client, settings):
    from practices.models import GoodPractice

    settings.PAGE_CACHE_SECONDS = 0
    practice = GoodPracticeFactory(title="Title before the bulk update")
    url = reverse("practices:practice-detail", kwargs={"slug": practice.slug})
    client.get(url)
    GoodPractice.objects.filter(pk=practice.pk).update(title="Title after the bulk update")
    assert "Title after the bulk update" in client.get(url).content.decode()


def test_each_host_gets_its_own_page(client, settings):
    # Issue 15 item 12: one request with another Host must not decide the
    # canonical links everyone else is served.
    settings.ALLOWED_HOSTS = ["practices.example.eu", "evil.example"]
    practice = GoodPracticeFactory()
    url = reverse("practices:practice-detail", kwargs={"slug": practice.slug})
    assert client.get(url, HTTP_HOST="evil.example").status_code == 200
    body = client.get(url, HTTP_HOST="practices.example.eu").content.decode()
    assert f'<link rel="canonical" href="http://practices.example.eu{url}">' in body
    assert "evil.example" not in body
    listing = reverse("practices:practice-list")
    client.get(listing, HTTP_HOST="evil.example")
    assert (
        "evil.example" not in client.get(listing, HTTP_HOST="practices.example.eu").content.decode()
    )


def test_http_and_https_pages_are_kept_apart(client):
    practice = GoodPracticeFactory()
    url = reverse("practices:practice-detail", kwargs={"slug": practice.slug})
    client.get(url)
    body = client.get(url, secure=True).content.decode()
    assert f'<link rel="canonical" href="https://testserver{url}">' in body


def _listing_is_a_hit(client, django_assert_num_queries):
    url = reverse("practices:practice-list")
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200


def test_proposals_sessions_and_login_records_leave_the_pages_alone(
    client, django_assert_num_queries
):
    # Issue 15 item 11: anonymous proposals emptied the whole page cache.
    from axes.models import AccessAttempt
    from django.contrib.sessions.backends.db import SessionStore

    from practices import services
    from practices.models import ProposalAttachment

    topic = GoodPracticeFactory(topics=[TopicFactory()]).topics.get()
    client.get(reverse("practices:practice-list"))
    generation = caching.generation()
    proposal = PracticeProposalFactory()
    proposal.topics.add(topic)
    ProposalAttachment.objects.create(
        proposal=proposal,
        file="proposals/x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        size=1,
    )
    services.start_review(proposal=proposal)
    proposal.title = "Retitled by the proposer"
    proposal.save()
    SessionStore().create()
    AccessAttempt.objects.create(
        username="someone", ip_address="192.0.2.1", user_agent="x", failures_since_start=1
    )
    assert caching.generation() == generation
    _listing_is_a_hit(client, django_assert_num_queries)


def test_an_accepted_proposal_shows_on_public_pages_once_published(client):
    from practices import services

    proposal = PracticeProposalFactory(title="Practice born from a proposal")
    listing = reverse("practices:practice-list")
    assert "Practice born from a proposal" not in client.get(listing).content.decode()
    practice = services.accept_proposal(proposal=proposal)
    practice.publication_state = "published"
    practice.save()
    assert "Practice born from a proposal" in client.get(listing).content.decode()


def test_people_and_event_talks_are_public_content(client):
    event = EventFactory(title="Event with talks")
    url = event.get_absolute_url()
    client.get(url)
    PresentationFactory(event=event, title="A talk added later")
    assert "A talk added later" in client.get(url).content.decode()


def test_parameters_the_view_does_not_read_make_no_new_pages(client, django_assert_num_queries):
    # Issue 15 item 7: ?utm=1...N made a new page-cache entry each time,
    # flooding the cache and evicting everything else.
    practice = GoodPracticeFactory(region=None)
    listing = reverse("practices:practice-list")
    detail = reverse("practices:practice-detail", kwargs={"slug": practice.slug})
    plain_listing = client.get(listing).content
    plain_detail = client.get(detail).content
    for n in range(5):
        with django_assert_num_queries(0):
            assert client.get(f"{listing}?utm={n}").content == plain_listing
            assert client.get(f"{detail}?utm_source={n}&x=1").content == plain_detail


def test_the_same_filters_in_another_order_are_one_page(client, django_assert_num_queries):
    topic = TopicFactory(slug="energy")
    GoodPracticeFactory(topics=[topic], language="pl")
    listing = reverse("practices:practice-list")
    first = client.get(f"{listing}?topic=energy&language=pl&utm=a")
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(f"{listing}?language=pl&topic=energy")
    assert again.content == first.content


def test_links_of_a_page_keep_its_filters_but_not_stray_parameters(client):
    topic = TopicFactory(slug="energy")
    GoodPracticeFactory(topics=[topic])
    listing = reverse("practices:practice-list")
    body = client.get(f"{listing}?topic=energy&fbclid=abc&sort=title").content.decode()
    assert "fbclid" not in body
    assert "topic=energy&amp;sort=title" in body  # the language switcher's link


def test_a_hit_reads_only_the_generation_from_the_shared_cache(client, monkeypatch):
    practice = GoodPracticeFactory(title="Served from the process")
    url = reverse("practices:practice-detail", kwargs={"slug": practice.slug})
    first = client.get(url)
    reads = []
    real_get = caching.cache.get
    monkeypatch.setattr(
        caching.cache, "get", lambda key, *a, **k: reads.append(key) or real_get(key, *a, **k)
    )
    assert client.get(url).content == first.content
    assert reads == [caching.GENERATION_KEY]
    # An edit makes a new generation: the process's copy is not served.
    practice.title = "Edited while copied"
    practice.save()
    assert "Edited while copied" in client.get(url).content.decode()


@pytest.mark.parametrize("page_cache_seconds", [0, 300])
def test_a_listing_built_reads_the_generation_once(
    client, monkeypatch, settings, page_cache_seconds
):
    # Its count, filter panel, menus and map are keyed by one generation.
    settings.PAGE_CACHE_SECONDS = page_cache_seconds
    topic = TopicFactory(slug="energy")
    GoodPracticeFactory(topics=[topic])
    listing = reverse("practices:practice-list")
    client.get(f"{listing}?topic=energy")
    reads = []
    real_get = caching.cache.get
    monkeypatch.setattr(
        caching.cache, "get", lambda key, *a, **k: reads.append(key) or real_get(key, *a, **k)
    )
    assert client.get(f"{listing}?topic=energy&page=1").status_code == 200
    assert reads.count(caching.GENERATION_KEY) == 1


# Several nodes under load (issue 21): what made `make clustertest` read an
# edit back stale.


@pytest.mark.django_db(transaction=True)
def test_a_page_built_before_an_edit_commits_is_stored_under_an_old_generation():
    # The edit's signal bumps the generation before its transaction commits;
    # another node building the page meanwhile reads the rows from before
    # the edit and stores them under the new generation. The bump after the
    # commit makes that page old.
    practice = GoodPracticeFactory(title="Before the commit")
    with transaction.atomic():
        practice.title = "After the commit"
        practice.save()
        while_open = caching.generation()
    assert caching.generation() != while_open


def test_no_page_is_stored_or_served_while_the_generation_is_unknown(client, monkeypatch):
    # django-redis answers a read that timed out like a miss (IGNORE_EXCEPTIONS):
    # None. Pages were stored under "None", which no edit ever bumps.
    practice = GoodPracticeFactory(title="Title before the edit")
    url = reverse("practices:practice-detail", kwargs={"slug": practice.slug})
    real_get = caching.cache.get

    def get(key, *args, **kwargs):
        return None if key == caching.GENERATION_KEY else real_get(key, *args, **kwargs)

    monkeypatch.setattr(caching.cache, "get", get)
    assert "Title before the edit" in client.get(url).content.decode()
    practice.title = "Title after the edit"
    practice.save()
    assert "Title after the edit" in client.get(url).content.decode()


def test_a_bump_that_timed_out_is_tried_again(client, monkeypatch):
    practice = GoodPracticeFactory(title="Title before the edit")
    url = reverse("practices:practice-detail", kwargs={"slug": practice.slug})
    client.get(url)
    real_incr = caching.cache.incr
    calls = []

    def incr(key, *args, **kwargs):
        calls.append(key)
        # The first call: Redis did not answer in time, django-redis says None.
        return None if len(calls) == 1 else real_incr(key, *args, **kwargs)

    monkeypatch.setattr(caching.cache, "incr", incr)
    practice.title = "Title after the edit"
    practice.save()
    assert len(calls) == 2
    assert "Title after the edit" in client.get(url).content.decode()
