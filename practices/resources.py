"""Import/export of good practices: the template fields, relations by natural key.

The private contact person is left out: exports never carry e-mail addresses.
Staff translations travel as extra columns ``<field>_<language>`` (``title_pl``)
after the original fields.
"""

from import_export import fields

from core.resources import (
    NaturalKeyResource,
    RegionWidget,
    TranslationColumnsMixin,
    organisation_widget,
    projects_widget,
    topics_widget,
)
from practices.models import GoodPractice


class GoodPracticeResource(TranslationColumnsMixin, NaturalKeyResource):
    projects = fields.Field(attribute="projects", column_name="projects", widget=projects_widget())
    region = fields.Field(attribute="region", column_name="region", widget=RegionWidget())
    organisation = fields.Field(
        attribute="organisation", column_name="organisation", widget=organisation_widget()
    )
    topics = fields.Field(attribute="topics", column_name="topics", widget=topics_widget())

    class Meta:
        model = GoodPractice
        fields = (
            "slug",
            "title",
            "projects",
            "region",
            "city",
            "summary",
            "organisation",
            *GoodPractice.DESCRIPTION_FIELDS,
            "start_date",
            "end_date",
            "status",
            "topics",
            "keywords",
            "further_information",
            "language",
            "publication_state",
            "expert_opinion",
        )
        export_order = fields
