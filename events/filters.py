"""The filters of the event listing, shared by the public page and the API."""

import django_filters
from django import forms
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.lookup import LookupFilter
from events.models import Event

# Years outside this range cannot be turned into dates by the database
# backends' year lookup; refusing them keeps a typo from becoming a 500.
MIN_YEAR, MAX_YEAR = 1990, 2100


def event_years():
    """Return the years with a published event, newest first, as select choices."""
    years = Event.objects.published().dates("start", "year", order="DESC")
    return [("", _("Any year")), *((str(d.year), str(d.year)) for d in years)]


class YearFilter(django_filters.NumberFilter):
    # NumberFilter validates a Decimal; a year is a whole number.
    field_class = forms.IntegerField


class EventFilter(django_filters.FilterSet):
    """Filter published events by project, kind, format and year.

    Invalid values (a project that names nothing or several, a kind that does not exist, a year
    that is not a number) fail the form's validation and are left out of the
    filtering; the listing names them (``infra.listing.ListingView``).
    """

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
        # Choices are only looked up when the form is rendered, not when the
        # filter is applied (the API never renders it).
        widget=forms.Select(choices=event_years),
    )

    class Meta:
        model = Event
        fields = ["project", "kind", "format", "year"]


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
