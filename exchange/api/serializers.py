"""What the read-only API shows of each model.

Codes, not labels, for choices (the schema lists them): the data must not
change with the interface language. People appear by name and job title
only; e-mail addresses, contact people, editors and drafts never do.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from events.models import Event, Material, Presentation
from exchange.models import (
    Organisation,
    Partnership,
    Programme,
    Project,
    PublicationState,
    Region,
    Topic,
)
from practices.models import GoodPractice, Transfer


def api_url(view_name):
    return serializers.HyperlinkedIdentityField(view_name=f"api:{view_name}", lookup_field="slug")


@extend_schema_field(OpenApiTypes.URI)
class WebUrlField(serializers.Field):
    """The absolute address of the object's public page."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        url = value.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


# References: how one object names another inside a response.


class RegionRefSerializer(serializers.ModelSerializer):
    url = api_url("region-detail")
    name = serializers.CharField(source="display_name")

    class Meta:
        model = Region
        fields = ["url", "slug", "nuts_code", "name", "kind", "level", "country_code"]


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


class OrganisationRefSerializer(serializers.ModelSerializer):
    url = api_url("organisation-detail")
    name = serializers.CharField(source="display_name")

    class Meta:
        model = Organisation
        fields = ["url", "slug", "name"]


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


# Practices


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
    practice_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Topic
        fields = ["url", "slug", "name", "description", "practice_count"]


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
