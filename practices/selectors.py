"""Reads of practices: the querysets and rows the listing, the API and the exports show."""

import functools

from django.db import connection
from django.db.models import F, OuterRef, Value
from django.db.models.functions import JSONObject

from practices.models import GoodPractice


def listed_practices():
    """Published practices as the listing and the API list them, newest first.

    A region's outline (GeoJSON, up to hundreds of kB with the NUTS outlines
    imported) is drawn on region pages, not in lists.
    """
    return GoodPractice.objects.published().for_listing().defer("region__outline")


# The columns of a practice list row: none of the long texts, nor a region's outline.
PRACTICE_ROW_COLUMNS = (
    "id",
    "slug",
    "title",
    "summary",
    "status",
    "start_date",
    "end_date",
    "language",
    "city",
    "keywords",
    "published_at",
    "updated_at",
)
RELATED_ROW_COLUMNS = {
    "region": ("slug", "nuts_code", "name", "name_en", "kind", "level", "country_code"),
    "organisation": ("slug", "name", "name_en"),
}
# A practice's topics and projects in a row, in the order of its detail.
TAG_ROW_COLUMNS = {
    "topics": ("topic", "name"),
    "projects": ("project", "acronym"),
}


def practice_rows(queryset):
    """Return the practices of ``queryset`` as plain rows for lists (no model instances).

    A row holds ``PRACTICE_ROW_COLUMNS``, ``keyword_list``, its region and
    organisation (``RELATED_ROW_COLUMNS`` and ``display_name``, or None) and
    its topics and projects as lists of ``{"slug", "name"}`` and
    ``{"slug", "acronym"}``. On PostgreSQL one query brings everything (a
    JSON list per practice for its topics and projects); elsewhere the tags
    of the whole page come in one more query.
    """
    related = [
        f"{relation}__{column}"
        for relation, columns in RELATED_ROW_COLUMNS.items()
        for column in columns
    ]
    if connection.vendor == "postgresql":
        rows = list(queryset.values(*PRACTICE_ROW_COLUMNS, *related, **_tag_lists()))
        for row in rows:
            for name in TAG_ROW_COLUMNS:
                row[name] = row.pop(f"{name}_list")
    else:
        rows = list(queryset.values(*PRACTICE_ROW_COLUMNS, *related))
        tags = _tags_of([row["id"] for row in rows])
        for row in rows:
            row.update(tags[row["id"]])
    return [_nested(row) for row in rows]


@functools.cache
def _tag_lists():
    from django.contrib.postgres.expressions import ArraySubquery

    lists = {}
    for name, (field, label) in TAG_ROW_COLUMNS.items():
        through = getattr(GoodPractice, name).through
        tags = (
            through.objects.filter(goodpractice=OuterRef("pk"))
            .order_by(f"{field}__{label}", f"{field}__id")
            .values(tag=JSONObject(slug=f"{field}__slug", **{label: f"{field}__{label}"}))
        )
        lists[f"{name}_list"] = ArraySubquery(tags)
    return lists


def _tags_of(ids):
    """Return ``{practice id: {"topics": [...], "projects": [...]}}`` for ``ids``, in one query."""
    tags = {pk: {name: [] for name in TAG_ROW_COLUMNS} for pk in ids}
    if not ids:
        return tags
    parts = []
    for kind, (name, (field, label)) in enumerate(TAG_ROW_COLUMNS.items()):
        through = getattr(GoodPractice, name).through
        parts.append(
            through.objects.filter(goodpractice_id__in=ids)
            .annotate(
                kind=Value(kind),
                tag_slug=F(f"{field}__slug"),
                tag_label=F(f"{field}__{label}"),
                tag_id=F(f"{field}__id"),
            )
            .values_list("goodpractice_id", "kind", "tag_slug", "tag_label", "tag_id")
        )
    names = list(TAG_ROW_COLUMNS)
    union = parts[0].union(*parts[1:], all=True).order_by("kind", "tag_label", "tag_id")
    for practice_id, kind, slug, label, _pk in union:
        name = names[kind]
        tags[practice_id][name].append({"slug": slug, TAG_ROW_COLUMNS[name][1]: label})
    return tags


def _nested(row):
    practice = {column: row[column] for column in PRACTICE_ROW_COLUMNS}
    practice["keyword_list"] = [k.strip() for k in row["keywords"].split(",") if k.strip()]
    for relation, columns in RELATED_ROW_COLUMNS.items():
        if row[f"{relation}__slug"] is None:
            practice[relation] = None
            continue
        values = {column: row[f"{relation}__{column}"] for column in columns}
        # As the models' display_name: the English name where there is one.
        values["display_name"] = values["name_en"] or values["name"]
        practice[relation] = values
    for name in TAG_ROW_COLUMNS:
        practice[name] = row[name]
    return practice
