"""Downloads of the practice listing: ``/practices/?<filters>&format=csv|json|xlsx``.

``PracticeListView`` passes its filtered, sorted queryset; every page of it is
exported, in the same order. One column per field of the Interreg Europe
good-practice template, plus region code, country, organisation, projects,
topics, adopting regions and the page's address. The contact person (and so
every e-mail address) is never a column, and drafts are never rows.

Rows are plain dictionaries of the values the columns read
(``QuerySet.values()``): building model instances took longer than writing
the file (bench/README.md).
"""

from django.db.models import Value
from django.db.models.functions import Coalesce, NullIf

from core.exports import (
    Column,
    grouped,
    joined,
    region_columns,
    stream_export,
    url_column,
    utc,
    value_column,
    values_read,
)
from practices.models import GoodPractice, Transfer


def practice_columns(request):
    return [
        value_column("slug"),
        value_column("title"),
        value_column("summary"),
        *(value_column(name) for name in GoodPractice.DESCRIPTION_FIELDS),
        value_column("expert_opinion"),
        value_column("validated_on"),
        value_column("validated_by"),
        value_column("validation_summary"),
        value_column("edited_since_validation"),
        value_column("start_date"),
        value_column("end_date"),
        value_column("status"),
        value_column("city"),
        *region_columns(plain=True),
        # Organisation.display_name of a plain row.
        Column(
            "organisation",
            lambda p: p["organisation__name_en"] or p["organisation__name"] or "",
            ("organisation__name_en", "organisation__name"),
        ),
        Column("projects", lambda p: joined(p["export_projects"])),
        Column("topics", lambda p: joined(p["export_topics"])),
        value_column("keywords"),
        value_column("further_information"),
        value_column("language"),
        Column("adopted_in", lambda p: joined(p["export_transfers"])),
        Column("published_at", lambda p: utc(p["published_at"]), ("published_at",)),
        url_column(request, "practices:practice-detail", plain=True),
    ]


def load_chunk(practices):
    """Attach the projects, topics and adopting regions of a chunk of practices."""
    ids = [p["id"] for p in practices]
    projects = grouped(
        GoodPractice.projects.through.objects.filter(goodpractice_id__in=ids)
        .order_by("project__acronym", "project__title")
        .values_list(
            "goodpractice_id", Coalesce(NullIf("project__acronym", Value("")), "project__title")
        )
    )
    topics = grouped(
        GoodPractice.topics.through.objects.filter(goodpractice_id__in=ids)
        .order_by("topic__name")
        .values_list("goodpractice_id", "topic__name")
    )
    transfers = grouped(
        (practice_id, f"{name_en or name} ({year})" if year else name_en or name)
        for practice_id, name_en, name, year in Transfer.objects.filter(
            practice_id__in=ids, state=Transfer.State.ADOPTED, show_region=True
        )
        .order_by("year", "region__name")
        .values_list("practice_id", "region__name_en", "region__name", "year")
    )
    for practice in practices:
        pk = practice["id"]
        practice["export_projects"] = projects.get(pk, [])
        practice["export_topics"] = topics.get(pk, [])
        practice["export_transfers"] = transfers.get(pk, [])


def export_queryset(queryset, columns):
    """Return the published practices of ``queryset`` as rows of what ``columns`` read."""
    return queryset.published().values("id", *values_read(columns))


def export_response(request, queryset, fmt):
    """Return the practices of ``queryset`` as a CSV, JSON or XLSX download."""
    if queryset.model is not GoodPractice:
        raise TypeError("export_response() here exports good practices.")
    columns = practice_columns(request)
    return stream_export(
        request,
        export_queryset(queryset, columns),
        columns,
        fmt,
        basename="practices",
        load_chunk=load_chunk,
    )
