"""Admin for events, their agenda (presentations) and materials."""

import datetime
import zoneinfo

from django import forms
from django.contrib import admin
from django.contrib.admin import widgets
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin import HTTPS_URL_FIELDS, PortalImportExportMixin
from core.admin_history import HistoryAdmin
from core.admin_publishing import PUBLISHING_ACTIONS
from core.admin_scoping import ProjectScopedAdminMixin, ScopedInlineMixin, is_portal_admin
from core.admin_translations import translation_inline
from core.models import PublicationState
from events.models import (
    Event,
    EventTranslation,
    Material,
    Output,
    OutputTranslation,
    Participant,
    ParticipantGroup,
    Presentation,
)
from events.resources import EventResource, OutputResource, ParticipantResource
from practices.models import GoodPractice


def presentable_practices(admin_site, request, queryset):
    """Narrow ``queryset`` to the practices ``request.user`` may put on an agenda.

    An editor may present their projects' practices, whatever their state,
    and any published practice (public anyway); never another project's
    draft or archived one, whose title would then show in their forms. The
    form checks the posted choice against the same set when it is saved.
    """
    if is_portal_admin(request.user):
        return queryset
    own = admin_site._registry[GoodPractice].scope_queryset(
        GoodPractice.objects.all(), request.user
    )
    return queryset.filter(
        Q(pk__in=own.values("pk")) | Q(publication_state=PublicationState.PUBLISHED)
    )


class PresentablePracticeMixin:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "practice" and formfield is not None:
            formfield.queryset = presentable_practices(self.admin_site, request, formfield.queryset)
        return formfield


class PresentationInline(PresentablePracticeMixin, admin.TabularInline):
    model = Presentation
    extra = 1
    fields = ["order", "title", "presenter", "organisation", "practice"]
    autocomplete_fields = ["presenter", "organisation", "practice"]


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 1
    fields = ["person", "organisation", "role", "people_count"]
    autocomplete_fields = ["person", "organisation"]
    verbose_name_plural = _("participants (organisations and named people)")


class ParticipantGroupInline(admin.TabularInline):
    model = ParticipantGroup
    extra = 1
    fields = ["order", "role", "description", "people_count", "region_count"]
    verbose_name_plural = _("participants not named (head-counts)")


class MaterialInline(ScopedInlineMixin, admin.TabularInline):
    formfield_overrides = HTTPS_URL_FIELDS
    model = Material
    extra = 1
    fields = ["title", "kind", "file", "url", "language", "presentation"]
    autocomplete_fields = ["presentation"]
    narrowed_fields = ("presentation",)


class DateAndOptionalTimeField(forms.SplitDateTimeField):
    """A date and a time that may be left empty (midnight): a date-only event has no hours.

    ``EventAdminForm.clean`` still asks a timed event for its times.
    """

    def __init__(self, **kwargs):
        super().__init__(require_all_fields=False, **kwargs)
        self.fields[1].required = False

    def compress(self, data_list):
        if data_list and data_list[0] and data_list[1] in self.empty_values:
            data_list = [data_list[0], datetime.time.min]
        return super().compress(data_list)


class EventAdminForm(forms.ModelForm):
    """The event form: a date-only event's days are shown and read where it takes place.

    The admin works in the server's time zone, where Bucharest's midnight is
    23:00 the day before and a day typed for London began in the previous one.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.instance
        if event.pk and event.all_day:
            for name in ("start", "end"):
                self.initial[name] = getattr(event, name).astimezone(event.tzinfo)
                self.initial[name] = self.initial[name].replace(tzinfo=None)

    def clean(self):
        cleaned = super().clean()
        try:
            zone = zoneinfo.ZoneInfo(cleaned.get("time_zone") or "")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = None  # the time zone field reports it
        for name in ("start", "end"):
            value = cleaned.get(name)
            if value is None:
                continue
            if cleaned.get("all_day"):
                if zone is not None:
                    cleaned[name] = timezone.make_naive(value).replace(tzinfo=zone)
            elif not self.data.get(f"{self.add_prefix(name)}_1", "").strip():
                self.add_error(name, self.fields[name].error_messages["required"])
        return cleaned


@admin.register(Event)
class EventAdmin(ProjectScopedAdminMixin, PortalImportExportMixin, HistoryAdmin):
    form = EventAdminForm
    formfield_overrides = {
        **HTTPS_URL_FIELDS,
        models.DateTimeField: {
            "form_class": DateAndOptionalTimeField,
            "widget": widgets.AdminSplitDateTime,
        },
    }
    project_lookup = "project"
    scope_fields = ("project",)
    resource_classes = [EventResource]
    list_display = [
        "display_title",
        "project",
        "kind",
        "format",
        "start",
        "city",
        "publication_state",
    ]
    list_filter = ["publication_state", "kind", "format", "project", "language"]
    list_select_related = ["project", "region"]
    search_fields = ["title", "title_en", "city", "venue", "slug", "project__acronym"]
    autocomplete_fields = [
        "project",
        "region",
        "organisers",
        "regions_represented",
        "policy_instruments",
    ]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "start"
    inlines = [
        translation_inline(EventTranslation),
        PresentationInline,
        ParticipantInline,
        ParticipantGroupInline,
        MaterialInline,
    ]
    actions = [*PUBLISHING_ACTIONS]

    class Media:
        css = {"all": ["css/admin-extra.css"]}

    fieldsets = [
        (
            None,
            {"fields": ["title", "title_en", "slug", "project", "kind", "format", "language"]},
        ),
        (_("When"), {"fields": ["start", "end", "all_day", "time_zone"]}),
        (_("Where"), {"fields": ["venue", "city", "region", "online_link"]}),
        (_("Content"), {"fields": ["summary", "description", "organisers", "policy_instruments"]}),
        (_("Who took part"), {"fields": ["regions_represented"]}),
        (_("Publication"), {"fields": ["publication_state", "created_at", "updated_at"]}),
    ]

    @admin.display(description=_("title"), ordering="title")
    def display_title(self, obj):
        return obj.display_title


@admin.register(Presentation)
class PresentationAdmin(PresentablePracticeMixin, ProjectScopedAdminMixin, admin.ModelAdmin):
    project_lookup = "event__project"
    scope_fields = ("event",)
    list_display = ["title", "event", "presenter", "organisation", "practice", "order"]
    list_filter = ["event__project", "event__kind"]
    list_select_related = ["event", "presenter", "organisation", "practice"]
    search_fields = ["title", "presenter__name", "organisation__name", "event__title"]
    autocomplete_fields = ["event", "presenter", "organisation", "practice"]


@admin.register(Material)
class MaterialAdmin(ProjectScopedAdminMixin, admin.ModelAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    project_lookup = "event__project"
    scope_fields = ("event",)
    narrowed_fields = ("presentation",)
    list_display = ["title", "kind", "event", "language"]
    list_filter = ["kind", "language", "event__project"]
    list_select_related = ["event"]
    search_fields = ["title", "event__title", "url"]
    autocomplete_fields = ["event", "presentation"]


@admin.register(Participant)
class ParticipantAdmin(ProjectScopedAdminMixin, PortalImportExportMixin, admin.ModelAdmin):
    project_lookup = "event__project"
    scope_fields = ("event",)
    resource_classes = [ParticipantResource]
    list_display = ["__str__", "event", "role", "people_count"]
    list_filter = ["role", "event__project"]
    list_select_related = ["event", "person", "organisation"]
    # Never the e-mail address: a search must not tell who has which one.
    search_fields = ["person__name", "organisation__name", "organisation__name_en", "event__title"]
    autocomplete_fields = ["event", "person", "organisation"]


@admin.register(ParticipantGroup)
class ParticipantGroupAdmin(ProjectScopedAdminMixin, admin.ModelAdmin):
    project_lookup = "event__project"
    scope_fields = ("event",)
    list_display = ["__str__", "event", "role", "people_count", "region_count"]
    list_filter = ["role", "event__project"]
    list_select_related = ["event"]
    search_fields = ["description", "event__title"]
    autocomplete_fields = ["event"]


@admin.register(Output)
class OutputAdmin(ProjectScopedAdminMixin, PortalImportExportMixin, admin.ModelAdmin):
    resource_classes = [OutputResource]
    formfield_overrides = HTTPS_URL_FIELDS
    project_lookup = "project"
    scope_fields = ("project",)
    list_display = ["title", "kind", "project", "date", "language", "publication_state"]
    list_filter = ["publication_state", "kind", "language", "project"]
    list_select_related = ["project"]
    search_fields = ["title", "summary", "slug", "project__acronym", "project__title"]
    autocomplete_fields = ["project", "event", "regions"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "date"
    actions = [*PUBLISHING_ACTIONS]
    inlines = [translation_inline(OutputTranslation)]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "language", "date", "summary"]}),
        (_("Where it comes from"), {"fields": ["project", "event", "regions"]}),
        (_("File or link"), {"fields": ["file", "url"]}),
        (_("Publication"), {"fields": ["publication_state"]}),
    ]
