"""\"We want to learn from this\": the form on a practice and its confirmation link."""

from django.core import signing
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.generic import FormView, TemplateView, View

from infra.ratelimit import client_ip
from practices import services
from practices.contact_views import PracticeMixin, VisitorPostMixin
from practices.forms import InterestForm
from practices.models import Interest
from practices.proposal_views import PrivatePageMixin, base_url


class InterestView(VisitorPostMixin, PracticeMixin, FormView):
    form_class = InterestForm
    template_name = "practices/interest_form.html"
    rate_scope = "interest"

    def get_success_url(self):
        return reverse("practices:interest-sent", kwargs={"slug": self.practice.slug})

    def accepted(self, form):
        interest = form.save(commit=False)
        interest.practice = self.practice
        services.submit_interest(
            interest=interest,
            ip_address=client_ip(self.request),
            language=get_language(),
            base_url=base_url(self.request),
        )
        return redirect(self.get_success_url())


class InterestSentView(PracticeMixin, TemplateView):
    template_name = "practices/interest_sent.html"


class InterestConfirmView(PrivatePageMixin, View):
    """Confirm the address: a button, so that link scanners confirm nothing."""

    def dispatch(self, request, *args, token, **kwargs):
        try:
            self.interest = services.interest_from_token(token)
        except signing.SignatureExpired:
            return render(request, "practices/interest_confirm.html", {"expired": True}, status=410)
        except (signing.BadSignature, Interest.DoesNotExist, ValueError):
            return render(request, "practices/interest_confirm.html", {"invalid": True}, status=404)
        return super().dispatch(request, *args, **kwargs)

    def context(self, **extra):
        return {"interest": self.interest, "practice": self.interest.practice, **extra}

    def get(self, request, *args, **kwargs):
        confirmed = self.interest.state != Interest.State.UNCONFIRMED
        return render(request, "practices/interest_confirm.html", self.context(done=confirmed))

    def post(self, request, *args, **kwargs):
        services.confirm_interest(interest=self.interest, base_url=base_url(request))
        return render(request, "practices/interest_confirm.html", self.context(done=True))
