"""Streamed CSV, JSON and XLSX downloads of any filtered list.

A listing hands its filtered, sorted queryset to the ``export_response`` of its
app (practices, events, or projects and organisations here); the rows are read with
``QuerySet.iterator(chunk_size=...)`` and written as they come, so 100,000 rows
are never held in memory at once. Columns are plain, stable, English keys:
scripts that re-use the data must not break when the interface language
changes. Private fields (e-mail addresses, contact people, editors) are never
among the columns.
"""

import datetime
import itertools
import re
import tempfile
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.models import Organisation, Project, Region
from infra.caching import cached, charge_build
from infra.links import url_for_slug
from infra.listing import EXPORT_FORMATS, export_format

CHUNK_SIZE = 2000
STREAMED_ROWS = 100
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Parameters that change how a list is shown, not which rows it has. (The
# export format itself is taken out first; another "format" is a filter.)
NON_FILTER_PARAMS = {"page", "sort", "lang"}
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")
# What makes csv.writer quote a cell (excel dialect): its delimiter, its
# quote character and the characters of its line terminator.
_CSV_QUOTED = re.compile('[,"\r\n]')


@dataclass(frozen=True)
class Column:
    """One column of an export: its key and how to read it from a row.

    ``reads`` names the values (``QuerySet.values()`` names) the column reads
    when the export's rows are plain dictionaries rather than model instances.
    """

    key: str
    get: Any  # callable(row) -> value
    reads: tuple = ()


def value_column(name):
    """Return the column of a plain row's value ``name``, under the same key."""
    return Column(name, itemgetter(name), (name,))


def values_read(columns):
    """Return the names of the values that the plain-row ``columns`` read, each once."""
    return list(dict.fromkeys(name for column in columns for name in column.reads))


def export_filename(basename, query, fmt, *, today=None):
    """Return ``<basename>-<filters>-<date>.<fmt>``, e.g. ``practices-topic-ict-2026-05-01.csv``."""
    parts = [basename]
    for key in sorted(query.keys()):
        if key in NON_FILTER_PARAMS:
            continue
        values = [slugify(v) for v in query.getlist(key) if v.strip()]
        values = [v for v in values if v]
        if values:
            parts.append(slugify(key))
            parts.extend(values)
    stem = "-".join(parts)[:120].strip("-")
    today = today or timezone.localdate()
    return f"{stem}-{today.isoformat()}.{fmt}"


def country_names():
    """Return ``{country code: country name}``, read once per state of the data (cached)."""

    def read():
        rows = Region.objects.countries().values_list("nuts_code", "name", "name_en")
        return {code: name_en or name for code, name, name_en in rows}

    return cached("export-country-names", (), read)


def region_columns(*, plain=False):
    """Return the columns naming a row's region, its NUTS code and its country.

    ``plain``: the rows are dictionaries holding ``region__<field>`` values.
    """
    countries = country_names()
    if plain:

        def attribute(row, name):
            return row[f"region__{name}"] or ""

    else:

        def attribute(row, name):
            return (getattr(row.region, name) or "") if row.region_id else ""

    reads = tuple(f"region__{name}" for name in ("name_en", "name", "nuts_code", "country_code"))
    # English names whatever the page's language (not display_name): an
    # export is data, the same from /pl/ and /ro/ (core/countries.py).
    return [
        Column(
            "region", lambda row: attribute(row, "name_en") or attribute(row, "name"), reads[:2]
        ),
        Column("region_nuts_code", lambda row: attribute(row, "nuts_code"), reads[2:3]),
        Column("country_code", lambda row: attribute(row, "country_code"), reads[3:]),
        Column("country", lambda row: countries.get(attribute(row, "country_code"), ""), reads[3:]),
    ]


def url_column(request, view_name, *, plain=False):
    """Return the column of the row's public page (an absolute address)."""
    url = url_for_slug(view_name, request=request)
    if plain:
        return Column("url", lambda row: url(row["slug"]), ("slug",))
    return Column("url", lambda row: url(row.slug))


def utc(value):
    """Return an aware datetime in UTC (None stays None)."""
    return value.astimezone(datetime.UTC) if value else value


def joined(values):
    """Join several values of one cell; "; " because names may contain commas."""
    return "; ".join(str(v) for v in values if v)


def _plain(value):
    """Turn a cell value into what CSV and XLSX take (str, number, date)."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | datetime.date):
        return value
    return str(value)


def _text(value):
    """Return a CSV cell: dates and times in ISO 8601, with their UTC offset."""
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    return _plain(value)


def _spreadsheet_safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) and not _NUMBER.match(value):
        return "'" + value
    return value


def grouped(pairs):
    """Turn ``(key, value)`` rows into ``{key: [value, ...]}``, keeping their order."""
    result = {}
    for key, value in pairs:
        result.setdefault(key, []).append(value)
    return result


def region_codes(links, owner):
    """Return ``{owner id: [NUTS code or slug, ...]}`` of ``links``, rows of a table
    linking ``owner`` to regions, in the region tree's order."""
    return grouped(
        (owner_id, nuts_code or slug)
        for owner_id, nuts_code, slug in links.order_by("region__path").values_list(
            owner, "region__nuts_code", "region__slug"
        )
    )


def _rows(queryset, columns, load_chunk=None):
    """Yield the column values of each row, reading ``CHUNK_SIZE`` rows at a time.

    ``load_chunk(rows)`` fetches the to-many values (topics, projects...) of
    one chunk in a query per relation. Plain ``values_list`` rows: twice as
    fast as ``prefetch_related``, which builds a model and a manager per value.
    ``queryset`` may also be an iterable of rows read otherwise.
    """
    getters = [column.get for column in columns]
    if isinstance(queryset, QuerySet):
        iterator = queryset.iterator(chunk_size=CHUNK_SIZE)
    else:
        iterator = iter(queryset)
    while chunk := list(itertools.islice(iterator, CHUNK_SIZE)):
        if load_chunk is not None:
            load_chunk(chunk)
        for row in chunk:
            yield [get(row) for get in getters]


def _csv_record(cells):
    """Return one CSV record of ``cells``, as ``csv.writer().writerow()`` writes it.

    The excel dialect, minimal quoting: a cell holding a comma, a quote or a
    line break is quoted, its quotes doubled; other values as ``str()``. The
    csv module copies a cell into its record one character at a time, which
    took a quarter of an export's time: ``str`` methods scan in C.
    """
    texts = []
    for cell in cells:
        if not isinstance(cell, str):
            cell = "" if cell is None else str(cell)
        texts.append(cell)
    return _joined_record(texts)


def _joined_record(texts):
    """Return the record of ``texts``: quoted where the excel dialect quotes, joined."""
    texts = [
        '"' + text.replace('"', '""') + '"' if _CSV_QUOTED.search(text) else text for text in texts
    ]
    if texts == [""]:  # a record of one empty cell is not an empty line
        return '""\r\n'
    return ",".join(texts) + "\r\n"


def _csv_row_record(values):
    """Return the CSV record of a row's values, each ``_text`` made safe for spreadsheets.

    Cells made safe in one loop, then quoted and joined as ``_csv_record``'s.
    """
    texts = []
    for value in values:
        if not isinstance(value, str):
            value = _spreadsheet_safe(_text(value))
            if not isinstance(value, str):
                value = str(value)
        elif value.startswith(FORMULA_TRIGGERS) and not _NUMBER.match(value):
            value = "'" + value
        texts.append(value)
    return _joined_record(texts)


def _csv_stream(rows, columns):
    # The byte-order mark makes Excel read the file as UTF-8 (Polish and
    # Romanian letters); every other CSV reader skips it.
    yield "\ufeff" + _csv_record([c.key for c in columns])
    for batch in _batches(rows):
        yield "".join([_csv_row_record(values) for values in batch])


def _batches(rows):
    """Yield the rows in lists of ``STREAMED_ROWS``.

    A piece of the response per row would cost an encoding and a write to
    the socket each.
    """
    rows = iter(rows)
    while batch := list(itertools.islice(rows, STREAMED_ROWS)):
        yield batch


def _json_stream(rows, columns):
    encoder = DjangoJSONEncoder(ensure_ascii=False)
    keys = [c.key for c in columns]
    yield "["
    separator = "\n"
    for batch in _batches(rows):
        pieces = []
        for values in batch:
            pieces += (separator, encoder.encode(dict(zip(keys, values, strict=True))))
            separator = ",\n"
        yield "".join(pieces)
    yield "\n]\n"


def _xlsx_file(rows, columns, title):
    """Write the rows to a temporary XLSX file and return it, rewound.

    openpyxl's write-only mode keeps memory flat by writing rows to disk; the
    workbook is a ZIP archive, finished only at the end, so it is sent once
    written rather than streamed while written.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([c.key for c in columns])
    for values in rows:
        cells = []
        for value in values:
            value = _plain(value)
            if isinstance(value, datetime.datetime) and value.tzinfo:
                # Excel has no time zones: keep the wall-clock time the row
                # gives (an event's local time, UTC elsewhere).
                value = value.replace(tzinfo=None)
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell = WriteOnlyCell(sheet, value=value)
                # Text stays text: openpyxl would take "=..." for a formula.
                cell.data_type = "s"
            else:
                cell = WriteOnlyCell(sheet, value=value)
            cells.append(cell)
        sheet.append(cells)
    handle = tempfile.TemporaryFile()
    workbook.save(handle)
    handle.seek(0)
    return handle


def stream_export(request, queryset, columns, fmt, *, basename, load_chunk=None):
    """Return the download of ``queryset`` (or of rows: ``_rows``) in ``fmt``."""
    if fmt not in EXPORT_FORMATS:
        return HttpResponseBadRequest(_("Unknown export format."))
    refused = charge_build(request, "export")
    if refused is not None:
        return refused
    return rows_response(
        request, _rows(queryset, columns, load_chunk), columns, fmt, basename=basename
    )


def rows_response(request, rows, columns, fmt, *, basename):
    """Return the download of ``rows`` (lists of values, one per column) in ``fmt``."""
    _fmt, query = export_format(request.GET)
    filename = export_filename(basename, query, fmt)
    if fmt == "xlsx":
        handle = _xlsx_file(rows, columns, basename)
        response = FileResponse(
            handle, as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt]
        )
    else:
        stream = _csv_stream if fmt == "csv" else _json_stream
        response = StreamingHttpResponse(stream(rows, columns), content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Any origin may fetch open data (the API and feeds say the same).
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def organisation_columns(request):
    return [
        Column("slug", lambda o: o.slug),
        Column("name", lambda o: o.name),
        Column("name_en", lambda o: o.name_en),
        Column("acronym", lambda o: o.acronym),
        Column("kind", lambda o: o.kind),
        Column("city", lambda o: o.city),
        *region_columns(),
        Column("website", lambda o: o.website),
        url_column(request, "exchange:organisation-detail"),
    ]


def export_response(request, queryset, fmt):
    """Return ``queryset`` of organisations as a CSV, JSON or XLSX download."""
    if queryset.model is not Organisation:
        raise TypeError("export_response() here exports organisations.")
    queryset = queryset.select_related("region")
    return stream_export(
        request, queryset, organisation_columns(request), fmt, basename="organisations"
    )


def project_columns(request):
    today = timezone.localdate()
    return [
        Column("slug", lambda p: p.slug),
        Column("acronym", lambda p: p.acronym),
        Column("title", lambda p: p.title),
        Column("title_en", lambda p: p.title_en),
        Column("language", lambda p: p.language),
        Column("programme", lambda p: p.programme.name if p.programme_id else ""),
        Column("start_date", lambda p: p.start_date),
        Column("end_date", lambda p: p.end_date),
        Column("status", lambda p: p.status_on(today)),
        Column("topics", lambda p: joined(p.export_topics)),
        Column("partners", lambda p: p.partner_count),
        Column("website", lambda p: p.website),
        url_column(request, "exchange:project-detail"),
    ]


def load_project_chunk(projects):
    """Attach the topic names to a chunk of projects (one query)."""
    topics = grouped(
        Project.topics.through.objects.filter(project_id__in=[p.pk for p in projects])
        .order_by("topic__name")
        .values_list("project_id", "topic__name")
    )
    for project in projects:
        project.export_topics = topics.get(project.pk, [])


def project_export_response(request, queryset, fmt):
    """Return ``queryset`` of projects (``listed_projects``) as a CSV, JSON or XLSX download."""
    if queryset.model is not Project:
        raise TypeError("project_export_response() exports projects.")
    return stream_export(
        request,
        queryset.defer("summary", "objectives"),
        project_columns(request),
        fmt,
        basename="projects",
        load_chunk=load_project_chunk,
    )
