"""A date-only event's days, as staff type them in the admin, are its days where it takes place."""

import datetime

import pytest

from events.models import Event, whole_days
from tests.exchange.admin_helpers import admin_url, change_form_data, make_portal_admin
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    client.force_login(make_portal_admin("dates-admin"))
    return client


def date_only(zone, first, last):
    start, end = whole_days(
        datetime.datetime(*first, 12, tzinfo=datetime.UTC),
        datetime.datetime(*last, 12, tzinfo=datetime.UTC),
        Event(time_zone=zone).tzinfo,
    )
    return EventFactory(all_day=True, time_zone=zone, start=start, end=end)


# West, east and far from the server's time zone (Brussels).
@pytest.mark.parametrize("zone", ["Europe/London", "Europe/Bucharest", "America/New_York"])
def test_the_days_shown_and_typed_are_the_events_own(staff, zone):
    event = date_only(zone, (2026, 3, 10), (2026, 3, 11))
    url = admin_url(Event, "change", event.pk)
    data = change_form_data(staff.get(url))
    # Not 23:00 the day before, as the server's time zone shows Bucharest's midnight.
    assert (data["start_0"], data["end_0"]) == ("2026-03-10", "2026-03-11")
    # Only the days are known: the times may be left empty.
    data.update(start_0="2026-03-12", start_1="", end_0="2026-03-13", end_1="")
    response = staff.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event.refresh_from_db()
    assert (event.first_day, event.last_day) == (
        datetime.date(2026, 3, 12),
        datetime.date(2026, 3, 13),
    )


def test_a_timed_event_still_needs_its_times(staff):
    event = EventFactory(all_day=False)
    url = admin_url(Event, "change", event.pk)
    data = change_form_data(staff.get(url))
    data.update(start_1="")
    response = staff.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["start"] == ["This field is required."]
