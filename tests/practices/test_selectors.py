"""Reads of the practice page, tested by their results."""

import pytest

from core.models import PublicationState
from practices import selectors
from tests.factories import (
    EventFactory,
    GoodPracticeFactory,
    PresentationFactory,
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
