"""Reads of the practice page, tested by their results."""

import pytest
from django.contrib.auth import get_user_model

from core.models import PolicyInstrument, PublicationState
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
