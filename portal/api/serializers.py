"""What the read-only API shows of each model.

Codes, not labels, for choices (the schema lists them): the data must not
change with the interface language. People appear by name and job title
only; e-mail addresses, contact people, editors and drafts never do.

Lists name hundreds of objects per page. Their addresses are reversed once
per request and filled in by slug (``Links``), and the references and the
practice list rows are built by hand instead of field by field: together
that took three quarters of the time of a practice list page. The
declared fields stay the contract (the schema is made from them), and
tests/opendata/test_api_lists.py checks that the hand-built rows are the
declared ones.
"""

import json
import re
from urllib.parse import quote

from django.db import connection
from django.db.models import TextField
from django.db.models.expressions import RawSQL
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from core.models import (
    Organisation,
    Partnership,
    Programme,
    Project,
    PublicationState,
    Region,
    Topic,
)
from events.models import Event, Material, Presentation
from practices.models import GoodPractice, Transfer

# Stands for the slug while an address is reversed; fits every slug pattern.
SLUG_MARKER = "slug-marker-5f0c"
# What Django's reverse() leaves unquoted in a path.
PATH_SAFE = "!$&'()*+,;=/~:@"
# A slug that quoting leaves as it is.
PLAIN_SLUG = re.compile(r"[-\w]+", re.ASCII)


class Links:
    """The absolute addresses of one response, each kind reversed only once.

    ``api("api:practice-detail", slug)`` is what ``HyperlinkedIdentityField``
    gives, ``web(GoodPractice, slug)`` what ``build_absolute_uri(
    practice.get_absolute_url())`` gives, at the cost of joining three strings.
    """

    def __init__(self, context):
        self.request = context.get("request")
        self.format = context.get("format")
        self.templates = {}
        self.zone = None

    def _template(self, key, path_for):
        template = self.templates.get(key)
        if template is None:
            path = path_for(SLUG_MARKER)
            if self.request is not None and not path.startswith(("http:", "https:")):
                path = self.request.build_absolute_uri(path)
            parts = path.split(SLUG_MARKER)
            template = self.templates[key] = tuple(parts) if len(parts) == 2 else None
        return template

    def api(self, view_name, slug):
        if not slug:
            return None
        template = self._template(
            ("api", view_name),
            lambda s: reverse(view_name, kwargs={"slug": s}, format=self.format),
        )
        if template is None:  # never for our URL patterns; kept exact anyway
            return reverse(
                view_name, kwargs={"slug": slug}, request=self.request, format=self.format
            )
        return template[0] + _quoted(slug) + template[1]

    def web(self, model, slug):
        template = self._template(("web", model), lambda s: model(slug=s).get_absolute_url())
        if template is None:
            url = model(slug=slug).get_absolute_url()
            return self.request.build_absolute_uri(url) if self.request else url
        return template[0] + _quoted(slug) + template[1]

    def datetime(self, value):
        """A date and time as ``DateTimeField`` shows it (ISO 8601 in the site's zone)."""
        if value is None:
            return None
        if self.zone is None:
            self.zone = timezone.get_current_timezone()
        text = value.astimezone(self.zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text


def _quoted(slug):
    return slug if PLAIN_SLUG.fullmatch(slug) else quote(slug, safe=PATH_SAFE)


def links(context):
    """Return the ``Links`` of a serializer context (one per response)."""
    found = context.get("links")
    if found is None:
        found = context["links"] = Links(context)
    return found


class LinkField(serializers.HyperlinkedIdentityField):
    """The API address of the object, by slug (``HyperlinkedIdentityField``, faster)."""

    def to_representation(self, value):
        return links(self.context).api(self.view_name, value.slug)


def api_url(view_name):
    return LinkField(view_name=f"api:{view_name}", lookup_field="slug")


@extend_schema_field(OpenApiTypes.URI)
class WebUrlField(serializers.Field):
    """The absolute address of the object's public page."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return links(self.context).web(type(value), value.slug)


def date_value(value):
    return value.isoformat() if value is not None else None


# References: how one object names another inside a response. Each is
# built by a function (called once per row of a list) and declared by a
# serializer (for the schema and for nesting).


def region_ref(link, region):
    return {
        "url": link.api("api:region-detail", region.slug),
        "slug": region.slug,
        "nuts_code": region.nuts_code,
        "name": region.name_en or region.name,
        "kind": region.kind,
        "level": region.level,
        "country_code": region.country_code,
    }


def topic_ref(link, topic):
    return {"url": link.api("api:topic-detail", topic.slug), "slug": topic.slug, "name": topic.name}


def project_ref(link, project):
    return {
        "url": link.api("api:project-detail", project.slug),
        "slug": project.slug,
        "acronym": project.acronym,
    }


def organisation_ref(link, organisation):
    return {
        "url": link.api("api:organisation-detail", organisation.slug),
        "slug": organisation.slug,
        "name": organisation.name_en or organisation.name,
    }


class RegionRefSerializer(serializers.ModelSerializer):
    url = api_url("region-detail")
    name = serializers.CharField(source="display_name")

    class Meta:
        model = Region
        fields = ["url", "slug", "nuts_code", "name", "kind", "level", "country_code"]
        # The columns a reference reads (for .only() through a relation).
        columns = ["slug", "nuts_code", "name", "name_en", "kind", "level", "country_code"]

    def to_representation(self, region):
        return region_ref(links(self.context), region)


class TopicRefSerializer(serializers.ModelSerializer):
    url = api_url("topic-detail")

    class Meta:
        model = Topic
        fields = ["url", "slug", "name"]

    def to_representation(self, topic):
        return topic_ref(links(self.context), topic)


class ProgrammeRefSerializer(serializers.ModelSerializer):
    url = api_url("programme-detail")

    class Meta:
        model = Programme
        fields = ["url", "slug", "name", "short_name"]


class ProjectRefSerializer(serializers.ModelSerializer):
    url = api_url("project-detail")

    class Meta:
        model = Project
        fields = ["url", "slug", "acronym"]
        columns = ["slug", "acronym"]

    def to_representation(self, project):
        return project_ref(links(self.context), project)


class OrganisationRefSerializer(serializers.ModelSerializer):
    url = api_url("organisation-detail")
    name = serializers.CharField(source="display_name")

    class Meta:
        model = Organisation
        fields = ["url", "slug", "name"]
        columns = ["slug", "name", "name_en"]

    def to_representation(self, organisation):
        return organisation_ref(links(self.context), organisation)


class PracticeRefSerializer(serializers.ModelSerializer):
    url = api_url("practice-detail")

    class Meta:
        model = GoodPractice
        fields = ["url", "slug", "title"]

    def to_representation(self, practice):
        return {
            "url": links(self.context).api("api:practice-detail", practice.slug),
            "slug": practice.slug,
            "title": practice.title,
        }


class EventRefSerializer(serializers.ModelSerializer):
    url = api_url("event-detail")
    title = serializers.CharField(source="display_title")

    class Meta:
        model = Event
        fields = ["url", "slug", "title", "start", "end"]


# Practices


# The columns a practice list row reads (``QuerySet.values()``): none of the
# long texts, nor a region's outline. Rows are dictionaries, not model
# instances: making instances and their related managers was a third of the
# time of a list page.
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
    "region__slug",
    "region__nuts_code",
    "region__name",
    "region__name_en",
    "region__kind",
    "region__level",
    "region__country_code",
    "organisation__slug",
    "organisation__name",
    "organisation__name_en",
)


def practice_rows(queryset):
    """Return ``queryset`` as list rows: ``PRACTICE_ROW_COLUMNS`` dictionaries.

    On PostgreSQL each row brings its topics and projects along (a JSON list
    from a correlated subquery each, evaluated for the rows of the page
    only); elsewhere ``PracticeRowsSerializer`` fetches them for the whole
    page in one more query. ``queryset`` must select from the practice
    table without an alias (the subqueries name it).
    """
    if connection.vendor != "postgresql":
        return queryset.values(*PRACTICE_ROW_COLUMNS)
    return queryset.values(
        *PRACTICE_ROW_COLUMNS,
        topic_tags=RawSQL(_tags_sql(GoodPractice.topics, "name", "name"), (), TextField()),
        project_tags=RawSQL(
            _tags_sql(GoodPractice.projects, "acronym", "acronym"), (), TextField()
        ),
    )


def _tags_sql(relation, key, column):
    """SQL for the JSON list (as text) of a practice's topics or projects, in the
    order of its detail.

    Raw SQL: built once per page, where the equivalent ORM subquery took
    2-4 ms to resolve and compile.
    """
    link = relation.through._meta
    practice = link.get_field("goodpractice").column
    target = link.get_field(relation.field.m2m_reverse_field_name()).column
    table = relation.field.related_model._meta.db_table
    return (
        f"SELECT COALESCE(json_agg(json_build_object('slug', t.slug, '{key}', t.{column}) "
        f"ORDER BY t.{column}, t.id), '[]')::text FROM {link.db_table} l "
        f"JOIN {table} t ON t.id = l.{target} "
        f"WHERE l.{practice} = {GoodPractice._meta.db_table}.id"
    )


def practice_tags(ids):
    """Return ``{practice id: ([topic], [project])}`` for ``ids``, in one query.

    Topics by name, projects by acronym (as on the detail), as
    ``{"slug", "name"}`` and ``{"slug", "acronym"}`` dictionaries.
    """
    tags = {pk: ([], []) for pk in ids}
    if not ids:
        return tags
    topic_link = GoodPractice.topics.through._meta
    project_link = GoodPractice.projects.through._meta
    marks = ", ".join(["%s"] * len(ids))
    sql = (
        f"SELECT l.{topic_link.get_field('goodpractice').column}, 0, t.slug, t.name, t.id "
        f"FROM {topic_link.db_table} l JOIN {Topic._meta.db_table} t "
        f"ON t.id = l.{topic_link.get_field('topic').column} "
        f"WHERE l.{topic_link.get_field('goodpractice').column} IN ({marks}) "
        "UNION ALL "
        f"SELECT l.{project_link.get_field('goodpractice').column}, 1, p.slug, p.acronym, p.id "
        f"FROM {project_link.db_table} l JOIN {Project._meta.db_table} p "
        f"ON p.id = l.{project_link.get_field('project').column} "
        f"WHERE l.{project_link.get_field('goodpractice').column} IN ({marks}) "
        "ORDER BY 2, 4, 5"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, *ids])
        for practice_id, kind, slug, name, _pk in cursor.fetchall():
            if kind == 0:
                tags[practice_id][0].append({"slug": slug, "name": name})
            else:
                tags[practice_id][1].append({"slug": slug, "acronym": name})
    return tags


def practice_row(link, row, topics, projects):
    """A practice list row from a ``PRACTICE_ROW_COLUMNS`` dictionary."""
    region_slug, organisation_slug = row["region__slug"], row["organisation__slug"]
    return {
        "url": link.api("api:practice-detail", row["slug"]),
        "web_url": link.web(GoodPractice, row["slug"]),
        "slug": row["slug"],
        "title": row["title"],
        "summary": row["summary"],
        "status": row["status"],
        "start_date": date_value(row["start_date"]),
        "end_date": date_value(row["end_date"]),
        "language": row["language"],
        "city": row["city"],
        "region": None
        if region_slug is None
        else {
            "url": link.api("api:region-detail", region_slug),
            "slug": region_slug,
            "nuts_code": row["region__nuts_code"],
            "name": row["region__name_en"] or row["region__name"],
            "kind": row["region__kind"],
            "level": row["region__level"],
            "country_code": row["region__country_code"],
        },
        "organisation": None
        if organisation_slug is None
        else {
            "url": link.api("api:organisation-detail", organisation_slug),
            "slug": organisation_slug,
            "name": row["organisation__name_en"] or row["organisation__name"],
        },
        "topics": [
            {"url": link.api("api:topic-detail", t["slug"]), "slug": t["slug"], "name": t["name"]}
            for t in topics
        ],
        "projects": [
            {
                "url": link.api("api:project-detail", p["slug"]),
                "slug": p["slug"],
                "acronym": p["acronym"],
            }
            for p in projects
        ],
        "keywords": [k.strip() for k in row["keywords"].split(",") if k.strip()],
        "published_at": link.datetime(row["published_at"]),
        "updated_at": link.datetime(row["updated_at"]),
    }


class PracticeRowsSerializer(serializers.ListSerializer):
    """A page of practices given as ``PRACTICE_ROW_COLUMNS`` dictionaries (or as models)."""

    def to_representation(self, data):
        rows = list(data)
        if not rows or not isinstance(rows[0], dict):
            return super().to_representation(rows)
        link = links(self.context)
        if "topic_tags" in rows[0]:
            return [
                practice_row(
                    link, row, json.loads(row["topic_tags"]), json.loads(row["project_tags"])
                )
                for row in rows
            ]
        tags = practice_tags([row["id"] for row in rows])
        return [practice_row(link, row, *tags[row["id"]]) for row in rows]


class PracticeListSerializer(serializers.ModelSerializer):
    url = api_url("practice-detail")
    web_url = WebUrlField()
    region = RegionRefSerializer(allow_null=True)
    organisation = OrganisationRefSerializer(allow_null=True)
    topics = TopicRefSerializer(many=True)
    projects = ProjectRefSerializer(many=True)
    keywords = serializers.ListField(source="keyword_list", child=serializers.CharField())

    class Meta:
        model = GoodPractice
        fields = [
            "url",
            "web_url",
            "slug",
            "title",
            "summary",
            "status",
            "start_date",
            "end_date",
            "language",
            "city",
            "region",
            "organisation",
            "topics",
            "projects",
            "keywords",
            "published_at",
            "updated_at",
        ]
        list_serializer_class = PracticeRowsSerializer


class TransferSerializer(serializers.ModelSerializer):
    region = RegionRefSerializer()

    class Meta:
        model = Transfer
        fields = ["region", "year", "note"]


class PracticeDetailSerializer(PracticeListSerializer):
    transfers = TransferSerializer(many=True)
    presented_at = serializers.SerializerMethodField()

    class Meta(PracticeListSerializer.Meta):
        fields = [
            *PracticeListSerializer.Meta.fields,
            "description",
            "resources_needed",
            "evidence_of_success",
            "difficulties",
            "potential_for_transfer",
            "expert_opinion",
            "further_information",
            "transfers",
            "presented_at",
        ]

    @extend_schema_field(EventRefSerializer(many=True))
    def get_presented_at(self, practice):
        events = {}
        for presentation in practice.presentations.all():
            event = presentation.event
            if event.publication_state == PublicationState.PUBLISHED:
                events[event.pk] = event
        return EventRefSerializer(events.values(), many=True, context=self.context).data


# Regions


class RegionSerializer(serializers.ModelSerializer):
    url = api_url("region-detail")
    web_url = WebUrlField()
    parent = RegionRefSerializer(allow_null=True)
    children = serializers.SerializerMethodField(help_text="The regions directly below this one.")

    class Meta:
        model = Region
        fields = [
            "url",
            "web_url",
            "slug",
            "nuts_code",
            "name",
            "name_en",
            "kind",
            "level",
            "country_code",
            "parent",
            "children",
            "label_lat",
            "label_lon",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_children(self, region):
        url = reverse("api:region-list", request=self.context.get("request"))
        return f"{url}?parent={region.slug}"


class RegionDetailSerializer(RegionSerializer):
    ancestors = serializers.SerializerMethodField(help_text="The regions above, country first.")
    covers = RegionRefSerializer(many=True)

    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "ancestors", "covers", "outline"]

    @extend_schema_field(RegionRefSerializer(many=True))
    def get_ancestors(self, region):
        return RegionRefSerializer(region.ancestors(), many=True, context=self.context).data


# Topics and programmes


class TopicSerializer(serializers.ModelSerializer):
    url = api_url("topic-detail")
    practice_count = serializers.SerializerMethodField(
        help_text="The number of published practices on this topic."
    )

    class Meta:
        model = Topic
        fields = ["url", "slug", "name", "description", "practice_count"]

    @extend_schema_field(OpenApiTypes.INT)
    def get_practice_count(self, topic):
        return self.context["practice_counts"].get(topic.pk, 0)


class ProgrammeSerializer(serializers.ModelSerializer):
    url = api_url("programme-detail")

    class Meta:
        model = Programme
        fields = ["url", "slug", "name", "short_name", "fund", "website"]


# Projects


class ProjectSerializer(serializers.ModelSerializer):
    url = api_url("project-detail")
    web_url = WebUrlField()
    programme = ProgrammeRefSerializer(allow_null=True)
    area = RegionRefSerializer(allow_null=True)
    topics = TopicRefSerializer(many=True)
    status = serializers.ChoiceField(choices=Project.Status.choices, read_only=True)

    class Meta:
        model = Project
        fields = [
            "url",
            "web_url",
            "slug",
            "acronym",
            "title",
            "title_en",
            "language",
            "summary",
            "programme",
            "start_date",
            "end_date",
            "status",
            "total_budget",
            "eu_cofinancing",
            "website",
            "area",
            "topics",
        ]


class PartnerSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer()
    region = RegionRefSerializer(allow_null=True)

    class Meta:
        model = Partnership
        fields = ["organisation", "role", "region"]


class ProjectDetailSerializer(ProjectSerializer):
    partners = PartnerSerializer(source="partnerships", many=True)
    practices = serializers.SerializerMethodField(help_text="The project's published practices.")
    events = serializers.SerializerMethodField(help_text="The project's published events.")

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "objectives", "partners", "practices", "events"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_practices(self, project):
        url = reverse("api:practice-list", request=self.context.get("request"))
        return f"{url}?project={project.slug}"

    @extend_schema_field(OpenApiTypes.URI)
    def get_events(self, project):
        url = reverse("api:event-list", request=self.context.get("request"))
        return f"{url}?project={project.slug}"


# Organisations


class OrganisationSerializer(serializers.ModelSerializer):
    url = api_url("organisation-detail")
    web_url = WebUrlField()
    region = RegionRefSerializer(allow_null=True)

    class Meta:
        model = Organisation
        fields = [
            "url",
            "web_url",
            "slug",
            "name",
            "name_en",
            "acronym",
            "kind",
            "city",
            "region",
            "website",
        ]


class PartnershipSerializer(serializers.ModelSerializer):
    project = ProjectRefSerializer()

    class Meta:
        model = Partnership
        fields = ["project", "role"]


class OrganisationDetailSerializer(OrganisationSerializer):
    projects = PartnershipSerializer(source="partnerships", many=True)
    practices = PracticeRefSerializer(source="published_practices", many=True)

    class Meta(OrganisationSerializer.Meta):
        fields = [*OrganisationSerializer.Meta.fields, "projects", "practices"]


# Events


class PersonSerializer(serializers.Serializer):
    # Name and job title only: a person's e-mail address is private.
    name = serializers.CharField()
    job_title = serializers.CharField()


class PresentationSerializer(serializers.ModelSerializer):
    presenter = PersonSerializer(allow_null=True)
    organisation = OrganisationRefSerializer(allow_null=True)
    practice = serializers.SerializerMethodField()

    class Meta:
        model = Presentation
        fields = ["order", "title", "presenter", "organisation", "practice"]

    @extend_schema_field(PracticeRefSerializer(allow_null=True))
    def get_practice(self, presentation):
        practice = presentation.practice
        # A presentation may show a practice still in draft: name none then.
        if practice is None or practice.publication_state != PublicationState.PUBLISHED:
            return None
        return PracticeRefSerializer(practice, context=self.context).data


class MaterialSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Material
        fields = ["title", "kind", "language", "url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, material):
        path = reverse(
            "events:material-download", kwargs={"slug": material.event.slug, "pk": material.pk}
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class EventSerializer(serializers.ModelSerializer):
    url = api_url("event-detail")
    web_url = WebUrlField()
    title = serializers.CharField(source="display_title")
    original_title = serializers.CharField(source="title")
    project = ProjectRefSerializer(allow_null=True)
    region = RegionRefSerializer(allow_null=True)

    class Meta:
        model = Event
        fields = [
            "url",
            "web_url",
            "slug",
            "title",
            "original_title",
            "kind",
            "format",
            "start",
            "end",
            "time_zone",
            "venue",
            "city",
            "region",
            "online_link",
            "project",
            "language",
            "summary",
        ]
        # The event columns a list row reads (not the description).
        columns = [
            "title",
            "title_en",
            "slug",
            "kind",
            "format",
            "start",
            "end",
            "time_zone",
            "venue",
            "city",
            "online_link",
            "language",
            "summary",
            "project",
            "region",
        ]


class EventDetailSerializer(EventSerializer):
    organisers = OrganisationRefSerializer(many=True)
    presentations = PresentationSerializer(many=True)
    materials = MaterialSerializer(many=True)
    calendar = serializers.SerializerMethodField(help_text="The event as an iCalendar file.")

    class Meta(EventSerializer.Meta):
        fields = [
            *EventSerializer.Meta.fields,
            "description",
            "organisers",
            "presentations",
            "materials",
            "calendar",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_calendar(self, event):
        path = reverse("events:event-ics", kwargs={"slug": event.slug})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path
