"""The region page's selectors: which rows they return, in which order."""

import pytest
from django.db.models import F

from core.expressions import AnyOf
from core.models import ProjectTranslation, Region
from portal.selectors import region_organisation_rows, region_transfer_rows, regions_around
from practices.models import PracticeTranslation
from tests.factories import (
    GoodPracticeFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
    RegionFactory,
    TransferFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    country = RegionFactory(nuts_code="PL", name="Polska", name_en="Poland")
    lodz = RegionFactory(nuts_code="PL71", name="Łódzkie", parent=country)
    elsewhere = RegionFactory(nuts_code="ES51", name="Cataluña", name_en="Catalonia")
    return country, lodz, elsewhere


def test_organisations_first_by_name_with_their_first_projects_by_acronym(area):
    country, lodz, elsewhere = area
    busy = OrganisationFactory(name="B busy", region=lodz, city="Łódź")
    for acronym in ("DELTA", "ALPHA", "CHARLIE", "BRAVO"):
        PartnershipFactory(organisation=busy, project=ProjectFactory(acronym=acronym), role="lead")
    ProjectTranslation.objects.create(
        master=busy.partnerships.get(project__acronym="ALPHA").project,
        language_code="pl",
        translated_title="Alfa po polsku",
    )
    quiet = OrganisationFactory(name="A quiet", region=country)
    OrganisationFactory(name="C third", region=lodz)  # past the first two
    OrganisationFactory(name="0 abroad", region=elsewhere)

    rows = region_organisation_rows([country.pk, lodz.pk], first=2, projects_shown=2, language="pl")

    assert [(row[2], row[10], row[15]) for row in rows] == [
        ("A quiet", None, 0),
        ("B busy", "ALPHA", 4),
        ("B busy", "BRAVO", 4),
    ]
    assert rows[0][:9] == (
        quiet.pk,
        quiet.slug,
        "A quiet",
        "",
        quiet.kind,
        "",
        "Polska",
        "Poland",
        "PL",
    )
    assert rows[1][9] == "lead" and rows[1][16] == "Alfa po polsku"
    assert rows[2][16] is None
    assert region_organisation_rows([], first=2, projects_shown=2, language="pl") == []


def test_transfers_newest_first_each_list_cut_on_its_own(area):
    country, lodz, elsewhere = area

    def transfer(title, year, state="adopted", **kwargs):
        practice = GoodPracticeFactory(title=title, region=elsewhere, language="es")
        return TransferFactory(practice=practice, region=lodz, year=year, state=state, **kwargs)

    transfer("Old adoption", 2019)
    transfer("B adoption", 2023)
    first = transfer("A adoption", 2023, note="Set up with the ERDF.")
    transfer("Undated adoption", None)
    wanted = transfer("Wanted", 2024, state="interested")
    transfer("Visited", 2022, state="study_visit")
    transfer("Dropped", 2025, state="dropped")
    transfer("Hidden", 2025, show_region=False)
    TransferFactory(
        practice=GoodPracticeFactory(title="Draft", publication_state="draft"),
        region=lodz,
        year=2025,
    )
    TransferFactory(practice=GoodPracticeFactory(title="Abroad"), region=elsewhere, year=2025)
    PracticeTranslation.objects.create(
        master=wanted.practice, language_code="pl", translated_title="Chciana"
    )

    rows = region_transfer_rows([country.pk, lodz.pk], shown=2, language="pl")

    assert [(row[0], row[1], row[5], row[8]) for row in rows] == [
        ("interested", 2024, "Wanted", "Chciana"),
        ("adopted", 2023, "A adoption", None),
        ("adopted", 2023, "B adoption", None),
        ("study_visit", 2022, "Visited", None),
    ]
    assert rows[1][2:8] == (
        "Set up with the ERDF.",
        lodz.pk,
        first.practice.slug,
        "A adoption",
        "es",
        elsewhere.pk,  # the practice's region, named from the region tree
    )
    assert region_transfer_rows([], shown=2, language="pl") == []


def test_regions_around_a_region(area):
    country, lodz, elsewhere = area
    middle = RegionFactory(nuts_code="PL7", name="Makroregion centralny", parent=country)
    lodz.parent, lodz.name = middle, "Lodz region"  # ASCII: the same order in any collation
    lodz.save()
    city = RegionFactory(name="City of Lodz", kind="city_region", nuts_code=None)
    city.covers.add(lodz)
    baltic = RegionFactory(name="Baltic Sea Region", kind="macro_region", nuts_code=None)
    baltic.covers.add(middle)
    RegionFactory(nuts_code="PL8", name="Makroregion wschodni", parent=country)  # a sibling

    rows = regions_around(middle.slug)

    assert [(r["name"], bool(r["is_cover"]), bool(r["is_covered"])) for r in rows] == [
        ("Baltic Sea Region", True, False),
        ("Lodz region", False, False),
        ("Makroregion centralny", False, False),
        ("Polska", False, False),
    ]
    assert "outline" not in rows[2] and rows[2]["slug"] == middle.slug
    assert regions_around("nowhere") == []
    # A city-region lists the NUTS regions it covers.
    assert [(r["name"], bool(r["is_covered"])) for r in regions_around(city.slug)] == [
        ("City of Lodz", False),
        ("Lodz region", True),
    ]


def test_any_of_a_list_of_ids_matches_as_in_does(area, django_assert_num_queries):
    country, lodz, elsewhere = area
    ids = [lodz.pk, elsewhere.pk, 10**9]
    with django_assert_num_queries(1):
        found = sorted(Region.objects.filter(AnyOf(F("pk"), ids)).values_list("pk", flat=True))
    assert found == sorted([lodz.pk, elsewhere.pk])
    assert not Region.objects.filter(AnyOf(F("pk"), [])).exists()
