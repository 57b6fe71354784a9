"""Import/export of events and documents, with projects, regions and organisers by natural key.

Staff translations travel as extra columns ``<field>_<language>`` (``title_pl``).
"""

from django.utils.translation import gettext_lazy as _
from import_export import fields

from core.models import Organisation, Person
from core.resources import (
    NaturalKeyResource,
    RegionWidget,
    StrictForeignKeyWidget,
    StrictManyToManyWidget,
    TranslationColumnsMixin,
    organisation_widget,
    project_widget,
    regions_widget,
)
from events.models import Event, Output, Participant


class EventResource(TranslationColumnsMixin, NaturalKeyResource):
    project = fields.Field(attribute="project", column_name="project", widget=project_widget())
    region = fields.Field(attribute="region", column_name="region", widget=RegionWidget())
    regions_represented = fields.Field(
        attribute="regions_represented",
        column_name="regions_represented",
        widget=regions_widget(),
    )
    organisers = fields.Field(
        attribute="organisers",
        column_name="organisers",
        widget=StrictManyToManyWidget(Organisation, field="name", label=_("organisation(s)")),
    )

    class Meta:
        model = Event
        fields = (
            "slug",
            "title",
            "title_en",
            "project",
            "kind",
            "format",
            "start",
            "end",
            "all_day",
            "time_zone",
            "venue",
            "city",
            "region",
            "online_link",
            "organisers",
            "regions_represented",
            "language",
            "summary",
            "description",
            "publication_state",
        )
        export_order = fields


class ParticipantResource(NaturalKeyResource):
    """Who took part: one row per organisation or named person (by name, never e-mail)."""

    event = fields.Field(
        attribute="event",
        column_name="event",
        widget=StrictForeignKeyWidget(Event, ["slug"], label=_("event")),
    )
    person = fields.Field(
        attribute="person",
        column_name="person",
        widget=StrictForeignKeyWidget(Person, ["name"], label=_("person")),
    )
    organisation = fields.Field(
        attribute="organisation", column_name="organisation", widget=organisation_widget()
    )

    class Meta:
        model = Participant
        fields = ("event", "person", "organisation", "role", "people_count")
        export_order = fields
        # No slug: a row is the event's participant by person, or by organisation alone.
        import_id_fields = ("event", "person", "organisation")

    def prepare_instance(self, instance):
        """Nothing to derive for a participant."""


class OutputResource(TranslationColumnsMixin, NaturalKeyResource):
    """Documents (events' ``Output``). An uploaded file is named, not carried: give a link."""

    project = fields.Field(attribute="project", column_name="project", widget=project_widget())
    event = fields.Field(
        attribute="event",
        column_name="event",
        widget=StrictForeignKeyWidget(Event, ["slug"], label=_("event")),
    )
    regions = fields.Field(attribute="regions", column_name="regions", widget=regions_widget())
    file = fields.Field(attribute="file", column_name="file", readonly=True)

    class Meta:
        model = Output
        fields = (
            "slug",
            "title",
            "kind",
            "language",
            "date",
            "summary",
            "project",
            "event",
            "regions",
            "url",
            "file",
            "publication_state",
        )
        export_order = fields
