"""Admin review queue for practice proposals."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import HTTPS_URL_FIELDS
from core.admin_history import HistoryAdmin
from core.admin_scoping import ProjectScopedAdminMixin
from practices import services
from practices.forms import ReviewMessageForm
from practices.models import PracticeProposal, ProposalAttachment


class ProposalAttachmentInline(admin.TabularInline):
    model = ProposalAttachment
    extra = 0
    can_delete = False
    fields = ["download", "content_type", "size"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def download(self, attachment):
        url = reverse(
            "admin:practices_practiceproposal_attachment",
            args=[attachment.proposal_id, attachment.pk],
        )
        return format_html('<a href="{}">{}</a>', url, attachment.original_name)


class QueueStateFilter(admin.SimpleListFilter):
    """The states a proposal in the queue can be in (never "unconfirmed")."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            (value, label)
            for value, label in PracticeProposal.State.choices
            if value != PracticeProposal.State.UNCONFIRMED
        ]

    def queryset(self, request, queryset):
        if self.value() in dict(self.lookups(request, None)):
            return queryset.filter(state=self.value())
        return queryset


@admin.register(PracticeProposal)
class PracticeProposalAdmin(ProjectScopedAdminMixin, HistoryAdmin):
    # Editors review only their projects' proposals (exchange/admin_scoping.py).
    project_lookup = "project"
    scope_fields = ("project",)
    list_display = ["title", "state", "project", "region", "proposer", "confirmed_at"]
    list_filter = [QueueStateFilter, "project"]
    list_select_related = ["project", "region"]
    search_fields = ["title", "summary", "proposer_name", "proposer_organisation", "city"]
    date_hierarchy = "confirmed_at"
    ordering = ["-confirmed_at", "-id"]
    raw_id_fields = ["region", "organisation", "practice"]
    # Thousands of projects: typed, not a select of every one (issue 16).
    autocomplete_fields = ["project"]
    filter_horizontal = ["topics"]
    inlines = [ProposalAttachmentInline]
    formfield_overrides = HTTPS_URL_FIELDS
    actions = ["start_review_action", "request_changes_action", "accept_action", "decline_action"]
    readonly_fields = [
        "state",
        "public_id",
        "practice_link",
        "proposer_name",
        "proposer_email",
        "pending_email",
        "proposer_organisation",
        "consent_to_contact",
        "proposer_language",
        "reviewer_message",
        "created_at",
        "confirmed_at",
        "updated_at",
    ]
    fieldsets = [
        (
            _("Review"),
            {
                "fields": [
                    "state",
                    "reviewer_message",
                    "reviewer_notes",
                    "practice_link",
                    ("created_at", "confirmed_at", "updated_at"),
                ]
            },
        ),
        (
            _("Proposer (private)"),
            {
                "fields": [
                    "proposer_name",
                    "proposer_email",
                    "pending_email",
                    "proposer_organisation",
                    "consent_to_contact",
                    "proposer_language",
                ]
            },
        ),
        (
            _("The practice"),
            {
                "fields": [
                    "title",
                    "project",
                    "summary",
                    "organisation",
                    "organisation_name",
                    "region",
                    "city",
                    *PracticeProposal.DESCRIPTION_FIELDS,
                    ("start_date", "end_date", "status"),
                    "topics",
                    "keywords",
                    "further_information",
                    "language",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        # The queue: only proposals whose proposer confirmed the address.
        return super().get_queryset(request).in_queue()

    @admin.display(description=_("proposer"), ordering="proposer_name")
    def proposer(self, proposal):
        return proposal.proposer_name

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("resulting practice"))
    def practice_link(self, proposal):
        if not proposal.practice_id:
            return "–"
        try:
            url = reverse("admin:practices_goodpractice_change", args=[proposal.practice_id])
        except NoReverseMatch:  # the practice admin is not registered
            return str(proposal.practice)
        return format_html('<a href="{}">{}</a>', url, proposal.practice)

    def get_urls(self):
        urls = [
            path(
                "<int:object_id>/attachments/<int:attachment_id>/",
                self.admin_site.admin_view(self.attachment_view),
                name="practices_practiceproposal_attachment",
            )
        ]
        return urls + super().get_urls()

    def attachment_view(self, request, object_id, attachment_id):
        """Serve an attachment to staff who may see the proposal; never publicly."""
        proposal = self.get_object(request, str(object_id))
        if proposal is None:
            raise Http404
        if not self.has_view_or_change_permission(request, proposal):
            raise PermissionDenied
        try:
            attachment = proposal.attachments.get(pk=attachment_id)
        except ProposalAttachment.DoesNotExist as error:
            raise Http404 from error
        response = FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response

    # Actions ------------------------------------------------------------------

    def _run(self, request, queryset, action, done_message, **kwargs):
        done = 0
        for proposal in queryset:
            try:
                action(proposal=proposal, user=request.user, **kwargs)
            except services.IllegalTransition as error:
                self.message_user(request, str(error), messages.ERROR)
            except ValidationError as error:
                self.message_user(
                    request,
                    _("“%(title)s” could not be accepted: %(errors)s")
                    % {"title": proposal.title, "errors": "; ".join(error.messages)},
                    messages.ERROR,
                )
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    def _base_url(self, request):
        return request.build_absolute_uri("/").rstrip("/")

    @admin.action(
        description=_("Start the review of the selected proposals"), permissions=["change"]
    )
    def start_review_action(self, request, queryset):
        self._run(
            request,
            queryset,
            services.start_review,
            lambda n: (
                ngettext("%d proposal is now in review.", "%d proposals are now in review.", n) % n
            ),
        )

    @admin.action(
        description=_("Accept the selected proposals (creates draft practices)"),
        permissions=["change"],
    )
    def accept_action(self, request, queryset):
        self._run(
            request,
            queryset,
            services.accept_proposal,
            lambda n: (
                ngettext(
                    "%d proposal accepted: its draft practice is ready to edit.",
                    "%d proposals accepted: their draft practices are ready to edit.",
                    n,
                )
                % n
            ),
            base_url=self._base_url(request),
        )

    @admin.action(
        description=_("Request changes to the selected proposals…"), permissions=["change"]
    )
    def request_changes_action(self, request, queryset):
        return self._message_step(
            request,
            queryset,
            action_name="request_changes_action",
            title=_("Request changes"),
            intro=_(
                "Write what the proposer should change. They receive it by e-mail with a link "
                "to edit their proposal."
            ),
            submit=_("Send the request for changes"),
            perform=lambda proposal, user, message: services.request_changes(
                proposal=proposal, user=user, message=message, base_url=self._base_url(request)
            ),
            done=lambda n: (
                ngettext(
                    "Changes requested for %d proposal.", "Changes requested for %d proposals.", n
                )
                % n
            ),
        )

    @admin.action(description=_("Decline the selected proposals…"), permissions=["change"])
    def decline_action(self, request, queryset):
        return self._message_step(
            request,
            queryset,
            action_name="decline_action",
            title=_("Decline proposals"),
            intro=_("Write why the proposal is declined. The proposer receives it by e-mail."),
            submit=_("Decline and send the reason"),
            perform=lambda proposal, user, message: services.decline_proposal(
                proposal=proposal, user=user, reason=message, base_url=self._base_url(request)
            ),
            done=lambda n: ngettext("%d proposal declined.", "%d proposals declined.", n) % n,
        )

    def _message_step(self, request, queryset, *, action_name, title, intro, submit, perform, done):
        """Ask for the message on an intermediate page, then apply the action."""
        if "apply" in request.POST:
            form = ReviewMessageForm(request.POST)
            if form.is_valid():
                message = form.cleaned_data["message"]
                self._run(
                    request,
                    queryset,
                    lambda proposal, user: perform(proposal, user, message),
                    done,
                )
                return None
        else:
            form = ReviewMessageForm()
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "intro": intro,
            "submit_label": submit,
            "form": form,
            "queryset": queryset,
            "action_name": action_name,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(
            request, "admin/practices/practiceproposal/review_message.html", context
        )
