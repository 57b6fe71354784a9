"""Public pages of events: listing (upcoming first) and detail."""

from django.views.generic import DetailView, ListView

from events.models import Event


class EventListView(ListView):
    template_name = "events/event_list.html"
    context_object_name = "events"

    def get_queryset(self):
        return Event.objects.published().for_listing()


class EventDetailView(DetailView):
    template_name = "events/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        return Event.objects.published().select_related("project", "region")
