"""Reads that join several apps: the project and region listings."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from core.models import Partnership, Project, PublicationState, Region
from core.regions import roll_up
from practices.models import GoodPractice


def listed_projects():
    """Projects newest first, with the numbers of their published practices and partners.

    Correlated counts rather than two joined COUNT(DISTINCT): joining
    practices and partnerships multiplies the rows.
    """
    practices = (
        GoodPractice.projects.through.objects.filter(
            project=OuterRef("pk"),
            goodpractice__publication_state=PublicationState.PUBLISHED,
        )
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    partners = (
        Partnership.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Project.objects.for_listing()
        .annotate(
            practice_count=Coalesce(Subquery(practices), 0),
            partner_count=Coalesce(Subquery(partners), 0),
        )
        .order_by("-start_date", "acronym", "pk")
    )


def listed_regions():
    """Every region by path (parents first), without its outline."""
    return Region.objects.defer("outline").order_by("path")


def practice_counts():
    """Return {region path: published practices in it and below it} (one grouped query)."""
    rows = (
        GoodPractice.objects.published()
        .exclude(region=None)
        .order_by()
        .values_list("region__path")
        .annotate(n=Count("id"))
    )
    return roll_up(rows)
