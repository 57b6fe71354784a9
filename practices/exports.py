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

import functools

from django.db.models import CharField, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Cast

from core.exports import (
    CHUNK_SIZE,
    Column,
    joined,
    region_columns,
    stream_export,
    url_column,
    utc,
    value_column,
    values_read,
)
from core.expressions import AnyOf
from core.models import Project, Region
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
    """Attach the projects, topics and adopting regions of a chunk of practices.

    One query for the three (a UNION ALL of rows alike: the part, the
    practice, its label and what the part is ordered by), where a query
    each cost two more round trips and query builds. A project's and a
    region's names are read by id, row by row (subqueries): joined, every
    project and every region was read and hashed for a few hundred rows.
    """
    ids = [p["id"] for p in practices]
    parts = [rows.filter(AnyOf(F(practice), ids)) for practice, rows in _chunk_parts()]
    lists = ({}, {}, {})
    rows = parts[0].union(*parts[1:], all=True).order_by("part", "in_year", "first", "second")
    for number, practice_id, label, year, first, second in rows:
        if number == 0:  # the project's acronym, or its title
            label = first or second
        elif number == 2:  # the adopting region's English name or its own, and the year
            label = f"{label or first} ({year})" if year else label or first
        lists[number].setdefault(practice_id, []).append(label)
    projects, topics, transfers = lists
    for practice in practices:
        pk = practice["id"]
        practice["export_projects"] = projects.get(pk, [])
        practice["export_topics"] = topics.get(pk, [])
        practice["export_transfers"] = transfers.get(pk, [])


@functools.cache
def _chunk_parts():
    # Built once per process and narrowed to each chunk's ids: building the
    # three parts' columns anew was a measurable share of a download's CPU.

    def part(number, links, practice, label, year, first, second):
        return practice, (
            links.order_by()
            .annotate(
                part=Value(number),
                owner=F(practice),
                label=label,
                in_year=year,
                first=first,
                second=second,
            )
            .values_list("part", "owner", "label", "in_year", "first", "second")
        )

    # Typed: PostgreSQL takes an untyped NULL for text, unlike the year.
    no_year, nothing = Cast(Value(None), IntegerField()), Cast(Value(None), CharField())
    project = Project.objects.filter(pk=OuterRef("project_id")).order_by()
    region = Region.objects.filter(pk=OuterRef("region_id")).order_by()
    projects = part(
        0,
        GoodPractice.projects.through.objects.all(),
        "goodpractice_id",
        nothing,  # the acronym, or the title: below
        no_year,
        Subquery(project.values("acronym")),
        Subquery(project.values("title")),
    )
    topics = part(
        1,
        GoodPractice.topics.through.objects.all(),
        "goodpractice_id",
        F("topic__name"),
        no_year,
        F("topic__name"),
        nothing,
    )
    transfers = part(
        2,
        Transfer.objects.filter(state=Transfer.State.ADOPTED, show_region=True),
        "practice_id",
        Subquery(region.values("name_en")),
        F("year"),
        Subquery(region.values("name")),
        nothing,
    )
    return projects, topics, transfers


# Downloads of at most this many practices read their ids first.
FEW_ROWS = 500


def export_rows(queryset, columns):
    """Yield the published practices of ``queryset`` as rows of what ``columns`` read, in order.

    A few practices are read by id after their ids: read together,
    PostgreSQL fetched the long texts of every practice a narrow filter
    (country and language) left before a topic's condition, 17 times as many
    as it kept. Many are read in one query, chunk by chunk: an id list of
    thousands costs more to send than the texts read in vain (bench/README.md).
    """
    published = queryset.published()
    reads = ("id", *values_read(columns))
    ids = list(published.values_list("pk", flat=True)[: FEW_ROWS + 1])
    if len(ids) > FEW_ROWS:
        yield from published.values(*reads).iterator(chunk_size=CHUNK_SIZE)
        return
    rows = GoodPractice.objects.published().filter(AnyOf(F("pk"), ids)).order_by().values(*reads)
    by_id = {row["id"]: row for row in rows}
    yield from (by_id[pk] for pk in ids if pk in by_id)


def export_response(request, queryset, fmt):
    """Return the practices of ``queryset`` as a CSV, JSON or XLSX download."""
    if queryset.model is not GoodPractice:
        raise TypeError("export_response() here exports good practices.")
    columns = practice_columns(request)
    return stream_export(
        request,
        export_rows(queryset, columns),
        columns,
        fmt,
        basename="practices",
        load_chunk=load_chunk,
    )
