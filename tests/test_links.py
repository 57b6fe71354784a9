"""Addresses of slug pages built from one reverse() per list."""

import pytest
from django.test import RequestFactory
from django.urls import reverse, set_script_prefix
from django.utils import translation

from infra.links import SITE_PAGES, site_links, url_for_slug, with_links


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


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", "/pl", "/ro"])
def test_every_page_links_the_site_pages_in_its_language(client, prefix):
    with translation.override(prefix.strip("/") or "en"):
        expected = {key: reverse(view) for key, view in SITE_PAGES.items()}
    response = client.get(f"{prefix}/practices/")
    body = response.content.decode()
    assert response.context["site_links"] == expected
    for url in expected.values():
        assert f'="{url}"' in body
    practices = expected["practices"]
    assert f'<a href="{practices}" aria-current="page">' in body
    assert f'<a href="{expected["events"]}">' in body


def test_site_links_follow_the_script_prefix():
    set_script_prefix("/portal/")
    try:
        links = site_links(RequestFactory().get("/"))["site_links"]
    finally:
        set_script_prefix("/")
    assert links["home"] == "/portal/"
    assert links["insights"] == "/portal" + reverse("exchange:insights")
