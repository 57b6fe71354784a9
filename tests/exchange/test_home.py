import pytest
from django.urls import reverse

from tests.factories import EventFactory, GoodPracticeFactory

pytestmark = pytest.mark.django_db


def test_home_shows_published_practices_and_counts(client):
    published = GoodPracticeFactory(title="Regional 4.0 Audit for SMEs")
    GoodPracticeFactory(title="Secret draft practice", publication_state="draft")
    EventFactory(title="Upcoming seminar in Leuven")

    response = client.get(reverse("exchange:home"))

    assert response.status_code == 200
    body = response.content.decode()
    assert published.title in body
    assert "Secret draft practice" not in body
    assert "Upcoming seminar in Leuven" in body
    assert response.context["practice_count"] == 1
    assert '<html lang="en">' in body
    assert 'href="#main"' in body


def test_home_query_count_does_not_grow_with_content(client, django_assert_max_num_queries):
    GoodPracticeFactory.create_batch(20)
    EventFactory.create_batch(5)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("exchange:home")).status_code == 200


def test_healthz_answers_without_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.content == b"ok"
