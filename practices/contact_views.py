"""The form that relays a visitor's message to the people behind a practice."""

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from infra import ratelimit
from infra.ratelimit import client_ip
from practices import services
from practices.forms import ContactForm
from practices.models import GoodPractice


class PracticeMixin:
    def dispatch(self, request, *args, slug, **kwargs):
        self.practice = get_object_or_404(
            GoodPractice.objects.published().select_related("contact"), slug=slug
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            practice=self.practice,
            practice_url=self.practice.get_absolute_url(),
            breadcrumbs=[
                (_("Practices"), reverse("practices:practice-list")),
                (self.practice.title, self.practice.get_absolute_url()),
            ],
            **kwargs,
        )


class VisitorPostMixin:
    """What the POST of each visitor form shares: the form again as typed, with a status.

    Every post counts against ``CONTACT_RATE_LIMIT`` under ``rate_scope``;
    spam looks like a success; a valid form goes to ``accepted(form)``. The
    limits fail closed (503) and a refused post keeps its input (429).
    """

    rate_scope = None
    # Said on the 429 page: which limit the visitor met.
    rate_limit_context = {}

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        refused = self.limited(
            self.rate_scope,
            client_ip(request),
            settings.CONTACT_RATE_LIMIT,
            form,
            **self.rate_limit_context,
        )
        if refused:
            return refused
        if form.is_spam():
            # Look like a success so that the bot learns nothing.
            return redirect(self.get_success_url())
        if not form.is_valid():
            return self.render_with(form, 400)
        return self.accepted(form)

    def render_with(self, form, status, **extra):
        return self.render_to_response(self.get_context_data(form=form, **extra), status=status)

    def limited(self, scope, key, rate, form, **extra):
        """Count one post against ``rate``: ``None`` while under it, else the answer."""
        try:
            wait = ratelimit.hit(scope, key, rate)
        except ratelimit.LimitUnavailable:
            response = self.render_with(form, 503, limit_unavailable=True)
            response["Retry-After"] = "60"
            return response
        if not wait:
            return None
        response = self.render_with(form, 429, wait_minutes=max(1, wait // 60), **extra)
        response["Retry-After"] = str(wait)
        return response


class ContactView(VisitorPostMixin, PracticeMixin, FormView):
    form_class = ContactForm
    template_name = "practices/contact_form.html"
    rate_scope = "contact"
    rate_limit_context = {"address_limit": True}

    def get_context_data(self, **kwargs):
        recipient, _emails = services.contact_route(self.practice)
        return super().get_context_data(recipient=recipient, **kwargs)

    def get_success_url(self):
        return reverse("practices:contact-sent", kwargs={"slug": self.practice.slug})

    def accepted(self, form):
        # Only messages that would go out count toward the practice's limit.
        refused = self.limited(
            "contact-practice",
            str(self.practice.pk),
            settings.CONTACT_PRACTICE_RATE_LIMIT,
            form,
            practice_limit=True,
        )
        if refused:
            return refused
        data = form.cleaned_data
        try:
            _message, sent = services.relay_message(
                practice=self.practice,
                name=data["name"],
                email=data["email"],
                organisation=data["organisation"],
                body=data["message"],
                ip_address=client_ip(self.request),
                language=get_language(),
            )
        except services.NoContactRoute:
            return self.render_with(form, 200)
        sent_url = self.get_success_url()
        return redirect(sent_url if sent else f"{sent_url}?kept=1")


class ContactSentView(PracticeMixin, TemplateView):
    template_name = "practices/contact_sent.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(kept=self.request.GET.get("kept") == "1", **kwargs)
