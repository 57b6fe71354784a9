"""Reads of the region page, tested by their results."""

import pytest

from portal.selectors import regions_around
from tests.factories import (
    EventFactory,
    OrganisationFactory,
    ParticipantFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions():
    pl = RegionFactory(nuts_code="PL", name="Polska")
    ro = RegionFactory(nuts_code="RO", name="România")
    found = {
        "pl": pl,
        "pl9": RegionFactory(nuts_code="PL9", name="Mazowieckie", parent=pl),
        "ro": ro,
        "ro3": RegionFactory(nuts_code="RO3", name="Macroregiunea trei", parent=ro),
        "pl2": RegionFactory(nuts_code="PL2", name="Makroregion południowy", parent=pl),
        "de": RegionFactory(nuts_code="DE", name="Deutschland"),
    }
    # Participants from Mazovia and from Poland as a whole; a macro-region represented.
    ParticipantFactory(person=None, organisation=OrganisationFactory(region=found["pl9"]))
    ParticipantFactory(person=None, organisation=OrganisationFactory(region=pl))
    EventFactory().regions_represented.add(found["ro3"])
    return found


def took_part(slug):
    """Return the regions whose ``took_part`` column is true, asked of ``slug``."""
    return sorted(r["nuts_code"] for r in regions_around(slug) if r["took_part"])


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        ("pl", ["PL"]),
        ("pl9", ["PL9"]),
        # The country's participants are not its regions'.
        ("pl2", []),
        ("ro", ["RO"]),
        ("ro3", ["RO3"]),
        ("de", []),
    ],
)
def test_took_part_is_true_on_the_asked_region_when_people_below_it_took_part(
    regions, asked, expected
):
    assert took_part(regions[asked].slug) == expected
