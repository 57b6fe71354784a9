"""Reads of the event page, tested by their results."""

import pytest

from core.models import PolicyInstrument
from events.models import EventTranslation
from events.selectors import event_page_queryset
from tests.factories import (
    EventFactory,
    ParticipantFactory,
    ParticipantGroupFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db

FLAGS = (
    "has_participants",
    "has_participant_groups",
    "has_regions_represented",
    "has_policy_instruments",
    "has_translations",
)


def test_event_page_knows_which_optional_lists_an_event_has():
    full, bare = EventFactory(), EventFactory()
    ParticipantFactory(event=full)
    ParticipantGroupFactory(event=full)
    full.regions_represented.add(RegionFactory())
    full.policy_instruments.add(PolicyInstrument.objects.create(name="Regional programme"))
    EventTranslation.objects.create(master=full, language_code="pl", translated_title="Seminarium")
    rows = {e.pk: e for e in event_page_queryset().filter(pk__in=[full.pk, bare.pk])}
    assert [getattr(rows[full.pk], flag) for flag in FLAGS] == [True] * len(FLAGS)
    assert [getattr(rows[bare.pk], flag) for flag in FLAGS] == [False] * len(FLAGS)
