"""Events, presentations and materials: constraints and QuerySet methods."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.models import PublicationState
from events.models import Event, Material
from tests.factories import (
    EventFactory,
    GoodPracticeFactory,
    MaterialFactory,
    PresentationFactory,
)

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


class TestEventConstraints:
    def test_end_before_start_is_refused(self):
        event = EventFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            Event.objects.filter(pk=event.pk).update(end=event.start - HOUR)

    def test_end_before_start_is_refused_on_create(self):
        start = timezone.now()
        with pytest.raises(IntegrityError), transaction.atomic():
            EventFactory(start=start, end=start - HOUR)

    def test_clean_explains_the_error(self):
        start = timezone.now()
        event = EventFactory.build(start=start, end=start - HOUR)
        with pytest.raises(ValidationError) as info:
            event.clean()
        assert "end" in info.value.message_dict

    def test_zero_length_event_is_allowed(self):
        start = timezone.now()
        assert EventFactory(start=start, end=start).pk

    def test_unknown_time_zone_is_invalid(self):
        event = EventFactory.build(time_zone="Europe/Atlantis")
        with pytest.raises(ValidationError) as info:
            event.full_clean(exclude=["project", "slug"])
        assert "time_zone" in info.value.message_dict

    def test_future_online_event_needs_a_link(self):
        event = EventFactory.build(format=Event.Format.ONLINE, online_link="")
        with pytest.raises(ValidationError):
            event.clean()

    def test_past_online_event_may_have_no_link(self):
        start = timezone.now() - 10 * DAY
        event = EventFactory.build(
            format=Event.Format.ONLINE, online_link="", start=start, end=start + HOUR
        )
        event.clean()


class TestMaterialConstraint:
    def test_material_without_file_or_link_is_refused(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            MaterialFactory(url="", file="")

    def test_removing_the_link_by_update_is_refused(self):
        material = MaterialFactory(url="https://example.org/a.pdf")
        with pytest.raises(IntegrityError), transaction.atomic():
            Material.objects.filter(pk=material.pk).update(url="")

    def test_file_alone_is_enough(self):
        assert MaterialFactory(url="", file="materials/2020/slides.pdf").pk

    def test_link_alone_is_enough(self):
        assert MaterialFactory(url="https://example.org/slides.pdf", file="").pk


class TestQuerySets:
    def test_upcoming_and_past(self):
        now = timezone.now()
        past = EventFactory(start=now - 3 * DAY, end=now - 2 * DAY)
        older = EventFactory(start=now - 30 * DAY, end=now - 29 * DAY)
        running = EventFactory(start=now - HOUR, end=now + HOUR)
        soon = EventFactory(start=now + DAY, end=now + DAY + HOUR)
        later = EventFactory(start=now + 9 * DAY, end=now + 9 * DAY + HOUR)
        # An event still running counts as upcoming until it ends.
        assert list(Event.objects.upcoming()) == [running, soon, later]
        assert list(Event.objects.past()) == [past, older]

    def test_published(self):
        shown = EventFactory()
        EventFactory(publication_state=PublicationState.DRAFT)
        EventFactory(publication_state=PublicationState.ARCHIVED)
        assert list(Event.objects.published()) == [shown]
        assert list(Event.objects.published().upcoming()) == [shown]

    def test_is_upcoming(self):
        now = timezone.now()
        assert EventFactory(start=now + DAY, end=now + DAY).is_upcoming
        assert not EventFactory(start=now - DAY, end=now - DAY).is_upcoming

    @pytest.mark.parametrize("rows", [1, 50])
    def test_for_listing_is_one_query(self, rows, django_assert_num_queries):
        for _ in range(rows):
            EventFactory()
        with django_assert_num_queries(1):
            listed = [
                (e.display_title, e.project.acronym, e.region)
                for e in Event.objects.published().upcoming().for_listing()
            ]
        assert len(listed) == rows


class TestSlugAndTitles:
    def test_slug_has_the_year_and_is_unique(self):
        start = datetime.datetime(2020, 2, 25, 9, tzinfo=datetime.UTC)
        a = EventFactory(title="1st Interregional Thematic Seminar", start=start)
        b = EventFactory(title="1st Interregional Thematic Seminar", start=start)
        assert a.slug == "1st-interregional-thematic-seminar-2020"
        assert b.slug == "1st-interregional-thematic-seminar-2020-2"

    def test_english_title_is_shown_when_given(self):
        event = EventFactory(
            title="2. spotkanie Regionalnej Grupy Interesariuszy",
            title_en="2nd Regional Stakeholder Group meeting",
            language="pl",
        )
        assert event.display_title == "2nd Regional Stakeholder Group meeting"
        assert str(event) == event.display_title

    def test_presentations_in_agenda_order(self):
        event = EventFactory()
        second = PresentationFactory(event=event, order=2)
        first = PresentationFactory(event=event, order=1)
        assert list(event.presentations.all()) == [first, second]


@pytest.mark.parametrize(
    ("model", "name"),
    [(Event, "event_end_after_start"), (Material, "material_file_or_link")],
)
def test_check_constraints_exist(model, name):
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # SQLite's introspection does not name CHECK constraints; the
            # table's own SQL does.
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [table])
            assert name in cursor.fetchone()[0]
        else:
            assert name in connection.introspection.get_constraints(cursor, table)


def test_a_talk_links_its_practice_only_once_published():
    published = GoodPracticeFactory()
    draft = GoodPracticeFactory(publication_state=PublicationState.DRAFT)
    assert PresentationFactory(practice=published).public_practice == published
    assert PresentationFactory(practice=draft).public_practice is None
    assert PresentationFactory(practice=None).public_practice is None
