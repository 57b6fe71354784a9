"""Crawl every public URL and look for what must never be public.

The demo content plus private data made for the occasion: people's e-mail
addresses (contacts, presenters), draft practices and events, proposals in
every state with the proposer's e-mail, staff accounts. The crawl follows
every same-host link from the home pages (HTML, and URLs inside JSON, XML,
feeds and calendars), then the exports, the API, the feeds and the sitemap.
"""

import io
import re
import zipfile
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from core.models import Person, PublicationState
from practices.models import ContactMessage, PracticeProposal, SavedSearch
from practices.services import alert_confirm_token, alert_manage_token
from tests.factories import (
    EventFactory,
    GoodPracticeFactory,
    PersonFactory,
    PracticeProposalFactory,
    PresentationFactory,
)

MAX_PAGES = 350
SKIP_PREFIXES = ("/admin", "/static/", "/media/", "/i18n/", "/csp-report")
ABSOLUTE = re.compile(r"https?://testserver(/[^\s\"'<>)\\]*)")
START = [
    "/",
    "/pl/",
    "/ro/",
    "/practices/?format=csv",
    "/practices/?format=json",
    "/practices/?format=xlsx",
    "/events/?format=csv",
    "/events/?format=json",
    "/api/v1/",
    "/api/v1/practices/",
    "/api/v1/events/",
    "/api/v1/projects/",
    "/api/v1/organisations/",
    "/api/v1/regions/",
    "/api/v1/topics/",
    "/api/v1/programmes/",
    "/api/v1/schema/",
    "/feeds/practices/",
    "/feeds/events.ics",
    "/sitemap.xml",
    "/robots.txt",
    "/practices/published-practice-0/contact/",
    "/practices/published-practice-0/contact/sent/?kept=1",
    "/practices/published-practice-0/learn/",
    "/practices/alerts/?topic=energy&country=PL",
    "/practices/alerts/sent/",
]


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action") and value:
                self.links.append(value)


def text_of(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":  # xlsx: the strings live in the zipped XML
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()
                if name.endswith(".xml")
            )
    return body.decode("utf-8", "replace")


def links_in(text, base, content_type):
    found = [m.group(1) for m in ABSOLUTE.finditer(text)]
    if "html" in content_type:
        parser = Links()
        parser.feed(text)
        found += [urljoin(base, link) for link in parser.links]
    result = []
    for link in found:
        parts = urlsplit(link)
        if parts.netloc not in ("", "testserver") or parts.scheme not in ("", "http"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith("/") and not path.startswith(SKIP_PREFIXES):
            result.append(path)
    return result


def crawl(client, extra=()):
    """Visit every page without a query string first, then filtered views, up to the bound.

    ``extra``: pages reached only by a signed link from an e-mail, visited first.
    """
    start = [*extra, *START]
    seen, pages = set(start), {}
    plain, filtered = deque(start), deque()

    def enqueue(link):
        if link not in seen:
            seen.add(link)
            (filtered if "?" in link else plain).append(link)

    while (plain or filtered) and len(pages) < MAX_PAGES:
        path = plain.popleft() if plain else filtered.popleft()
        response = client.get(path)
        assert response.status_code < 500, path
        if response.status_code in (301, 302):
            location = urljoin(path, response["Location"])
            if not urlsplit(location).netloc:
                enqueue(location)
            continue
        if response.status_code != 200:
            continue
        text = text_of(response)
        pages[path] = text
        for link in links_in(text, path, response.get("Content-Type", "")):
            # The same data in Polish and Romanian only from the start pages.
            if not link.startswith(("/pl/", "/ro/")):
                enqueue(link)
    return pages


@pytest.fixture
def private_data(db):
    call_command("load_demo", verbosity=0)
    secrets = {"emails": set(), "titles": set()}
    for n in range(3):
        contact = PersonFactory(email=f"contact{n}@private.example")
        practice = GoodPracticeFactory(title=f"Published practice {n}", contact=contact)
        event = EventFactory(title=f"Public event {n}")
        PresentationFactory(
            event=event,
            practice=practice,
            presenter=PersonFactory(email=f"presenter{n}@private.example"),
        )
        draft = GoodPracticeFactory(
            title=f"Secret draft practice {n}",
            publication_state=PublicationState.DRAFT,
            contact=contact,
        )
        EventFactory(title=f"Secret draft event {n}", publication_state=PublicationState.DRAFT)
        PresentationFactory(event=event, practice=draft, title=f"Talk on draft {n}")
        secrets["titles"] |= {draft.title, f"Secret draft event {n}"}
        # A visitor's message still waiting for the mail server.
        ContactMessage.objects.create(
            practice=practice,
            recipient=ContactMessage.Recipient.OWNER,
            sender_name=f"Secret sender {n}",
            sender_email=f"sender{n}@private.example",
            body=f"Secret message body {n}",
        )
        secrets["titles"] |= {f"Secret sender {n}", f"Secret message body {n}"}
        secrets["emails"].add(f"sender{n}@private.example")
    for state in PracticeProposal.State:
        proposal = PracticeProposalFactory(
            title=f"Secret proposal {state}",
            state=state,
            proposer_email=f"proposer-{state}@private.example",
        )
        if state != PracticeProposal.State.ACCEPTED:
            secrets["titles"].add(proposal.title)
    get_user_model().objects.create_user(
        "curator", "curator@private.example", "a-long-enough-password", is_staff=True
    )
    secrets["emails"] |= {e for e in Person.objects.values_list("email", flat=True) if e}
    secrets["emails"] |= set(PracticeProposal.objects.values_list("proposer_email", flat=True))
    secrets["emails"].add("curator@private.example")
    # Saved searches with alerts: their signed pages show the search, never the address.
    secrets["pages"] = []
    for state in SavedSearch.State:
        search = SavedSearch.objects.create(
            email=f"alerts-{state}@private.example",
            filters="topic=energy",
            language="en",
            state=state,
        )
        secrets["emails"].add(search.email)
        secrets["pages"] += [
            reverse("practices:alert-confirm", kwargs={"token": alert_confirm_token(search)}),
            reverse("practices:alert-manage", kwargs={"token": alert_manage_token(search)}),
            reverse("practices:alert-unsubscribe", kwargs={"token": alert_manage_token(search)}),
        ]
    return secrets


def test_no_private_data_on_any_public_url(private_data):
    pages = crawl(Client(), extra=private_data["pages"])
    assert len(pages) > 50, sorted(pages)
    # The crawl reached what it must have reached.
    assert any(p.startswith("/practices/") and "?" not in p for p in pages if p != "/practices/")
    assert any("/api/v1/practices/" in p for p in pages)
    assert any(p.startswith("/sitemap") for p in pages)
    assert all(p in pages for p in private_data["pages"])
    assert any("Published practice 0" in text for text in pages.values())
    leaks = []
    for path, text in pages.items():
        lowered = text.lower()
        for secret in private_data["emails"]:
            if secret.lower() in lowered:
                leaks.append((path, secret))
        for title in private_data["titles"]:
            if title in text:
                leaks.append((path, title))
        if "@private.example" in lowered:
            leaks.append((path, "@private.example"))
    assert not leaks, leaks[:20]
