"""Practice curation in the admin: history, publishing, draft preview, Interreg Europe export."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from core.models import PublicationState
from events.models import Event
from practices.ie_export import COLUMNS
from practices.models import GoodPractice
from tests import factories
from tests.exchange.admin_helpers import admin_url, change_form_data, make_editor


@pytest.fixture
def draft(db):
    project = factories.ProjectFactory(
        acronym="SMARTY",
        title="Smart SMEs",
        programme=factories.ProgrammeFactory(name="Interreg Europe", short_name="IE"),
    )
    country = factories.RegionFactory(nuts_code="PL", name="Polska", name_en="Poland")
    region = factories.RegionFactory(nuts_code="PL91", name="Warszawski stołeczny", parent=country)
    contact = factories.PersonFactory(name="Anna Kowalska", email="anna@private.example")
    return factories.GoodPracticeFactory(
        title="Digital Innovation Hub vouchers",
        summary="Vouchers buy SMEs a first digital project.",
        description="=SUM(A1:A2) is not a formula here.",
        region=region,
        city="Warszawa",
        contact=contact,
        keywords="vouchers, SMEs",
        publication_state=PublicationState.DRAFT,
        projects=[project],
        topics=[factories.TopicFactory(name="Industry 4.0")],
    )


# History


def test_change_through_the_admin_records_user_and_diff(admin_client, admin_user, draft):
    url = admin_url(GoodPractice, "change", draft.pk)
    data = change_form_data(admin_client.get(url))
    data["title"] = "Digital Innovation Hub vouchers for SMEs"
    response = admin_client.post(url, data)
    assert response.status_code == 302
    latest, previous = draft.history.all()[:2]
    assert latest.history_user == admin_user
    assert latest.history_type == "~"
    delta = latest.diff_against(previous)
    assert "title" in delta.changed_fields
    change = next(c for c in delta.changes if c.field == "title")
    assert change.old == "Digital Innovation Hub vouchers"
    assert change.new == "Digital Innovation Hub vouchers for SMEs"

    history_page = admin_client.get(admin_url(GoodPractice, "history", draft.pk))
    assert history_page.status_code == 200
    assert admin_user.username in history_page.content.decode()


def test_past_versions_are_shown_but_not_saved_back(admin_client, draft):
    # Revert is off (core/admin_history.py): a past value goes back through
    # the change form, with its permissions, scoping and workflow.
    original_title = draft.title
    draft.title = "A worse title"
    draft.save()
    old = draft.history.earliest("history_date")
    url = f"/admin/practices/goodpractice/{draft.pk}/history/{old.history_id}/"
    response = admin_client.get(url)
    assert response.status_code == 200
    assert original_title in response.content.decode()
    data = change_form_data(response)
    assert admin_client.post(url, data).status_code == 403
    draft.refresh_from_db()
    assert draft.title == "A worse title"


@pytest.mark.parametrize(
    "factory",
    [factories.EventFactory, factories.ProjectFactory, factories.OrganisationFactory],
    ids=["event", "project", "organisation"],
)
def test_history_page_of_other_models(admin_client, factory):
    obj = factory()
    response = admin_client.get(admin_url(type(obj), "history", obj.pk))
    assert response.status_code == 200


# Publishing


def test_bulk_publish_archive_and_draft(admin_client, draft):
    other = factories.GoodPracticeFactory(publication_state=PublicationState.DRAFT)
    url = admin_url(GoodPractice, "changelist")
    ids = [draft.pk, other.pk]
    admin_client.post(url, {"action": "make_published", "_selected_action": ids})
    for practice in GoodPractice.objects.filter(pk__in=ids):
        assert practice.publication_state == PublicationState.PUBLISHED
        assert practice.published_at is not None
    assert draft.history.first().history_user.is_superuser

    admin_client.post(url, {"action": "make_archived", "_selected_action": ids})
    assert set(
        GoodPractice.objects.filter(pk__in=ids).values_list("publication_state", flat=True)
    ) == {PublicationState.ARCHIVED}
    admin_client.post(url, {"action": "make_draft", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.publication_state == PublicationState.DRAFT


def test_event_publishing_actions(admin_client, db):
    event = factories.EventFactory(publication_state=PublicationState.DRAFT)
    admin_client.post(
        admin_url(Event, "changelist"),
        {"action": "make_published", "_selected_action": [event.pk]},
    )
    event.refresh_from_db()
    assert event.publication_state == PublicationState.PUBLISHED


# Preview


def preview_url(practice):
    return f"/admin/practices/goodpractice/{practice.pk}/preview/"


def test_staff_preview_shows_the_draft(admin_client, draft, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        response = admin_client.get(preview_url(draft))
    assert response.status_code == 200
    assert "practices/practice_detail.html" in [t.name for t in response.templates]
    assert response.context["practice"] == draft
    body = response.content.decode()
    assert draft.title in body
    assert "not public yet" in body
    assert "anna@private.example" not in body
    assert "no-store" in response["Cache-Control"]
    # The public page does not show the draft.
    assert admin_client.get(draft.get_absolute_url()).status_code == 404


def test_change_form_links_to_the_preview(admin_client, draft):
    response = admin_client.get(admin_url(GoodPractice, "change", draft.pk))
    assert preview_url(draft) in response.content.decode()


def test_anonymous_visitor_is_sent_to_login(client, draft):
    response = client.get(preview_url(draft))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_non_staff_user_is_sent_to_login(client, draft):
    user = get_user_model().objects.create_user("visitor", password="x" * 12)
    client.force_login(user)
    response = client.get(preview_url(draft))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_staff_without_permission_is_refused(client, draft):
    user = get_user_model().objects.create_user("staff", password="x" * 12, is_staff=True)
    client.force_login(user)
    assert client.get(preview_url(draft)).status_code in (403, 404)


def test_editor_of_another_project_gets_not_found(client, draft):
    client.force_login(make_editor("other-editor", factories.ProjectFactory()))
    assert client.get(preview_url(draft)).status_code == 404


def test_editor_of_the_project_sees_the_preview(client, draft):
    client.force_login(make_editor("own-editor", draft.projects.get()))
    assert client.get(preview_url(draft)).status_code == 200


# Interreg Europe template


EXPECTED_HEADINGS = [
    "Title",
    "Linked to an Interreg Europe project?",
    "Project",
    "Country",
    "Region (NUTS)",
    "City",
    "Summary",
    "Organisation in charge (main institution)",
    "Detailed description",
    "Resources needed",
    "Evidence of success (results achieved)",
    "Difficulties encountered / lessons learned",
    "Potential for learning or transfer",
    "Start date",
    "End date",
    "Ongoing or ended",
    "Topic",
    "Keywords",
    "Further information (web link)",
    "Contact person",
    "Contact organisation",
]


def test_xlsx_export_follows_the_template(admin_client, draft, django_assert_max_num_queries):
    second = factories.GoodPracticeFactory(title="Another practice", contact=None)
    with django_assert_max_num_queries(15):
        response = admin_client.post(
            admin_url(GoodPractice, "changelist"),
            {"action": "export_interreg_xlsx", "_selected_action": [draft.pk, second.pk]},
        )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == EXPECTED_HEADINGS
    assert len(rows) == 3
    by_title = {row[0]: dict(zip(EXPECTED_HEADINGS, row, strict=True)) for row in rows[1:]}
    row = by_title["Digital Innovation Hub vouchers"]
    assert row["Linked to an Interreg Europe project?"] == "Yes"
    assert row["Project"] == "SMARTY – Smart SMEs"
    assert row["Country"] == "Poland"
    assert row["Region (NUTS)"] == "Warszawski stołeczny (PL91)"
    assert row["City"] == "Warszawa"
    assert row["Topic"] == "Industry 4.0"
    assert row["Start date"] == "2018-01-01"
    assert row["Ongoing or ended"] == "Ongoing"
    assert row["Contact person"] == "Anna Kowalska"
    # Text that looks like a formula stays text.
    assert row["Detailed description"] == "=SUM(A1:A2) is not a formula here."
    assert by_title["Another practice"]["Linked to an Interreg Europe project?"] == "No"
    every_cell = " ".join(str(v) for r in rows for v in r if v is not None)
    assert "@" not in every_cell


def test_template_order_matches_the_reference(db):
    assert [str(h) for _k, h in COLUMNS] == EXPECTED_HEADINGS


def test_printable_document_has_one_section_per_practice(admin_client, draft):
    second = factories.GoodPracticeFactory(title="Another practice")
    response = admin_client.post(
        admin_url(GoodPractice, "changelist"),
        {"action": "print_interreg", "_selected_action": [draft.pk, second.pk]},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert len(re.findall(r"<h1[ >]", body)) == 1
    assert body.count('<article class="ie-practice"') == 2
    assert '<h2 id="ie-practice-1">Another practice</h2>' in body
    for heading in ["General", "Location", "Description", "Timescale", "Classification"]:
        assert f"<h3>{heading}</h3>" in body
    assert "<dt>Evidence of success (results achieved)</dt>" in body
    assert "Anna Kowalska" in body
    assert "anna@private.example" not in body
    assert "ie-print.css" in body
    assert "style=" not in body and "<script" not in body


def test_editor_exports_only_own_practices(client, draft):
    foreign = factories.GoodPracticeFactory(
        title="Foreign practice", projects=[factories.ProjectFactory()]
    )
    client.force_login(make_editor("exporter", draft.projects.get()))
    response = client.post(
        admin_url(GoodPractice, "changelist"),
        {"action": "export_interreg_xlsx", "_selected_action": [draft.pk, foreign.pk]},
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    titles = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == [draft.title]


def test_view_on_site_of_a_draft_opens_the_preview(admin_client, draft):
    response = admin_client.get(admin_url(GoodPractice, "change", draft.pk))
    assert response.context["original"] == draft
    assert f'href="{preview_url(draft)}"' in response.content.decode()
    published = factories.GoodPracticeFactory()
    response = admin_client.get(admin_url(GoodPractice, "change", published.pk))
    link = f'href="{published.get_absolute_url()}" class="viewsitelink"'
    assert link in response.content.decode()


# Entering whole objects without leaving the admin


def test_staff_enters_a_full_practice_with_transfers(admin_client, draft):
    project = draft.projects.get()
    adopter = factories.RegionFactory(nuts_code="FI1D", name="Pohjois- ja Itä-Suomi")
    topic = factories.TopicFactory(name="Clusters")
    response = admin_client.post(
        admin_url(GoodPractice, "add"),
        {
            "title": "Cluster excellence programme",
            "slug": "cluster-excellence-programme",
            "projects": [project.pk],
            "language": "en",
            "publication_state": "draft",
            "region": draft.region_id,
            "city": "Warszawa",
            "summary": "Support for cluster organisations.",
            "organisation": draft.organisation_id,
            "description": "How it works.",
            "resources_needed": "Two staff.",
            "evidence_of_success": "12 clusters certified.",
            "difficulties": "Keeping SMEs engaged.",
            "potential_for_transfer": "Any region with clusters.",
            "start_date": "2019-01-01",
            "end_date": "",
            "status": "ongoing",
            "topics": [topic.pk],
            "keywords": "clusters",
            "further_information": "https://example.org/clusters",
            "contact": draft.contact_id,
            "expert_opinion": "",
            "transfers-TOTAL_FORMS": "1",
            "transfers-INITIAL_FORMS": "0",
            "transfers-0-region": adopter.pk,
            "transfers-0-year": "2022",
            "transfers-0-note": "Adapted for Lapland.",
            "transfers-0-state": "adopted",
            "transfers-0-show_region": "on",
            # A translation, entered on the same page as the original.
            "translations-TOTAL_FORMS": "1",
            "translations-INITIAL_FORMS": "0",
            "translations-0-language_code": "pl",
            "translations-0-translated_title": "Program doskonałości klastrów",
            "translations-0-translated_summary": "Wsparcie dla organizacji klastrowych.",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    practice = GoodPractice.objects.get(slug="cluster-excellence-programme")
    polish = practice.translations.get()
    assert (polish.language_code, polish.translated_title) == (
        "pl",
        "Program doskonałości klastrów",
    )
    # The original stays the original.
    assert practice.title == "Cluster excellence programme"
    assert practice.transfers.get().region == adopter
    assert list(practice.topics.all()) == [topic]


def test_staff_enters_a_full_event_with_agenda_and_materials(admin_client, draft):
    project = draft.projects.get()
    presenter = factories.PersonFactory(name="Ana Cvetko")
    organiser = factories.OrganisationFactory(name="Flanders Make")
    response = admin_client.post(
        admin_url(Event, "add"),
        {
            "title": "1st Interregional Thematic Seminar",
            "title_en": "",
            "slug": "first-seminar",
            "project": project.pk,
            "kind": Event.Kind.THEMATIC_SEMINAR,
            "format": Event.Format.IN_PERSON,
            "language": "en",
            "start_0": "2020-02-25",
            "start_1": "09:00",
            "end_0": "2020-02-26",
            "end_1": "17:00",
            "time_zone": "Europe/Brussels",
            "venue": "Flanders Make",
            "city": "Leuven",
            "region": draft.region_id,
            "online_link": "",
            "summary": "Seven practices presented.",
            "description": "",
            "organisers": [organiser.pk],
            "publication_state": "published",
            # Side by side with the original: its Polish version.
            "translations-TOTAL_FORMS": "1",
            "translations-INITIAL_FORMS": "0",
            "translations-0-language_code": "pl",
            "translations-0-translated_title": "Seminarium tematyczne o innowacjach",
            "translations-0-translated_summary": "Zaprezentowano siedem praktyk.",
            "presentations-TOTAL_FORMS": "1",
            "presentations-INITIAL_FORMS": "0",
            "presentations-0-order": "1",
            "presentations-0-title": "Digital Innovation Hub vouchers",
            "presentations-0-presenter": presenter.pk,
            "presentations-0-organisation": presenter.organisation_id,
            "presentations-0-practice": draft.pk,
            "participants-TOTAL_FORMS": "2",
            "participants-INITIAL_FORMS": "0",
            "participants-0-organisation": organiser.pk,
            "participants-0-role": "host",
            "participants-1-person": presenter.pk,
            "participants-1-organisation": presenter.organisation_id,
            "participant_groups-TOTAL_FORMS": "1",
            "participant_groups-INITIAL_FORMS": "0",
            "participant_groups-0-order": "1",
            "participant_groups-0-role": "partner",
            "participant_groups-0-people_count": "19",
            "participant_groups-0-region_count": "7",
            "materials-TOTAL_FORMS": "1",
            "materials-INITIAL_FORMS": "0",
            "materials-0-title": "Seminar report",
            "materials-0-kind": "report",
            "materials-0-url": "https://example.org/report.pdf",
            "materials-0-language": "en",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = Event.objects.get(slug="first-seminar")
    assert event.presentations.get().practice == draft
    assert event.materials.get().title == "Seminar report"
    assert list(event.organisers.all()) == [organiser]
    assert event.participants.get(person=None).role == "host"
    assert event.participants.get(person=presenter).organisation == presenter.organisation
    assert event.participant_groups.get().people_count == 19
    version = event.translations.get()
    assert (version.language_code, version.translated_title) == (
        "pl",
        "Seminarium tematyczne o innowacjach",
    )
    # The search by name finds it by the words of its Polish version.
    assert "Seminarium" in Event.objects.get(pk=event.pk).translation_words
    assert {h.history_user.username for h in event.history.all()} == {"admin"}
