"""Policy instruments: their page, the pages that show them, who edits them."""

import pytest
from django.urls import reverse

from core.models import PolicyInstrument
from portal.selectors import LINKED_SHOWN
from tests.exchange.admin_helpers import admin_url, make_editor, make_portal_admin
from tests.factories import EventFactory, GoodPracticeFactory, ProjectFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rpo():
    mazovia = RegionFactory(nuts_code="PL9", name="Mazowieckie", name_en="Mazovia")
    return PolicyInstrument.objects.create(
        name="Działanie 1.2 RPO WM", name_en="Action 1.2 of RPO WM", language="pl", region=mazovia
    )


def test_instrument_page_lists_what_is_linked_to_it(client, rpo):
    practice = GoodPracticeFactory(title="Innovation vouchers")
    practice.policy_instruments.add(rpo)
    draft = GoodPracticeFactory(title="A draft practice", publication_state="draft")
    draft.policy_instruments.add(rpo)
    ProjectFactory(acronym="SMARTY").policy_instruments.add(rpo)
    EventFactory(title="Stakeholder meeting").policy_instruments.add(rpo)
    EventFactory(title="Draft meeting", publication_state="draft").policy_instruments.add(rpo)

    response = client.get(rpo.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert 'lang="pl">Działanie 1.2 RPO WM</span>' in body
    assert "Programme period" in body and "Not given" in body
    assert [p.title for p in response.context["practices"]] == ["Innovation vouchers"]
    assert [p.acronym for p in response.context["projects"]] == ["SMARTY"]
    assert [e.title for e in response.context["events"]] == ["Stakeholder meeting"]


def test_unknown_instrument_is_404(client):
    url = reverse("exchange:policy-instrument-detail", kwargs={"slug": "nothing"})
    assert client.get(url).status_code == 404


def test_instrument_page_query_count_is_constant(client, rpo, django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            GoodPracticeFactory().policy_instruments.add(rpo)
            ProjectFactory().policy_instruments.add(rpo)
            EventFactory().policy_instruments.add(rpo)

    add(1)
    # The instrument, its region's ancestors, practices, projects, events.
    with django_assert_max_num_queries(5):
        client.get(rpo.get_absolute_url())
    small = len(client.get(rpo.get_absolute_url()).content)
    add(49)
    with django_assert_max_num_queries(5):
        response = client.get(rpo.get_absolute_url())
    # The newest of each kind, the rest counted.
    assert len(response.context["practices"]) == LINKED_SHOWN["practices"]
    assert len(response.context["events"]) == LINKED_SHOWN["events"]
    assert response.context["practice_count"] == 50
    assert response.context["more_projects"] == 50 - LINKED_SHOWN["projects"]
    assert response.context["more_events"] == 50 - LINKED_SHOWN["events"]
    bounded = len(response.content)
    add(30)
    assert len(client.get(rpo.get_absolute_url()).content) <= bounded + 100
    assert bounded < small + 40_000


def test_instrument_page_links_to_all_its_practices(client, rpo):
    practices = GoodPracticeFactory.create_batch(LINKED_SHOWN["practices"] + 3)
    for practice in practices:
        practice.policy_instruments.add(rpo)
    GoodPracticeFactory(title="Not linked")
    ProjectFactory.create_batch(LINKED_SHOWN["projects"] + 2)[0].policy_instruments.add(rpo)
    response = client.get(rpo.get_absolute_url())
    body = response.content.decode()
    listing = reverse("practices:practice-list") + f"?instrument={rpo.slug}"
    assert f'<a href="{listing}">See all 23 practices</a>' in body
    # Newest first: the three oldest are left to the listing.
    shown = {p.slug for p in response.context["practices"]}
    assert shown == {p.slug for p in practices[3:]}
    assert "more project" not in body and "more event" not in body

    found = client.get(listing)
    page = found.content.decode()
    assert found.context["paginator"].count == 23
    assert '<span class="chip-label">Policy instrument:</span> Action 1.2 of RPO WM' in page
    assert f'<input type="hidden" name="instrument" value="{rpo.slug}">' in page
    assert "Not linked" not in page
    api = client.get(reverse("api:practice-list"), {"instrument": rpo.slug})
    assert api.json()["count"] == 23
    export = client.get(listing + "&format=csv")
    rows = b"".join(export.streaming_content).decode().strip().splitlines()
    assert len(rows) == 1 + 23


def test_an_unknown_instrument_is_a_clear_message_not_an_error(client):
    response = client.get(reverse("practices:practice-list"), {"instrument": "nothing"})
    assert response.status_code == 200
    assert "There is nothing called “nothing”" in response.content.decode()
    api = client.get(reverse("api:practice-list"), {"instrument": "no such thing!"})
    assert api.status_code == 400


@pytest.mark.parametrize("kind", ["practice", "project", "event"])
def test_practice_project_and_event_pages_link_their_instruments(client, rpo, kind):
    obj = {"practice": GoodPracticeFactory, "project": ProjectFactory, "event": EventFactory}[
        kind
    ]()
    obj.policy_instruments.add(rpo)
    body = client.get(obj.get_absolute_url()).content.decode()
    assert f'href="{rpo.get_absolute_url()}">Action 1.2 of RPO WM</a>' in body


@pytest.mark.parametrize("kind", ["instrument", "practice", "project", "event", "search"])
def test_in_its_own_language_an_instrument_has_its_own_name(client, rpo, kind):
    """Polish pages name a Polish instrument in Polish; other languages keep the English name."""
    if kind == "instrument":
        path = rpo.get_absolute_url()
    elif kind == "search":
        path = reverse("exchange:search") + "?q=RPO"
    else:
        factory = {"practice": GoodPracticeFactory, "project": ProjectFactory}
        obj = factory.get(kind, EventFactory)()
        obj.policy_instruments.add(rpo)
        path = obj.get_absolute_url()
    polish = client.get(f"/pl{path}").content.decode()
    romanian = client.get(f"/ro{path}").content.decode()
    # What the page shows (its social-media card keeps the portal's display name).
    assert "Działanie 1.2 RPO WM</" in polish and "Action 1.2 of RPO WM</" not in polish
    assert 'lang="en">Action 1.2 of RPO WM</' in romanian


def test_only_portal_administrators_edit_instruments(client, rpo):
    client.force_login(make_editor("editor", ProjectFactory()))
    assert client.get(admin_url(PolicyInstrument, "changelist")).status_code == 200
    assert client.get(admin_url(PolicyInstrument, "add")).status_code == 403
    response = client.post(admin_url(PolicyInstrument, "change", rpo.pk), {"name": "Changed"})
    assert response.status_code == 403
    rpo.refresh_from_db()
    assert rpo.name == "Działanie 1.2 RPO WM"
    client.force_login(make_portal_admin("portal-admin"))
    assert client.get(admin_url(PolicyInstrument, "add")).status_code == 200


def test_instrument_page_counts_up_to_a_cap(client, rpo, monkeypatch):
    # Linked to every practice at 100,000, the page reads the first rows up to
    # the cap, not all of them, and says "more than".
    monkeypatch.setattr("portal.selectors.LINKED_COUNT_CAP", 5)
    monkeypatch.setattr("portal.views.LINKED_COUNT_CAP", 5)
    monkeypatch.setitem(LINKED_SHOWN, "practices", 3)
    monkeypatch.setitem(LINKED_SHOWN, "events", 3)
    for _ in range(7):
        GoodPracticeFactory().policy_instruments.add(rpo)
        EventFactory().policy_instruments.add(rpo)
    body = client.get(rpo.get_absolute_url()).content.decode()
    assert "See all practices (more than 5)</a>" in body
    assert "More than 5 in all." in body
    assert "more events" not in body
