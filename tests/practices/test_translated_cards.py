"""A practice named on another page shows its title in the page's language, at no query."""

import pytest
from django.core.cache import cache

from core.models import PolicyInstrument, PublicationState
from practices.models import PracticeTranslation
from tests.factories import (
    EventFactory,
    GoodPracticeFactory,
    OrganisationFactory,
    PresentationFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

POLISH = "Bony na innowacje dla MŚP"
ENGLISH = "Innovation vouchers for SMEs"
# Queries of a first visit (filled caches would hide a query per card).
# With a cold cache: where related practices are found is read once per generation.
PRACTICE_PAGE_QUERIES = 3
EVENT_PAGE_QUERIES = 3
ORGANISATION_PAGE_QUERIES = 5


@pytest.fixture
def polish():
    """A published practice written in Polish, with an English version of its title."""
    practice = GoodPracticeFactory(title=POLISH, language="pl", topics=[TopicFactory()])
    PracticeTranslation.objects.create(
        master=practice, language_code="en", translated_title=ENGLISH
    )
    return practice


def body_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def assert_version(body, practice):
    """The English page names it in English; the Polish page names the original, in Polish."""
    url = practice.get_absolute_url()
    assert f'<a href="{url}">{ENGLISH}</a>' in body
    assert POLISH not in body


def test_related_practice_cards_show_the_version_of_the_page_language(client, polish):
    other = GoodPracticeFactory(topics=list(polish.topics.all()), region=polish.region)
    assert_version(body_of(client, other.get_absolute_url()), polish)
    body = body_of(client, "/pl" + other.get_absolute_url())
    assert f'lang="pl">{POLISH}</a>' not in body  # the page is Polish: no lang needed
    assert f">{POLISH}</a>" in body
    assert ENGLISH not in body


def test_related_practices_without_a_version_show_the_original_with_its_language(client, polish):
    other = GoodPracticeFactory(topics=list(polish.topics.all()), region=polish.region)
    body = body_of(client, "/ro" + other.get_absolute_url())
    assert f'lang="pl">{POLISH}</a>' in body


def test_a_talk_names_its_practice_in_the_page_language(client, polish):
    organisation = OrganisationFactory()
    event = EventFactory(publication_state=PublicationState.PUBLISHED)
    PresentationFactory(event=event, practice=polish, organisation=organisation)
    assert_version(body_of(client, event.get_absolute_url()), polish)
    assert_version(body_of(client, organisation.get_absolute_url()), polish)


def test_a_policy_instrument_names_its_practices_in_the_page_language(client, polish):
    instrument = PolicyInstrument.objects.create(name="Program regionalny", language="pl")
    polish.policy_instruments.add(instrument)
    assert_version(body_of(client, instrument.get_absolute_url()), polish)


def queries_of(client, url, django_assert_max_num_queries):
    cache.clear()  # the page cache, and the generation the counts hang on
    with django_assert_max_num_queries(50) as context:
        body = body_of(client, url)
    return len(context.captured_queries), body


def test_versions_cost_no_query(client, django_assert_max_num_queries):
    """Each page costs what it cost before any translation (pinned)."""
    topic = TopicFactory()
    practice = GoodPracticeFactory(topics=[topic])
    organisation = OrganisationFactory()
    event = EventFactory(publication_state=PublicationState.PUBLISHED)
    others = [
        GoodPracticeFactory(topics=[topic], language="pl", title=f"Praktyka {n}") for n in range(5)
    ]
    for other in others:
        PresentationFactory(event=event, practice=other, organisation=organisation)
    urls = {
        practice.get_absolute_url(): PRACTICE_PAGE_QUERIES,
        event.get_absolute_url(): EVENT_PAGE_QUERIES,
        organisation.get_absolute_url(): ORGANISATION_PAGE_QUERIES,
    }
    for url, pinned in urls.items():
        assert queries_of(client, url, django_assert_max_num_queries)[0] == pinned
    for n, other in enumerate(others):
        PracticeTranslation.objects.create(
            master=other, language_code="en", translated_title=f"Practice {n}"
        )
    for url, pinned in urls.items():
        count, body = queries_of(client, url, django_assert_max_num_queries)
        assert count == pinned
        assert "Practice 3" in body


def test_search_results_name_practices_in_the_page_language(client, polish):
    body = body_of(client, "/search/?q=vouchers")
    assert_version(body, polish)
    body = body_of(client, "/pl/search/?q=vouchers")
    assert f">{POLISH}</a>" in body
