"""The OpenAPI schema is valid, and requests generated from it never get a 5xx."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

SCHEMA_URL = "/api/v1/schema/?format=json"


def test_schema_is_valid_openapi_3(client, db):
    response = client.get(SCHEMA_URL)
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate(schema)
    paths = set(schema["paths"])
    for name in ["practices", "events", "projects", "organisations", "regions", "topics"]:
        assert f"/api/v1/{name}/" in paths
        assert f"/api/v1/{name}/{{slug}}/" in paths
    assert "/api/v1/programmes/" in paths
    # Read-only: no operation but GET anywhere.
    methods = {method for operations in schema["paths"].values() for method in operations}
    assert methods == {"get"}
    # The listing's filters are documented on the list.
    practice_filters = {
        p["name"] for p in schema["paths"]["/api/v1/practices/"]["get"]["parameters"]
    }
    assert {"q", "country", "region", "topic", "project", "programme", "status"} <= (
        practice_filters
    )
    assert {"language", "year", "sort", "page", "page_size"} <= practice_filters
    # A search's count stops at the listing's broad-search limit, and says so.
    page = schema["components"]["schemas"]["PaginatedPracticeListList"]
    assert page["properties"]["count_capped"]["type"] == "boolean"
    assert "count_capped" in page["required"]
    assert "1,000" in page["properties"]["count_capped"]["description"]


def test_schema_is_served_as_yaml_by_default(client, db):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert response.content.startswith(b"openapi: 3.")


@pytest.fixture
def wsgi_app():
    """The real WSGI application, minus closing the database connection after each
    request (as Django's test client does): the test's transaction must survive."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_generated_requests_never_get_a_server_error(db, portal, wsgi_app):
    """Random filters, page numbers and slugs for every operation of the schema.

    Answers are 200, 400 or 404, never 5xx, and every 200 matches the schema.
    In-process through the WSGI application; a dozen examples per operation.
    """
    api = schemathesis.openapi.from_wsgi(SCHEMA_URL, wsgi_app)
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) == 18
    statuses = []

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=12,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            response = case.call_and_validate(
                checks=[not_a_server_error, response_schema_conformance]
            )
            statuses.append(response.status_code)

        check()

    assert len(statuses) > 100
    assert set(statuses) <= {200, 400, 404}
    assert 200 in statuses
