"""The core domain: what the database refuses, and what the models derive."""

import datetime
from decimal import Decimal

import pytest
from django.db import DataError, IntegrityError, connection, transaction

from core.models import Partnership, Project, Region
from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    ProgrammeFactory,
    ProjectFactory,
    RegionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def refused():
    """Expect the database itself to refuse the statement in the block.

    PostgreSQL refuses a value longer than its varchar column (DataError)
    before any CHECK constraint is evaluated; SQLite has no such limit.
    """
    return pytest.raises((IntegrityError, DataError))


def hierarchy():
    es = RegionFactory(nuts_code="ES", name="España")
    es5 = RegionFactory(nuts_code="ES5", name="Este", parent=es)
    es51 = RegionFactory(nuts_code="ES51", name="Cataluña", parent=es5)
    return es, es5, es51


class TestProjectConstraints:
    def test_end_before_start_is_refused(self):
        project = ProjectFactory()
        with refused(), transaction.atomic():
            Project.objects.filter(pk=project.pk).update(
                start_date=datetime.date(2020, 1, 2), end_date=datetime.date(2020, 1, 1)
            )

    def test_end_before_start_is_refused_on_save(self):
        with refused(), transaction.atomic():
            ProjectFactory(start_date=datetime.date(2020, 1, 2), end_date=datetime.date(2020, 1, 1))

    def test_same_day_and_open_ends_are_allowed(self):
        ProjectFactory(start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2020, 1, 1))
        ProjectFactory(start_date=None, end_date=datetime.date(2020, 1, 1))
        ProjectFactory(start_date=datetime.date(2020, 1, 1), end_date=None)
        assert Project.objects.count() == 3

    def test_cofinancing_above_budget_is_refused(self):
        with refused(), transaction.atomic():
            ProjectFactory(total_budget=Decimal("100.00"), eu_cofinancing=Decimal("100.01"))

    def test_duplicate_acronym_is_refused(self):
        ProjectFactory(acronym="SMARTY")
        with refused(), transaction.atomic():
            ProjectFactory(acronym="SMARTY", slug="other")


class TestProjectStatus:
    @pytest.mark.parametrize(
        ("day", "status"),
        [
            (datetime.date(2019, 7, 31), Project.Status.PLANNED),
            (datetime.date(2019, 8, 1), Project.Status.RUNNING),
            (datetime.date(2023, 7, 31), Project.Status.RUNNING),
            (datetime.date(2023, 8, 1), Project.Status.CLOSED),
        ],
    )
    def test_status_follows_the_dates(self, day, status):
        project = ProjectFactory(
            start_date=datetime.date(2019, 8, 1), end_date=datetime.date(2023, 7, 31)
        )
        assert project.status_on(day) == status

    def test_status_today_is_derived_not_stored(self):
        today = datetime.date.today()
        running = ProjectFactory(
            start_date=today - datetime.timedelta(days=1),
            end_date=today + datetime.timedelta(days=1),
        )
        closed = ProjectFactory(
            start_date=datetime.date(2000, 1, 1), end_date=datetime.date(2001, 1, 1)
        )
        planned = ProjectFactory(start_date=today + datetime.timedelta(days=400), end_date=None)
        assert running.status == Project.Status.RUNNING
        assert closed.status == Project.Status.CLOSED
        assert planned.status == Project.Status.PLANNED
        assert closed.get_status_display() == "Closed"
        assert "status" not in {f.name for f in Project._meta.get_fields()}

    def test_without_the_deciding_dates_no_status_is_guessed(self):
        today = datetime.date.today()
        undated = ProjectFactory(start_date=None, end_date=None)
        started = ProjectFactory(start_date=today - datetime.timedelta(days=1), end_date=None)
        ending = ProjectFactory(start_date=None, end_date=today + datetime.timedelta(days=1))
        for project in (undated, started, ending):
            assert project.status == Project.Status.NOT_STATED
            assert project.get_status_display() == "Not stated"

    def test_running_on(self):
        smarty = ProjectFactory(
            start_date=datetime.date(2019, 8, 1), end_date=datetime.date(2023, 7, 31)
        )
        ProjectFactory(start_date=datetime.date(2024, 1, 1), end_date=None)
        assert list(Project.objects.running_on(datetime.date(2020, 2, 25))) == [smarty]


class TestProjectListing:
    def test_for_listing_joins_the_programme(self, django_assert_num_queries):
        for n in range(5):
            ProjectFactory(programme=ProgrammeFactory(), start_date=datetime.date(2019, 1, n + 1))
        with django_assert_num_queries(1):
            names = [p.programme.name for p in Project.objects.for_listing()]
        assert len(names) == 5

    def test_for_listing_puts_the_newest_first(self):
        old = ProjectFactory(start_date=datetime.date(2015, 1, 1), end_date=None)
        new = ProjectFactory(start_date=datetime.date(2020, 1, 1), end_date=None)
        assert list(Project.objects.for_listing()) == [new, old]


class TestPartnership:
    def test_duplicate_partnership_is_refused(self):
        partnership = PartnershipFactory()
        with refused(), transaction.atomic():
            Partnership.objects.create(
                project=partnership.project,
                organisation=partnership.organisation,
                role=Partnership.Role.LEAD_PARTNER,
            )

    def test_same_organisation_in_two_projects_is_fine(self):
        organisation = OrganisationFactory()
        PartnershipFactory(organisation=organisation)
        PartnershipFactory(organisation=organisation)
        assert organisation.partnerships.count() == 2


class TestRegionConstraints:
    @pytest.mark.parametrize("code", ["es51", "E", "ES5123", "E$5", "1S5"])
    def test_malformed_nuts_code_is_refused(self, code):
        region = RegionFactory(nuts_code="ES")
        # update() bypasses save(), which would upper-case and re-level it.
        with refused(), transaction.atomic():
            Region.objects.filter(pk=region.pk).update(nuts_code=code, level=len(code) - 2)

    def test_level_that_does_not_match_the_code_is_refused(self):
        region = RegionFactory(nuts_code="ES51")
        with refused(), transaction.atomic():
            Region.objects.filter(pk=region.pk).update(level=1)

    def test_code_without_level_is_refused(self):
        region = RegionFactory(nuts_code="ES51")
        with refused(), transaction.atomic():
            Region.objects.filter(pk=region.pk).update(level=None)

    def test_level_above_three_is_refused(self):
        region = RegionFactory(nuts_code=None, kind=Region.Kind.OTHER, name="Area")
        with refused(), transaction.atomic():
            Region.objects.filter(pk=region.pk).update(level=4)

    def test_duplicate_nuts_code_is_refused(self):
        RegionFactory(nuts_code="ES51")
        with refused(), transaction.atomic():
            RegionFactory(nuts_code="ES51", slug="catalonia")

    def test_save_normalises_code_and_level(self):
        region = RegionFactory(nuts_code="es51", level=None)
        assert (region.nuts_code, region.level) == ("ES51", 2)

    def test_non_nuts_region_needs_no_code(self):
        leeds = RegionFactory(
            nuts_code=None, kind=Region.Kind.CITY_REGION, name="Leeds City Region"
        )
        bsr = RegionFactory(nuts_code=None, kind=Region.Kind.MACRO_REGION, name="Baltic Sea Region")
        assert leeds.nuts_code is None and leeds.level is None
        assert bsr.slug == "baltic-sea-region"
        assert str(leeds) == "Leeds City Region"


class TestRegionHierarchy:
    def test_path_and_country_code_are_derived(self):
        es, es5, es51 = hierarchy()
        assert es.path == "/es/"
        assert es51.path == "/es/es5/es51/"
        assert {es.country_code, es5.country_code, es51.country_code} == {"ES"}
        assert es51.ancestors() == [es, es5]
        assert es.is_country and not es51.is_country

    def test_non_nuts_region_takes_its_country_from_the_parent(self):
        uk = RegionFactory(nuts_code="UK")
        uke = RegionFactory(nuts_code="UKE", parent=uk)
        leeds = RegionFactory(
            nuts_code=None, kind=Region.Kind.CITY_REGION, name="Leeds City Region", parent=uke
        )
        assert leeds.country_code == "UK"
        assert leeds.path == "/uk/uke/leeds-city-region/"
        macro = RegionFactory(nuts_code=None, kind=Region.Kind.MACRO_REGION, name="BSR")
        assert macro.country_code == ""

    def test_children_are_repathed_when_the_parent_moves(self):
        es, es5, es51 = hierarchy()
        es4 = RegionFactory(nuts_code="ES4", parent=es)
        other = RegionFactory(nuts_code="XY")
        es5.parent = other
        es5.save()
        es51.refresh_from_db()
        assert es51.path == "/xy/es5/es51/"
        # A sibling elsewhere is untouched.
        es4.refresh_from_db()
        assert es4.path == "/es/es4/"

    def test_grandchildren_follow_a_slug_change(self):
        es, es5, es51 = hierarchy()
        es.slug = "spain"
        es.save()
        es5.refresh_from_db()
        es51.refresh_from_db()
        assert es5.path == "/spain/es5/"
        assert es51.path == "/spain/es5/es51/"

    def test_within_returns_the_region_and_everything_below(self):
        es, es5, es51 = hierarchy()
        es4 = RegionFactory(nuts_code="ES4", parent=es)
        pl = RegionFactory(nuts_code="PL")
        assert set(Region.objects.within(es)) == {es, es5, es51, es4}
        assert set(Region.objects.within(es5)) == {es5, es51}
        assert set(Region.objects.within(es51)) == {es51}
        assert pl not in Region.objects.within(es)

    def test_within_does_not_match_a_longer_sibling_slug(self):
        # "/es/" must not be a prefix of "/est/": paths end with a slash.
        es = RegionFactory(nuts_code="ES")
        est = RegionFactory(nuts_code=None, kind=Region.Kind.OTHER, name="x", slug="est")
        assert est not in Region.objects.within(es)

    def test_countries(self):
        es, es5, _ = hierarchy()
        RegionFactory(nuts_code=None, kind=Region.Kind.MACRO_REGION, name="BSR")
        assert list(Region.objects.countries()) == [es]


class TestSlugs:
    def test_slugs_are_made_unique(self):
        first = TopicFactory(name="Industry 4.0")
        second = TopicFactory(name="Industry 4-0")
        assert first.slug == "industry-40"
        assert second.slug != first.slug

    def test_organisation_slugs_are_unique(self):
        a = OrganisationFactory(name="Flanders Make")
        b = OrganisationFactory(name="Flanders  Make")
        assert a.slug == "flanders-make"
        assert b.slug == "flanders-make-2"

    def test_database_refuses_a_duplicate_slug(self):
        a = ProjectFactory()
        b = ProjectFactory()
        with refused(), transaction.atomic():
            Project.objects.filter(pk=b.pk).update(slug=a.slug)

    def test_region_slug_comes_from_the_code(self):
        assert RegionFactory(nuts_code="PL91").slug == "pl91"


def constraint_names(model):
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # SQLite's introspection does not name CHECK constraints; the
            # table's own SQL does.
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [table])
            sql = cursor.fetchone()[0]
            unnamed = connection.introspection.get_constraints(cursor, table)
            return sql + " " + " ".join(unnamed)
        return " ".join(connection.introspection.get_constraints(cursor, table))


def test_constraints_exist_in_the_database():
    """The names the model declares are real constraints of the tables."""
    region = constraint_names(Region)
    for name in (
        "region_nuts_code_shape",
        "region_level_0_to_3",
        "region_level_matches_nuts_code",
    ):
        assert name in region
    project = constraint_names(Project)
    assert "project_end_after_start" in project
    assert "project_cofinancing_within_budget" in project
    assert "partnership_unique_project_organisation" in constraint_names(Partnership)
