"""Filters of the project and organisation listings, shared by the pages, exports and API.

A value that does not validate (a country code or programme that does not
exist, a region or project that names nothing, a year that is no number)
is left out of the filtering; the listing names it
(``infra.listing.ListingView``) and the API answers 400.
"""

import django_filters
from django import forms
from django.core.validators import EMPTY_VALUES
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.lookup import LookupFilter
from core.models import Organisation, Partnership, Project, Region
from core.regions import in_subtrees
from core.search import normalise_query, search_names
from core.selectors import country_choices, programme_choices, topic_choices

# A year the database can turn into a date; anything else is refused, not a 500.
MIN_YEAR, MAX_YEAR = 1950, 2100


class YearFilter(django_filters.NumberFilter):
    # NumberFilter validates a Decimal; a year is a whole number.
    field_class = forms.IntegerField


class SubtreeFilter(LookupFilter):
    """A region typed in a combobox: the rows placed in it or in any region below it.

    The materialised path makes "this region and everything below" one
    indexed prefix match; non-NUTS areas hang below their NUTS parent.
    """

    def __init__(self, *, path="region__path", **kwargs):
        kwargs.setdefault("label", _("Region"))
        kwargs.setdefault(
            "help_text", _("Type its name or NUTS code; the regions below it are included.")
        )
        super().__init__(kind="region", **kwargs)
        self.path = path

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        return qs.filter(in_subtrees(value, path=self.path))


class MenuSelect(forms.Select):
    """A filter menu with the markup of Django's select, drawn by one template loop.

    Django's own draws two templates an option (``select_option.html``,
    ``attrs.html``): the hundred options of a listing's menus cost more than
    its SQL. Flat choices only; grouped ones are drawn by Django's widget.
    """

    menu_template_name = "includes/_menu_select.html"

    def options(self, value):
        """Return ``[(value, label, selected)...]``, selected as ``ChoiceWidget.optgroups`` says."""
        menu, has_selected = [], False
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                return None
            option_value = "" if option_value is None else str(option_value)
            selected = (not has_selected or self.allow_multiple_selected) and option_value in value
            has_selected |= selected
            menu.append((option_value, label, selected))
        return menu

    def render(self, name, value, attrs=None, renderer=None):
        # Widget's context: ChoiceWidget's would build the options' dicts.
        context = forms.Widget.get_context(self, name, value, attrs)
        menu = None if self.allow_multiple_selected else self.options(context["widget"]["value"])
        if menu is None:
            return super().render(name, value, attrs, renderer)
        context["widget"]["menu"] = menu
        # The site's engine (the form renderer's does not read templates/),
        # stripped as the form renderer strips.
        return mark_safe(render_to_string(self.menu_template_name, context).strip())


class ListingFilterSet(django_filters.FilterSet):
    """A FilterSet whose controls are "filter-<name>", as on the practice listing."""

    def get_form_class(self):
        base = super().get_form_class()

        class Form(base):
            def __init__(self, *args, **kwargs):
                kwargs.setdefault("auto_id", "filter-%s")
                super().__init__(*args, **kwargs)

        return Form


# As on the practice listing.
QUERY_MAX_LENGTH = 200


class NameSearchFilter(django_filters.CharFilter):
    """A listing's search box: its rows' names matched as ``/search/`` matches them, best first.

    ``order``: the listing's order among equally good matches; ``None`` keeps
    the listing's order (events: upcoming first, then past).
    """

    def __init__(self, *, order, **kwargs):
        kwargs.setdefault("label", _("Search words"))
        kwargs.setdefault("max_length", QUERY_MAX_LENGTH)
        kwargs.setdefault("strip", True)
        super().__init__(**kwargs)
        self.order = order

    def filter(self, qs, value):
        value = normalise_query(value or "")
        if not value:
            return qs
        matches, _by_words = search_names(qs, value, qs.model.SEARCH_FIELDS)
        if self.order is None:
            return matches
        return matches.order_by("-search_rank", *self.order)


class OrganisationFilter(ListingFilterSet):
    q = NameSearchFilter(order=("name", "pk"))
    country = django_filters.ChoiceFilter(
        label=_("Country"),
        field_name="region__country_code",
        choices=country_choices,
        empty_label=_("Any country"),
        widget=MenuSelect,
    )
    # Typed in a combobox: thousands of regions, thousands of projects.
    region = SubtreeFilter()
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=Organisation.Kind.choices,
        empty_label=_("Any kind"),
        widget=MenuSelect,
    )
    project = LookupFilter(
        kind="project",
        label=_("Project"),
        method="filter_project",
        help_text=_("Type its acronym or part of its title."),
    )

    class Meta:
        model = Organisation
        fields = ["q", "country", "region", "kind", "project"]

    def filter_project(self, queryset, name, project):
        # EXISTS, so that an organisation is listed once.
        partners = Partnership.objects.filter(organisation=OuterRef("pk"), project=project)
        return queryset.filter(Exists(partners))


def partners_in(regions):
    """Return a condition on projects: a partner in ``regions`` (a subquery of region ids).

    A partner is placed by the region it represents, else by its
    organisation's region; the sources' partner regions count too (they also
    place partners the sources do not name). Three ``IN`` subqueries, each
    run once, rather than correlated EXISTS run per project: at 5,000
    projects a country took 5 s that way.
    """
    represented = Partnership.objects.filter(region__in=regions).values("project_id")
    based = Partnership.objects.filter(
        region__isnull=True, organisation__region__in=regions
    ).values("project_id")
    stated = Project.partner_regions.through.objects.filter(region__in=regions).values("project_id")
    return Q(pk__in=represented) | Q(pk__in=based) | Q(pk__in=stated)


class ProjectFilter(ListingFilterSet):
    q = NameSearchFilter(order=("-start_date", "acronym", "pk"))
    programme = django_filters.ChoiceFilter(
        label=_("Programme"),
        choices=programme_choices,
        field_name="programme__slug",
        empty_label=_("Any programme"),
        widget=MenuSelect,
    )
    country = django_filters.ChoiceFilter(
        label=_("Partners from the country"),
        choices=country_choices,
        method="filter_country",
        empty_label=_("Any country"),
        widget=MenuSelect,
    )
    region = LookupFilter(
        kind="region",
        label=_("Partners from the region"),
        method="filter_region",
        help_text=_("Type its name or NUTS code; the regions below it are included."),
    )
    topic = django_filters.ChoiceFilter(
        label=_("Topic"),
        choices=topic_choices,
        method="filter_topic",
        empty_label=_("Any topic"),
        widget=MenuSelect,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Project.Status.choices,
        method="filter_status",
        empty_label=_("Any status"),
        widget=MenuSelect,
    )
    year = YearFilter(
        label=_("Running in year"),
        method="filter_year",
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        help_text=_("For example 2021: projects running at some time that year."),
    )

    class Meta:
        model = Project
        fields = ["q", "programme", "country", "region", "topic", "status", "year"]

    def filter_country(self, queryset, name, code):
        return queryset.filter(partners_in(Region.objects.filter(country_code=code).values("pk")))

    def filter_region(self, queryset, name, region):
        return queryset.filter(partners_in(Region.objects.within(region).values("pk")))

    def filter_topic(self, queryset, name, slug):
        topics = Project.topics.through.objects.filter(project=OuterRef("pk"), topic__slug=slug)
        return queryset.filter(Exists(topics))

    def filter_status(self, queryset, name, value):
        today = timezone.localdate()
        if value == Project.Status.PLANNED:
            return queryset.filter(start_date__gt=today)
        if value == Project.Status.CLOSED:
            return queryset.filter(end_date__lt=today)
        if value == Project.Status.NOT_STATED:
            return queryset.status_not_stated_on(today)
        return queryset.running_on(today)

    def filter_year(self, queryset, name, year):
        return queryset.active_in(year)
