"""Reads of the practice page, tested by their results."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from core.models import PolicyInstrument, PublicationState
from core.selectors import trail_of
from practices import selectors
from practices.models import PracticeTranslation
from tests.factories import (
    EventFactory,
    GoodPracticeFactory,
    PersonFactory,
    PresentationFactory,
    ProjectFactory,
    RegionFactory,
    TopicFactory,
    TransferFactory,
)

pytestmark = pytest.mark.django_db


def test_related_practices_rows_carry_the_region_name_and_exclude_drafts():
    topic = TopicFactory()
    region = RegionFactory(nuts_code="PL9", name="Makroregion", name_en="Warsaw Capital")
    other = RegionFactory(nuts_code="PL8", name="Makroregion wschodni", name_en="")
    practice = GoodPracticeFactory(region=region, topics=[topic])
    same_topic = GoodPracticeFactory(region=other, topics=[topic])
    same_region = GoodPracticeFactory(region=region)
    GoodPracticeFactory(region=region, topics=[topic], publication_state=PublicationState.DRAFT)

    related = selectors.related_practices(practice, [topic])

    assert [p.pk for p in related] == [same_topic.pk, same_region.pk]
    assert [p.region_name for p in related] == ["Makroregion wschodni", "Warsaw Capital"]


def test_related_practices_rows_most_shared_topics_first_with_their_version_title():
    first, second = TopicFactory(), TopicFactory()
    region, elsewhere = RegionFactory(nuts_code="PL9"), RegionFactory(nuts_code="PL8")
    practice = GoodPracticeFactory(region=region, topics=[first, second])
    both = GoodPracticeFactory(region=elsewhere, topics=[first, second])
    one_here = GoodPracticeFactory(region=region, topics=[second])
    one = GoodPracticeFactory(region=elsewhere, topics=[first])
    here = GoodPracticeFactory(region=region)
    PracticeTranslation.objects.create(master=one, language_code="pl", translated_title="Jedna")

    with translation.override("pl"):
        related = selectors.related_practices(practice, [first, second])

    assert [p.pk for p in related] == [both.pk, one_here.pk, one.pk, here.pk]
    assert [p.shared_topics for p in related] == [2, 1, 1, 0]
    assert [p.in_region for p in related] == [0, 1, 0, 1]
    assert [p.version_title for p in related] == [None, None, "Jedna", None]


def test_related_practices_count_only_the_topics_the_practice_has():
    mine, other_topic = TopicFactory(), TopicFactory()
    practice = GoodPracticeFactory(region=None, topics=[mine])
    day = datetime.timedelta(days=1)
    now = timezone.now()
    with_more = GoodPracticeFactory(topics=[mine, other_topic], published_at=now - 2 * day)
    newer = GoodPracticeFactory(topics=[mine], published_at=now - day)
    GoodPracticeFactory(topics=[other_topic], published_at=now)

    related = selectors.related_practices(practice, [mine])

    # A topic the practice does not have counts for nothing: newest first.
    assert [(p.pk, p.shared_topics) for p in related] == [(newer.pk, 1), (with_more.pk, 1)]


def test_practice_page_knows_whether_there_are_talks_and_adoptions():
    with_both, with_none = GoodPracticeFactory(), GoodPracticeFactory()
    PresentationFactory(practice=with_both, event=EventFactory())
    TransferFactory(practice=with_both, region=RegionFactory())
    # A talk at an unpublished event does not count.
    PresentationFactory(
        practice=with_none, event=EventFactory(publication_state=PublicationState.DRAFT)
    )
    rows = {p.pk: p for p in selectors.practice_page(selectors.GoodPractice.objects.all())}
    assert rows[with_both.pk].has_presentations and rows[with_both.pk].has_transfers
    assert not rows[with_none.pk].has_presentations and not rows[with_none.pk].has_transfers
    assert rows[with_both.pk].last_history_date is not None


def test_practice_page_knows_its_translations_instruments_and_who_can_be_written_to():
    editor = get_user_model().objects.create_user("editor", email="editor@example.org")
    silent = get_user_model().objects.create_user("silent", email="")
    heard, unheard = ProjectFactory(), ProjectFactory()
    heard.editors.add(editor)
    unheard.editors.add(silent)
    with_all = GoodPracticeFactory(contact=PersonFactory(), projects=[heard])
    with_none = GoodPracticeFactory(contact=PersonFactory(email=""), projects=[unheard])
    PracticeTranslation.objects.create(
        master=with_all, language_code="pl", translated_title="Dobra praktyka"
    )
    with_all.policy_instruments.add(PolicyInstrument.objects.create(name="Regional programme"))
    rows = {p.pk: p for p in selectors.practice_page(selectors.GoodPractice.objects.all())}
    flags = ("has_translations", "has_policy_instruments", "has_contact_email", "has_editor_email")
    assert [getattr(rows[with_all.pk], flag) for flag in flags] == [True] * 4
    assert [getattr(rows[with_none.pk], flag) for flag in flags] == [False] * 4
    assert selectors.contact_recipient(rows[with_all.pk]) == "owner"
    assert selectors.contact_recipient(rows[with_none.pk]) is None


def test_practice_page_reads_its_topics_projects_and_trail_in_its_own_query(
    django_assert_num_queries,
):
    es = RegionFactory(nuts_code="ES", name="España")
    es5 = RegionFactory(nuts_code="ES5", name="Este", parent=es)
    es51 = RegionFactory(nuts_code="ES51", name="Cataluña", parent=es5)
    topics = [TopicFactory(name=name) for name in ("Water", "Energy", "Mobility")]
    projects = [
        ProjectFactory(acronym="ZETA"),
        ProjectFactory(acronym="", title="Título", title_en="", programme=None),
        ProjectFactory(acronym="ALPHA"),
    ]
    practice = GoodPracticeFactory(region=es51, topics=topics, projects=projects)
    with django_assert_num_queries(1):
        row = selectors.practice_page(selectors.GoodPractice.objects.filter(pk=practice.pk)).get()
        read = (
            selectors.practice_topics(row),
            selectors.practice_projects(row),
            trail_of(row),
        )
    # What the relations give, in their models' order.
    assert [(t.pk, t.name, t.slug) for t in read[0]] == [
        (t.pk, t.name, t.slug) for t in practice.topics.all()
    ]
    assert [t.name for t in read[0]] == ["Energy", "Mobility", "Water"]
    shown = [(p.pk, p.slug, p.label, p.programme and str(p.programme)) for p in read[1]]
    assert shown == [
        (p.pk, p.slug, p.label, p.programme and str(p.programme))
        for p in practice.projects.select_related("programme")
    ]
    assert [p.label for p in read[1]] == ["Título", "ALPHA", "ZETA"]
    assert read[2] == [es, es5, es51]
    assert [r.display_name for r in read[2]] == ["España", "Este", "Cataluña"]


def test_practice_page_without_region_topics_or_projects_reads_empty_lists():
    practice = GoodPracticeFactory(region=None)
    row = selectors.practice_page(selectors.GoodPractice.objects.filter(pk=practice.pk)).get()
    assert selectors.practice_topics(row) == []
    assert selectors.practice_projects(row) == []
    assert trail_of(row) == []


def test_practice_rows_read_their_lists_in_order_in_one_query(django_assert_num_queries):
    topics = [TopicFactory(name=name) for name in ("Water", "Energy")]
    projects = [ProjectFactory(acronym=acronym) for acronym in ("ZETA", "ALPHA")]
    practice = GoodPracticeFactory(topics=topics, projects=projects)
    for language in ("ro", "en"):
        PracticeTranslation.objects.create(
            master=practice, language_code=language, translated_title=f"Title {language}"
        )
    bare = GoodPracticeFactory()
    with django_assert_num_queries(1):
        rows = {row["id"]: row for row in selectors.practice_rows(selectors.GoodPractice.objects)}
    row = rows[practice.pk]
    assert [list(t) for t in row["topics"]] == [["slug", "name"]] * 2
    assert [t["name"] for t in row["topics"]] == ["Energy", "Water"]
    assert [p["acronym"] for p in row["projects"]] == ["ALPHA", "ZETA"]
    assert [(t["language_code"], t["translated_title"]) for t in row["translations"]] == [
        ("en", "Title en"),
        ("ro", "Title ro"),
    ]
    assert (rows[bare.pk]["topics"], rows[bare.pk]["projects"]) == ([], [])
    assert rows[bare.pk]["translations"] == []
