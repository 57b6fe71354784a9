"""History stays visible in the admin, but a past version cannot be saved back over the present.

The revert form of django-simple-history saved with view permission only,
outside the scoped save and outside the proposal workflow (issue 15 item 1).
"""

import pytest

from core.models import Organisation
from practices import services
from practices.models import GoodPractice, PracticeProposal
from tests import factories
from tests.exchange.admin_helpers import admin_url, change_form_data, make_editor

pytestmark = pytest.mark.django_db


def history_form_url(obj, record):
    return admin_url(type(obj), "simple_history", obj.pk, record.history_id)


def revert(client, obj, record, **changes):
    """POST a past version's form back, the way the Revert button did."""
    url = history_form_url(obj, record)
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, {**change_form_data(page), **changes})


def test_a_view_only_editor_cannot_rename_an_organisation_through_its_history(client):
    organisation = factories.OrganisationFactory(name="Agencja Rozwoju")
    client.force_login(make_editor("editor"))
    response = revert(client, organisation, organisation.history.get(), name="Hijacked")
    assert response.status_code == 403
    assert Organisation.objects.get(pk=organisation.pk).name == "Agencja Rozwoju"


def test_reverting_cannot_drop_another_projects_link_from_a_shared_practice(client):
    mine, theirs = factories.ProjectFactory(acronym="MINE"), factories.ProjectFactory()
    practice = factories.GoodPracticeFactory(projects=[mine, theirs])
    client.force_login(make_editor("editor", mine))
    response = revert(client, practice, practice.history.earliest())
    assert response.status_code == 403
    assert set(GoodPractice.objects.get(pk=practice.pk).projects.all()) == {mine, theirs}


def test_an_accepted_proposal_cannot_be_reverted_around_the_workflow(admin_client):
    proposal = factories.PracticeProposalFactory()
    submitted = proposal.history.latest()
    services.accept_proposal(proposal=proposal)
    response = revert(admin_client, proposal, submitted)
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.state == PracticeProposal.State.ACCEPTED
    assert GoodPractice.objects.count() == 1


def test_history_and_past_versions_stay_readable_without_a_revert_button(admin_client):
    organisation = factories.OrganisationFactory(name="Old name")
    organisation.name = "New name"
    organisation.save()
    history = admin_client.get(admin_url(Organisation, "history", organisation.pk))
    assert history.status_code == 200
    assert "Old name" in history.content.decode() or "New name" in history.content.decode()
    past = admin_client.get(history_form_url(organisation, organisation.history.earliest()))
    assert past.status_code == 200
    html = past.content.decode()
    assert "Old name" in html
    assert 'name="_revert"' not in html
