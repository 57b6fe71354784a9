"""What the read-only API shows of each model.

Codes, not labels, for choices (the schema lists them): the data must not
change with the interface language. People appear by name and job title
only; e-mail addresses, contact people, editors and drafts never do.

The serializers below are the one declaration of each response's shape:
the schema is made from them, and they serialise model instances (details)
and the plain rows of ``practices.selectors.practice_rows`` (practice lists)
alike. Lists name hundreds of objects per page, so their addresses are
reversed once per response and filled in by slug (``Links``).
"""

import datetime
from collections.abc import Mapping

from django.db.models.manager import BaseManager
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import ISO_8601, serializers
from rest_framework.fields import get_attribute
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings
from rest_framework.utils.serializer_helpers import ReturnList

from core.models import (
    Organisation,
    Partnership,
    PolicyInstrument,
    Programme,
    Project,
    PublicationState,
    Region,
    Topic,
)
from events.models import Event, Material, Output, Participant, ParticipantGroup, Presentation
from infra.links import url_for_slug
from practices.models import GoodPractice, PracticeTranslation, Transfer


class Links:
    """The absolute addresses of one response, each kind reversed only once.

    ``api("api:practice-detail", slug)`` is what ``HyperlinkedIdentityField``
    gives, ``web(GoodPractice, slug)`` what ``build_absolute_uri(
    practice.get_absolute_url())`` gives (``infra.links.url_for_slug``).
    """

    def __init__(self, context):
        self.request = context.get("request")
        self.format = context.get("format")
        self.makers = {}

    def api_maker(self, view_name):
        """Return ``slug -> API address`` of ``view_name`` (for a slug that is not empty)."""
        key = ("api", view_name)
        maker = self.makers.get(key)
        if maker is None:
            maker = self.makers[key] = url_for_slug(
                lambda s: reverse(view_name, kwargs={"slug": s}, format=self.format),
                request=self.request,
            )
        return maker

    def web_maker(self, model):
        """Return ``slug -> address of the public page`` of ``model``."""
        key = ("web", model)
        maker = self.makers.get(key)
        if maker is None:
            maker = self.makers[key] = url_for_slug(
                lambda s: model(slug=s).get_absolute_url(), request=self.request
            )
        return maker

    def api(self, view_name, slug):
        return self.api_maker(view_name)(slug) if slug else None

    def web(self, model, slug):
        return self.web_maker(model)(slug)


def links(context):
    """Return the ``Links`` of a serializer context (one per response)."""
    found = context.get("links")
    if found is None:
        found = context["links"] = Links(context)
    return found


def slug_of(value):
    """The slug of a model instance or of a plain row."""
    return value["slug"] if type(value) is dict or isinstance(value, Mapping) else value.slug


class LinkField(serializers.HyperlinkedIdentityField):
    """The API address of the object, by slug (``HyperlinkedIdentityField``, faster)."""

    def to_representation(self, value):
        return links(self.context).api(self.view_name, slug_of(value))


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
        model = self.parent.Meta.model if isinstance(value, Mapping) else type(value)
        return links(self.context).web(model, slug_of(value))


class RowsSerializer(serializers.ListSerializer):
    """A list serialised by a plan made once per serializer class from its declared fields.

    DRF builds a ``ModelSerializer``'s fields anew for every response and
    walks them field by field, through ``get_attribute``, for every row:
    most of the time of a page of 50 practices. The plan reads the same
    sources and gives the same output as the fields' ``to_representation``;
    what does not change within a response (link prefixes, the time zone)
    is looked up once per response, not once per value. A serializer with a
    field the plan does not know is left to DRF.
    """

    @property
    def data(self):
        # Not kept on the serializer, as DRF keeps it: a list serializer and its
        # child refer to each other, so what they keep waits for the cycle
        # collector (``portal.api.views.release_rows``).
        return ReturnList(self.to_representation(self.instance), serializer=self)

    def to_representation(self, data):
        plan = _plan(type(self.child))
        if plan is None:
            return super().to_representation(data)
        represent = plan(self.context)
        rows = data.all() if isinstance(data, BaseManager) else data
        return [represent(row) for row in rows]


_PLANS = {}


def _plan(serializer_class):
    """Return ``context -> (row -> representation)`` for ``serializer_class``, or None."""
    if serializer_class not in _PLANS:
        try:
            _PLANS[serializer_class] = _make_plan(serializer_class(context={}))
        except NotImplementedError:
            _PLANS[serializer_class] = None
    return _PLANS[serializer_class]


def _make_plan(serializer):
    fields = [
        (field.field_name, tuple(field.source_attrs), _converter(field, serializer))
        for field in serializer.fields.values()
        if not field.write_only
    ]

    def bind(context):
        # (name, key of a plain row or None, source, value -> representation)
        steps = [
            (name, source[0] if len(source) == 1 else None, source, make(context), make in TEXTS)
            for name, source, make in fields
        ]

        def represent(instance):
            row = {}
            plain = type(instance) is dict
            for name, key, source, convert, text in steps:
                if plain and key is not None:
                    value = instance[key]
                elif not source:  # source="*": the object itself
                    value = instance
                else:
                    value = get_attribute(instance, source)
                if value is None:
                    row[name] = None
                elif text and type(value) is str:
                    # What a text field's to_representation gives back for a text.
                    row[name] = value
                else:
                    row[name] = convert(value)
            return row

        return represent

    return bind


def _converter(field, serializer):
    """Return ``context -> (value -> representation)`` for one declared field."""
    if isinstance(field, LinkField):
        view_name = field.view_name

        def link(context):
            url = links(context).api_maker(view_name)

            def convert(value):
                slug = value["slug"] if type(value) is dict else slug_of(value)
                return url(slug) if slug else None

            return convert

        return link
    if isinstance(field, WebUrlField):
        model = serializer.Meta.model

        def web_link(context):
            found = links(context)
            maker = found.web_maker(model)
            return lambda value: (
                maker(value["slug"])
                if type(value) is dict
                else found.web(type(value), slug_of(value))
            )

        return web_link
    if isinstance(field, serializers.ListSerializer):
        item_plan = _make_plan(field.child)

        def items(context):
            item = item_plan(context)
            return lambda value: [
                item(one) for one in (value.all() if isinstance(value, BaseManager) else value)
            ]

        return items
    if isinstance(field, serializers.BaseSerializer):
        return _make_plan(field)
    if isinstance(field, serializers.SerializerMethodField | serializers.HiddenField):
        raise NotImplementedError(field)
    convert = field.to_representation
    if type(field) in TEXT_FIELDS:
        return _text(lambda context: convert)
    if type(field) is serializers.ListField and type(field.child) in TEXT_FIELDS:
        child = field.child.to_representation
        return lambda context: (
            lambda value: [
                item if type(item) is str else None if item is None else child(item)
                for item in value
            ]
        )
    if type(field) is serializers.DateTimeField:
        return lambda context: _datetimes(field)
    return lambda context: convert


# Their to_representation gives a text back as it is.
TEXT_FIELDS = (
    serializers.CharField,
    serializers.SlugField,
    serializers.URLField,
    serializers.ChoiceField,
)
# The converters of text fields, which represent() skips for a text.
TEXTS = set()


def _text(make):
    TEXTS.add(make)
    return make


def _datetimes(field):
    """Return ``DateTimeField.to_representation``, its time zone looked up once.

    DRF asks for the current time zone for every value. Aware datetimes in
    ISO 8601 are converted here as DRF converts them; anything else is left
    to the field.
    """
    convert = field.to_representation
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()
    if zone is None or not isinstance(output_format, str) or output_format.lower() != ISO_8601:
        return convert

    def iso(value):
        if type(value) is not datetime.datetime or value.utcoffset() is None:
            return convert(value)
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return iso


# References: how one object names another inside a response.


class RegionRefSerializer(serializers.ModelSerializer):
    url = api_url("region-detail")
    name = serializers.CharField(source="display_name")

    class Meta:
        model = Region
        fields = ["url", "slug", "nuts_code", "name", "kind", "level", "country_code"]
        # The columns a reference reads (for .only() through a relation).
        columns = ["slug", "nuts_code", "name", "name_en", "kind", "level", "country_code"]


class TopicRefSerializer(serializers.ModelSerializer):
    url = api_url("topic-detail")

    class Meta:
        model = Topic
        fields = ["url", "slug", "name"]


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


class OrganisationRefSerializer(serializers.ModelSerializer):
    url = api_url("organisation-detail")
    name = serializers.CharField(source="display_name")

    class Meta:
        model = Organisation
        fields = ["url", "slug", "name"]
        columns = ["slug", "name", "name_en"]


class PracticeRefSerializer(serializers.ModelSerializer):
    url = api_url("practice-detail")

    class Meta:
        model = GoodPractice
        fields = ["url", "slug", "title"]


class EventRefSerializer(serializers.ModelSerializer):
    url = api_url("event-detail")
    title = serializers.CharField(source="display_title")

    class Meta:
        model = Event
        fields = ["url", "slug", "title", "start", "end"]


class PolicyInstrumentRefSerializer(serializers.ModelSerializer):
    url = api_url("policyinstrument-detail")

    class Meta:
        model = PolicyInstrument
        fields = ["url", "slug", "name", "name_en"]


@extend_schema_field(OpenApiTypes.URI)
class DocumentUrlField(serializers.Field):
    """Where the document is: its download (a file kept here) or its link."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, document):
        address = document.get_absolute_url()
        request = self.context.get("request")
        if document.file and request is not None:
            return request.build_absolute_uri(address)
        return address


class DocumentRefSerializer(serializers.ModelSerializer):
    url = api_url("document-detail")
    document_url = DocumentUrlField(help_text="The file's download address, or the link.")

    class Meta:
        model = Output
        fields = ["url", "slug", "title", "kind", "language", "document_url"]


def published_refs(serializer_class, objects, context):
    """``objects`` (published or not) as references, the unpublished left out."""
    shown = [o for o in objects if o.publication_state == PublicationState.PUBLISHED]
    return serializer_class(shown, many=True, context=context).data


# Practices


class PracticeTranslationSerializer(serializers.ModelSerializer):
    """A staff translation of a practice's texts; the practice's own fields stay the original."""

    language = serializers.CharField(source="language_code")
    title = serializers.CharField(source="translated_title")
    summary = serializers.CharField(source="translated_summary")

    class Meta:
        model = PracticeTranslation
        fields = ["language", "title", "summary"]


class PracticeTranslationDetailSerializer(PracticeTranslationSerializer):
    description = serializers.CharField(source="translated_description")
    resources_needed = serializers.CharField(source="translated_resources_needed")
    evidence_of_success = serializers.CharField(source="translated_evidence_of_success")
    difficulties = serializers.CharField(source="translated_difficulties")
    potential_for_transfer = serializers.CharField(source="translated_potential_for_transfer")

    class Meta(PracticeTranslationSerializer.Meta):
        fields = [*PracticeTranslationSerializer.Meta.fields, *GoodPractice.DESCRIPTION_FIELDS]


class PracticeListSerializer(serializers.ModelSerializer):
    url = api_url("practice-detail")
    web_url = WebUrlField()
    region = RegionRefSerializer(allow_null=True)
    organisation = OrganisationRefSerializer(allow_null=True)
    topics = TopicRefSerializer(many=True)
    projects = ProjectRefSerializer(many=True)
    keywords = serializers.ListField(source="keyword_list", child=serializers.CharField())
    # Title and summary above are the original, in ``language``; these are extra.
    translations = PracticeTranslationSerializer(many=True)

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
            "translations",
            "published_at",
            "updated_at",
            "validated_on",
            "validated_by",
            "edited_since_validation",
        ]
        list_serializer_class = RowsSerializer


class TransferSerializer(serializers.ModelSerializer):
    region = RegionRefSerializer()

    class Meta:
        model = Transfer
        fields = ["region", "state", "year", "note"]


class PracticeDetailSerializer(PracticeListSerializer):
    translations = PracticeTranslationDetailSerializer(many=True)
    transfers = TransferSerializer(many=True)
    presented_at = serializers.SerializerMethodField()
    policy_instruments = PolicyInstrumentRefSerializer(
        many=True, help_text="Policy instruments the practice influenced."
    )

    class Meta(PracticeListSerializer.Meta):
        fields = [
            *PracticeListSerializer.Meta.fields,
            *GoodPractice.DESCRIPTION_FIELDS,
            "expert_opinion",
            "validation_summary",
            "further_information",
            "transfers",
            "presented_at",
            "policy_instruments",
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
        list_serializer_class = RowsSerializer

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
        list_serializer_class = RowsSerializer


# Projects


class ProjectSerializer(serializers.ModelSerializer):
    url = api_url("project-detail")
    web_url = WebUrlField()
    programme = ProgrammeRefSerializer(allow_null=True)
    area = RegionRefSerializer(allow_null=True)
    topics = TopicRefSerializer(many=True)
    status = serializers.ChoiceField(choices=Project.Status.choices, read_only=True)

    # Its staff translations, every language (core.translations.translations_json):
    # the fields above stay the original, in ``language``.
    translations = serializers.JSONField(source="versions", read_only=True)

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
            "budget_is_approximate",
            "website",
            "area",
            "topics",
            "translations",
        ]
        list_serializer_class = RowsSerializer


class PartnerSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer()
    region = RegionRefSerializer(allow_null=True)

    class Meta:
        model = Partnership
        fields = ["organisation", "role", "region"]


class ProjectDetailSerializer(ProjectSerializer):
    partners = PartnerSerializer(source="partnerships", many=True)
    partner_regions = RegionRefSerializer(
        many=True,
        help_text="Where the partners come from, as the sources say, named partners or not.",
    )
    practices = serializers.SerializerMethodField(help_text="The project's published practices.")
    events = serializers.SerializerMethodField(help_text="The project's published events.")
    documents = serializers.SerializerMethodField(help_text="The project's published documents.")
    policy_instruments = PolicyInstrumentRefSerializer(
        many=True, help_text="Policy instruments the project aims to improve."
    )

    class Meta(ProjectSerializer.Meta):
        fields = [
            *ProjectSerializer.Meta.fields,
            "objectives",
            "stated_partner_count",
            "partners",
            "partner_regions",
            "practices",
            "events",
            "documents",
            "policy_instruments",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_practices(self, project):
        url = reverse("api:practice-list", request=self.context.get("request"))
        return f"{url}?project={project.slug}"

    @extend_schema_field(OpenApiTypes.URI)
    def get_events(self, project):
        url = reverse("api:event-list", request=self.context.get("request"))
        return f"{url}?project={project.slug}"

    @extend_schema_field(OpenApiTypes.URI)
    def get_documents(self, project):
        url = reverse("api:document-list", request=self.context.get("request"))
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
        list_serializer_class = RowsSerializer


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


class ParticipantSerializer(serializers.ModelSerializer):
    # A named person by name and job title only: an e-mail address is private.
    person = PersonSerializer(allow_null=True)
    organisation = OrganisationRefSerializer(allow_null=True)

    class Meta:
        model = Participant
        fields = ["person", "organisation", "role", "people_count"]


class ParticipantGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = ParticipantGroup
        fields = ["role", "description", "people_count", "region_count"]


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
    first_day = serializers.DateField(
        read_only=True, help_text="The day the event starts, in its time zone."
    )
    last_day = serializers.DateField(
        read_only=True, help_text="The day the event ends, in its time zone."
    )

    # Its staff translations, every language (core.translations.translations_json):
    # the fields above stay the original, in ``language``.
    translations = serializers.JSONField(source="versions", read_only=True)

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
            "all_day",
            "first_day",
            "last_day",
            "time_zone",
            "venue",
            "city",
            "region",
            "online_link",
            "project",
            "language",
            "summary",
            "translations",
        ]
        list_serializer_class = RowsSerializer
        # The event columns a list row reads (not the description).
        columns = [
            "title",
            "title_en",
            "slug",
            "kind",
            "format",
            "start",
            "end",
            "all_day",
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
    regions_represented = RegionRefSerializer(many=True)
    participants = ParticipantSerializer(
        many=True, help_text="Organisations and named people that took part."
    )
    participant_groups = ParticipantGroupSerializer(
        many=True, help_text="People who took part without being named: roles and head-counts."
    )
    presentations = PresentationSerializer(many=True)
    materials = MaterialSerializer(many=True)
    documents = serializers.SerializerMethodField(
        help_text="Published documents presented at the event."
    )
    policy_instruments = PolicyInstrumentRefSerializer(
        many=True, help_text="Policy instruments discussed at the event."
    )
    calendar = serializers.SerializerMethodField(help_text="The event as an iCalendar file.")

    class Meta(EventSerializer.Meta):
        fields = [
            *EventSerializer.Meta.fields,
            "description",
            "organisers",
            "regions_represented",
            "participants",
            "participant_groups",
            "presentations",
            "materials",
            "documents",
            "policy_instruments",
            "calendar",
        ]

    @extend_schema_field(DocumentRefSerializer(many=True))
    def get_documents(self, event):
        # Prefetched as published documents only (EventViewSet).
        return DocumentRefSerializer(event.outputs.all(), many=True, context=self.context).data

    @extend_schema_field(OpenApiTypes.URI)
    def get_calendar(self, event):
        path = reverse("events:event-ics", kwargs={"slug": event.slug})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


# Documents and policy instruments


class DocumentSerializer(serializers.ModelSerializer):
    url = api_url("document-detail")
    document_url = DocumentUrlField(help_text="The file's download address, or the link.")
    project = ProjectRefSerializer(allow_null=True)
    event = serializers.SerializerMethodField(help_text="The event where it was presented.")
    regions = RegionRefSerializer(many=True, help_text="The regions concerned.")

    # Its staff translations, every language (core.translations.translations_json):
    # the fields above stay the original, in ``language``.
    translations = serializers.JSONField(source="versions", read_only=True)

    class Meta:
        model = Output
        fields = [
            "url",
            "slug",
            "title",
            "kind",
            "language",
            "date",
            "summary",
            "document_url",
            "project",
            "event",
            "regions",
            "translations",
        ]
        list_serializer_class = RowsSerializer

    @extend_schema_field(EventRefSerializer(allow_null=True))
    def get_event(self, document):
        event = document.event
        # A document may name an event still in draft: name none then.
        if event is None or event.publication_state != PublicationState.PUBLISHED:
            return None
        return EventRefSerializer(event, context=self.context).data


class PolicyInstrumentSerializer(serializers.ModelSerializer):
    url = api_url("policyinstrument-detail")
    web_url = WebUrlField()
    region = RegionRefSerializer(allow_null=True)

    # Its staff translations, every language (core.translations.translations_json):
    # the fields above stay the original, in ``language``.
    translations = serializers.JSONField(source="versions", read_only=True)

    class Meta:
        model = PolicyInstrument
        fields = [
            "url",
            "web_url",
            "slug",
            "name",
            "name_en",
            "language",
            "region",
            "programme_period",
            "website",
            "description",
            "translations",
        ]


class PolicyInstrumentDetailSerializer(PolicyInstrumentSerializer):
    practices = serializers.SerializerMethodField(help_text="Published practices it influenced.")
    projects = ProjectRefSerializer(many=True, help_text="Projects that aim to improve it.")
    events = serializers.SerializerMethodField(help_text="Published events that discussed it.")

    class Meta(PolicyInstrumentSerializer.Meta):
        fields = [*PolicyInstrumentSerializer.Meta.fields, "practices", "projects", "events"]

    @extend_schema_field(PracticeRefSerializer(many=True))
    def get_practices(self, instrument):
        return published_refs(PracticeRefSerializer, instrument.practices.all(), self.context)

    @extend_schema_field(EventRefSerializer(many=True))
    def get_events(self, instrument):
        return published_refs(EventRefSerializer, instrument.events.all(), self.context)
