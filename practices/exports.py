"""Downloads of the practice listing: ``/practices/?<filters>&format=csv|json|xlsx``.

``PracticeListView`` passes its filtered, sorted queryset; every page of it is
exported, in the same order. One column per field of the Interreg Europe
good-practice template, plus region code, country, organisation, projects,
topics, adopting regions and the page's address. The contact person (and so
every e-mail address) is never a column, and drafts are never rows.
"""

from operator import attrgetter

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
)
from practices.models import GoodPractice, Transfer


def practice_columns(request):
    return [
        Column("slug", lambda p: p.slug),
        Column("title", lambda p: p.title),
        Column("summary", lambda p: p.summary),
        *(Column(name, attrgetter(name)) for name in GoodPractice.DESCRIPTION_FIELDS),
        Column("expert_opinion", lambda p: p.expert_opinion),
        Column("validated_on", lambda p: p.validated_on),
        Column("validated_by", lambda p: p.validated_by),
        Column("validation_summary", lambda p: p.validation_summary),
        Column("edited_since_validation", lambda p: p.edited_since_validation),
        Column("start_date", lambda p: p.start_date),
        Column("end_date", lambda p: p.end_date),
        Column("status", lambda p: p.status),
        Column("city", lambda p: p.city),
        *region_columns(),
        Column("organisation", lambda p: p.organisation.display_name if p.organisation_id else ""),
        Column("projects", lambda p: joined(p.export_projects)),
        Column("topics", lambda p: joined(p.export_topics)),
        Column("keywords", lambda p: p.keywords),
        Column("further_information", lambda p: p.further_information),
        Column("language", lambda p: p.language),
        Column("adopted_in", lambda p: joined(p.export_transfers)),
        Column("published_at", lambda p: utc(p.published_at)),
        url_column(request, "practices:practice-detail"),
    ]


def load_chunk(practices):
    """Attach the projects, topics and adopting regions of a chunk of practices."""
    ids = [p.pk for p in practices]
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
        practice.export_projects = projects.get(practice.pk, [])
        practice.export_topics = topics.get(practice.pk, [])
        practice.export_transfers = transfers.get(practice.pk, [])


def export_queryset(queryset):
    """Return ``queryset`` limited to published practices, with what the columns read."""
    return queryset.published().select_related("region", "organisation")


def export_response(request, queryset, fmt):
    """Return the practices of ``queryset`` as a CSV, JSON or XLSX download."""
    if queryset.model is not GoodPractice:
        raise TypeError("export_response() here exports good practices.")
    return stream_export(
        request,
        export_queryset(queryset),
        practice_columns(request),
        fmt,
        basename="practices",
        load_chunk=load_chunk,
    )
