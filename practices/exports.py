"""Downloads of the practice listing: ``/practices/?<filters>&format=csv|json|xlsx``.

``PracticeListView`` passes its filtered, sorted queryset; every page of it is
exported, in the same order. One column per field of the Interreg Europe
good-practice template, plus region code, country, organisation, projects,
topics, adopting regions and the page's address. The contact person (and so
every e-mail address) is never a column, and drafts are never rows.
"""

from django.db.models import Prefetch

from exchange.exports import (
    Column,
    absolute_url_maker,
    country_names,
    joined,
    stream_export,
    utc,
)
from exchange.models import Project, Topic
from practices.models import GoodPractice, Transfer


def practice_columns(request):
    countries = country_names()
    url = absolute_url_maker(request, "practices:practice-detail")

    def region(p, attribute):
        return (getattr(p.region, attribute) or "") if p.region_id else ""

    return [
        Column("slug", lambda p: p.slug),
        Column("title", lambda p: p.title),
        Column("summary", lambda p: p.summary),
        Column("description", lambda p: p.description),
        Column("resources_needed", lambda p: p.resources_needed),
        Column("evidence_of_success", lambda p: p.evidence_of_success),
        Column("difficulties", lambda p: p.difficulties),
        Column("potential_for_transfer", lambda p: p.potential_for_transfer),
        Column("expert_opinion", lambda p: p.expert_opinion),
        Column("start_date", lambda p: p.start_date),
        Column("end_date", lambda p: p.end_date),
        Column("status", lambda p: p.status),
        Column("city", lambda p: p.city),
        Column("region", lambda p: p.region.display_name if p.region_id else ""),
        Column("region_nuts_code", lambda p: region(p, "nuts_code")),
        Column("country_code", lambda p: region(p, "country_code")),
        Column("country", lambda p: countries.get(region(p, "country_code"), "")),
        Column("organisation", lambda p: p.organisation.display_name if p.organisation_id else ""),
        Column("projects", lambda p: joined(project.acronym for project in p.projects.all())),
        Column("topics", lambda p: joined(topic.name for topic in p.topics.all())),
        Column("keywords", lambda p: p.keywords),
        Column("further_information", lambda p: p.further_information),
        Column("language", lambda p: p.language),
        Column(
            "adopted_in",
            lambda p: joined(
                f"{t.region.display_name} ({t.year})" if t.year else t.region.display_name
                for t in p.transfers.all()
            ),
        ),
        Column("published_at", lambda p: utc(p.published_at)),
        Column("url", url),
    ]


def export_queryset(queryset):
    """Return ``queryset`` limited to published practices, with what the columns read."""
    return (
        queryset.published()
        .select_related("region", "organisation")
        .prefetch_related(
            Prefetch("projects", queryset=Project.objects.only("id", "acronym")),
            Prefetch("topics", queryset=Topic.objects.only("id", "name")),
            Prefetch("transfers", queryset=Transfer.objects.select_related("region")),
        )
    )


def export_response(request, queryset, fmt):
    """Return the practices of ``queryset`` as a CSV, JSON or XLSX download."""
    if queryset.model is not GoodPractice:
        raise TypeError("export_response() here exports good practices.")
    return stream_export(
        request, export_queryset(queryset), practice_columns(request), fmt, basename="practices"
    )
