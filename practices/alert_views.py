"""Saved searches with e-mail alerts: subscribe from a listing, confirm, manage, unsubscribe.

The listing links here with its query string, so that the listing itself
stays a cached page with no form and no query of its own for this.
"""

from django.core import signing
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, TemplateView, View

from infra.ratelimit import client_ip
from practices import services
from practices.contact_views import VisitorPostMixin
from practices.filters import filter_chips, saved_filters, saved_filterset
from practices.forms import FrequencyForm, SavedSearchForm
from practices.models import SavedSearch
from practices.proposal_views import PrivatePageMixin, base_url


def _breadcrumbs():
    return [(_("Practices"), reverse("practices:practice-list"))]


class SubscribeView(VisitorPostMixin, FormView):
    """ "E-mail me new practices like these" for the listing's filters in the query string."""

    form_class = SavedSearchForm
    template_name = "practices/alert_form.html"
    rate_scope = "alerts"
    success_url = reverse_lazy("practices:alert-sent")

    def dispatch(self, request, *args, **kwargs):
        filterset = saved_filterset(request.GET.urlencode())
        self.filters = saved_filters(filterset)
        self.chips = filter_chips(filterset)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        list_url = reverse("practices:practice-list")
        return super().get_context_data(
            chips=self.chips,
            list_url=f"{list_url}?{self.filters}" if self.filters else list_url,
            breadcrumbs=_breadcrumbs(),
            **kwargs,
        )

    def accepted(self, form):
        search = form.save(commit=False)
        search.filters = self.filters
        try:
            services.subscribe(
                search=search,
                ip_address=client_ip(self.request),
                language=get_language(),
                base_url=base_url(self.request),
            )
        except services.MAIL_ERRORS:
            # Without its confirmation mail a subscription is of no use: none is kept.
            SavedSearch.objects.filter(pk=search.pk).delete()
            return self.render_with(form, 503, limit_unavailable=True)
        return redirect(self.get_success_url())


class SubscribeSentView(TemplateView):
    template_name = "practices/alert_sent.html"


class TokenMixin:
    """A page reached by a signed link: a clear page, never a 500, when it is wrong."""

    manage = True

    def dispatch(self, request, *args, token, **kwargs):
        try:
            self.search = services.saved_search_from_token(token, manage=self.manage)
        except signing.SignatureExpired:
            return self.link_page(request, "expired", 410)
        except signing.BadSignature:
            return self.link_page(request, "invalid", 404)
        except (SavedSearch.DoesNotExist, ValueError):
            return self.link_page(request, "gone", 404)
        self.token = token
        return super().dispatch(request, *args, **kwargs)

    def link_page(self, request, problem, status):
        return render(request, "practices/alert_link.html", {"problem": problem}, status=status)

    def context(self, **extra):
        return {
            "search": self.search,
            "chips": filter_chips(saved_filterset(self.search.filters)),
            "token": self.token,
            **extra,
        }


class ConfirmView(PrivatePageMixin, TokenMixin, View):
    """Confirm the address: a button, so that link scanners confirm nothing."""

    manage = False

    def get(self, request, *args, **kwargs):
        done = self.search.state != SavedSearch.State.UNCONFIRMED
        return render(request, "practices/alert_confirm.html", self.context(done=done))

    def post(self, request, *args, **kwargs):
        self.search = services.confirm_subscription(search=self.search)
        return render(
            request,
            "practices/alert_confirm.html",
            self.context(done=True, manage_url=self.manage_url()),
        )

    def manage_url(self):
        return reverse(
            "practices:alert-manage", kwargs={"token": services.alert_manage_token(self.search)}
        )


class ManageView(PrivatePageMixin, TokenMixin, View):
    """ "Manage my alerts": the search, how often, change it, unsubscribe."""

    def render_page(self, form, status=200, **extra):
        return render(
            self.request,
            "practices/alert_manage.html",
            self.context(form=form, **extra),
            status=status,
        )

    def get(self, request, *args, **kwargs):
        return self.render_page(FrequencyForm(initial={"frequency": self.search.frequency}))

    def post(self, request, *args, **kwargs):
        form = FrequencyForm(request.POST)
        if not form.is_valid():
            return self.render_page(form, 400)
        self.search = services.change_frequency(
            search=self.search, frequency=form.cleaned_data["frequency"]
        )
        return self.render_page(
            FrequencyForm(initial={"frequency": self.search.frequency}), saved=True
        )


# RFC 8058: a mail client posts "List-Unsubscribe=One-Click" to this address
# with no cookie nor CSRF token. The signed link is the proof; a GET (a link
# scanner, or a click) only shows the button.
@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(PrivatePageMixin, View):
    def get(self, request, *args, token, **kwargs):
        search, refused = self.lookup(token)
        if refused:
            return refused
        return self.page(done=search is None, search=search)

    def post(self, request, *args, token, **kwargs):
        search, refused = self.lookup(token)
        if refused:
            return refused
        if search is not None:
            services.unsubscribe(search=search)
        return self.page(done=True, search=search)

    def lookup(self, token):
        """Return ``(saved search or None when already deleted, refusal page or None)``."""
        try:
            return services.saved_search_from_token(token, manage=True), None
        except signing.BadSignature:
            refused = render(
                self.request, "practices/alert_link.html", {"problem": "invalid"}, status=404
            )
            return None, refused
        except (SavedSearch.DoesNotExist, ValueError):
            # Already unsubscribed (the mail client's POST, then the
            # visitor's click): say so, not "invalid".
            return None, None

    def page(self, *, done, search):
        chips = filter_chips(saved_filterset(search.filters)) if search is not None else []
        return render(
            self.request, "practices/alert_unsubscribe.html", {"done": done, "chips": chips}
        )
