"""Admin changelists cost the same number of queries for 1 row and for 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Organisation, Partnership, Person
from events.models import Event, Presentation
from practices.models import GoodPractice, Transfer
from tests import factories
from tests.exchange.admin_helpers import admin_url, make_editor


def _practice(project):
    return factories.GoodPracticeFactory(projects=[project], topics=[factories.TopicFactory()])


BUILDERS = {
    GoodPractice: _practice,
    Transfer: lambda project: factories.TransferFactory(practice=_practice(project)),
    Event: lambda project: factories.EventFactory(project=project),
    Presentation: lambda project: factories.PresentationFactory(
        event__project=project, practice=_practice(project)
    ),
    Partnership: lambda project: factories.PartnershipFactory(project=project),
    Organisation: lambda project: factories.OrganisationFactory(),
    Person: lambda project: factories.PersonFactory(),
}


def _count(client, model):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("model", list(BUILDERS), ids=[m._meta.model_name for m in BUILDERS])
@pytest.mark.parametrize("who", ["superuser", "editor"])
def test_changelist_queries_do_not_grow_with_rows(client, admin_user, db, model, who):
    project = factories.ProjectFactory()
    user = admin_user if who == "superuser" else make_editor("editor", project)
    client.force_login(user)
    BUILDERS[model](project)
    one = _count(client, model)
    for _ in range(49):
        BUILDERS[model](project)
    fifty = _count(client, model)
    assert fifty == one, f"{one} queries for 1 row, {fifty} for 50"
    assert one <= 16
