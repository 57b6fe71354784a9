"""Good practices: database constraints, QuerySet methods, derived fields."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, connection, transaction

from core.models import PublicationState
from practices.models import GoodPractice, PracticeProposal, Transfer
from tests.factories import (
    GoodPracticeFactory,
    PracticeProposalFactory,
    RegionFactory,
    TransferFactory,
)

pytestmark = pytest.mark.django_db


def refused():
    # PostgreSQL's varchar(100) refuses a long title (DataError) before the
    # CHECK constraint runs; on SQLite the CHECK constraint is what refuses.
    return pytest.raises((IntegrityError, DataError))


class TestTitleLength:
    def test_title_of_100_characters_is_accepted(self):
        practice = GoodPracticeFactory()
        GoodPractice.objects.filter(pk=practice.pk).update(title="x" * 100)
        practice.refresh_from_db()
        assert len(practice.title) == 100

    def test_title_over_100_characters_is_refused_by_update(self):
        practice = GoodPracticeFactory()
        with refused(), transaction.atomic():
            GoodPractice.objects.filter(pk=practice.pk).update(title="x" * 101)

    def test_title_over_100_characters_is_refused_by_bulk_create(self):
        with refused(), transaction.atomic():
            GoodPractice.objects.bulk_create(
                [GoodPractice(title="y" * 101, slug="too-long", summary="s")]
            )

    def test_title_counts_characters_not_bytes(self):
        # 100 letters with diacritics are 200 bytes in UTF-8, and allowed.
        practice = GoodPracticeFactory()
        GoodPractice.objects.filter(pk=practice.pk).update(title="ł" * 100)
        practice.refresh_from_db()
        assert practice.title == "ł" * 100

    def test_proposal_title_is_limited_too(self):
        proposal = PracticeProposalFactory()
        with refused(), transaction.atomic():
            PracticeProposal.objects.filter(pk=proposal.pk).update(title="z" * 101)

    def test_check_constraints_exist(self):
        table = GoodPractice._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                # SQLite's introspection does not name CHECK constraints; the
                # table's own SQL does.
                cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [table])
                names = cursor.fetchone()[0]
            else:
                names = connection.introspection.get_constraints(cursor, table)
        assert "practice_title_max_100" in names
        assert "practice_end_after_start" in names


class TestDates:
    def test_end_before_start_is_refused(self):
        practice = GoodPracticeFactory(start_date=datetime.date(2020, 1, 1))
        with refused(), transaction.atomic():
            GoodPractice.objects.filter(pk=practice.pk).update(end_date=datetime.date(2019, 1, 1))

    def test_end_before_start_is_refused_on_create(self):
        with refused(), transaction.atomic():
            GoodPracticeFactory(
                start_date=datetime.date(2020, 1, 2), end_date=datetime.date(2020, 1, 1)
            )

    def test_open_ended_practice_is_fine(self):
        practice = GoodPracticeFactory(start_date=None, end_date=datetime.date(2020, 1, 1))
        assert practice.pk

    def test_active_in(self):
        old = GoodPracticeFactory(
            start_date=datetime.date(2010, 1, 1), end_date=datetime.date(2012, 12, 31)
        )
        ongoing = GoodPracticeFactory(start_date=datetime.date(2018, 1, 1), end_date=None)
        assert set(GoodPractice.objects.active_in(2011)) == {old}
        assert set(GoodPractice.objects.active_in(2020)) == {ongoing}


class TestTransfer:
    def test_region_adopts_a_practice_once(self):
        transfer = TransferFactory()
        with refused(), transaction.atomic():
            Transfer.objects.create(practice=transfer.practice, region=transfer.region, year=2023)

    def test_another_region_may_adopt_it_too(self):
        transfer = TransferFactory()
        TransferFactory(practice=transfer.practice, region=RegionFactory())
        assert transfer.practice.transfers.count() == 2


class TestPublished:
    def test_only_published_practices(self):
        published = GoodPracticeFactory()
        GoodPracticeFactory(publication_state=PublicationState.DRAFT)
        GoodPracticeFactory(publication_state=PublicationState.ARCHIVED)
        assert list(GoodPractice.objects.published()) == [published]

    def test_publishing_stamps_the_date_once(self):
        practice = GoodPracticeFactory(publication_state=PublicationState.DRAFT)
        assert practice.published_at is None
        practice.publication_state = PublicationState.PUBLISHED
        practice.save()
        stamped = practice.published_at
        assert stamped is not None
        practice.save()
        assert practice.published_at == stamped


class TestForListing:
    @pytest.mark.parametrize("rows", [1, 50])
    def test_one_query_whatever_the_number_of_rows(self, rows, django_assert_num_queries):
        region = RegionFactory()
        for _ in range(rows):
            GoodPracticeFactory(region=region)
        with django_assert_num_queries(1):
            listed = [
                (p.title, p.region.name, p.organisation.name)
                for p in GoodPractice.objects.published().for_listing()
            ]
        assert len(listed) == rows

    def test_newest_first(self):
        first = GoodPracticeFactory()
        second = GoodPracticeFactory()
        GoodPractice.objects.filter(pk=first.pk).update(
            published_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
        )
        GoodPractice.objects.filter(pk=second.pk).update(
            published_at=datetime.datetime(2021, 1, 1, tzinfo=datetime.UTC)
        )
        assert list(GoodPractice.objects.for_listing()) == [second, first]


class TestSlug:
    def test_slug_from_the_title_and_unique(self):
        a = GoodPracticeFactory(title="Plant Run")
        b = GoodPracticeFactory(title="Plant run")
        assert a.slug == "plant-run"
        assert b.slug == "plant-run-2"

    def test_database_refuses_a_duplicate_slug(self):
        a = GoodPracticeFactory()
        b = GoodPracticeFactory()
        with refused(), transaction.atomic():
            GoodPractice.objects.filter(pk=b.pk).update(slug=a.slug)

    def test_keyword_list(self):
        practice = GoodPracticeFactory(keywords="IoT, clusters , ,audits")
        assert practice.keyword_list == ["IoT", "clusters", "audits"]


class TestSlugsOfFixedRoutes:
    # /practices/alerts/, /practices/propose/ ... answer before the detail
    # route, so a practice with such a slug could never be opened.
    @pytest.mark.parametrize("title", ["Alerts", "Propose", "Proposals", "Interests"])
    def test_a_practice_titled_like_a_fixed_route_gets_a_reachable_address(self, client, title):
        practice = GoodPracticeFactory(title=title)
        assert practice.slug == f"{title.lower()}-2"
        response = client.get(practice.get_absolute_url(), secure=True)
        assert response.status_code == 200
        assert response.context["practice"] == practice

    def test_the_fixed_route_still_answers_its_own_page(self, client):
        GoodPracticeFactory(title="Alerts")
        response = client.get("/practices/alerts/", secure=True)
        assert response.status_code == 200
        assert "practice" not in response.context

    def test_staff_cannot_give_a_practice_a_fixed_route_as_slug(self):
        practice = GoodPracticeFactory()
        practice.slug = "alerts"
        with pytest.raises(ValidationError) as refused_slug:
            practice.full_clean()
        assert "slug" in refused_slug.value.message_dict
