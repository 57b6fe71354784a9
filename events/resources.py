"""Import/export of events, with projects, regions and organisers by natural key."""

from django.utils.translation import gettext_lazy as _
from import_export import fields

from core.models import Organisation
from core.resources import (
    NaturalKeyResource,
    RegionWidget,
    StrictManyToManyWidget,
    project_widget,
)
from events.models import Event


class EventResource(NaturalKeyResource):
    project = fields.Field(attribute="project", column_name="project", widget=project_widget())
    region = fields.Field(attribute="region", column_name="region", widget=RegionWidget())
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
            "time_zone",
            "venue",
            "city",
            "region",
            "online_link",
            "organisers",
            "language",
            "summary",
            "description",
            "publication_state",
        )
        export_order = fields
