"""Admin for the core domain: programmes, projects, partners, regions, topics, people."""

from django.contrib import admin
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats

from core.admin_history import HistoryAdmin
from core.admin_scoping import ProjectScopedAdminMixin, editable_project_ids, is_portal_admin
from core.admin_translations import translation_inline
from core.models import (
    Organisation,
    Partnership,
    Person,
    PolicyInstrument,
    PolicyInstrumentTranslation,
    Programme,
    Project,
    ProjectTranslation,
    Region,
    Topic,
)
from core.resources import (
    OrganisationResource,
    PolicyInstrumentResource,
    ProjectResource,
    RegionResource,
)

# A link typed without a scheme is completed as https:// (Django 6's default,
# which 5.2 warns about); for every admin form with a URL field.
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class TextCellsFormulaEscape:
    """IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT for text cells only.

    The library's own escaping rewrites every cell as text: an empty XLSX
    cell became "None" and numbers and dates became text.
    """

    def _escape_formulae(self, dataset):
        for _row in range(len(dataset)):
            row = dataset.lpop()
            dataset.append(
                [
                    cell[1:] if isinstance(cell, str) and cell.startswith("=") else cell
                    for cell in row
                ]
            )


class CSV(TextCellsFormulaEscape, base_formats.CSV):
    pass


class XLSX(TextCellsFormulaEscape, base_formats.XLSX):
    pass


class PortalImportExportMixin(ImportExportMixin):
    """Import for portal administrators only; export (scoped) for every viewer.

    The first import step is always a dry run listing every row with its
    number; the confirm step imports in one transaction and rolls back
    everything when any row fails.
    """

    import_template_name = "admin/import_export/import_with_rows.html"
    formats = [CSV, XLSX]

    def has_import_permission(self, request):
        return is_portal_admin(request.user) and super().has_import_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request) and super().has_export_permission(request)

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["name", "short_name", "fund", "website"]
    list_filter = ["fund"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(PolicyInstrument)
class PolicyInstrumentAdmin(PortalImportExportMixin, admin.ModelAdmin):
    """Shared reference data: portal administrators edit it, editors link to it."""

    resource_classes = [PolicyInstrumentResource]
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["name", "name_en", "region", "programme_period"]
    list_filter = ["language"]
    list_select_related = ["region"]
    search_fields = ["name", "name_en", "slug"]
    autocomplete_fields = ["region"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [translation_inline(PolicyInstrumentTranslation)]


@admin.register(Region)
class RegionAdmin(PortalImportExportMixin, admin.ModelAdmin):
    resource_classes = [RegionResource]
    list_display = ["name", "name_en", "nuts_code", "kind", "level", "parent", "country_code"]
    list_filter = ["kind", "level", "country_code"]
    list_select_related = ["parent"]
    search_fields = ["name", "name_en", "nuts_code", "slug"]
    autocomplete_fields = ["parent", "covers"]
    readonly_fields = ["path", "country_code"]
    prepopulated_fields = {"slug": ["nuts_code"]}
    fieldsets = [
        (None, {"fields": ["name", "name_en", "slug", "kind", "nuts_code", "level", "parent"]}),
        (_("Non-NUTS areas"), {"fields": ["covers"]}),
        (_("Map"), {"fields": ["label_lat", "label_lon", "outline"]}),
        (_("Derived"), {"fields": ["path", "country_code"], "classes": ["collapse"]}),
    ]


@admin.register(Organisation)
class OrganisationAdmin(PortalImportExportMixin, HistoryAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    resource_classes = [OrganisationResource]
    list_display = ["name", "name_en", "acronym", "kind", "region", "city"]
    list_filter = ["kind", "region__country_code"]
    list_select_related = ["region"]
    search_fields = ["name", "name_en", "acronym", "city", "slug"]
    autocomplete_fields = ["region"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "job_title", "organisation"]
    list_select_related = ["organisation"]
    # Never the e-mail: a search must not tell who has which address.
    search_fields = ["name", "job_title", "organisation__name", "organisation__name_en"]
    autocomplete_fields = ["organisation"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and not self.may_see_email(request, obj):
            fields = [name for name in fields if name != "email"]
        return fields

    def may_see_email(self, request, person):
        """A private address is shown to portal administrators, and to an editor
        only for the people of their projects: contacts of their practices,
        presenters at their events. Anyone may type one in for a new person."""
        if is_portal_admin(request.user):
            return True
        ids = editable_project_ids(request.user)
        # Reverse relations of the practices and events apps, by name (no import).
        linked = (
            Q(practices_in_contact__projects__in=ids)
            | Q(presentations__event__project__in=ids)
            | Q(participations__event__project__in=ids)
        )
        return bool(ids) and Person.objects.filter(linked, pk=person.pk).exists()


class PartnershipInline(admin.TabularInline):
    model = Partnership
    extra = 1
    autocomplete_fields = ["organisation", "region"]


@admin.register(Project)
class ProjectAdmin(ProjectScopedAdminMixin, PortalImportExportMixin, HistoryAdmin):
    resource_classes = [ProjectResource]
    formfield_overrides = HTTPS_URL_FIELDS
    project_lookup = "pk"
    list_display = ["acronym", "title", "programme", "start_date", "end_date", "status_label"]
    list_filter = ["programme", "topics"]
    list_select_related = ["programme"]
    search_fields = ["acronym", "title", "title_en", "slug"]
    autocomplete_fields = [
        "programme",
        "area",
        "topics",
        "editors",
        "partner_regions",
        "policy_instruments",
    ]
    prepopulated_fields = {"slug": ["acronym"]}
    inlines = [translation_inline(ProjectTranslation), PartnershipInline]
    date_hierarchy = "start_date"

    class Media:
        css = {"all": ["css/admin-extra.css"]}

    fieldsets = [
        (None, {"fields": ["acronym", "slug", "title", "title_en", "language", "programme"]}),
        (
            _("Content"),
            {
                "fields": [
                    "summary",
                    "objectives",
                    "topics",
                    "area",
                    "website",
                    "policy_instruments",
                ]
            },
        ),
        (
            _("Dates and budget"),
            {
                "fields": [
                    "start_date",
                    "end_date",
                    "total_budget",
                    "eu_cofinancing",
                    "budget_is_approximate",
                ]
            },
        ),
        (_("Partners the sources count"), {"fields": ["stated_partner_count", "partner_regions"]}),
        (_("Editors"), {"fields": ["editors"]}),
    ]

    @admin.display(description=_("status"))
    def status_label(self, obj):
        return obj.get_status_display()

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not is_portal_admin(request.user):
            # An editor curates the project but does not choose its editors.
            readonly += ["editors", "acronym", "slug"]
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        if not is_portal_admin(request.user):
            return {}
        return super().get_prepopulated_fields(request, obj)


@admin.register(Partnership)
class PartnershipAdmin(ProjectScopedAdminMixin, admin.ModelAdmin):
    project_lookup = "project"
    scope_fields = ("project",)
    list_display = ["organisation", "project", "role", "region"]
    list_filter = ["role", "project"]
    list_select_related = ["organisation", "project", "region"]
    search_fields = ["organisation__name", "organisation__name_en", "project__acronym"]
    autocomplete_fields = ["project", "organisation", "region"]
