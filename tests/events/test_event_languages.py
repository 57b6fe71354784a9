"""Text in another language than the page's is marked with lang (WCAG 3.1.2).

Event titles in the cards, and on the event page the agenda, the practices
presented, the material titles and the talk a material belongs to; which
title an event is shown by on a page in each language.
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from events.models import EventTranslation, Output
from tests.factories import (
    EventFactory,
    GoodPracticeFactory,
    MaterialFactory,
    OrganisationFactory,
    PresentationFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _back_to_english():
    """A request to a /pl/ page leaves Polish active in this thread; don't leak it."""
    yield
    translation.activate("en")


def body_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def in_polish(url_name, *args):
    with translation.override("pl"):
        return reverse(url_name, args=args)


def link_to(body, text):
    """Return the opening <a …> tag of the link whose text is ``text``."""
    match = re.search(r"<a [^>]*>" + re.escape(text) + "</a>", body)
    assert match, text
    return match.group(0)


@pytest.fixture
def seminar():
    event = EventFactory(title="Seminarium w Łodzi", language="pl")
    talk = PresentationFactory(
        event=event,
        title="Audyt przemysłu 4.0",
        practice=GoodPracticeFactory(title="Audit of industry 4.0", language="en"),
    )
    MaterialFactory(event=event, title="Prezentacja", language="pl", presentation=talk)
    MaterialFactory(event=event, title="Final report", language="en")
    return event


def test_event_page_marks_the_language_of_each_title(client, seminar):
    body = body_of(client, seminar.get_absolute_url())
    assert '<strong class="agenda-title" lang="pl">Audyt przemysłu 4.0</strong>' in body
    assert 'lang="pl"' in link_to(body, "Prezentacja")
    assert "lang=" not in link_to(body, "Final report")
    assert "lang=" not in link_to(body, "Audit of industry 4.0")
    assert 'For: <span lang="pl">Audyt przemysłu 4.0</span>' in body


def test_event_page_in_polish_marks_the_english_titles(client, seminar):
    body = body_of(client, in_polish("events:event-detail", seminar.slug))
    assert "lang=" not in link_to(body, "Prezentacja")
    assert 'lang="en"' in link_to(body, "Final report")
    assert 'lang="en"' in link_to(body, "Audit of industry 4.0")
    assert "<span>Audyt przemysłu 4.0</span>" in body
    assert '<strong class="agenda-title">Audyt przemysłu 4.0</strong>' in body


def test_title_of_the_talk_is_escaped(client):
    event = EventFactory(language="pl")
    talk = PresentationFactory(event=event, title="<b>Dane & wnioski</b>")
    MaterialFactory(event=event, presentation=talk)
    body = body_of(client, event.get_absolute_url())
    assert '<span lang="pl">&lt;b&gt;Dane &amp; wnioski&lt;/b&gt;</span>' in body
    assert "<b>Dane" not in body


def test_event_cards_mark_the_language_of_the_title_shown(client):
    region = RegionFactory(nuts_code="PL71", name="Łódzkie")
    EventFactory(title="Seminarium tematyczne", language="pl", region=region)
    EventFactory(
        title="Konferencja końcowa", title_en="Final conference", language="pl", region=region
    )
    EventFactory(title="Study visit", language="en", region=region)

    for url in (reverse("events:event-list"), region.get_absolute_url()):
        body = body_of(client, url)
        assert 'lang="pl"' in link_to(body, "Seminarium tematyczne")
        assert "lang=" not in link_to(body, "Final conference")  # the English title
        assert "lang=" not in link_to(body, "Study visit")

    body = body_of(client, in_polish("exchange:region-detail", region.slug))
    assert "lang=" not in link_to(body, "Seminarium tematyczne")
    # A page in the event's own language shows its original title, not the English one.
    assert "lang=" not in link_to(body, "Konferencja końcowa")
    assert 'lang="en"' in link_to(body, "Study visit")


def test_on_a_page_in_its_own_language_the_trail_names_an_event_as_its_heading(client):
    event = EventFactory(title="Spotkanie grupy", title_en="Group meeting", language="pl")
    path = event.get_absolute_url()
    polish = client.get(f"/pl{path}").content.decode()
    english = client.get(path).content.decode()
    assert 'aria-current="page">Spotkanie grupy<' in polish
    assert 'aria-current="page">Group meeting<' in english


@pytest.mark.parametrize(
    "language, shown",
    [
        (
            "en",
            {
                # Written in Polish with an English title: that title, the original below it.
                "FINAL": ("Final conference", "", "Konferencja końcowa"),
                # Written in Polish only: the original, marked as Polish.
                "LOCAL": ("Seminarium tematyczne", "pl", None),
                # Written in Italian, translated by staff: the translation.
                "OPEN": ("Open day", "", "Giornata aperta"),
            },
        ),
        (
            "pl",
            {
                # A page in the event's own language: its own title, no "original".
                "FINAL": ("Konferencja końcowa", "", None),
                "LOCAL": ("Seminarium tematyczne", "", None),
                "OPEN": ("Dzień otwarty", "", "Giornata aperta"),
            },
        ),
    ],
)
def test_event_titles_in_the_page_language_on_its_page_and_its_organisers(client, language, shown):
    """The event page's title, heading, trail and original title; the organiser page's link."""
    organiser = OrganisationFactory(name="Urząd Marszałkowski")
    events = {
        "FINAL": EventFactory(
            title="Konferencja końcowa", title_en="Final conference", language="pl"
        ),
        "LOCAL": EventFactory(title="Seminarium tematyczne", language="pl"),
        "OPEN": EventFactory(title="Giornata aperta", language="it"),
    }
    for code, title in (("en", "Open day"), ("pl", "Dzień otwarty")):
        EventTranslation.objects.create(
            master=events["OPEN"], language_code=code, translated_title=title
        )
    for event in events.values():
        event.organisers.add(organiser)
    with translation.override(language):
        original_label = translation.gettext("Original title:")
        organisation_url = reverse("exchange:organisation-detail", args=[organiser.slug])
    organisation_page = body_of(client, organisation_url)
    for key, (title, lang, original) in shown.items():
        attribute = f' lang="{lang}"' if lang else ""
        with translation.override(language):
            url = reverse("events:event-detail", args=[events[key].slug])
        body = body_of(client, url)
        assert f"<title>{title} " in body, key
        assert f"<h1{attribute}>{title}</h1>" in body, key
        assert f'aria-current="page">{title}<' in body, key
        line = f'{original_label} <span lang="{events[key].language}">{original}</span>'
        if original:
            assert line in body, key
        else:
            assert original_label not in body, key
        assert f'<a href="{url}"{attribute}>{title}</a>,' in organisation_page, key


@pytest.mark.parametrize(
    "language, final, italian",
    [
        # The English title of the Polish event, the Italian one's own marked as Italian.
        ("en", "Final conference", ' lang="it">Giornata aperta'),
        # A page in the Polish event's own language names it by its own title.
        ("pl", "Konferencja końcowa", ' lang="it">Giornata aperta'),
    ],
)
def test_links_to_an_event_name_it_as_its_page_does(client, language, final, italian):
    """Search, the document library, a presented practice's page, a presenter's organisation."""
    presenter_organisation = OrganisationFactory(name="Agencja Rozwoju")
    practice = GoodPracticeFactory(title="Voucher scheme", language="en")
    events = {
        "final": EventFactory(
            title="Konferencja końcowa", title_en="Final conference", language="pl"
        ),
        "italian": EventFactory(title="Giornata aperta", language="it"),
    }
    for event in events.values():
        PresentationFactory(
            event=event, practice=practice, presenter__organisation=presenter_organisation
        )
        Output.objects.create(
            title=f"Report of {event.slug}", url="https://example.org/r.pdf", event=event
        )
    with translation.override(language):
        urls = [
            reverse("exchange:search") + "?q=konferencja",
            reverse("exchange:search") + "?q=giornata",
            reverse("documents:document-list"),
            reverse("practices:practice-detail", args=[practice.slug]),
            reverse("exchange:organisation-detail", args=[presenter_organisation.slug]),
        ]
        event_urls = {key: event.get_absolute_url() for key, event in events.items()}
    for url in urls:
        body = body_of(client, url)
        if "giornata" not in url:
            assert f'<a href="{event_urls["final"]}">{final}</a>' in body, url
        if "konferencja" not in url:
            assert f'<a href="{event_urls["italian"]}"{italian}</a>' in body, url


def test_search_names_an_event_by_its_staff_translation(client):
    event = EventFactory(title="Giornata aperta", language="it")
    EventTranslation.objects.create(
        master=event, language_code="pl", translated_title="Dzień otwarty"
    )
    body = body_of(client, in_polish("exchange:search") + "?q=giornata")
    assert f'<a href="{in_polish("events:event-detail", event.slug)}">Dzień otwarty</a>' in body
