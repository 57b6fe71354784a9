"""Expert validation: editors propose, portal administrators record the verdict,
the practice shows it (page, cards, filter, API, exports), and the history stays."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from practices import services
from practices.models import GoodPractice, Validation
from tests.exchange.admin_helpers import admin_url, make_editor, make_portal_admin
from tests.factories import GoodPracticeFactory, ProjectFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("practices:practice-list")


@pytest.fixture
def project():
    return ProjectFactory(acronym="VALID")


@pytest.fixture
def practice(project):
    return GoodPracticeFactory(title="Cluster vouchers", projects=[project])


@pytest.fixture
def editor(project):
    return make_editor("editor", project)


@pytest.fixture
def portal_admin():
    return make_portal_admin("portaladmin")


def proposal_data(practice, **overrides):
    return {
        "practice": practice.pk,
        "expert": "Thematic expert panel on SMEs",
        "date": "2026-05-04",
        "summary": "Evidence is solid and the approach transferable.",
        "verdict": "",
        **overrides,
    }


def validate(practice, user, *, verdict=Validation.Verdict.VALIDATED, date=None):
    validation = services.propose_validation(
        practice=practice,
        expert="Thematic expert panel on SMEs",
        date=date or datetime.date(2026, 5, 4),
        summary="Evidence is solid and the approach transferable.",
    )
    return services.record_verdict(validation=validation, verdict=verdict, user=user)


def test_an_editor_proposes_but_cannot_record_the_verdict(client, editor, practice):
    client.force_login(editor)
    form = client.get(admin_url(Validation, "add"))
    assert form.status_code == 200
    assert 'name="verdict"' not in form.content.decode()
    # A verdict typed into the request anyway is not taken.
    response = client.post(
        admin_url(Validation, "add"), proposal_data(practice, verdict="validated")
    )
    assert response.status_code == 302
    validation = Validation.objects.get()
    assert validation.verdict == "" and validation.proposed_by == editor
    practice.refresh_from_db()
    assert practice.validated_on is None
    with pytest.raises(services.NotAllowed):
        services.record_verdict(validation=validation, verdict="validated", user=editor)


def test_an_editor_cannot_propose_for_another_projects_practice(client, editor):
    other = GoodPracticeFactory(projects=[ProjectFactory()])
    client.force_login(editor)
    response = client.post(admin_url(Validation, "add"), proposal_data(other))
    assert response.status_code == 200
    assert not Validation.objects.exists()


def test_a_portal_administrator_records_the_verdict_and_the_page_shows_it(
    client, portal_admin, editor, practice
):
    client.force_login(editor)
    client.post(admin_url(Validation, "add"), proposal_data(practice))
    validation = Validation.objects.get()
    client.force_login(portal_admin)
    change = admin_url(Validation, "change", validation.pk)
    assert 'name="verdict"' in client.get(change).content.decode()
    response = client.post(change, proposal_data(practice, verdict="validated"))
    assert response.status_code == 302
    validation.refresh_from_db()
    assert validation.verdict == "validated" and validation.recorded_by == portal_admin
    client.logout()
    page = client.get(practice.get_absolute_url()).content.decode()
    assert "Validated on May 4, 2026 by Thematic expert panel on SMEs" in page
    assert "Evidence is solid and the approach transferable." in page
    card = client.get(LIST_URL).content.decode()
    assert "Validated on May 4, 2026 by Thematic expert panel on SMEs" in card


def test_a_recorded_validation_is_kept_as_it_is(client, portal_admin, practice):
    validation = validate(practice, portal_admin)
    client.force_login(portal_admin)
    change = admin_url(Validation, "change", validation.pk)
    response = client.post(
        change, proposal_data(practice, expert="Someone else", verdict="not_validated")
    )
    assert response.status_code == 403
    validation.refresh_from_db()
    assert validation.expert == "Thematic expert panel on SMEs"
    assert validation.verdict == "validated"
    assert (
        client.post(admin_url(Validation, "delete", validation.pk), {"post": "yes"}).status_code
        == 403
    )
    with pytest.raises(services.IllegalVerdict):
        services.record_verdict(validation=validation, verdict="not_validated", user=portal_admin)


def test_a_later_negative_verdict_removes_the_badge_and_the_history_stays(
    client, portal_admin, practice
):
    validate(practice, portal_admin)
    validate(practice, portal_admin, verdict="not_validated", date=datetime.date(2026, 9, 1))
    practice.refresh_from_db()
    assert practice.validated_on is None and practice.validated_by == ""
    assert list(practice.validations.values_list("verdict", flat=True)) == [
        "not_validated",
        "validated",
    ]
    assert "Validated on" not in client.get(practice.get_absolute_url()).content.decode()


def test_an_edit_of_substance_shows_edited_since(client, portal_admin, practice):
    validate(practice, portal_admin)
    practice.refresh_from_db()
    # Not substance: the city, or white space in a text.
    practice.city = "Kraków"
    practice.summary = practice.summary + "  "
    practice.save()
    assert not practice.edited_since_validation
    practice.description = "A rewritten description with other claims."
    practice.save()
    page = client.get(practice.get_absolute_url()).content.decode()
    assert "Validated on May 4, 2026 by Thematic expert panel on SMEs, edited since" in page
    # Writing the validated text back is no longer an edit since.
    practice.description = "A longer description of the practice."
    practice.save()
    assert not practice.edited_since_validation


def test_the_listing_filters_validated_practices(client, portal_admin, practice):
    GoodPracticeFactory(title="Not vetted yet")
    validate(practice, portal_admin)
    response = client.get(f"{LIST_URL}?validated=1")
    assert [p["title"] for p in response.context["practices"]] == ["Cluster vouchers"]
    body = response.content.decode()
    assert 'id="filter-validated" name="validated" value="1" checked' in body
    assert "Validated by experts" in body  # the chip
    # Nonsense is ignored with the listing's message, not a 500.
    nonsense = client.get(f"{LIST_URL}?validated=yes")
    assert nonsense.status_code == 200
    assert len(nonsense.context["practices"]) == 2


def test_api_and_exports_carry_the_validation(client, portal_admin, practice):
    validate(practice, portal_admin)
    practice.refresh_from_db()
    practice.description = "Edited after the opinion."
    practice.save()
    rows = client.get("/api/v1/practices/?validated=1").json()["results"]
    assert [(r["slug"], r["validated_on"], r["validated_by"]) for r in rows] == [
        (practice.slug, "2026-05-04", "Thematic expert panel on SMEs")
    ]
    assert rows[0]["edited_since_validation"] is True
    detail = client.get(f"/api/v1/practices/{practice.slug}/").json()
    assert detail["validation_summary"] == "Evidence is solid and the approach transferable."
    export = client.get(f"{LIST_URL}?validated=1&format=csv")
    content = b"".join(export.streaming_content).decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(content))
    assert row["validated_on"] == "2026-05-04"
    assert row["validated_by"] == "Thematic expert panel on SMEs"
    assert row["edited_since_validation"] == "True"


@pytest.mark.parametrize("rows", [1, 50])
def test_validated_listing_query_count_does_not_grow(
    client, django_assert_max_num_queries, portal_admin, rows
):
    for n in range(rows):
        practice = GoodPracticeFactory(title=f"Practice {n}")
        validate(practice, portal_admin)
    # As the unfiltered listing (tests/practices/test_listing.py).
    with django_assert_max_num_queries(8):
        response = client.get(f"{LIST_URL}?validated=1")
    assert len(response.context["practices"]) == min(rows, 20)
    assert GoodPractice.objects.filter(validated_on__isnull=False).count() == rows
