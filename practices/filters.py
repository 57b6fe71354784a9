"""The filters of the practice listing, shared by the HTML page, the exports and the API.

Every filter is a GET parameter. ``PracticeFilter`` takes any practice
queryset and a ``QueryDict``; values that do not validate are left out of
``form.cleaned_data`` and so ignored (the page says so, the API answers 400).
Facet counts for the filter panel and the map come from one UNION ALL query,
cached by filter state (``infra.caching``).
"""

import re

import django_filters
from django import forms
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.models import CONTENT_LANGUAGES, Programme, Project, Region, Topic
from core.regions import in_subtrees, path_at_depth, path_prefixes, roll_up
from infra import caching
from practices.models import GoodPractice, PracticeStatus
from practices.search import normalise_query, search_key, search_practices

QUERY_MAX_LENGTH = 200
# A search matching more practices than this is "broad": its results are
# counted only up to this number ("more than 1,000") and, sorted by
# relevance, listed newest first: ranking and counting every match reads
# each match's text vector, the newest come from the publication-date index.
BROAD_SEARCH_MATCHES = 1000
SLUG_PATTERN = re.compile(r"[-\w]{1,110}")
# Menus and the map stay small whatever the data: above this many regions
# the region menu lists only the upper levels (a country filter brings the
# lower ones back), topic/project/programme menus list the most frequent
# values, and the map draws upper-level regions instead of every NUTS 3.
REGION_OPTIONS_MAX = 300
TAG_OPTIONS_MAX = 150
MAP_POINTS_MAX = 300


# The facets of a broad search are counted with these settings (PostgreSQL):
# read sequentially, a common word's matches unpack every search vector,
# from the GIN index only the rows are read; JIT and a small work_mem cost
# more than they save (figures in bench/README.md). The previous values are
# put back before the end of the statement's transaction.
_FACET_SETTINGS = {"enable_seqscan": "off", "jit": "off", "work_mem": "16MB"}
SEARCH_FACET_SETTINGS = "SELECT " + ", ".join(
    f"set_config('practices.facets_{name}', current_setting('{name}'), true), "
    f"set_config('{name}', '{value}', true)"
    for name, value in _FACET_SETTINGS.items()
)
PREVIOUS_SETTINGS = "SELECT " + ", ".join(
    f"set_config('{name}', current_setting('practices.facets_{name}'), true)"
    for name in _FACET_SETTINGS
)


def _settings_may_precede(connection):
    """Whether a query may be sent with statements before it (PostgreSQL, client-side binding)."""
    options = connection.settings_dict.get("OPTIONS") or {}
    return connection.vendor == "postgresql" and not options.get("server_side_binding")


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


class PracticeFilter(django_filters.FilterSet):
    # Declared in the order they are applied: the search first, because
    # whether it falls back to trigram similarity depends only on the words.
    q = django_filters.CharFilter(
        label=_("Search"), max_length=QUERY_MAX_LENGTH, method="filter_q", strip=True
    )
    country = CountryFilter(label=_("Country"), method="filter_country")
    region = RegionFilter(label=_("Region"), method="filter_region")
    topic = SlugFilter(
        label=_("Topic"), queryset=Topic.objects.all(), to_field_name="slug", method="filter_topic"
    )
    project = SlugFilter(
        label=_("Project"),
        queryset=Project.objects.all(),
        to_field_name="slug",
        method="filter_project",
    )
    programme = SlugFilter(
        label=_("Programme"),
        queryset=Programme.objects.all(),
        to_field_name="slug",
        method="filter_programme",
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PracticeStatus.choices)
    language = django_filters.ChoiceFilter(label=_("Original language"), choices=CONTENT_LANGUAGES)
    year = YearFilter(
        label=_("Active in year"), method="filter_year", min_value=1950, max_value=2100
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SortOrder.choices, method="filter_nothing"
    )

    # Facet name -> the filter its counts leave out (so that the menu offers
    # the other values, not only the chosen one).
    FACETS = ("country", "region", "topic", "project", "programme", "status", "language")

    class Meta:
        model = GoodPractice
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = GoodPractice.objects.published().for_listing()
        super().__init__(data, queryset=queryset, **kwargs)
        self._searched = None
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

    def filter_region(self, queryset, name, region):
        # The materialised path makes "this region and everything below" one
        # indexed prefix match; non-NUTS areas hang below their NUTS parent.
        return queryset.filter(in_subtrees(region, path="region__path"))

    def filter_topic(self, queryset, name, topic):
        through = GoodPractice.topics.through
        return queryset.filter(
            Exists(through.objects.filter(goodpractice_id=OuterRef("pk"), topic_id=topic.pk))
        )

    def filter_project(self, queryset, name, project):
        through = GoodPractice.projects.through
        return queryset.filter(
            Exists(through.objects.filter(goodpractice_id=OuterRef("pk"), project_id=project.pk))
        )

    def filter_programme(self, queryset, name, programme):
        through = GoodPractice.projects.through
        return queryset.filter(
            Exists(
                through.objects.filter(
                    goodpractice_id=OuterRef("pk"), project__programme_id=programme.pk
                )
            )
        )

    def filter_year(self, queryset, name, value):
        return queryset.active_in(value)

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
        if q:
            queryset = search_practices(queryset, q)
        # Kept for the facet counts, which re-apply the other filters to it.
        self._searched = queryset
        queryset = self.apply_filters(queryset)
        self.capped_count = None
        if q:
            limit = BROAD_SEARCH_MATCHES + 1
            self.capped_count = queryset.order_by().values("pk")[:limit].count()
        # The search vector (3.7 kB a practice at 100,000 practices) is for
        # matching in SQL; no page, export or API response reads it.
        return self.apply_sort(queryset).defer("search_vector")

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

    def apply_sort(self, queryset):
        order = self.sort_order
        if order == SortOrder.RELEVANCE and not self.is_broad_search:
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
        "practice_slug", "practice_title"}...]}``. Each facet counts the
        practices that match every other filter. Two queries, computed by
        one request at a time per filter state and data generation.
        """
        return caching.single_flight("practice-facets", self.state(), self._compute_facets)

    def _compute_facets(self):
        rows = self._facet_rows()
        raw = {name: [] for name in (*self.FACETS, "map")}
        for facet, key, label, n in rows:
            if key not in (None, ""):
                raw[facet].append((key, label or "", n))

        regions = self._regions_for(raw)
        single_ids = [int(first) for _path, first, n in raw["map"] if n == 1 and first]
        singles = {
            str(pk): f"{slug}|{title}"
            for pk, slug, title in GoodPractice.objects.filter(pk__in=single_ids).values_list(
                "pk", "slug", "title"
            )
        }
        raw["map"] = [(path, singles.get(first, ""), n) for path, first, n in raw["map"]]
        result = {
            "country": self._country_options(raw["country"], regions),
            "region": self._region_options(raw["region"], regions),
            "topic": _tag_options(raw["topic"]),
            "project": _tag_options(raw["project"]),
            "programme": _tag_options(
                [(k, _programme_label(label), n) for k, label, n in raw["programme"]]
            ),
            "status": {k: n for k, _label, n in raw["status"]},
            "language": {k: n for k, _label, n in raw["language"]},
            "map": self._map_points(raw["map"], regions),
        }
        return result

    def _facet_rows(self):
        """Return (facet, key, label, count) rows for every facet in one query.

        The filtered practices are selected once per distinct filter state in
        a CTE (the full state, plus one per active filter for the menu that
        leaves that filter out), so a costly search is evaluated once rather
        than once per facet.
        """
        base = self.searched_queryset().order_by()
        active = {
            name
            for name, value in self.cleaned_data.items()
            if name in self.FACETS and value not in (None, "")
        }
        ctes, params = [], []

        def cte(skip):
            name = f"facet_{skip}" if skip else "facet_all"
            queryset = self.apply_filters(base, skip={skip} if skip else ()).values(
                pid=F("pk"),
                region_path=F("region__path"),
                country=F("region__country_code"),
                state=F("status"),
                lang=F("language"),
            )
            sql, sql_params = queryset.query.sql_with_params()
            ctes.append(f"{name} AS ({sql})")
            params.extend(sql_params)
            return name

        everything = cte(None)
        source = {name: cte(name) if name in active else everything for name in self.FACETS}
        topics = GoodPractice.topics.through._meta.db_table
        projects = GoodPractice.projects.through._meta.db_table
        topic_table, project_table = Topic._meta.db_table, Project._meta.db_table
        programme_table = Programme._meta.db_table
        parts = [
            f"SELECT 'country', m.country, '', COUNT(*) FROM {source['country']} m "
            "GROUP BY m.country",
            f"SELECT 'region', m.region_path, '', COUNT(*) FROM {source['region']} m "
            "GROUP BY m.region_path",
            f"SELECT 'topic', t.slug, MIN(t.name), COUNT(*) FROM {source['topic']} m "
            f"JOIN {topics} l ON l.goodpractice_id = m.pid "
            f"JOIN {topic_table} t ON t.id = l.topic_id GROUP BY t.slug",
            f"SELECT 'project', p.slug, MIN(COALESCE(NULLIF(p.acronym, ''), p.title)), COUNT(*) "
            f"FROM {source['project']} m "
            f"JOIN {projects} l ON l.goodpractice_id = m.pid "
            f"JOIN {project_table} p ON p.id = l.project_id GROUP BY p.slug",
            "SELECT 'programme', g.slug, MIN(g.short_name || '|' || g.name), "
            f"COUNT(DISTINCT m.pid) FROM {source['programme']} m "
            f"JOIN {projects} l ON l.goodpractice_id = m.pid "
            f"JOIN {project_table} p ON p.id = l.project_id "
            f"JOIN {programme_table} g ON g.id = p.programme_id GROUP BY g.slug",
            f"SELECT 'status', m.state, '', COUNT(*) FROM {source['status']} m GROUP BY m.state",
            f"SELECT 'language', m.lang, '', COUNT(*) FROM {source['language']} m GROUP BY m.lang",
            # The id of one practice per region: the pin of a region with a
            # single practice links to it (slug and title fetched afterwards,
            # so that this scan can be index-only).
            f"SELECT 'map', m.region_path, CAST(MIN(m.pid) AS VARCHAR(20)), COUNT(*) "
            f"FROM {everything} m "
            "GROUP BY m.region_path",
        ]
        sql = "WITH " + ", ".join(ctes) + " " + " UNION ALL ".join(parts)
        with connection.cursor() as cursor:
            if self.is_broad_search and _settings_may_precede(connection):
                # Three statements, one round trip: the settings hold for the
                # facet query only (see SEARCH_FACET_SETTINGS).
                cursor.execute(f"{SEARCH_FACET_SETTINGS}; {sql}; {PREVIOUS_SETTINGS}", params)
                cursor.nextset()
            else:
                cursor.execute(sql, params)
            return cursor.fetchall()

    @staticmethod
    def _regions_for(raw):
        """Fetch, in one query, every region the facets and the map name, with ancestors."""
        paths = set()
        for key, _label, _n in raw["region"] + raw["map"]:
            paths.update(path_prefixes(key))
        codes = {key for key, _label, _n in raw["country"]}
        if not paths and not codes:
            return {}
        rows = Region.objects.filter(
            Q(path__in=paths) | Q(kind=Region.Kind.NUTS, level=0, nuts_code__in=codes)
        ).values("path", "slug", "name", "name_en", "nuts_code", "level", "label_lat", "label_lon")
        return {row["path"]: row for row in rows}

    @staticmethod
    def _country_options(raw, regions):
        names = {
            r["nuts_code"]: r["name_en"] or r["name"] for r in regions.values() if r["level"] == 0
        }
        options = [
            {"value": code, "label": names.get(code, code), "count": n} for code, _label, n in raw
        ]
        return sorted(options, key=lambda o: o["label"].lower())

    @staticmethod
    def _region_options(raw, regions):
        totals = roll_up((path, n) for path, _label, n in raw)
        options = []
        for path in sorted(totals):
            region = regions.get(path)
            if region is None:
                continue
            options.append(
                {
                    "value": region["slug"],
                    "label": region["name_en"] or region["name"],
                    "code": region["nuts_code"] or "",
                    "depth": path.count("/") - 2,
                    "count": totals[path],
                }
            )
        depth = max((o["depth"] for o in options), default=0)
        while len(options) > REGION_OPTIONS_MAX and depth > 0:
            depth -= 1
            options = [o for o in options if o["depth"] <= depth]
        return options

    @staticmethod
    def _map_points(raw, regions):
        """Return one pin per region, or per upper-level region when there are too many."""
        depth = max((key.count("/") - 1 for key, _first, _n in raw), default=0)
        while depth > 1:
            if len({path_at_depth(key, depth) for key, _first, _n in raw}) <= MAP_POINTS_MAX:
                break
            depth -= 1
        groups = {}
        for path, first, n in raw:
            key = path_at_depth(path, depth)
            group = groups.setdefault(key, {"count": 0, "first": first, "members": []})
            group["count"] += n
            group["members"].append((path, n))
        points = []
        for path, group in groups.items():
            region = regions.get(path)
            place = None
            if region and region["label_lat"] is not None:
                place = region["label_lat"], region["label_lon"]
            else:
                # The weighted centre of the places below it (each at its own
                # label point or its nearest ancestor's).
                known = [(_label_point(p, regions), n) for p, n in group["members"]]
                known = [(point, n) for point, n in known if point is not None]
                if known:
                    total = sum(n for _point, n in known)
                    place = (
                        sum(point[0] * n for point, n in known) / total,
                        sum(point[1] * n for point, n in known) / total,
                    )
            if region is None or place is None:
                continue
            single = group["count"] == 1
            slug, _sep, title = group["first"].partition("|")
            points.append(
                {
                    "path": path,
                    "slug": region["slug"],
                    "name": region["name_en"] or region["name"],
                    "code": region["nuts_code"] or "",
                    "lat": round(place[0], 4),
                    "lon": round(place[1], 4),
                    "count": group["count"],
                    "practice_slug": slug if single else "",
                    "practice_title": title if single else "",
                }
            )
        return points


def _label_point(path, regions):
    """Return the label point of the region at ``path`` or of its nearest ancestor."""
    depth = path.count("/") - 1
    for i in range(depth, 0, -1):
        candidate = regions.get(path_at_depth(path, i))
        if candidate and candidate["label_lat"] is not None:
            return candidate["label_lat"], candidate["label_lon"]
    return None


def _tag_options(raw):
    """Return menu options for tags, the most frequent ones when there are many."""
    options = [{"value": k, "label": label, "count": n} for k, label, n in raw]
    if len(options) > TAG_OPTIONS_MAX:
        options = sorted(options, key=lambda o: -o["count"])[:TAG_OPTIONS_MAX]
    return sorted(options, key=lambda o: o["label"].lower())


def _programme_label(label):
    short_name, _sep, name = label.partition("|")
    return short_name or name
