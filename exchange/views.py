"""Pages that join every app: home, regions, projects, organisations."""

from django.db.models import Count, Q
from django.http import HttpResponse
from django.views.generic import DetailView, ListView, TemplateView

from events.models import Event
from exchange.models import Organisation, Project, Region
from practices.models import GoodPractice


def healthz(request):
    """Answer without touching the database: the floor for a Django request."""
    return HttpResponse("ok", content_type="text/plain")


class HomeView(TemplateView):
    template_name = "exchange/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        practices = GoodPractice.objects.published()
        events = Event.objects.published()
        upcoming = list(events.upcoming().for_listing()[:3])
        context.update(
            practice_count=practices.count(),
            project_count=Project.objects.count(),
            region_count=Region.objects.filter(Q(practices__publication_state="published"))
            .distinct()
            .count(),
            event_count=events.count(),
            latest_practices=practices.for_listing()[:6],
            upcoming_events=upcoming,
            # With nothing scheduled, show what happened last rather than nothing.
            recent_events=[] if upcoming else list(events.past().for_listing()[:3]),
        )
        return context


class RegionListView(ListView):
    template_name = "exchange/region_list.html"
    context_object_name = "countries"

    def get_queryset(self):
        return Region.objects.countries().order_by("name")


class RegionDetailView(DetailView):
    model = Region
    template_name = "exchange/region_detail.html"


class ProjectListView(ListView):
    template_name = "exchange/project_list.html"
    context_object_name = "projects"

    def get_queryset(self):
        return Project.objects.for_listing().annotate(
            practice_count=Count("practices", filter=Q(practices__publication_state="published"))
        )


class ProjectDetailView(DetailView):
    model = Project
    template_name = "exchange/project_detail.html"


class OrganisationListView(ListView):
    template_name = "exchange/organisation_list.html"
    context_object_name = "organisations"
    paginate_by = 50

    def get_queryset(self):
        return Organisation.objects.select_related("region").order_by("name")


class OrganisationDetailView(DetailView):
    model = Organisation
    template_name = "exchange/organisation_detail.html"


class AccessibilityView(TemplateView):
    template_name = "exchange/accessibility.html"
