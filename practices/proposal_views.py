"""The public proposal form and the proposer's private status page."""

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView, View

from core.models import Project
from infra import ratelimit
from infra.caching import PublicPageCacheMixin
from infra.ratelimit import client_ip
from practices import services, uploads
from practices.forms import ProposalForm
from practices.models import PracticeProposal


def base_url(request):
    return request.build_absolute_uri("/").rstrip("/")


# Room for the text fields next to the files (Django limits them to 2.5 MB by default).
TEXT_ALLOWANCE = 3 * 1024 * 1024


class ProposalFormMixin:
    form_class = ProposalForm
    template_name = "practices/proposal_form.html"

    # The body limit (infra.middleware.RequestBodyLimitMiddleware): the
    # attachments allowed plus the text, refused before anything reads it.
    @classmethod
    def max_request_bytes(cls):
        return uploads.max_files() * uploads.max_upload_bytes() + TEXT_ALLOWANCE

    @classmethod
    def request_too_large(cls, request):
        context = {
            "max_upload_bytes": uploads.max_upload_bytes(),
            "max_files": uploads.max_files(),
        }
        return render(request, "practices/proposal_too_large.html", context, status=413)

    def refuse_over_limit(self):
        """Count this POST toward the address's limit; return the refusal, or None.

        Every POST counts, whether it ends in a proposal, an error or the
        honeypot: each one costs the checks of up to five files.
        """
        request = self.request
        try:
            wait = ratelimit.hit("proposal", client_ip(request), settings.PROPOSAL_RATE_LIMIT)
        except ratelimit.LimitUnavailable:
            # Fail closed, keeping what the visitor typed (files cannot be kept).
            form = self.get_form_class()(**{**self.get_form_kwargs(), "files": None})
            context = self.get_context_data(form=form, limit_unavailable=True)
            response = self.render_to_response(context, status=503)
            response["Retry-After"] = "60"
            return response
        if not wait:
            return None
        response = render(
            request,
            "practices/rate_limited.html",
            {"wait_minutes": max(1, wait // 60)},
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["max_upload_bytes"] = uploads.max_upload_bytes()
        context["max_files"] = uploads.max_files()
        return context

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def save_through(self, service, form, **kwargs):
        """Hand the form's proposal, topics and files to ``service``.

        Return ``(proposal, None)``, or ``(proposal, the form again)`` with
        the reason the service refused them.
        """
        proposal = form.save(commit=False)
        try:
            service(
                proposal=proposal,
                topics=form.cleaned_data["topics"],
                files=form.cleaned_data["attachments"],
                base_url=base_url(self.request),
                **kwargs,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return proposal, self.form_invalid(form)
        return proposal, None


class ProposalCreateView(PublicPageCacheMixin, ProposalFormMixin, FormView):
    # The form is the same for every visitor but its CSRF token, which each
    # gets their own of on a cached page too.
    page_query_params = ("project",)
    csrf_token_page = True

    def get_initial(self):
        # A project can link to the form with itself chosen: ?project=<slug>.
        initial = super().get_initial()
        slug = self.request.GET.get("project", "")[:80]
        if slug:
            project = Project.objects.filter(slug=slug).values_list("pk", flat=True).first()
            if project:
                initial["project"] = project
        return initial

    def post(self, request, *args, **kwargs):
        if refusal := self.refuse_over_limit():
            return refusal
        form = self.get_form()
        if form.is_spam():
            # Look like a success so that the bot learns nothing.
            return redirect("practices:proposal-sent")
        if not form.is_valid():
            return self.form_invalid(form)
        _proposal, refused = self.save_through(
            services.submit_proposal,
            form,
            ip_address=client_ip(request),
            language=get_language(),
        )
        if refused is not None:
            return refused
        return redirect("practices:proposal-sent")


class ProposalSentView(TemplateView):
    template_name = "practices/proposal_sent.html"


class PrivatePageMixin:
    """Pages reached by a secret link: not indexed, not cached, no referrer to other sites."""

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        # Not "no-referrer": with it a browser posts the page's own forms
        # (confirm buttons) with "Origin: null", which the CSRF check refuses.
        # "same-origin" still keeps the token in the URL from other sites.
        response["Referrer-Policy"] = "same-origin"
        return response


class ConfirmationTokenMixin:
    def dispatch(self, request, *args, token, **kwargs):
        try:
            self.proposal = services.proposal_from_confirmation_token(token)
        except signing.SignatureExpired:
            return render(request, "practices/proposal_link_expired.html", status=410)
        except (signing.BadSignature, PracticeProposal.DoesNotExist, ValueError) as error:
            raise Http404(_("This link is not valid.")) from error
        self.token = token
        return super().dispatch(request, *args, **kwargs)


class ProposalConfirmView(PrivatePageMixin, ConfirmationTokenMixin, View):
    """Confirm the e-mail address: a button, so that link scanners confirm nothing."""

    def already_confirmed(self):
        messages.info(self.request, _("You have already confirmed this proposal."))
        return redirect(status_url(self.proposal))

    def get(self, request, *args, **kwargs):
        if self.proposal.state != PracticeProposal.State.UNCONFIRMED:
            return self.already_confirmed()
        return render(request, "practices/proposal_confirm.html", {"proposal": self.proposal})

    def post(self, request, *args, **kwargs):
        try:
            proposal = services.confirm_proposal(proposal=self.proposal, base_url=base_url(request))
        except services.IllegalTransition:
            return self.already_confirmed()
        messages.success(
            request,
            _("Thank you: your proposal is confirmed and waiting for review."),
        )
        return redirect(status_url(proposal))


class EmailChangeTokenMixin:
    def dispatch(self, request, *args, token, **kwargs):
        try:
            self.proposal, self.email = services.email_change_from_token(token)
        except signing.SignatureExpired:
            context = {"expired": True}
            return render(request, "practices/proposal_confirm_email.html", context, status=410)
        except (signing.BadSignature, PracticeProposal.DoesNotExist, ValueError) as error:
            raise Http404(_("This link is not valid.")) from error
        return super().dispatch(request, *args, **kwargs)


class ProposalConfirmEmailView(PrivatePageMixin, EmailChangeTokenMixin, View):
    """Confirm a new address typed in the edit form: a button, as for the proposal itself."""

    def not_waiting(self):
        messages.info(
            self.request,
            _("This address change is no longer waiting: it was confirmed or replaced."),
        )
        return redirect(status_url(self.proposal))

    def get(self, request, *args, **kwargs):
        if self.proposal.pending_email != self.email:
            return self.not_waiting()
        context = {"proposal": self.proposal}
        return render(request, "practices/proposal_confirm_email.html", context)

    def post(self, request, *args, **kwargs):
        try:
            services.confirm_email_change(proposal=self.proposal, email=self.email)
        except services.NoAddressWaiting:
            return self.not_waiting()
        messages.success(
            request, _("Thank you: we now write to the new address about your proposal.")
        )
        return redirect(status_url(self.proposal))


def status_url(proposal):
    return reverse("practices:proposal-status", kwargs={"token": services.status_token(proposal)})


class ProposalTokenMixin:
    def dispatch(self, request, *args, token, **kwargs):
        try:
            self.proposal = services.proposal_from_status_token(token)
        except signing.SignatureExpired:
            days = max(1, round(services.status_max_age().total_seconds() / 86400))
            context = {"max_age_days": days}
            return render(request, "practices/proposal_status_expired.html", context, status=410)
        except (signing.BadSignature, PracticeProposal.DoesNotExist, ValueError) as error:
            raise Http404(_("This link is not valid.")) from error
        self.token = token
        return super().dispatch(request, *args, **kwargs)


class ProposalStatusView(PrivatePageMixin, ProposalTokenMixin, TemplateView):
    template_name = "practices/proposal_status.html"

    def get_context_data(self, **kwargs):
        proposal = self.proposal
        return super().get_context_data(
            proposal=proposal,
            history=services.state_history(proposal),
            attachments=proposal.attachments.all(),
            topics=proposal.topics.all(),
            can_edit=proposal.state == PracticeProposal.State.CHANGES_REQUESTED,
            edit_url=reverse("practices:proposal-edit", kwargs={"token": self.token}),
            State=PracticeProposal.State,
            **kwargs,
        )


class ProposalEditView(PrivatePageMixin, ProposalTokenMixin, ProposalFormMixin, FormView):
    """The proposer answers a request for changes: the same form, pre-filled."""

    def get(self, request, *args, **kwargs):
        if redirect_response := self.refuse_unless_editable():
            return redirect_response
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if refusal := self.refuse_over_limit() or self.refuse_unless_editable():
            return refusal
        return super().post(request, *args, **kwargs)

    def refuse_unless_editable(self):
        if self.proposal.state != PracticeProposal.State.CHANGES_REQUESTED:
            messages.info(
                self.request, _("This proposal cannot be changed now: it is not waiting for you.")
            )
            return redirect(status_url(self.proposal))
        return None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.proposal}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            proposal=self.proposal,
            editing=True,
            status_url=status_url(self.proposal),
            attachments=self.proposal.attachments.all(),
            **kwargs,
        )

    def form_valid(self, form):
        if form.is_spam():
            return redirect(status_url(self.proposal))
        try:
            proposal, refused = self.save_through(services.resubmit, form)
        except services.IllegalTransition:
            return self.refuse_unless_editable()
        if refused is not None:
            return refused
        messages.success(
            self.request, _("Thank you: your changes are saved and the proposal is back in review.")
        )
        if proposal.pending_email:
            messages.info(
                self.request,
                _(
                    "We sent a link to the new e-mail address. Until you open it, we keep "
                    "writing to the address you confirmed before."
                ),
            )
        return redirect(status_url(proposal))
