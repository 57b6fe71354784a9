"""Admin for good practices and transfers."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from core.admin import HTTPS_URL_FIELDS, PortalImportExportMixin
from core.admin_history import HistoryAdmin
from core.admin_publishing import PUBLISHING_ACTIONS
from core.admin_scoping import ProjectScopedAdminMixin, is_portal_admin
from core.admin_translations import ContentTranslationInline
from core.models import PublicationState

# The proposal review queue has its own module; importing it registers it.
from practices import proposal_admin, services  # noqa: F401
from practices.detail_views import practice_detail_context
from practices.ie_export import build_sections, xlsx_response
from practices.models import (
    ContactMessage,
    GoodPractice,
    Interest,
    PracticeTranslation,
    SavedSearch,
    Transfer,
    Validation,
)
from practices.resources import GoodPracticeResource
from practices.selectors import practice_page


def preview_context(practice):
    """Return the public detail page's context for ``practice``, whatever its state.

    Built by the public view's own helpers, so that the preview shows exactly
    what the published page would, with the same queries.
    """
    practice = practice_page(GoodPractice.objects.filter(pk=practice.pk)).get()
    return {"practice": practice, "object": practice, **practice_detail_context(practice)}


class CompletenessFilter(admin.SimpleListFilter):
    """Practices with template sections still empty or holding a placeholder."""

    title = _("completeness")
    parameter_name = "completeness"

    def lookups(self, request, model_admin):
        return [("incomplete", _("Incomplete")), ("complete", _("Complete"))]

    def queryset(self, request, queryset):
        if self.value() == "incomplete":
            return queryset.filter(completeness__lt=100)
        if self.value() == "complete":
            return queryset.filter(completeness=100)
        return queryset


class TransferInline(admin.TabularInline):
    model = Transfer
    extra = 1
    autocomplete_fields = ["region"]
    fields = ["region", "state", "year", "organisation_name", "show_region", "note"]


class PracticeTranslationInline(ContentTranslationInline):
    """The practice's versions in the interface languages, beside its original texts."""

    model = PracticeTranslation


@admin.register(GoodPractice)
class GoodPracticeAdmin(ProjectScopedAdminMixin, PortalImportExportMixin, HistoryAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    project_lookup = "projects"
    scope_fields = ("projects",)
    resource_classes = [GoodPracticeResource]
    list_display = [
        "title",
        "publication_state",
        "region",
        "organisation",
        "project_list",
        "completeness",
        "updated_at",
    ]
    list_filter = [
        "publication_state",
        CompletenessFilter,
        "status",
        ("validated_on", admin.EmptyFieldListFilter),
        "projects",
        "topics",
        "language",
    ]
    list_select_related = ["region", "organisation"]
    search_fields = ["title", "summary", "keywords", "slug", "organisation__name", "region__name"]
    autocomplete_fields = [
        "region",
        "organisation",
        "topics",
        "projects",
        "contact",
        "policy_instruments",
    ]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [
        "published_at",
        "first_public_at",
        "created_at",
        "updated_at",
        "completeness",
        "validated_on",
        "validated_by",
        "edited_since_validation",
        "validation_history",
    ]
    date_hierarchy = "published_at"
    inlines = [PracticeTranslationInline, TransferInline]
    actions = [
        *PUBLISHING_ACTIONS,
        "export_interreg_xlsx",
        "print_interreg",
    ]

    # Headings in the order of the Interreg Europe submission form.
    class Media:
        css = {"all": ["css/admin-extra.css"]}

    fieldsets = [
        (
            _("General"),
            {"fields": ["title", "slug", "projects", "language", "publication_state"]},
        ),
        (_("Location"), {"fields": ["region", "city"]}),
        (
            _("Description"),
            {"fields": ["summary", "organisation", *GoodPractice.DESCRIPTION_FIELDS]},
        ),
        (_("Timescale"), {"fields": ["start_date", "end_date", "status"]}),
        (_("Classification"), {"fields": ["topics", "keywords", "policy_instruments"]}),
        (_("More"), {"fields": ["further_information"]}),
        (_("Contact (never public)"), {"fields": ["contact"]}),
        (
            _("Validation"),
            {
                "fields": [
                    "expert_opinion",
                    "validated_on",
                    "validated_by",
                    "edited_since_validation",
                    "validation_history",
                ]
            },
        ),
        (
            _("Dates"),
            {
                "fields": [
                    "published_at",
                    "first_public_at",
                    "created_at",
                    "updated_at",
                    "completeness",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("projects")

    @admin.display(description=_("validations"))
    def validation_history(self, obj):
        """Every validation of the practice, newest first (read-only: the history is kept)."""
        if obj is None or obj.pk is None:
            return "–"
        return format_html_join(
            "",
            '<p><a href="{}">{}</a>: {}</p>',
            (
                (
                    reverse("admin:practices_validation_change", args=[v.pk]),
                    f"{v.date:%Y-%m-%d} {v.expert}",
                    v.get_verdict_display() or _("proposed, no verdict yet"),
                )
                for v in obj.validations.order_by("-date", "-id")
            ),
        ) or _("None yet.")

    @admin.display(description=_("projects"))
    def project_list(self, obj):
        return ", ".join(p.label for p in obj.projects.all())

    # Interreg Europe template

    @admin.action(permissions=["view"], description=_("Interreg Europe template: download XLSX"))
    def export_interreg_xlsx(self, request, queryset):
        return xlsx_response(queryset)

    @admin.action(permissions=["view"], description=_("Interreg Europe template: printable page"))
    def print_interreg(self, request, queryset):
        context = {
            **self.admin_site.each_context(request),
            "title": _("Good practices in the Interreg Europe template"),
            "sections": build_sections(queryset),
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/practices/goodpractice/ie_print.html", context)

    # Preview of a draft as the public page shows it

    def get_urls(self):
        urls = super().get_urls()
        preview = path(
            "<path:object_id>/preview/",
            self.admin_site.admin_view(self.preview_view),
            name="practices_goodpractice_preview",
        )
        return [preview, *urls]

    def preview_view(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404(_("No such practice."))
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        context = {
            **preview_context(obj),
            "is_preview": True,
            "preview_admin_url": reverse("admin:practices_goodpractice_change", args=[obj.pk]),
        }
        response = TemplateResponse(request, "admin/practices/goodpractice/preview.html", context)
        # admin_view already forbids caching; keep a draft out of any index too.
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def view_on_site(self, obj):
        # "View on site" of a draft or archived practice would be a 404.
        if obj.publication_state == PublicationState.PUBLISHED:
            return obj.get_absolute_url()
        return reverse("admin:practices_goodpractice_preview", args=[obj.pk])

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["preview_url"] = reverse("admin:practices_goodpractice_preview", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(Transfer)
class TransferAdmin(ProjectScopedAdminMixin, admin.ModelAdmin):
    project_lookup = "practice__projects"
    scope_fields = ("practice",)
    list_display = ["practice", "region", "state", "year", "show_region"]
    list_filter = ["state", "year", "show_region"]
    list_editable = ["state"]
    list_select_related = ["practice", "region"]
    search_fields = ["practice__title", "region__name", "region__nuts_code", "note"]
    autocomplete_fields = ["practice", "region"]


@admin.register(Validation)
class ValidationAdmin(ProjectScopedAdminMixin, HistoryAdmin):
    """Editors propose validations of their projects' practices; portal administrators
    record the verdict. A recorded validation is read-only and kept."""

    project_lookup = "practice__projects"
    scope_fields = ("practice",)
    list_display = ["practice", "expert", "date", "verdict", "recorded_at"]
    list_filter = ["verdict", "date"]
    list_select_related = ["practice"]
    search_fields = ["practice__title", "expert"]
    autocomplete_fields = ["practice"]
    fields = ["practice", "expert", "date", "summary", "verdict", "proposed_by", "recorded_by"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.verdict:
            return self.fields
        readonly = ["proposed_by", "recorded_by"]
        if not is_portal_admin(request.user):
            readonly.append("verdict")
        return readonly

    # The history of validations is kept: a recorded one is only viewed;
    # only a proposal may be changed or withdrawn.
    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.verdict:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.verdict:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        verdict = form.cleaned_data.get("verdict", "") if "verdict" in form.fields else ""
        obj.verdict = ""
        if not change:
            obj.proposed_by = request.user
        obj._history_user = request.user
        super().save_model(request, obj, form, change)
        if verdict:
            services.record_verdict(validation=obj, verdict=verdict, user=request.user)
            messages.success(request, _("The verdict is recorded; the practice page shows it."))


@admin.register(ContactMessage)
class ContactMessageAdmin(ProjectScopedAdminMixin, admin.ModelAdmin):
    """The log of relayed messages: when, about what, to whom, whether sent. Never the content."""

    project_lookup = "practice__projects"
    list_display = ["created_at", "practice", "recipient", "state", "attempts", "length", "sent_at"]
    list_filter = ["state", "recipient"]
    list_select_related = ["practice"]
    search_fields = ["practice__title"]
    date_hierarchy = "created_at"
    fields = [
        "practice",
        "recipient",
        "state",
        "created_at",
        "sent_at",
        "attempts",
        "last_error",
        "length",
        "language",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        # The sender's words and address stay out of the admin's queries too.
        return (
            super()
            .get_queryset(request)
            .defer("sender_name", "sender_email", "sender_organisation", "body")
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Interest)
class InterestAdmin(ProjectScopedAdminMixin, admin.ModelAdmin):
    """Interests in learning from a practice; staff turn confirmed ones into transfers."""

    project_lookup = "practice__projects"
    list_display = ["created_at", "organisation", "region", "practice", "state", "show_region"]
    list_filter = ["state", "show_region"]
    list_select_related = ["practice", "region"]
    search_fields = ["organisation", "practice__title", "region__name"]
    fields = [
        "practice",
        "organisation",
        "region",
        "note",
        "email",
        "show_region",
        "state",
        "transfer",
        "created_at",
        "confirmed_at",
    ]
    readonly_fields = fields
    actions = ["turn_into_transfer"]

    def has_add_permission(self, request):
        return False

    @admin.action(permissions=["change"], description=_("Turn into a transfer (state: interested)"))
    def turn_into_transfer(self, request, queryset):
        made = 0
        for interest in queryset.exclude(state=Interest.State.UNCONFIRMED):
            services.interest_to_transfer(interest=interest, user=request.user)
            made += 1
        skipped = queryset.filter(state=Interest.State.UNCONFIRMED).count()
        if made:
            self.message_user(
                request, _("%(count)d interest(s) recorded as transfers.") % {"count": made}
            )
        if skipped:
            self.message_user(
                request,
                _("%(count)d unconfirmed interest(s) left as they are.") % {"count": skipped},
                messages.WARNING,
            )


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    """Saved searches and their alerts: what, how often, when sent. Never the address.

    Staff may delete one (the address goes with it); the subscriber changes
    it through the signed link in each e-mail.
    """

    list_display = [
        "created_at",
        "filters",
        "language",
        "frequency",
        "state",
        "next_due_at",
        "last_sent_at",
        "digests_sent",
    ]
    list_filter = ["state", "frequency", "language"]
    search_fields = ["filters"]
    date_hierarchy = "created_at"
    fields = [
        "filters",
        "language",
        "frequency",
        "state",
        "created_at",
        "confirmed_at",
        "sent_until",
        "next_due_at",
        "last_sent_at",
        "digests_sent",
        "last_error",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        # The address stays out of the admin's queries too.
        return super().get_queryset(request).defer("email")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
