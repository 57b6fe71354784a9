"""No e-mail address and nothing unpublished in any export, API answer, feed or sitemap.

Every person and proposer of the ``portal`` fixture has an address at
``@private.example``; every draft, archived practice, proposal and draft
event has "SECRET" in its title. This walks every open-data surface.
"""

import io
from urllib.parse import urlsplit

from django.urls import reverse
from openpyxl import load_workbook

from tests.opendata.conftest import assert_private_data_absent


def text_of(response):
    assert response.status_code == 200, response
    if response.streaming:
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            " ".join(str(v) for v in row if v is not None) for row in workbook.active.values
        )
    return content.decode("utf-8")


def test_exports_have_no_private_data(client, portal):
    for fmt in ("csv", "json", "xlsx"):
        for query in ("", "topic=industry-4-0", "region=PL91"):
            url = f"{reverse('practices:practice-list')}?{query}&format={fmt}"
            assert_private_data_absent(text_of(client.get(url)))


def test_event_and_organisation_exports_have_no_private_data(rf, portal):
    from core.exports import export_response as export_organisations
    from core.models import Organisation
    from events.exports import export_response as export_events
    from events.models import Event

    for fmt in ("csv", "json", "xlsx"):
        request = rf.get("/", {"format": fmt})
        assert_private_data_absent(text_of(export_events(request, Event.objects.all(), fmt)))
        assert_private_data_absent(
            text_of(export_organisations(request, Organisation.objects.all(), fmt))
        )


def test_api_has_no_private_data_anywhere(client, portal):
    """Follow every list (all pages) and every detail it links to."""
    seen, pending = set(), ["/api/v1/"]
    while pending:
        path = pending.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code == 200, path
        assert_private_data_absent(response.content.decode())
        data = response.json()
        links = []
        if path == "/api/v1/":
            links = list(data.values())
        elif "results" in data:
            links = [row["url"] for row in data["results"]]
            if data["next"]:
                links.append(data["next"])
        for link in links:
            parts = urlsplit(link)
            pending.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    details = [p for p in seen if p.count("/") == 5]
    assert len(details) > 20
    assert client.get("/api/v1/schema/?format=json").status_code == 200
    assert_private_data_absent(client.get("/api/v1/schema/?format=json").content.decode())


def test_feeds_and_calendars_have_no_private_data(client, portal):
    for url in [
        reverse("practice-feed"),
        reverse("practice-feed") + "?topic=industry-4-0&lang=pl",
        reverse("event-calendar"),
        reverse("event-calendar") + "?project=smarty",
        reverse("events:event-ics", kwargs={"slug": portal.seminar.slug}),
    ]:
        assert_private_data_absent(text_of(client.get(url)))


def test_sitemap_and_robots_have_no_private_data(client, portal):
    index = text_of(client.get("/sitemap.xml"))
    assert_private_data_absent(index)
    for section in ["pages", "practices", "events", "regions", "projects", "organisations"]:
        assert_private_data_absent(text_of(client.get(f"/sitemap-{section}.xml")))
    assert_private_data_absent(text_of(client.get("/robots.txt")))


def test_page_metadata_has_no_private_data(client, portal):
    for url in [
        portal.practices[0].get_absolute_url(),
        portal.seminar.get_absolute_url(),
        reverse("practices:practice-list"),
    ]:
        html = text_of(client.get(url))
        assert_private_data_absent(html.split("</head>", 1)[0])
