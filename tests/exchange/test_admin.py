"""Every registered ModelAdmin's changelist, search and add form work for a superuser."""

import pytest
from django import forms
from django.contrib import admin
from django.urls import reverse

from tests import factories

REGISTERED = sorted(
    (model for model in admin.site._registry),
    key=lambda m: (m._meta.app_label, m._meta.model_name),
)
IDS = [f"{m._meta.app_label}.{m._meta.model_name}" for m in REGISTERED]


@pytest.fixture
def content(db):
    """One of everything, so that changelists render real rows."""
    project = factories.ProjectFactory()
    practice = factories.GoodPracticeFactory(projects=[project], topics=[factories.TopicFactory()])
    factories.TransferFactory(practice=practice)
    factories.PartnershipFactory(project=project)
    presentation = factories.PresentationFactory(event__project=project, practice=practice)
    factories.MaterialFactory(event=presentation.event, presentation=presentation)
    factories.PracticeProposalFactory(project=project)
    return practice


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", REGISTERED, ids=IDS)
def test_changelist_renders(admin_client, content, model):
    response = admin_client.get(_url(model, "changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=IDS)
def test_changelist_search(admin_client, content, model):
    model_admin = admin.site._registry[model]
    if not model_admin.get_search_fields(None):
        pytest.skip("no search on this changelist")
    response = admin_client.get(_url(model, "changelist"), {"q": "a"})
    assert response.status_code == 200
    response = admin_client.get(_url(model, "changelist"), {"q": "no-such-thing-anywhere"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


@pytest.mark.parametrize("model", REGISTERED, ids=IDS)
def test_add_form_renders(admin_client, content, rf, admin_user, model):
    request = rf.get("/")
    request.user = admin_user
    if not admin.site._registry[model].has_add_permission(request):
        pytest.skip("this admin does not add objects by hand")
    response = admin_client.get(_url(model, "add"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=IDS)
def test_change_form_renders(admin_client, content, model):
    obj = model._default_manager.first()
    if obj is None:
        pytest.skip("no object of this model in the fixture")
    response = admin_client.get(_url(model, "change", obj.pk))
    assert response.status_code == 200


def test_search_finds_the_practice(admin_client, content):
    from practices.models import GoodPractice

    response = admin_client.get(_url(GoodPractice, "changelist"), {"q": content.title})
    assert response.context["cl"].result_count == 1


def test_every_model_of_the_portal_is_registered():
    from django.apps import apps

    missing = [
        m._meta.label
        for app in ("exchange", "practices", "events")
        for m in apps.get_app_config(app).get_models()
        if not m._meta.label.split(".")[1].startswith("Historical")
        and m not in admin.site._registry
    ]
    # Proposal attachments are shown inside their proposal, and translations
    # inside what they translate, not on their own; the insights tally is
    # written by database triggers only.
    assert set(missing) <= {
        "practices.PracticeTally",
        "practices.ProposalAttachment",
        "practices.PracticeProposal",
        "practices.PracticeTranslation",
        "exchange.ProjectTranslation",
        "exchange.PolicyInstrumentTranslation",
        "events.EventTranslation",
        "events.OutputTranslation",
    }


def test_every_foreign_key_to_a_large_table_autocompletes():
    from core.models import Organisation, Person, Project, Region
    from practices.models import GoodPractice

    large = {Region, Organisation, Person, Project, GoodPractice}
    missing = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in {"exchange", "practices", "events"}:
            continue
        if model._meta.model_name == "practiceproposal":
            # The review queue (practices/proposal_admin.py) picks its own widgets.
            continue
        admins = [model_admin, *(cls(model, admin.site) for cls in model_admin.inlines)]
        for a in admins:
            for field in a.model._meta.get_fields():
                if not (field.many_to_one or field.many_to_many) or not field.concrete:
                    continue
                if field.related_model not in large:
                    continue
                if getattr(a, "fk_name", None) == field.name or (
                    a is not model_admin and field.related_model is model
                ):
                    continue
                if field.name in a.readonly_fields:
                    continue
                if field.name not in (*a.autocomplete_fields, *a.raw_id_fields):
                    missing.append(f"{a.model._meta.label}.{field.name}")
    assert missing == []


def _url_fields(model_admin, request):
    form = model_admin.get_form(request)
    yield from ((model_admin, name, f) for name, f in form.base_fields.items())
    for inline in model_admin.get_inline_instances(request):
        formset = inline.get_formset(request)
        yield from ((inline, name, f) for name, f in formset.form.base_fields.items())


@pytest.mark.django_db
def test_every_admin_link_typed_without_a_scheme_becomes_https(rf, admin_user):
    request = rf.get("/")
    request.user = admin_user
    seen = []
    for model_admin in admin.site._registry.values():
        for owner, name, field in _url_fields(model_admin, request):
            if isinstance(field, forms.URLField):
                seen.append(f"{owner.model.__name__}.{name}")
                assert field.clean("example.org/page") == "https://example.org/page", seen[-1]
    assert {"Programme.website", "GoodPractice.further_information", "Material.url"} <= set(seen)
