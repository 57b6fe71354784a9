"""Public pages of good practices: listing and detail."""

from django.views.generic import DetailView, ListView

from practices.models import GoodPractice


class PracticeListView(ListView):
    template_name = "practices/practice_list.html"
    context_object_name = "practices"
    paginate_by = 20

    def get_queryset(self):
        return GoodPractice.objects.published().for_listing()


class PracticeDetailView(DetailView):
    template_name = "practices/practice_detail.html"
    context_object_name = "practice"

    def get_queryset(self):
        return GoodPractice.objects.published().select_related("region", "organisation")
