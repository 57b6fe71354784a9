"""A misspelt word of a translated title finds the practice, on PostgreSQL and SQLite alike."""

import pytest
from django.urls import reverse

from practices.models import GoodPractice, PracticeTranslation
from practices.search import match_practices
from tests.factories import GoodPracticeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def vouchers():
    """A Polish practice with English and Romanian titles; another in English."""
    practice = GoodPracticeFactory(
        title="Bony na innowacje dla MŚP", summary="Audyty cyfrowe.", language="pl"
    )
    for language, title in (("en", "Innovation vouchers"), ("ro", "Granturi pentru inovare")):
        PracticeTranslation.objects.create(
            master=practice, language_code=language, translated_title=title
        )
    GoodPracticeFactory(title="Tourism in Tuscany", summary="Hill towns.", language="en")
    return practice


def similar(q):
    practices, word_for_word = match_practices(GoodPractice.objects.published(), q)
    assert not word_for_word  # found by the misspelling pass
    return [p.pk for p in practices.order_by("-search_rank", "pk")]


@pytest.mark.parametrize(
    "q",
    [
        "vouchrs",  # English title
        "inovation vouchers",  # English title, two words
        "granturri",  # Romanian title
        "innowacie",  # the original, as before
    ],
)
def test_a_misspelt_word_of_any_version_of_the_title_finds_it(vouchers, q):
    assert similar(q) == [vouchers.pk]


def test_a_misspelt_translated_title_is_found_from_the_search_page(client, vouchers):
    body = client.get(reverse("exchange:search"), {"q": "vouchrs"}).content.decode()
    assert vouchers.get_absolute_url() in body


def test_a_changed_translation_is_found_by_its_new_title_only(vouchers):
    PracticeTranslation.objects.filter(language_code="en").update(
        translated_title="Digital audit grants"
    )
    assert similar("auditts") == [vouchers.pk]
    assert similar("vouchrs") == []


def test_a_removed_translation_no_longer_finds_it(vouchers):
    vouchers.translations.filter(language_code="en").delete()
    assert similar("vouchrs") == []
