"""The filters of the practice listing, shared by the HTML page, the exports and the API.

Every filter is a GET parameter. ``PracticeFilter`` takes any practice
queryset and a ``QueryDict``; values that do not validate are left out of
``form.cleaned_data`` and so ignored (the page says so, the API answers 400).
Facet counts for the filter panel and the map are read by
``practices.selectors.practice_facets``, cached by filter state
(``infra.caching``).
"""

import re
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from core.countries import name_countries
from core.filters import SubtreeFilter
from core.lookup import LookupFilter
from core.models import CONTENT_LANGUAGES, Organisation, PolicyInstrument, Programme, Region, Topic
from infra import caching
from practices.models import GoodPractice, PracticeStatus
from practices.search import (
    match_practices,
    match_words,
    normalise_query,
    search_key,
    search_practices,
)
from practices.selectors import practice_facets

QUERY_MAX_LENGTH = 200
# A search matching more practices than this is "broad": its results are
# counted only up to this number ("more than 1,000") and, sorted by
# relevance, listed newest first: ranking and counting every match reads
# each match's text vector, the newest come from the publication-date index.
BROAD_SEARCH_MATCHES = 1000
SLUG_PATTERN = re.compile(r"[-\w]{1,110}")


class SortOrder:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    TITLE = "title"

    choices = [
        (RELEVANCE, _("Relevance")),
        (NEWEST, _("Newest first")),
        (TITLE, _("Title (A–Z)")),
    ]


class SlugChoiceField(forms.ModelChoiceField):
    """A model choice given by slug, checked for shape before the database sees it."""

    default_error_messages = {
        "invalid_choice": _("There is nothing called “%(value)s”."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        if not SLUG_PATTERN.fullmatch(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value[:40]},
            )
        return super().to_python(value)


class RegionField(forms.Field):
    """A region given by NUTS code (any case) or slug; cleans to a ``Region``."""

    default_error_messages = {
        "unknown": _("There is no region “%(value)s”."),
    }
    countries_only = False

    def to_python(self, value):
        value = str(value).strip() if value is not None else ""
        if not value:
            return None
        if not SLUG_PATTERN.fullmatch(value):
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"value": value[:40]}
            )
        regions = Region.objects.all()
        if self.countries_only:
            regions = regions.countries().filter(nuts_code=value.upper())
        else:
            regions = regions.filter(Q(nuts_code=value.upper()) | Q(slug=value.lower()))
        region = regions.order_by("level").first()
        if region is None:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"value": value[:40]}
            )
        return region


class CountryField(RegionField):
    default_error_messages = {
        "unknown": _("There is no country with the code “%(value)s”."),
    }
    countries_only = True


class RegionFilter(django_filters.Filter):
    field_class = RegionField


class CountryFilter(django_filters.Filter):
    field_class = CountryField


class SlugFilter(django_filters.ModelChoiceFilter):
    field_class = SlugChoiceField


class YearFilter(django_filters.Filter):
    field_class = forms.IntegerField


class PanelForm(forms.Form):
    """The filter panel's form: its controls are "filter-<name>" (the combobox is rendered by it).

    The base of the form class django-filter makes for each filter set, so
    that a request makes one form class, not two.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)


# The form class of each PracticeFilter class (``get_form_class``).
_FORM_CLASSES = {}


class PracticeFilter(django_filters.FilterSet):
    # Declared in the order they are applied: the search first, because
    # whether it falls back to trigram similarity depends only on the words.
    q = django_filters.CharFilter(
        label=_("Search"), max_length=QUERY_MAX_LENGTH, method="filter_q", strip=True
    )
    country = CountryFilter(label=_("Country"), method="filter_country")
    # Typed in a combobox (hundreds of regions): NUTS code, slug or exact name.
    region = SubtreeFilter(help_text=_("Type part of its name or its NUTS code."))
    topic = SlugFilter(
        label=_("Topic"), queryset=Topic.objects.all(), to_field_name="slug", method="filter_topic"
    )
    # Typed in a combobox (thousands of projects): slug, acronym or exact title.
    project = LookupFilter(
        kind="project",
        label=_("Project"),
        method="filter_project",
        help_text=_("Type its acronym or part of its title."),
    )
    programme = SlugFilter(
        label=_("Programme"),
        queryset=Programme.objects.all(),
        to_field_name="slug",
        method="filter_programme",
    )
    # By slug, from the "see all" links of the instrument and organisation
    # pages: no menu in the panel (thousands of each), a chip when in force.
    instrument = SlugFilter(
        label=_("Policy instrument"),
        queryset=PolicyInstrument.objects.only("slug", "name", "name_en"),
        to_field_name="slug",
        method="filter_instrument",
    )
    organisation = SlugFilter(
        label=_("Organisation"),
        queryset=Organisation.objects.only("slug", "name", "name_en", "acronym"),
        to_field_name="slug",
        method="filter_organisation",
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PracticeStatus.choices)
    language = django_filters.ChoiceFilter(label=_("Original language"), choices=CONTENT_LANGUAGES)
    year = YearFilter(
        label=_("Active in year"), method="filter_year", min_value=1950, max_value=2100
    )
    validated = django_filters.ChoiceFilter(
        label=_("Expert validation"),
        choices=[("1", _("Validated by experts"))],
        method="filter_validated",
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SortOrder.choices, method="filter_nothing"
    )

    # Facet name -> the filter its counts leave out (so that the menu offers
    # the other values, not only the chosen one).
    FACETS = ("country", "region", "topic", "project", "programme", "status", "language")
    # Whether the queryset is always every published practice (``facet_scope``),
    # so that what a search finds may be kept per filter state (``search``).
    shares_outcomes = False

    class Meta:
        model = GoodPractice
        fields = []
        form = PanelForm

    def get_form_class(self):
        # Its fields depend on the declared filters alone: made once per filter
        # set class, not for every request (each form copies them, as Django does).
        cls = type(self)
        if cls not in _FORM_CLASSES:
            _FORM_CLASSES[cls] = super().get_form_class()
        return _FORM_CLASSES[cls]

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = GoodPractice.objects.published().for_listing()
        super().__init__(data, queryset=queryset, **kwargs)
        self._searched = None
        self._by_words = False
        # Set by filter_queryset when searching: the number of results up to
        # BROAD_SEARCH_MATCHES + 1 (one query, stops early).
        self.capped_count = None
        self._state = None

    # Filter methods: pure functions of (queryset, value) so that the facet
    # counts can re-apply all filters but one.

    def filter_q(self, queryset, name, value):
        return search_practices(queryset, value)

    def filter_country(self, queryset, name, region):
        return queryset.filter(region__country_code=region.country_code)

    @staticmethod
    def linked(queryset, relation, **match):
        """The practices with a row of ``relation``'s link table matching ``match``."""
        links = relation.through.objects.filter(goodpractice_id=OuterRef("pk"), **match)
        return queryset.filter(Exists(links))

    def filter_topic(self, queryset, name, topic):
        return self.linked(queryset, GoodPractice.topics, topic_id=topic.pk)

    def filter_project(self, queryset, name, project):
        return self.linked(queryset, GoodPractice.projects, project_id=project.pk)

    def filter_programme(self, queryset, name, programme):
        return self.linked(queryset, GoodPractice.projects, project__programme_id=programme.pk)

    def filter_instrument(self, queryset, name, instrument):
        return self.linked(
            queryset, GoodPractice.policy_instruments, policyinstrument_id=instrument.pk
        )

    def filter_organisation(self, queryset, name, organisation):
        return queryset.filter(organisation_id=organisation.pk)

    def filter_year(self, queryset, name, value):
        return queryset.active_in(value)

    def filter_validated(self, queryset, name, value):
        return queryset.filter(validated_on__isnull=False)

    def filter_nothing(self, queryset, name, value):
        return queryset

    # Applying the filters

    @property
    def cleaned_data(self):
        """Return the valid filter values ({} before validation or when unbound)."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return self.form.cleaned_data

    @property
    def search_query(self):
        return normalise_query(self.cleaned_data.get("q") or "")

    def searched_queryset(self):
        """Return the base queryset narrowed by the search words only."""
        if self._searched is None:
            q = self.search_query
            self._searched = search_practices(self.queryset.all(), q) if q else self.queryset.all()
        return self._searched

    def apply_filters(self, queryset, *, skip=()):
        """Apply every valid filter but the search and those named in ``skip``."""
        for name, value in self.cleaned_data.items():
            if name in ("q", "sort") or name in skip:
                continue
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_queryset(self, queryset):
        q = self.search_query
        self.capped_count = None
        if q:
            queryset = self.search(queryset, q)
        else:
            self._searched = queryset
        queryset = self.apply_filters(queryset)
        # The search vector (3.7 kB a practice at 100,000 practices) is for
        # matching in SQL; no page, export or API response reads it.
        return self.apply_sort(queryset).defer("search_vector")

    def search(self, queryset, q):
        """Return the practices of ``queryset`` that match ``q``; set ``capped_count``.

        Whether ``q`` matched word for word (else by similar titles) and how
        many practices of the filter state it finds, up to the broad-search
        limit, take two queries that read the search vectors of hundreds of
        practices for a common word; a filter set that ``shares_outcomes``
        keeps them per filter state and data generation.
        """
        found = {}

        def outcome():
            found["matches"], by_words = match_practices(queryset, q)
            limit = BROAD_SEARCH_MATCHES + 1
            filtered = self.apply_filters(found["matches"]).order_by().values("pk")
            return by_words, filtered[:limit].count()

        if self.shares_outcomes:
            self._by_words, self.capped_count = caching.cached(
                "practice-search", self.state(), outcome
            )
        else:
            self._by_words, self.capped_count = outcome()
        if "matches" not in found:
            found["matches"] = match_practices(queryset, q, by_words=self._by_words)[0]
        # Kept for the facet counts, which re-apply the other filters to it.
        self._searched = found["matches"]
        return self._searched

    @property
    def is_broad_search(self):
        """Whether the search matched more than ``BROAD_SEARCH_MATCHES`` practices."""
        return self.capped_count is not None and self.capped_count > BROAD_SEARCH_MATCHES

    @property
    def sort_order(self):
        sort = self.cleaned_data.get("sort") or ""
        if self.search_query:
            return sort or SortOrder.RELEVANCE
        return SortOrder.NEWEST if sort in ("", SortOrder.RELEVANCE) else sort

    @property
    def sorts_by_rank(self):
        """Whether ``apply_sort`` orders by the search's rank, an annotation of its matches."""
        return self.sort_order == SortOrder.RELEVANCE and not self.is_broad_search

    def apply_sort(self, queryset):
        order = self.sort_order
        if self.sorts_by_rank:
            return queryset.order_by("-search_rank", "-published_at", "-id")
        if order == SortOrder.TITLE:
            return queryset.order_by("title", "id")
        return queryset.order_by("-published_at", "-id")

    # Facet counts and map points

    # The practices the counts are made of, named in their cache key: every
    # caller (listing, API) passes the published ones.
    facet_scope = "published"

    def state(self):
        """Return what the facets and the count of this filter state depend on.

        Valid filter values by name (objects by primary key), the search as
        its parsed words: not the sort order, nor the spelling of the search.
        """
        if self._state is None:
            data = self.cleaned_data
            state = [self.facet_scope]
            for name in sorted(data):
                value = data[name]
                if name == "q":
                    value = search_key(value or "")
                if name == "sort" or value in (None, ""):
                    continue
                state.append(f"{name}={getattr(value, 'pk', value)}")
            self._state = tuple(state)
        return self._state

    def facets(self):
        """Return the counts per value of each filter and per region for the map.

        ``{"country": [{"value", "label", "count"}...], "region": [...], ...,
        "map": [{"path", "slug", "name", "code", "lat", "lon", "count",
        "practice_slug", "practice_title", "practice_titles"}...]}``. Each facet counts the
        practices that match every other filter. Two queries, computed by
        one request at a time per filter state and data generation.
        """
        facets = caching.single_flight(
            "practice-facets", self.state(), lambda: practice_facets(self)
        )
        # Cached for every language: countries are named after the cache.
        return {
            **facets,
            "country": sorted(
                name_countries(facets["country"], code="value", name="label"),
                key=lambda option: option["label"].lower(),
            ),
            "region": name_countries(facets["region"], name="label"),
            "map": name_countries(facets["map"]),
        }

    def facet_base(self):
        """Return the practices the facets count before the other filters: the search's matches.

        Matched word for word, the words are given to the plan as a parameter
        (see ``practices.search.word_query``): every match is counted here.
        """
        self.qs  # noqa: B018 (the search runs first: whether it matched by words)
        q = self.search_query
        if q and self._by_words:
            return match_words(self.queryset, q, as_parameter=True)
        return self.searched_queryset()

    def active_facets(self):
        """Return the names of the facets whose filter is in force."""
        return {
            name
            for name, value in self.cleaned_data.items()
            if name in self.FACETS and value not in (None, "")
        }


class ListedPracticeFilter(PracticeFilter):
    """The filters of the listing, the insights and the API, over every published practice."""

    shares_outcomes = True


# Saved searches (e-mail alerts) ---------------------------------------------------

# The filters a saved search keeps, in the listing panel's order: not the
# sort order, the page or a download format.
SAVED_FILTERS = (
    *("q", "country", "region", "topic", "project", "programme", "instrument"),
    *("organisation", "status", "language", "year", "validated"),
)


def filters_in_force(filterset, names=SAVED_FILTERS):
    """Yield ``(name, value)`` of each valid filter of ``filterset`` in force, in ``names``' order.

    Values as cleaned (objects), the search as typed but normalised.
    """
    data = filterset.cleaned_data
    for name in names:
        value = data.get(name)
        if value in (None, ""):
            continue
        yield name, filterset.search_query if name == "q" else value


def saved_filters(filterset):
    """Return the valid filters of ``filterset`` as a canonical query string.

    Objects by their slug (a country by its NUTS code), the search as typed
    but normalised, in a fixed order: two visitors who filtered the same way
    get the same string, so their alerts are computed by one query.
    """
    params = []
    for name, value in filters_in_force(filterset):
        if name == "country":
            value = value.nuts_code
        elif hasattr(value, "slug"):
            value = value.slug
        params.append((name, str(value)))
    return urlencode(params)


def saved_filterset(filters, queryset=None):
    """Return the ``PracticeFilter`` of a saved search's query string."""
    return PracticeFilter(QueryDict(filters), queryset=queryset)


def filter_chips(filterset, names=SAVED_FILTERS):
    """Return one chip per filter in force: ``{"param", "label", "value"}`` (shown)."""
    chips = []
    for name, value in filters_in_force(filterset, names):
        if name == "q":
            shown = value
        elif name == "country":
            shown = value.display_name
        elif name == "region":
            shown = value.display_name
            if value.nuts_code and value.nuts_code != shown:
                shown = f"{shown} ({value.nuts_code})"
        elif name in ("instrument", "organisation"):
            shown = value.display_name
        elif name == "status":
            shown = PracticeStatus(value).label
        elif name == "language":
            shown = dict(CONTENT_LANGUAGES).get(value, value)
        elif name == "validated":
            shown = dict(filterset.filters[name].extra["choices"])[value]
        else:
            shown = str(value)
        chips.append({"param": name, "label": filterset.filters[name].label, "value": shown})
    return chips
