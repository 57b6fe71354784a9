"""Addresses of slug pages built from one reverse() per list."""

from django.test import RequestFactory
from django.urls import reverse

from infra.links import url_for_slug, with_links


def test_same_address_as_reverse():
    url = url_for_slug("practices:practice-detail")
    for slug in ("audit-4-0", "A_b-9"):
        assert url(slug) == reverse("practices:practice-detail", kwargs={"slug": slug})


def test_a_slug_outside_the_slug_pattern_is_quoted_as_reverse_would():
    url = url_for_slug(lambda slug: f"/things/{slug}/")
    assert url("żółw a+b") == "/things/%C5%BC%C3%B3%C5%82w%20a+b/"


def test_absolute_addresses_with_a_request():
    request = RequestFactory().get("/", secure=True)
    url = url_for_slug("events:event-detail", request=request)
    assert url("seminar-2020") == "https://testserver/events/seminar-2020/"


def test_a_function_stands_for_the_view():
    url = url_for_slug(lambda slug: f"/things/{slug}.json")
    assert url("one") == "/things/one.json"
    # A path that does not carry the slug as given is built per call.
    upper = url_for_slug(lambda slug: f"/things/{slug.upper()}/")
    assert upper("one") == "/things/ONE/"


def test_with_links_gives_each_object_its_url():
    class Row:
        def __init__(self, slug):
            self.slug = slug

    rows = with_links([Row("a"), Row("b")], "exchange:project-detail")
    assert [row.url for row in rows] == ["/projects/a/", "/projects/b/"]
