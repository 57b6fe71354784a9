"""Reads of the core domain: the querysets the organisation listing and the API show."""

import re

from django.db import connection
from django.db.models import DEFERRED, BooleanField, Count, F, JSONField, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from core.countries import named_countries
from core.models import Organisation, Partnership, Programme, Project, Region, Topic
from core.regions import TRAIL_FIELDS, region_trail
from infra import caching


def has_related(model, relations, *, where=None):
    """Return ``{"has_<relation>": column}``: whether each row of ``model`` has such rows.

    ``relations`` name reverse foreign keys or many-to-many fields of
    ``model``; ``where`` adds ``{relation: (SQL condition on the related
    table, params)}``. Raw SQL, written once by the caller (functools.cache):
    as ORM ``Exists``, same plan, the flags cost 0.2-0.3 ms more CPU a page
    to compile on every request (event and practice pages; bench/README.md).
    The columns name ``model``'s table itself, so the queryset reading them
    must not be used as a subquery.
    """
    qn = connection.ops.quote_name
    own = f"{qn(model._meta.db_table)}.{qn(model._meta.pk.column)}"
    columns = {}
    for relation in relations:
        field = model._meta.get_field(relation)
        if field.many_to_many:
            table, column = field.remote_field.through._meta.db_table, field.m2m_column_name()
        else:
            table, column = field.related_model._meta.db_table, field.field.column
        condition, params = (where or {}).get(relation, ("", ()))
        sql = f"SELECT 1 FROM {qn(table)} WHERE {qn(column)} = {own}"
        if condition:
            sql += f" AND {condition}"
        columns[f"has_{relation}"] = RawSQL(
            f"EXISTS ({sql})", tuple(params), output_field=BooleanField()
        )
    return columns


def json_list(select, source, order):
    """Return the SQL of a subquery giving rows as one JSON list (text), in ``order``.

    ``select`` maps each key to an SQL expression, ``source`` is the
    subquery's "FROM ... WHERE ..." (naming the outer row), ``order`` its
    ORDER BY. For a page's one row, where a query of its own per list cost
    more CPU than the list (bench/README.md). SQLite orders the subquery
    before aggregating it: it has no ORDER BY inside an aggregate.
    """
    if connection.vendor == "postgresql":
        pairs = ", ".join(f"'{key}', {expr}" for key, expr in select.items())
        return (
            f"SELECT COALESCE(json_agg(json_build_object({pairs}) ORDER BY {order}), '[]')::text"
            f" {source}"
        )
    columns = ", ".join(f"{expr} AS {key}" for key, expr in select.items())
    pairs = ", ".join(f"'{key}', {key}" for key in select)
    return (
        f"SELECT COALESCE(json_group_array(json_object({pairs})), '[]')"
        f" FROM (SELECT {columns} {source} ORDER BY {order})"
    )


def as_instances(model, rows):
    """Return ``model`` instances of the dicts ``rows`` (keys: attribute names), as if read."""
    names = [field.attname for field in model._meta.concrete_fields]
    return [model.from_db(None, names, [row.get(n, DEFERRED) for n in names]) for row in rows]


def region_ancestors(model):
    """Return ``{"region_ancestors": column}``: the regions above each row's region, as JSON.

    Rows of ``TRAIL_FIELDS``, country first, as ``Region.ancestors`` reads
    them: what ``region_trail`` needs, in the row's own query. Raw SQL,
    written once by the caller like ``has_related``.
    """
    qn = connection.ops.quote_name
    regions = qn(Region._meta.db_table)
    own = f"{qn(model._meta.db_table)}.{qn(model._meta.get_field('region').column)}"
    fields = [Region._meta.get_field(name) for name in ("id", *TRAIL_FIELDS)]
    if connection.vendor == "postgresql":
        above = "a.slug = ANY(string_to_array(btrim(r.path, '/'), '/'))"
    else:
        above = "instr(r.path, '/' || a.slug || '/') > 0"
    sql = json_list(
        {field.attname: f"a.{qn(field.column)}" for field in fields},
        f"FROM {regions} AS r INNER JOIN {regions} AS a ON {above} AND a.id <> r.id"
        f" WHERE r.id = {own}",
        "a.path",
    )
    return {"region_ancestors": RawSQL(sql, (), output_field=JSONField())}


def trail_of(obj):
    """Return the region trail of ``obj``, read with ``region_ancestors`` (no query)."""
    return region_trail(obj.region, as_instances(Region, obj.region_ancestors))


def partnership_count(side):
    """Return the number of partnerships of each row, ``side`` ("project" or "organisation").

    A correlated count rather than a joined COUNT: joining the partnerships
    multiplies the rows, and grouped, every page's ids were cut from all
    33,000 organisations joined to their partnerships.
    """
    partnerships = (
        Partnership.objects.filter(**{side: OuterRef("pk")})
        .order_by()
        .values(side)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(partnerships), 0)


def listed_organisations():
    """Organisations by name, with their region and the number of their projects."""
    return (
        Organisation.objects.select_related("region")
        .defer("region__outline")
        .annotate(project_count=partnership_count("organisation"))
        .order_by("name", "pk")
    )


# Choices of the listings' filter menus: a few dozen each, read once per
# state of the data (the cache generation), so a listing's filter panel costs
# no query once they are cached. Names are the sources' own (not translated).


def country_choices():
    """Return ``[(country code, "Name (CODE)")...]`` of every country, by name.

    Named in the page's language (``core.countries``), after the cache.
    """

    def read():
        rows = Region.objects.countries().values_list("country_code", "name", "name_en")
        return list(rows)

    rows = caching.cached("country-names", (), read)
    names = named_countries((code, name_en or name) for code, name, name_en in rows)
    return [(code, f"{name} ({code})") for code, name in names]


def programme_choices():
    """Return ``[(slug, name)...]`` of every programme, by name."""
    return caching.cached(
        "choices-programmes",
        (),
        lambda: list(Programme.objects.order_by("name").values_list("slug", "name")),
    )


def topic_choices():
    """Return ``[(slug, name)...]`` of every topic, by name."""
    return caching.cached(
        "choices-topics",
        (),
        lambda: list(Topic.objects.order_by("name").values_list("slug", "name")),
    )


# Lookups: the combobox's suggestions and the server's reading of a typed value.
# Projects, regions and organisations are all public (each has its page);
# only names, codes and slugs leave this module, never a contact detail.

SUGGESTIONS_MAX = 10
LOOKUP_TEXT_MAX = 200


def _project_choice(project):
    label = project.display_title
    if project.acronym:
        label = f"{project.acronym} – {label}"
    return {"value": project.slug, "label": label}


def _region_choice(region):
    label = region.name
    if region.name_en and region.name_en != region.name:
        label = f"{label} / {region.name_en}"
    if region.nuts_code:
        label = f"{label} ({region.nuts_code})"
    return {"value": region.nuts_code or region.slug, "label": label}


def _organisation_choice(organisation):
    label = organisation.name
    if organisation.name_en and organisation.name_en != organisation.name:
        label = f"{label} / {organisation.name_en}"
    # The organisation field of the proposal takes a name, not a code.
    return {"value": organisation.name, "label": label}


def _project_matches(text):
    q = Q(slug=text.lower()) | Q(acronym__iexact=text) | Q(title__iexact=text)
    q |= Q(title_en__iexact=text)
    acronym, dash, _title = text.partition(" – ")
    if dash:  # the label a suggestion shows: "ACRONYM – Title"
        q |= Q(acronym__iexact=acronym.strip())
    return Project.objects.filter(q).only("slug", "acronym", "title", "title_en")


def _region_matches(text):
    q = Q(nuts_code=text.upper()) | Q(slug=text.lower())
    q |= Q(name__iexact=text) | Q(name_en__iexact=text)
    code = re.search(r"\(([A-Za-z0-9]{2,5})\)$", text)
    if code:  # the label a suggestion shows: "Name / English name (CODE)"
        q |= Q(nuts_code=code.group(1).upper())
    return Region.objects.filter(q).defer("outline")


def _organisation_matches(text):
    q = Q(slug=text.lower()) | Q(acronym__iexact=text)
    q |= Q(name__iexact=text) | Q(name_en__iexact=text)
    return Organisation.objects.filter(q).only("slug", "name", "name_en")


def _project_search(text):
    q = Q(acronym__istartswith=text) | Q(title__icontains=text) | Q(title_en__icontains=text)
    return Project.objects.filter(q).order_by("acronym", "pk")


def _region_search(text):
    q = Q(name__icontains=text) | Q(name_en__icontains=text)
    q |= Q(nuts_code__istartswith=text)
    # Countries and upper levels first: the broad regions someone means most often.
    return Region.objects.filter(q).order_by(
        F("level").asc(nulls_last=True), "nuts_code", "name", "pk"
    )


def _organisation_search(text):
    q = Q(name__icontains=text) | Q(name_en__icontains=text) | Q(acronym__iexact=text)
    return Organisation.objects.filter(q).order_by("name", "pk")


LOOKUPS = {
    "project": (_project_search, _project_matches, _project_choice),
    "region": (_region_search, _region_matches, _region_choice),
    "organisation": (_organisation_search, _organisation_matches, _organisation_choice),
}


def _normalise(text):
    # A NUL byte is refused by PostgreSQL: treat it as nothing typed.
    return " ".join(str(text).replace("\x00", " ").split())[:LOOKUP_TEXT_MAX]


def suggestions(kind, text, limit=SUGGESTIONS_MAX):
    """Return at most ``limit`` {value, label} choices of ``kind`` whose name contains ``text``."""
    search, _matches, choice = LOOKUPS[kind]
    text = _normalise(text)
    if not text:
        return []
    return [choice(obj) for obj in search(text)[:limit]]


def lookup_matches(kind, text):
    """Return the objects ``text`` names exactly (by code, slug or name), at most two.

    Two means "more than one": the caller asks for the code instead.
    """
    _search, matches, _choice = LOOKUPS[kind]
    text = _normalise(text)
    if not text:
        return []
    return list(matches(text).order_by("pk")[:2])


def lookup_choice(kind, obj):
    """Return the {value, label} a field shows for an object of ``kind``."""
    return LOOKUPS[kind][2](obj)


def lookup_by_pk(kind, pk):
    """Return the object of ``kind`` with primary key ``pk``, or None."""
    model = {"project": Project, "region": Region, "organisation": Organisation}[kind]
    return model.objects.filter(pk=pk).first()
