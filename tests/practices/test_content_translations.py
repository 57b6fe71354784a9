"""Staff translations of a practice: pages, listing, API, admin import/export, search."""

import pytest
import tablib
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from practices.models import GoodPractice, PracticeTranslation
from practices.resources import GoodPracticeResource
from practices.search import search_practices, word_matches
from tests.factories import GoodPracticeFactory, RegionFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("practices:practice-list")

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search is PostgreSQL-only"
)


@pytest.fixture
def polish():
    """A practice written in Polish, translated into English (not into Romanian)."""
    practice = GoodPracticeFactory(
        title="Bony na innowacje dla MŚP",
        summary="Mazowsze finansuje audyty cyfrowe małych firm.",
        description="Opis praktyki.",
        language="pl",
        region=RegionFactory(nuts_code="PL91", name="Warszawski stołeczny"),
    )
    PracticeTranslation.objects.create(
        master=practice,
        language_code="en",
        translated_title="Innovation vouchers for SMEs",
        translated_summary="Mazovia funds digital audits of small firms.",
    )
    return practice


def page(client, practice, prefix="", **params):
    response = client.get(f"{prefix}{practice.get_absolute_url()}", params)
    assert response.status_code == 200
    return response.content.decode()


# The practice page


def test_page_in_a_translated_language_shows_the_translation_and_links_the_original(client, polish):
    body = page(client, polish)
    assert '<h1 id="practice-title">Innovation vouchers for SMEs</h1>' in body
    assert "Mazovia funds digital audits of small firms." in body
    assert "Translated from Polish" in body
    assert '<a href="?original=1" hreflang="pl">show the original</a>' in body
    # A field the translation leaves empty shows the original, marked as Polish.
    assert '<div lang="pl"><p>Opis praktyki.</p></div>' in body


def test_the_original_is_one_click_away_marked_with_its_language(client, polish):
    body = page(client, polish, original="1")
    assert '<h1 id="practice-title" lang="pl">Bony na innowacje dla MŚP</h1>' in body
    assert "Original language: Polish." in body
    assert "Innovation vouchers" not in body
    assert f'<a href="{polish.get_absolute_url()}">Show the translation</a>' in body


def test_page_without_a_version_in_its_language_shows_the_original_notice(client, polish):
    body = page(client, polish, prefix="/ro")
    assert 'lang="pl">Bony na innowacje dla MŚP</h1>' in body
    assert "Innovation vouchers" not in body
    assert "Translated from" not in body
    # The existing "Original language" notice, in Romanian.
    assert "Limba originală" in body or "limba originală" in body.lower()


def test_page_in_the_original_language_shows_no_notice(client, polish):
    body = page(client, polish, prefix="/pl")
    assert '<h1 id="practice-title">Bony na innowacje dla MŚP</h1>' in body
    assert "lang-note" not in body


def test_translation_query_only_for_a_practice_in_another_language(
    client, polish, django_assert_num_queries
):
    english = GoodPracticeFactory(language="en")
    client.get(english.get_absolute_url())  # warm the per-process caches
    cache.clear()
    with django_assert_num_queries(2):
        client.get(english.get_absolute_url())
    cache.clear()
    with django_assert_num_queries(3):
        page(client, polish)
    # In another language but never translated: nothing to look up.
    untranslated = GoodPracticeFactory(language="pl")
    cache.clear()
    with django_assert_num_queries(2):
        client.get(untranslated.get_absolute_url())


# The listing and the cards


def test_listing_cards_show_the_version_of_the_page_language(client, polish):
    english = client.get(LIST_URL).content.decode()
    assert '<a href="/practices/' in english
    assert "Innovation vouchers for SMEs</a>" in english
    assert "translated from Polish" in english
    polish_page = client.get(f"/pl{LIST_URL}").content.decode()
    assert "Bony na innowacje dla MŚP</a>" in polish_page
    romanian = client.get(f"/ro{LIST_URL}").content.decode()
    assert 'lang="pl">Bony na innowacje dla MŚP</a>' in romanian


def translated_practices(count, start=0):
    region = RegionFactory()
    for n in range(start, start + count):
        practice = GoodPracticeFactory(language="pl", region=region, title=f"Praktyka {n}")
        PracticeTranslation.objects.create(
            master=practice, language_code="en", translated_title=f"Practice {n}"
        )


def queries_of(client, url, django_assert_max_num_queries):
    cache.clear()
    with django_assert_max_num_queries(100) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), response


@pytest.mark.parametrize(("url", "pinned"), [(LIST_URL, 5), ("/", 6), ("/api/v1/practices/", 2)])
def test_translations_cost_no_query_per_card(client, django_assert_max_num_queries, url, pinned):
    translated_practices(1)
    client.get(url)
    one, _response = queries_of(client, url, django_assert_max_num_queries)
    translated_practices(49, start=1)
    fifty, response = queries_of(client, url, django_assert_max_num_queries)
    assert one == fifty == pinned
    assert "Practice 49" in response.content.decode()


# The API


def test_api_returns_the_original_and_every_translation(client, polish):
    PracticeTranslation.objects.create(
        master=polish, language_code="ro", translated_title="Vouchere de inovare pentru IMM-uri"
    )
    listed = client.get("/api/v1/practices/").json()["results"][0]
    assert listed["title"] == "Bony na innowacje dla MŚP"
    assert listed["language"] == "pl"
    assert listed["translations"] == [
        {
            "language": "en",
            "title": "Innovation vouchers for SMEs",
            "summary": "Mazovia funds digital audits of small firms.",
        },
        {"language": "ro", "title": "Vouchere de inovare pentru IMM-uri", "summary": ""},
    ]
    detail = client.get(f"/api/v1/practices/{polish.slug}/").json()
    assert detail["title"] == "Bony na innowacje dla MŚP"
    assert [t["language"] for t in detail["translations"]] == ["en", "ro"]
    assert detail["translations"][0]["description"] == ""
    # The interface language changes nothing in the data.
    assert client.get(f"/pl/api/v1/practices/{polish.slug}/").status_code in (200, 404)


# Admin import/export


def test_export_carries_translations_as_extra_columns(polish):
    dataset = GoodPracticeResource().export(GoodPractice.objects.all())
    assert dataset.headers[-21:] == [
        f"{name}_{language}"
        for language in ("en", "pl", "ro")
        for name in PracticeTranslation.FIELDS
    ]
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert row["title"] == "Bony na innowacje dla MŚP"
    assert row["title_en"] == "Innovation vouchers for SMEs"
    assert row["title_ro"] == ""


def test_import_adds_changes_and_removes_translations(polish):
    resource = GoodPracticeResource()
    dataset = resource.export(GoodPractice.objects.all())
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    row.update(
        title_en="Innovation vouchers",
        title_ro="Vouchere de inovare",
        summary_ro="Mazovia finanțează audituri digitale.",
    )
    result = resource.import_data(
        tablib.Dataset(list(row.values()), headers=list(row)), dry_run=False
    )
    assert not result.has_errors() and not result.has_validation_errors()
    found = {t.language_code: t for t in polish.translations.all()}
    assert found["en"].translated_title == "Innovation vouchers"
    assert found["ro"].translated_summary == "Mazovia finanțează audituri digitale."
    # Empty columns of a language remove its translation.
    row.update(title_en="", summary_en="")
    resource.import_data(tablib.Dataset(list(row.values()), headers=list(row)), dry_run=False)
    assert sorted(polish.translations.values_list("language_code", flat=True)) == ["ro"]


def test_import_without_translation_columns_leaves_translations_alone(polish):
    dataset = tablib.Dataset(
        [polish.slug, "Bony na innowacje", "pl"], headers=["slug", "title", "language"]
    )
    result = GoodPracticeResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert polish.translations.get().translated_title == "Innovation vouchers for SMEs"


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ({"summary_ro": "Fără titlu."}, "title_ro"),
        ({"title_pl": "Po polsku"}, "original language"),
    ],
    ids=["no-title", "original-language"],
)
def test_import_refuses_a_bad_translation_naming_its_column(polish, columns, message):
    dataset = tablib.Dataset(
        [polish.slug, polish.title, "pl", *columns.values()],
        headers=["slug", "title", "language", *columns],
    )
    result = GoodPracticeResource().import_data(dataset, dry_run=False)
    assert result.has_validation_errors()
    errors = " ".join(
        str(e) for row in result.invalid_rows for errs in row.error_dict.values() for e in errs
    )
    assert message in errors


# Search


def found(q):
    return [p.title for p in search_practices(GoodPractice.objects.published(), q)]


def test_search_finds_a_practice_by_the_words_of_a_translation(polish):
    assert found("vouchers") == [polish.title]
    assert found("Bony") == [polish.title]
    assert found("mazovia audits") == [polish.title]


def test_search_forgets_a_removed_translation(polish):
    polish.translations.all().delete()
    assert found("vouchers") == []


@on_postgresql
def test_translated_title_ranks_as_a_title(polish):
    other = GoodPracticeFactory(title="Cluster support", summary="Vouchers for clusters.")
    ranked = search_practices(GoodPractice.objects.published(), "vouchers").order_by("-search_rank")
    assert [p.pk for p in ranked] == [polish.pk, other.pk]


@on_postgresql
def test_english_stemming_only_for_the_english_translation(polish):
    # "voucher" finds "vouchers" through the English translation's stems...
    assert found("voucher") == [polish.title]
    # ...but a Romanian translation's words are not stemmed as English.
    romanian = GoodPracticeFactory(title="Audit regional", language="ro")
    PracticeTranslation.objects.create(
        master=romanian, language_code="pl", translated_title="Audyty factories"
    )
    # (The misspelling pass still finds "factory" close to "factories".)
    assert not word_matches(GoodPractice.objects.published(), "factory").exists()
    assert found("factories") == [romanian.title]
