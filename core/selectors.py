"""Reads of the core domain: the querysets the organisation listing and the API show."""

import re

from django.db import connection
from django.db.models import (
    DEFERRED,
    Count,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Coalesce, Concat, Length, StrIndex
from django.db.models.lookups import GreaterThan

from core.countries import named_countries
from core.expressions import AnyOf, json_list
from core.models import Organisation, Partnership, Programme, Project, Region, Topic
from core.regions import TRAIL_FIELDS, region_trail
from infra import caching


def has_related(model, relations, *, where=None):
    """Return ``{"has_<relation>": Exists}``: whether each row of ``model`` has such rows.

    ``relations`` name reverse foreign keys or many-to-many fields of
    ``model``; ``where`` adds ``{relation: Q on the related rows}``. Callers
    build the columns once (functools.cache); annotate() resolves a copy.
    """
    columns = {}
    for relation in relations:
        field = model._meta.get_field(relation)
        if field.many_to_many:
            rows = field.remote_field.through._base_manager.filter(
                **{field.m2m_field_name(): OuterRef("pk")}
            )
        else:
            rows = field.related_model._base_manager.filter(**{field.field.name: OuterRef("pk")})
        columns[f"has_{relation}"] = Exists(rows.filter((where or {}).get(relation, Q())))
    return columns


def as_instances(model, rows):
    """Return ``model`` instances of the dicts ``rows`` (keys: attribute names), as if read."""
    names = [field.attname for field in model._meta.concrete_fields]
    return [model.from_db(None, names, [row.get(n, DEFERRED) for n in names]) for row in rows]


def region_ancestors(model):
    """Return ``{"region_ancestors": column}``: the regions above each row's region, as JSON.

    Rows of ``TRAIL_FIELDS``, country first, as ``Region.ancestors`` reads
    them: what ``region_trail`` needs, in the row's own query. Built once by
    the caller like ``has_related``.
    """
    path = OuterRef("region__path")
    if connection.vendor == "postgresql":
        # slug = ANY(the path's parts), each found through the slug's unique
        # index ("/es/es5/" splits into "", "es", "es5", "": no slug is empty).
        parts = Func(path, Value("/"), function="STRING_TO_ARRAY", output_field=TextField())
        above = AnyOf(F("slug"), parts)
    else:
        above = GreaterThan(StrIndex(path, Concat(Value("/"), F("slug"), Value("/"))), 0)
    ancestors = Region.objects.filter(above).exclude(pk=OuterRef("region"))
    names = [Region._meta.get_field(name).attname for name in ("id", *TRAIL_FIELDS)]
    # By the length of the path, top first (the paths of one region's ancestors
    # are each other's prefixes): ordered by the path itself, PostgreSQL would
    # walk the path index through every region rather than find the few by slug.
    by_depth = [Length("path")]
    return {"region_ancestors": json_list(ancestors, by_depth, **{n: F(n) for n in names})}


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
