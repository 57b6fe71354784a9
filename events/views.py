"""Public pages of events: listing (upcoming first) and detail."""

import functools

from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from core.exports import EXPORT_FORMATS
from core.models import PublicationState
from core.selectors import trail_of
from core.translations import TranslatedPageMixin, version_annotations
from events.exports import document_export_response, export_response
from events.filters import DocumentFilter, EventFilter, upcoming_first_candidates
from events.models import Event, Material, Output
from events.selectors import (
    EVENT_CARD_FIELDS,
    event_agenda,
    event_instruments,
    event_materials,
    event_organisers,
    event_page_queryset,
    event_participation,
    for_event_cards,
    listed_documents,
    listed_events,
)
from infra.caching import PublicPageCacheMixin
from infra.listing import ListingView


def filter_query(request):
    """Return "?<the listing's filters>" (no page), or "" when there are none."""
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


def download_links(request):
    """Return (format, URL) for each download of the filtered list.

    The export format is added as another ``format`` value, beside the
    event-format filter (``?format=online&format=csv``), not in its place.
    """
    links = []
    for fmt in EXPORT_FORMATS:
        params = request.GET.copy()
        params.pop("page", None)
        params.appendlist("format", fmt)
        links.append((fmt, f"?{params.urlencode()}"))
    return links


class EventListView(PublicPageCacheMixin, ListingView):
    template_name = "events/event_list.html"
    context_object_name = "events"
    paginate_by = 20
    filterset_class = EventFilter
    count_kind = "event-count"
    # ?format=csv|json|xlsx downloads the whole filtered list; it sits beside
    # the event-format filter: ?format=online&format=csv.
    export = staticmethod(export_response)

    def get_base_queryset(self):
        # One "now" for the order and the page's candidates (page_candidates).
        self.now = timezone.now()
        return listed_events(now=self.now)

    def page_candidates(self, queryset):
        # Cut from the filtered list without the cards' columns: nested, a
        # subquery's columns are copied and renamed, which costs CPU.
        return functools.partial(upcoming_first_candidates, self.filtered_queryset(), now=self.now)

    def get_queryset(self):
        # The cards' fields only: no long texts, no region outline; the title
        # in the page's language where translated.
        return (
            super()
            .get_queryset()
            .only(*EVENT_CARD_FIELDS)
            .annotate(**version_annotations(Event, ("title",)))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for_event_cards(context["object_list"])
        context.update(
            result_count=context["paginator"].count,
            downloads=download_links(self.request),
            calendar_url=reverse("event-calendar") + filter_query(self.request),
        )
        return context


class EventDetailView(TranslatedPageMixin, PublicPageCacheMixin, DetailView):
    """One event with its agenda and materials.

    The rows are read with only the fields the page shows: no region outline
    (GeoJSON), no practice texts, no project texts, no presenter e-mail.
    """

    template_name = "events/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        return event_page_queryset().all()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.object
        if context["translated"]:
            # The title and heading show the version (core.translations.ShownTitle).
            event.version_title = context["texts"]["title"]["text"]
        context.update(
            agenda=event_agenda(event),
            materials=event_materials(event),
            participation=event_participation(event),
            policy_instruments=event_instruments(event),
            organisers=event_organisers(event),
            region_trail=trail_of(event),
            ics_url=reverse("events:event-ics", kwargs={"slug": event.slug}),
            breadcrumbs=[
                (_("Events"), reverse("events:event-list")),
                # As the heading.
                (event.title_text, ""),
            ],
        )
        return context


def material_download(request, slug, pk):
    """Send an event's uploaded file as an attachment, or redirect to its link."""
    material = get_object_or_404(
        Material.objects.select_related("event"),
        pk=pk,
        event__slug=slug,
        event__publication_state=PublicationState.PUBLISHED,
    )
    if material.file:
        try:
            handle = material.file.open("rb")
        except FileNotFoundError:
            raise Http404(_("The file is missing.")) from None
        return FileResponse(
            handle, as_attachment=True, filename=material.file.name.rsplit("/", 1)[-1]
        )
    if material.url:
        return HttpResponseRedirect(material.url)
    raise Http404


class DocumentListView(PublicPageCacheMixin, ListingView):
    """The document library: every project's studies, analyses, surveys, plans, reports."""

    template_name = "events/document_list.html"
    context_object_name = "documents"
    paginate_by = 50
    filterset_class = DocumentFilter
    count_kind = "document-count"
    export = staticmethod(document_export_response)

    def get_base_queryset(self):
        return listed_documents()

    def get_queryset(self):
        # The cards' title and summary in the page's language where translated.
        return super().get_queryset().annotate(**version_annotations(Output))


def document_download(request, slug):
    """Send a published document's file as an attachment, or redirect to its link."""
    document = get_object_or_404(Output.objects.published(), slug=slug)
    if document.file:
        try:
            handle = document.file.open("rb")
        except FileNotFoundError:
            raise Http404(_("The file is missing.")) from None
        return FileResponse(
            handle, as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1]
        )
    return HttpResponseRedirect(document.url)
