"""An editor of project A can neither see nor change project B's content in the admin."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group

from core.admin_scoping import PORTAL_ADMINISTRATORS, PROJECT_EDITORS, ProjectScopedAdminMixin
from core.models import Partnership, Project, PublicationState
from events.models import Event, Material, Participant, Presentation
from practices.models import GoodPractice, PracticeProposal, Transfer
from tests import factories
from tests.exchange.admin_helpers import admin_url, change_form_data, make_editor

SCOPED = [GoodPractice, Transfer, Event, Presentation, Material, Participant, Partnership, Project]
if isinstance(admin.site._registry.get(PracticeProposal), ProjectScopedAdminMixin):
    SCOPED.append(PracticeProposal)
IDS = [m._meta.model_name for m in SCOPED]


def _content_of(project):
    practice = factories.GoodPracticeFactory(
        projects=[project], publication_state=PublicationState.DRAFT
    )
    event = factories.EventFactory(project=project)
    presentation = factories.PresentationFactory(event=event, practice=practice)
    return {
        GoodPractice: practice,
        Transfer: factories.TransferFactory(practice=practice),
        Event: event,
        Presentation: presentation,
        Material: factories.MaterialFactory(event=event, presentation=presentation),
        Participant: factories.ParticipantFactory(event=event),
        Partnership: factories.PartnershipFactory(project=project),
        Project: project,
        PracticeProposal: factories.PracticeProposalFactory(project=project),
    }


@pytest.fixture
def world(db):
    project_a = factories.ProjectFactory(acronym="ALPHA")
    project_b = factories.ProjectFactory(acronym="BETA")
    editor = make_editor("editor-a", project_a)
    return {
        "a": _content_of(project_a),
        "b": _content_of(project_b),
        "project_a": project_a,
        "project_b": project_b,
        "editor": editor,
    }


@pytest.fixture
def editor_client(client, world):
    client.force_login(world["editor"])
    return client


def _snapshot(obj):
    obj = type(obj)._default_manager.filter(pk=obj.pk).values().first()
    return obj


def test_roles_exist_with_sensible_permissions(db):
    editors = Group.objects.get(name=PROJECT_EDITORS)
    codes = set(editors.permissions.values_list("codename", flat=True))
    assert {"add_goodpractice", "change_goodpractice", "view_goodpractice"} <= codes
    assert {"add_event", "change_practiceproposal", "delete_presentation"} <= codes
    assert "view_region" in codes and "change_region" not in codes
    assert "change_topic" not in codes and "change_programme" not in codes
    assert "delete_goodpractice" not in codes and "add_project" not in codes
    admins = Group.objects.get(name=PORTAL_ADMINISTRATORS)
    admin_codes = set(admins.permissions.values_list("codename", flat=True))
    assert {"delete_goodpractice", "change_region", "add_project", "change_user"} <= admin_codes


@pytest.mark.parametrize("model", SCOPED, ids=IDS)
def test_changelist_lists_only_own_project(editor_client, world, model):
    response = editor_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    listed = {obj.pk for obj in response.context["cl"].result_list}
    assert world["a"][model].pk in listed
    assert world["b"][model].pk not in listed


@pytest.mark.parametrize("model", SCOPED, ids=IDS)
def test_change_page_of_other_project_is_not_found(editor_client, world, model):
    obj = world["b"][model]
    assert editor_client.get(admin_url(model, "change", obj.pk)).status_code == 404
    assert editor_client.get(admin_url(model, "change", obj.pk) + "?_popup=1").status_code == 404


@pytest.mark.parametrize("model", SCOPED, ids=IDS)
def test_own_change_page_opens(editor_client, world, model):
    obj = world["a"][model]
    assert editor_client.get(admin_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", SCOPED, ids=IDS)
def test_post_change_to_other_project_changes_nothing(editor_client, world, model):
    obj = world["b"][model]
    before = _snapshot(obj)
    response = editor_client.post(
        admin_url(model, "change", obj.pk), {"title": "Hijacked", "acronym": "HIJACK"}
    )
    assert response.status_code == 404
    assert _snapshot(obj) == before


@pytest.mark.parametrize("model", SCOPED, ids=IDS)
def test_delete_of_other_project_is_refused(editor_client, world, model):
    obj = world["b"][model]
    url = admin_url(model, "delete", obj.pk)
    assert editor_client.get(url).status_code in (403, 404)
    assert editor_client.post(url, {"post": "yes"}).status_code in (403, 404)
    assert model._default_manager.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("model", SCOPED, ids=IDS)
def test_history_of_other_project_is_refused(editor_client, world, model):
    obj = world["b"][model]
    try:
        url = admin_url(model, "history", obj.pk)
    except Exception:  # pragma: no cover - every admin has a history view
        pytest.skip("no history view")
    assert editor_client.get(url).status_code in (403, 404)


@pytest.mark.parametrize("model", SCOPED, ids=IDS)
def test_bulk_delete_action_ignores_other_project(editor_client, world, model):
    obj = world["b"][model]
    response = editor_client.post(
        admin_url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302, 403)
    assert model._default_manager.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("model", [GoodPractice, Event], ids=["goodpractice", "event"])
def test_publish_action_ignores_other_project(editor_client, world, model):
    own, other = world["a"][model], world["b"][model]
    model._default_manager.filter(pk__in=[own.pk, other.pk]).update(
        publication_state=PublicationState.DRAFT
    )
    editor_client.post(
        admin_url(model, "changelist"),
        {"action": "make_published", "_selected_action": [own.pk, other.pk]},
    )
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.publication_state == PublicationState.PUBLISHED
    assert other.publication_state == PublicationState.DRAFT


def test_editor_cannot_create_a_practice_for_another_project(editor_client, world):
    response = editor_client.post(
        admin_url(GoodPractice, "add"),
        {
            "title": "Smuggled practice",
            "slug": "smuggled-practice",
            "summary": "x",
            "language": "en",
            "status": "ongoing",
            "publication_state": "draft",
            "projects": [world["project_b"].pk],
            "transfers-TOTAL_FORMS": "0",
            "translations-TOTAL_FORMS": "0",
            "translations-INITIAL_FORMS": "0",
            "transfers-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "projects" in response.context["adminform"].form.errors
    assert not GoodPractice.objects.filter(slug="smuggled-practice").exists()


def test_editor_must_link_a_new_practice_to_a_project(editor_client, world):
    response = editor_client.post(
        admin_url(GoodPractice, "add"),
        {
            "title": "Orphan practice",
            "slug": "orphan-practice",
            "summary": "x",
            "language": "en",
            "status": "ongoing",
            "publication_state": "draft",
            "transfers-TOTAL_FORMS": "0",
            "translations-TOTAL_FORMS": "0",
            "translations-INITIAL_FORMS": "0",
            "transfers-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "projects" in response.context["adminform"].form.errors
    assert not GoodPractice.objects.filter(slug="orphan-practice").exists()


def test_editor_creates_a_practice_for_own_project(editor_client, world):
    response = editor_client.post(
        admin_url(GoodPractice, "add"),
        {
            "title": "Own practice",
            "slug": "own-practice",
            "summary": "x",
            "language": "en",
            "status": "ongoing",
            "publication_state": "draft",
            "projects": [world["project_a"].pk],
            "transfers-TOTAL_FORMS": "0",
            "translations-TOTAL_FORMS": "0",
            "translations-INITIAL_FORMS": "0",
            "transfers-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert GoodPractice.objects.get(slug="own-practice").projects.get() == world["project_a"]


def test_editor_cannot_create_an_event_for_another_project(editor_client, world):
    response = editor_client.post(
        admin_url(Event, "add"),
        {
            "title": "Smuggled event",
            "slug": "smuggled-event",
            "project": world["project_b"].pk,
            "kind": Event.Kind.WORKSHOP,
            "format": Event.Format.IN_PERSON,
            "language": "en",
            "start_0": "2030-01-01",
            "start_1": "10:00",
            "end_0": "2030-01-01",
            "end_1": "12:00",
            "time_zone": "Europe/Brussels",
            "publication_state": "draft",
            "presentations-TOTAL_FORMS": "0",
            "presentations-INITIAL_FORMS": "0",
            "materials-TOTAL_FORMS": "0",
            "materials-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "project" in response.context["adminform"].form.errors
    assert not Event.objects.filter(slug="smuggled-event").exists()


@pytest.mark.parametrize(
    ("model", "field", "target"),
    [
        (Transfer, "practice", GoodPractice),
        (Presentation, "event", Event),
        (Material, "event", Event),
        (Partnership, "project", Project),
        (Event, "project", Project),
        (GoodPractice, "projects", Project),
    ],
)
def test_form_choices_offer_only_own_objects(editor_client, world, model, field, target):
    response = editor_client.get(admin_url(model, "add"))
    queryset = response.context["adminform"].form.fields[field].queryset
    assert world["a"][target] in queryset
    assert world["b"][target] not in queryset


def test_autocomplete_offers_only_own_projects(editor_client, world):
    response = editor_client.get(
        "/admin/autocomplete/",
        {"app_label": "practices", "model_name": "goodpractice", "field_name": "projects"},
    )
    assert response.status_code == 200
    texts = {r["text"] for r in response.json()["results"]}
    assert texts == {"ALPHA"}


def test_a_proposals_project_is_typed_not_chosen_among_every_project(editor_client, world):
    # Issue 16: thousands of projects are no select; the autocomplete is scoped.
    proposal = world["a"][PracticeProposal]
    html = editor_client.get(admin_url(PracticeProposal, "change", proposal.pk)).content.decode()
    assert 'data-field-name="project"' in html
    assert "BETA" not in html
    response = editor_client.get(
        "/admin/autocomplete/",
        {"app_label": "practices", "model_name": "practiceproposal", "field_name": "project"},
    )
    assert {r["text"] for r in response.json()["results"]} == {"ALPHA"}


def test_editor_keeps_links_to_projects_they_cannot_see(editor_client, world):
    practice = world["a"][GoodPractice]
    practice.projects.add(world["project_b"])
    response = editor_client.get(admin_url(GoodPractice, "change", practice.pk))
    data = change_form_data(response)
    data["title"] = "Renamed by the editor"
    response = editor_client.post(admin_url(GoodPractice, "change", practice.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    practice.refresh_from_db()
    assert practice.title == "Renamed by the editor"
    assert set(practice.projects.all()) == {world["project_a"], world["project_b"]}


def test_editor_cannot_change_project_editors(editor_client, world):
    project = world["project_a"]
    response = editor_client.get(admin_url(Project, "change", project.pk))
    assert "editors" not in response.context["adminform"].form.fields
    intruder = make_editor("intruder")
    data = change_form_data(response)
    data["editors"] = [intruder.pk]
    editor_client.post(admin_url(Project, "change", project.pk), data)
    assert list(project.editors.all()) == [world["editor"]]


def test_editor_cannot_change_reference_data(editor_client, world):
    region = world["a"][GoodPractice].region
    from core.models import Region

    response = editor_client.post(admin_url(Region, "change", region.pk), {"name": "Renamed"})
    assert response.status_code == 403
    region.refresh_from_db()
    assert region.name != "Renamed"
    assert editor_client.get(admin_url(Region, "changelist")).status_code == 200


def test_editor_cannot_import(editor_client, world):
    assert editor_client.get(admin_url(GoodPractice, "import")).status_code == 403


def test_editor_export_is_scoped(editor_client, world):
    from practices.admin import GoodPracticeAdmin

    request = editor_client.get(admin_url(GoodPractice, "changelist")).wsgi_request
    model_admin = admin.site._registry[GoodPractice]
    assert isinstance(model_admin, GoodPracticeAdmin)
    exported = set(model_admin.get_export_queryset(request))
    assert world["a"][GoodPractice] in exported
    assert world["b"][GoodPractice] not in exported


def test_editor_without_projects_sees_nothing(client, world):
    lonely = make_editor("lonely")
    client.force_login(lonely)
    response = client.get(admin_url(GoodPractice, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


@pytest.mark.parametrize("model", SCOPED, ids=IDS)
def test_portal_administrator_sees_every_project(client, world, model):
    from tests.exchange.admin_helpers import make_portal_admin

    client.force_login(make_portal_admin("portal-admin"))
    response = client.get(admin_url(model, "changelist"))
    listed = {obj.pk for obj in response.context["cl"].result_list}
    assert {world["a"][model].pk, world["b"][model].pk} <= listed
    obj = world["b"][model]
    assert client.get(admin_url(model, "change", obj.pk)).status_code == 200


def test_single_project_editor_starts_new_objects_in_their_project(editor_client, world):
    response = editor_client.get(admin_url(GoodPractice, "add"))
    assert response.context["adminform"].form.initial["projects"] == [world["project_a"].pk]
    response = editor_client.get(admin_url(Event, "add"))
    assert response.context["adminform"].form.initial["project"] == world["project_a"].pk


def test_portal_administrators_hold_every_permission_of_the_portal(db):
    from django.contrib.auth.models import Permission

    every = set(
        Permission.objects.filter(
            content_type__app_label__in=["exchange", "practices", "events", "auth"]
        ).values_list("pk", flat=True)
    )
    held = set(
        Group.objects.get(name=PORTAL_ADMINISTRATORS).permissions.values_list("pk", flat=True)
    )
    # A model added later needs a migration that grants its permissions too.
    assert every == held


# Presentations: the practice presented (issue 15 item 2) -------------------------------


def practice_choices(response):
    form = response.context["adminform"].form
    if "practice" in form.fields:
        return form.fields["practice"].queryset
    (inline,) = [
        i for i in response.context["inline_admin_formsets"] if i.formset.model is Presentation
    ]
    return inline.formset.empty_form.fields["practice"].queryset


def test_presentation_practice_choices_leave_out_other_projects_drafts(editor_client, world):
    published_elsewhere = factories.GoodPracticeFactory(projects=[world["project_b"]])
    for url in (admin_url(Presentation, "add"), admin_url(Event, "change", world["a"][Event].pk)):
        choices = practice_choices(editor_client.get(url))
        assert world["a"][GoodPractice] in choices  # own draft
        assert published_elsewhere in choices  # public anyway
        assert world["b"][GoodPractice] not in choices  # another project's draft


def test_editor_cannot_attach_another_projects_draft_to_a_presentation(editor_client, world):
    draft = world["b"][GoodPractice]
    response = editor_client.post(
        admin_url(Presentation, "add"),
        {"event": world["a"][Event].pk, "title": "Smuggled", "order": 1, "practice": draft.pk},
    )
    assert response.status_code == 200
    assert "practice" in response.context["adminform"].form.errors
    assert not Presentation.objects.filter(title="Smuggled").exists()
    assert draft.title not in response.content.decode()


def post_presentation_in_event_form(client, event, practice, title):
    page = client.get(admin_url(Event, "change", event.pk))
    data = change_form_data(page)
    index = int(data["presentations-TOTAL_FORMS"])
    data["presentations-TOTAL_FORMS"] = str(index + 1)
    data.update(
        {
            f"presentations-{index}-title": title,
            f"presentations-{index}-order": "9",
            f"presentations-{index}-practice": str(practice.pk),
            f"presentations-{index}-event": str(event.pk),
        }
    )
    return client.post(admin_url(Event, "change", event.pk), data)


def test_editor_cannot_attach_another_projects_draft_through_the_event_inline(editor_client, world):
    event = world["a"][Event]
    response = post_presentation_in_event_form(
        editor_client, event, world["b"][GoodPractice], "Smuggled"
    )
    assert response.status_code == 200
    (inline,) = [
        i for i in response.context["inline_admin_formsets"] if i.formset.model is Presentation
    ]
    assert any("practice" in errors for errors in inline.formset.errors)
    assert not Presentation.objects.filter(title="Smuggled").exists()
    # The same form with the editor's own practice is saved.
    response = post_presentation_in_event_form(
        editor_client, event, world["a"][GoodPractice], "Own"
    )
    assert response.status_code == 302
    assert Presentation.objects.filter(title="Own", event=event).exists()


def test_editor_may_present_own_drafts_and_published_practices(editor_client, world):
    published_elsewhere = factories.GoodPracticeFactory(projects=[world["project_b"]])
    for practice in (world["a"][GoodPractice], published_elsewhere):
        response = editor_client.post(
            admin_url(Presentation, "add"),
            {"event": world["a"][Event].pk, "title": f"On {practice.pk}", "order": 1,
             "practice": practice.pk},
        )  # fmt: skip
        assert response.status_code == 302
        assert Presentation.objects.get(title=f"On {practice.pk}").practice == practice


# "View on site" (issue 15 item 4) --------------------------------------------------------


def view_on_site_url(obj):
    from django.contrib.contenttypes.models import ContentType

    return f"/admin/r/{ContentType.objects.get_for_model(obj).pk}/{obj.pk}/"


@pytest.mark.parametrize("model", [GoodPractice, Event, Project])
def test_view_on_site_of_another_projects_object_reveals_nothing(editor_client, world, model):
    obj = world["b"][model]
    response = editor_client.get(view_on_site_url(obj))
    assert response.status_code == 404
    assert obj.slug not in response.content.decode()
    assert obj.slug not in response.get("Location", "")


@pytest.mark.parametrize("model", [GoodPractice, Event, Project])
def test_view_on_site_of_own_objects_redirects(editor_client, world, model):
    obj = world["a"][model]
    response = editor_client.get(view_on_site_url(obj))
    assert response.status_code == 302
    assert response["Location"].endswith(obj.get_absolute_url())


def test_portal_administrators_view_any_object_on_site(admin_client, world):
    obj = world["b"][Event]
    assert admin_client.get(view_on_site_url(obj)).status_code == 302
