"""Reads of the core domain: the querysets the organisation listing and the API show."""

from django.db.models import Count

from core.models import Organisation


def listed_organisations():
    """Organisations by name, with their region and the number of their projects."""
    return (
        Organisation.objects.select_related("region")
        .defer("region__outline")
        .annotate(project_count=Count("partnerships", distinct=True))
        .order_by("name", "pk")
    )
