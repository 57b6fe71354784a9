"""Public listings: one paginator and one list view for every list of the site.

``IdsFirstPaginator`` cuts a page in two steps inside one query: the ids of
the page are found, sorted and limited from the filtered table alone (a
subquery), and only those rows are then read, joined and shown. The HTML
listings and the API use it alike.

``ListingView`` is the base of every public listing (practices, events,
projects, organisations, regions). It filters with a django-filter
``FilterSet``, answers ``?format=csv|json|xlsx`` with a download of the whole
filtered list, pages with ``IdsFirstPaginator`` and tells the visitor, in one
way, which filter values and page numbers it could not use.
"""

from django.contrib import messages
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connections
from django.utils.translation import gettext as _
from django.views.generic import ListView

from infra import caching

EXPORT_FORMATS = ("csv", "json", "xlsx")


def export_format(query):
    """Split a requested export format from a query dictionary.

    Return ``(fmt, rest)``: ``fmt`` is "csv", "json" or "xlsx" (or None) and
    ``rest`` is a copy of ``query`` without that value, so that a listing
    whose own filter is called ``format`` (events: in person, online...) can
    still be filtered and exported at once: ``?format=online&format=csv``.
    """
    values = query.getlist("format")
    fmt = next((v for v in reversed(values) if v in EXPORT_FORMATS), None)
    rest = query.copy()
    if fmt:
        rest.setlist("format", [v for v in values if v not in EXPORT_FORMATS])
    return fmt, rest


class IdsFirstPaginator(Paginator):
    """A paginator whose pages select their ids first.

    ``count`` may be given when the caller knows it (a cached or capped
    count); ``rows(ids)`` turns the page's ids (a subquery, or a list where
    the database cannot limit a subquery inside ``IN``) into the page's rows
    in the list's order. By default they are the rows of the list itself.
    A plain ``LIMIT``/``OFFSET`` query reads and joins every row it sorts;
    here the sort reads only the index columns the filters and order use.
    ``candidates(top)``, when given, is a subquery of ids among which the
    list's first ``top`` rows are (a ``UNION ALL`` of ``LIMIT``ed parts, each
    read in an index's order): the page is then sorted from those alone,
    where the database allows a ``LIMIT`` inside a ``UNION`` (not SQLite).
    """

    def __init__(self, object_list, per_page, *, count=None, rows=None, candidates=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            self.count = count
        self.rows = rows or self.rows_of_list
        self.candidates = candidates

    def rows_of_list(self, ids):
        return self.object_list.filter(pk__in=ids)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        listed = self.object_list
        features = connections[listed.db].features
        if self.candidates is not None and features.supports_slicing_ordering_in_compound:
            listed = listed.filter(pk__in=self.candidates(top))
        ids = listed.prefetch_related(None).values("pk")[bottom:top]
        if not features.allow_sliced_subqueries_with_in:
            ids = [row["pk"] for row in ids]
        return self._get_page(list(self.rows(ids)), number, self)


class ListingView(ListView):
    """A public list: filtered, paged, downloadable.

    Subclasses name ``filterset_class`` (optional), ``paginate_by``
    (optional), ``export`` (``(request, queryset, fmt) -> response``, when
    the list can be downloaded) and the base queryset (``get_base_queryset``).
    A filtered list's page reads its filters, ``page`` and ``format``: that
    is its ``page_query_params`` (the page cache's) unless it names its own.
    """

    filterset_class = None
    paginator_class = IdsFirstPaginator
    export = None
    # The downloads the page links to (``export`` answers every format).
    export_links = EXPORT_FORMATS
    filterset = None
    # The cache kind of the list's count (``get_count``), or None to count each time.
    count_kind = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.filterset_class is not None and "page_query_params" not in cls.__dict__:
            cls.page_query_params = (*cls.filterset_class.base_filters, "page", "format")

    def get_base_queryset(self):
        return super().get_queryset()

    def get_filterset(self, data):
        return self.filterset_class(data, queryset=self.get_base_queryset(), request=self.request)

    def get(self, request, *args, **kwargs):
        fmt, data = export_format(request.GET)
        if self.filterset_class is not None:
            self.filterset = self.get_filterset(data)
        if fmt and self.export is not None:
            # Before any message: a download has no page to show one on, and
            # a stored message would pop up on the next page instead.
            return self.export(request, self.filtered_queryset(), fmt)
        self.report_ignored_parameters(data)
        return super().get(request, *args, **kwargs)

    def filtered_queryset(self):
        """Return the whole list: the base queryset through the filters."""
        if self.filterset is not None:
            return self.filterset.qs
        return self.get_base_queryset()

    def get_queryset(self):
        return self.filtered_queryset()

    def report_ignored_parameters(self, data):
        """Tell the visitor which filter values (or download format) the list ignores."""
        filters = self.filterset.filters if self.filterset is not None else {}
        if self.export is not None and "format" in data and "format" not in filters:
            messages.warning(
                self.request, _("The download format was not recognised and is ignored.")
            )
        if self.filterset is None:
            return
        for name, errors in self.filterset.errors.items():
            label = filters[name].label if name in filters else name
            messages.warning(
                self.request,
                _("“%(filter)s” was ignored: %(reason)s")
                % {"filter": label, "reason": " ".join(errors)},
            )

    def get_context_data(self, **kwargs):
        if self.export is not None:
            kwargs.setdefault("export_formats", self.export_links)
        context = super().get_context_data(**kwargs)
        if self.filterset is not None:
            chips = self.filter_chips()
            context.update(
                filter=self.filterset,
                active_filters=chips,
                # Filters set in the menus (not the search box): folded away
                # on narrow screens while there are none.
                menu_filter_count=sum(1 for chip in chips if chip["param"] != "q"),
                **self.panel_fragment(),
            )
        return context

    def panel_fragment(self):
        """Return the key and lifetime of the rendered filter panel (``_filter_panel.html``).

        The panel shows the filter values as given, their messages and the
        list's count: the same on every page of a filter state until an edit.
        Its menus render a template per option, hundreds a page.
        """
        fragments = caching.layer_on("fragments")
        filters = self.filterset.filters
        given = sorted(
            (name, value)
            for name, values in self.request.GET.lists()
            if name in filters
            for value in values
        )
        return {
            "panel_fragment_key": caching.key(
                "listing-panel" if fragments else "listing-panel-off", (self.request.path, *given)
            ),
            # 0 stores nothing (CACHE_LAYERS_OFF=fragments), under keys of its own.
            "panel_fragment_seconds": caching.DATA_CACHE_SECONDS if fragments else 0,
        }

    def filter_chips(self):
        """Return one chip per valid filter in force: its parameter, label and value shown."""
        filterset = self.filterset
        if filterset is None or not filterset.is_bound:
            return []
        form = filterset.form
        form.is_valid()
        chips = []
        for name, field in form.fields.items():
            value = form.cleaned_data.get(name)
            if value in (None, "") or name in form.errors:
                continue
            choices = getattr(field, "choices", None)
            if choices is not None and not hasattr(value, "pk"):
                shown = dict(choices).get(value, value)
            else:
                shown = getattr(value, "display_name", None) or value
                code = getattr(value, "nuts_code", None)
                if code and code != shown:
                    shown = f"{shown} ({code})"
            chips.append({"param": name, "label": filterset.filters[name].label, "value": shown})
        return chips

    def page_rows(self, queryset):
        """Return ``ids -> the rows of a page`` of ``queryset`` (``IdsFirstPaginator``), or None."""
        return None

    def page_candidates(self, queryset):
        """Return ``top -> ids holding the first top rows`` (``IdsFirstPaginator``), or None."""
        return None

    def get_count(self, queryset):
        """Return the number of rows of the list when it is known without counting, else None.

        With ``count_kind`` set, the count is kept per query string (but the
        page) and data generation: the next pages of a list cost no COUNT.
        """
        if self.count_kind is None:
            return None
        params = sorted(
            (name, value)
            for name, values in self.request.GET.lists()
            if name != self.page_kwarg
            for value in values
        )
        return caching.cached(self.count_kind, params, queryset.count)

    def paginate_queryset(self, queryset, page_size):
        """Paginate, turning a malformed or out-of-range page number into a message."""
        paginator = self.get_paginator(
            queryset,
            page_size,
            orphans=self.get_paginate_orphans(),
            allow_empty_first_page=self.get_allow_empty(),
            count=self.get_count(queryset),
            rows=self.page_rows(queryset),
            candidates=self.page_candidates(queryset),
        )
        raw = self.request.GET.get(self.page_kwarg) or 1
        try:
            page = paginator.page(raw)
        except PageNotAnInteger:
            messages.warning(
                self.request, _("The page number was not understood; page 1 is shown.")
            )
            page = paginator.page(1)
        except EmptyPage:
            page = paginator.page(paginator.num_pages)
            if str(raw) not in ("1", ""):
                messages.warning(
                    self.request,
                    _("There is no page %(number)s; the last page is shown.")
                    % {"number": str(raw)[:12]},
                )
        return paginator, page, page.object_list, page.has_other_pages()
