"""Reads of practices: the querysets and rows the listing, the API and the exports show."""

from practices.models import GoodPractice


def listed_practices():
    """Published practices as the listing and the API list them, newest first.

    A region's outline (GeoJSON, up to hundreds of kB with the NUTS outlines
    imported) is drawn on region pages, not in lists.
    """
    return GoodPractice.objects.published().for_listing().defer("region__outline")
