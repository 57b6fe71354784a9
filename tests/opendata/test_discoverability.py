"""sitemap.xml, robots.txt, canonical and language links, Open Graph and JSON-LD."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.template import Context
from django.test import RequestFactory
from django.urls import resolve, reverse

from portal.templatetags.opendata_tags import head_meta
from practices.models import GoodPractice
from tests.factories import EventFactory, GoodPracticeFactory

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
LANGUAGES = {"en", "pl", "ro"}


def sitemap_urls(client):
    """Return {location: {hreflang: href}} over every section of the sitemap index."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    sections = [loc.text for loc in ET.fromstring(index.content).findall("s:sitemap/s:loc", NS)]
    assert len(sections) == 6
    urls = {}
    for section in sections:
        response = client.get(section.replace("http://testserver", ""))
        assert response.status_code == 200
        for url in ET.fromstring(response.content).findall("s:url", NS):
            links = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)}
            urls[url.find("s:loc", NS).text] = links
    return urls


def test_sitemap_lists_every_public_page_in_every_language(client, portal):
    urls = sitemap_urls(client)
    pages = [
        reverse("exchange:home"),
        reverse("practices:practice-list"),
        reverse("events:event-list"),
        reverse("exchange:region-list"),
        reverse("exchange:project-list"),
        reverse("exchange:organisation-list"),
        *(p.get_absolute_url() for p in portal.practices),
        portal.seminar.get_absolute_url(),
        portal.webinar.get_absolute_url(),
        portal.regions.pl91.get_absolute_url(),
        portal.city_region.get_absolute_url(),
        portal.projects.smarty.get_absolute_url(),
        portal.organisations.adr.get_absolute_url(),
    ]
    for path in pages:
        for prefix in ("", "/pl", "/ro"):
            location = f"http://testserver{prefix}{path}"
            assert location in urls, location
            links = urls[location]
            assert set(links) == LANGUAGES | {"x-default"}
            assert links["pl"] == f"http://testserver/pl{path}"
            assert links["x-default"] == f"http://testserver{path}"


def test_sitemap_pages_answer_200(client, portal):
    for location in sitemap_urls(client):
        path = location.replace("http://testserver", "")
        if "/pl/" in location or "/ro/" in location:
            continue
        assert client.get(path).status_code == 200, path


def test_sitemap_leaves_out_drafts(client, portal):
    urls = " ".join(sitemap_urls(client))
    assert portal.draft.slug not in urls
    assert portal.archived.slug not in urls
    assert portal.draft_event.slug not in urls


def test_robots_txt(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "User-agent: *" in text
    assert "Disallow: /api/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
    # The admin's address is configurable so that it stays unadvertised.
    assert "admin" not in text


def head(html):
    return html.split("</head>", 1)[0]


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_practice_page_has_canonical_alternates_open_graph_and_creative_work(client, portal):
    practice = portal.practices[0]
    url = f"http://testserver{practice.get_absolute_url()}"
    html = head(client.get(practice.get_absolute_url() + "?utm_source=x").content.decode())
    assert f'<link rel="canonical" href="{url}">' in html
    assert (
        f'<link rel="alternate" hreflang="pl" href="http://testserver/pl'
        f'{practice.get_absolute_url()}">'
    ) in html
    assert f'<link rel="alternate" hreflang="x-default" href="{url}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:title" content="{practice.title}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    data = json_ld(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "CreativeWork"
    assert data["name"] == practice.title
    assert data["url"] == url
    assert data["inLanguage"] == "pl"
    assert data["spatialCoverage"]["address"]["addressCountry"] == "PL"


def test_event_page_has_event_json_ld(client, portal):
    html = head(client.get(portal.seminar.get_absolute_url()).content.decode())
    data = json_ld(html)
    assert data["@type"] == "Event"
    assert data["name"] == "Thematic seminar in Warsaw"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    place, virtual = data["location"]
    assert place["@type"] == "Place" and place["name"] == "Pałac Kultury"
    assert place["address"]["addressLocality"] == "Warszawa"
    assert virtual == {"@type": "VirtualLocation", "url": "https://meet.example.org/smarty"}
    assert data["startDate"].endswith(("+01:00", "+02:00"))
    assert data["organizer"][0]["name"] == "Mazovia Development Agency"


@pytest.mark.parametrize(
    ("event_format", "mode"),
    [("in_person", "Offline"), ("online", "Online")],
)
def test_event_attendance_mode(client, db, event_format, mode):
    event = EventFactory(format=event_format, online_link="https://meet.example.org/y")
    data = json_ld(head(client.get(event.get_absolute_url()).content.decode()))
    assert data["eventAttendanceMode"] == f"https://schema.org/{mode}EventAttendanceMode"
    expected = "VirtualLocation" if event_format == "online" else "Place"
    assert data["location"]["@type"] == expected


def test_json_ld_cannot_break_out_of_its_script_element(client, db):
    title = "</script><script>alert(1)</script> <!-- & -->"
    practice = GoodPracticeFactory(title=title, summary="a </SCRIPT> b")
    html = client.get(practice.get_absolute_url()).content.decode()
    data = json_ld(html)
    assert data["name"] == title
    assert data["description"] == "a </SCRIPT> b"
    assert "<script>alert(1)" not in html


def test_listing_canonical_drops_filters_but_keeps_the_page(client, portal):
    GoodPracticeFactory.create_batch(21)
    html = head(client.get("/practices/?topic=clusters&page=1").content.decode())
    assert '<link rel="canonical" href="http://testserver/practices/">' in html
    html = head(client.get("/pl/practices/?page=2").content.decode())
    assert '<link rel="canonical" href="http://testserver/pl/practices/?page=2">' in html


def test_head_meta_makes_no_query(db, portal, django_assert_num_queries):
    """Related objects are used only if the view loaded them: page query counts stay pinned."""
    practice = GoodPractice.objects.get(pk=portal.practices[0].pk)  # nothing loaded
    request = RequestFactory().get(practice.get_absolute_url())
    request.resolver_match = resolve(request.path)
    with django_assert_num_queries(0):
        html = head_meta(Context({"request": request, "object": practice}))
    assert '"@type":"CreativeWork"' in html
    assert "spatialCoverage" not in html  # the region was not loaded
    assert head_meta(Context({})) == ""


def test_sitemap_pages_split_languages_without_loss_or_repeat(client, portal, monkeypatch):
    from portal.sitemaps import PracticeSitemap

    monkeypatch.setattr(PracticeSitemap, "limit", 5)  # 4 practices x 3 languages: 3 pages
    index = ET.fromstring(client.get("/sitemap.xml").content)
    pages = [
        loc.text.replace("http://testserver", "")
        for loc in index.findall("s:sitemap/s:loc", NS)
        if "practices" in loc.text
    ]
    assert len(pages) == 3
    locations = []
    for page in pages:
        root = ET.fromstring(client.get(page).content)
        locations += [url.find("s:loc", NS).text for url in root.findall("s:url", NS)]
    expected = [
        f"http://testserver{prefix}{p.get_absolute_url()}"
        for p in sorted(portal.practices, key=lambda p: p.pk)
        for prefix in ("", "/pl", "/ro")
    ]
    assert locations == expected


@pytest.mark.parametrize("section", ["practices", "organisations"])
def test_sitemap_page_queries_do_not_grow_with_its_rows(
    client, portal, section, django_assert_num_queries
):
    path = f"/sitemap-{section}.xml"
    client.get(path)  # counts and the newest change, cached per data generation
    with django_assert_num_queries(1):
        assert client.get(path).status_code == 200
    GoodPracticeFactory.create_batch(10)  # ten practices, ten organisations
    client.get(path)
    with django_assert_num_queries(1):
        root = ET.fromstring(client.get(path).content)
    assert len(root.findall("s:url", NS)) > 30


def django_sitemap(section, page, *, limit):
    """Page ``page`` of ``section`` as Django's own sitemap view and template write it."""
    from django.contrib.sitemaps import Sitemap
    from django.contrib.sitemaps.views import sitemap

    from portal import sitemaps

    ours = sitemaps.SITEMAPS[section]

    class Reference(Sitemap):
        i18n = alternates = x_default = True
        changefreq = getattr(ours, "changefreq", None)
        priority = getattr(ours, "priority", None)

        def items(self):
            if ours is sitemaps.StaticPageSitemap:
                return ours().items()
            if issubclass(ours, sitemaps.PublishedSitemap):
                return ours.model.objects.published().order_by("pk")
            return ours.model.objects.order_by("pk")

        def location(self, item):
            return reverse(item) if isinstance(item, str) else item.get_absolute_url()

    if issubclass(ours, sitemaps.PublishedSitemap):
        Reference.lastmod = lambda self, item: item.updated_at
    Reference.limit = limit
    request = RequestFactory().get(f"/sitemap-{section}.xml", {"p": page})
    response = sitemap(request, {section: Reference}, section=section)
    return response.render()


@pytest.mark.parametrize(
    "section", ["pages", "practices", "events", "regions", "projects", "organisations"]
)
def test_sitemap_pages_read_as_djangos_sitemap_template_writes_them(
    client, portal, section, monkeypatch
):
    # Written as text, not through the template: every byte and header the same.
    from portal.sitemaps import SITEMAPS

    monkeypatch.setattr(SITEMAPS[section], "limit", 5)  # pages that cut an item's languages
    index = client.get("/sitemap.xml").content.decode()
    pages = 1
    while True:
        reference = django_sitemap(section, pages, limit=5)
        ours = client.get(f"/sitemap-{section}.xml", {"p": pages})
        assert ours.content.decode() == reference.content.decode(), (section, pages)
        for header in ("Content-Type", "Last-Modified", "X-Robots-Tag"):
            assert ours.get(header) == reference.get(header), header
        if f"sitemap-{section}.xml?p={pages + 1}<" not in index:
            break
        pages += 1
    assert pages > 1
    assert client.get(f"/sitemap-{section}.xml", {"p": pages + 1}).status_code == 404
    assert client.get(f"/sitemap-{section}.xml", {"p": "x"}).status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_sitemap_lists_every_object_once_across_pages(client, portal, monkeypatch):
    from portal.sitemaps import SITEMAPS

    GoodPracticeFactory.create_batch(6)
    for sitemap in SITEMAPS.values():
        monkeypatch.setattr(sitemap, "limit", 7)  # not a multiple of the three languages
    locations = []
    for section in re.findall(r"<loc>([^<]+)</loc>", client.get("/sitemap.xml").content.decode()):
        page = client.get(section.replace("http://testserver", ""))
        root = ET.fromstring(page.content)
        assert len(root.findall("s:url", NS)) <= 7
        locations += [url.find("s:loc", NS).text for url in root.findall("s:url", NS)]
    assert len(locations) == len(set(locations))
    published = GoodPractice.objects.published()
    assert published.count() == 10
    for practice in published:
        for prefix in ("", "/pl", "/ro"):
            assert f"http://testserver{prefix}{practice.get_absolute_url()}" in locations


def test_feed_url_tag_gives_the_listing_feed(rf, db):
    from django.template import Template

    request = rf.get("/pl/practices/", {"topic": "clusters", "page": "2", "format": "csv"})
    request.resolver_match = resolve("/practices/")
    html = Template("{% load opendata_tags %}{% feed_url %}").render(Context({"request": request}))
    assert html == "http://testserver/feeds/practices/?topic=clusters"
    calendar = Template('{% load opendata_tags %}{% feed_url "text/calendar" %}')
    assert calendar.render(Context({"request": request})) == ""
