"""The filters of the event listing, shared by the public page and the API."""

import functools

import django_filters
from django import forms
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.countries import named_countries
from core.filters import ListingFilterSet, NameSearchFilter, SubtreeFilter
from core.lookup import LookupFilter
from core.models import CONTENT_LANGUAGES, Region
from core.regions import in_subtrees
from core.selectors import country_choices
from events.models import Event, Output
from infra.caching import cached
from practices.filters import CountryFilter

# Years outside this range cannot be turned into dates by the database
# backends' year lookup; refusing them keeps a typo from becoming a 500.
MIN_YEAR, MAX_YEAR = 1990, 2100


def event_years():
    """Return the years with a published event, newest first, as select choices.

    Computed once per data generation: the DISTINCT over every event's start
    is the same for every visitor until an edit.
    """
    years = cached(
        "event-years",
        (),
        lambda: [d.year for d in Event.objects.published().dates("start", "year", order="DESC")],
    )
    return [("", _("Any year")), *((str(year), str(year)) for year in years)]


def participating_country_choices():
    """Return the countries whose people took part in a published event, as select choices.

    Computed once per data generation: the query reads every participant,
    organiser and talk.
    """
    from events.selectors import participating_countries  # the selectors import this module

    # English names in the cache (shared by every language), named after it.
    countries = cached(
        "event-countries",
        (),
        lambda: [(r.nuts_code, r.name_en or r.name) for r in participating_countries()],
    )
    return [("", _("Any country")), *named_countries(countries)]


class YearFilter(django_filters.NumberFilter):
    # NumberFilter validates a Decimal; a year is a whole number.
    field_class = forms.IntegerField


class EventFilter(ListingFilterSet):
    """Filter published events by project, kind, format, year, place, language and who took part.

    Invalid values (a project that names nothing or several, a kind that does not exist, a year
    that is not a number) fail the form's validation and are left out of the
    filtering; the listing names them (``infra.listing.ListingView``).
    """

    q = NameSearchFilter(order=None)
    # Typed in a combobox (thousands of projects): slug, acronym or exact title.
    project = LookupFilter(
        kind="project",
        label=_("Project"),
        field_name="project",
        help_text=_("Type its acronym or part of its title."),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Event.Kind.choices, empty_label=_("Any kind")
    )
    format = django_filters.ChoiceFilter(
        label=_("Format"), choices=Event.Format.choices, empty_label=_("Any format")
    )
    year = YearFilter(
        label=_("Year"),
        field_name="start",
        lookup_expr="year",
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
    )
    # Where the event took place: its region's country, its region or one below.
    country = django_filters.ChoiceFilter(
        label=_("Country"),
        field_name="region__country_code",
        choices=country_choices,
        empty_label=_("Any country"),
    )
    region = SubtreeFilter()
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=CONTENT_LANGUAGES, empty_label=_("Any language")
    )
    # The choices of both selects are set per form in __init__.
    participating_country = CountryFilter(
        label=_("Participants from the country"), method="filter_took_part"
    )
    # Typed in a combobox: hundreds of regions take part as the data grows.
    participating_region = LookupFilter(
        kind="region",
        label=_("Participants from the region"),
        method="filter_took_part",
        help_text=_("Type part of its name or its NUTS code."),
    )

    class Meta:
        model = Event
        fields = [
            "q",
            "project",
            "kind",
            "format",
            "year",
            "country",
            "region",
            "language",
            "participating_country",
            "participating_region",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Looked up once a form, and only when rendered (the API never renders
        # it): a select reads its choices twice.
        self.filters["year"].extra["widget"] = forms.Select(choices=functools.cache(event_years))
        self.filters["participating_country"].extra["widget"] = forms.Select(
            choices=functools.cache(participating_country_choices)
        )

    def filter_took_part(self, queryset, name, region):
        return queryset.took_part_in(Region.objects.within(region).values("pk"))


def upcoming_first(queryset, *, now=None):
    """Order events still to come by start, then past events newest first.

    One ordering rather than two querysets, so that a single paginator walks
    through both; ``is_past`` is annotated for the template to group by.
    """
    now = now or timezone.now()
    past = Case(When(end__lt=now, then=Value(1)), default=Value(0), output_field=IntegerField())
    upcoming_start = Case(When(end__gte=now, then=F("start")))
    return queryset.annotate(is_past=past).order_by(
        "is_past", upcoming_start.asc(nulls_last=True), F("start").desc(), "pk"
    )


def upcoming_first_candidates(queryset, top, *, now):
    """Return the ids among which the first ``top`` of ``upcoming_first(queryset, now=now)`` are.

    The ``top`` soonest still to come and the ``top`` latest past, each
    read in an index's order (``event_listing_idx``, ``event_start_idx``):
    the upcoming-first order itself sorted every event of the list (9,537
    at the bench) for each page.
    """
    ids = queryset.values("pk")
    upcoming = ids.filter(end__gte=now).order_by("start", "pk")[:top]
    past = ids.filter(end__lt=now).order_by("-start", "pk")[:top]
    return upcoming.union(past, all=True)


def document_years():
    """Return the years with a published document, newest first, as select choices.

    Computed once per data generation, like ``event_years``.
    """
    years = cached(
        "document-years",
        (),
        lambda: [
            d.year
            for d in Output.objects.published().exclude(date=None).dates("date", "year", "DESC")
        ],
    )
    return [("", _("Any year")), *((str(year), str(year)) for year in years)]


class DocumentFilter(django_filters.FilterSet):
    """Filter the document library by words, type, language, project, region and year."""

    q = NameSearchFilter(order=(F("date").desc(nulls_last=True), "title", "pk"), label=_("Search"))
    kind = django_filters.ChoiceFilter(
        label=_("Type"), choices=Output.Kind.choices, empty_label=_("Any type")
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=CONTENT_LANGUAGES, empty_label=_("Any language")
    )
    project = LookupFilter(
        kind="project",
        label=_("Project"),
        field_name="project",
        help_text=_("Type its acronym or part of its title."),
    )
    region = LookupFilter(
        kind="region",
        label=_("Region"),
        method="filter_region",
        help_text=_("Type its name or NUTS code; the regions below it are included."),
    )
    year = YearFilter(
        label=_("Year"),
        field_name="date",
        lookup_expr="year",
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
    )

    class Meta:
        model = Output
        fields = ["q", "kind", "language", "project", "region", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Once a form, only when rendered: a select reads its choices twice.
        self.filters["year"].extra["widget"] = forms.Select(choices=functools.cache(document_years))

    def filter_region(self, queryset, name, region):
        # The region and every region below it; EXISTS, so a document is listed once.
        concerned = Output.regions.through.objects.filter(
            in_subtrees(region, path="region__path"), output=OuterRef("pk")
        )
        return queryset.filter(Exists(concerned))
