"""The charts of the insights page: titles, summaries, tables and layouts from the figures.

``portal.selectors.insight_figures`` counts (cached per filter state and data
generation); this module names what the counts say, in the visitor's
language, and lays each chart out with ``portal.charts``. Each chart's table
is also its CSV download, so the picture, the table and the file never differ.
"""

import json
from urllib.parse import quote

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.countries import country_name
from core.regions import path_at_depth
from events.models import Event
from portal import charts
from portal.selectors import INSIGHT_ROWS, INSIGHT_TOPICS, INSIGHT_YEARS

CHARTS = (
    "countries",
    "regions",
    "topics",
    "transfers",
    "events",
    "people",
    "programmes",
    "partners",
    "completeness",
)


def percent(part, whole):
    return _("%(percent)s %%") % {"percent": charts.share(part, whole)}


class Links:
    """Addresses of the practice listing with the page's filters and one more.

    One urlencode per kind of link, however many marks link: a map has
    hundreds.
    """

    def __init__(self, listing_url, query):
        self.listing_url = listing_url
        self.query = query
        self.prefixes = {}

    def adding(self, key, value, *removed):
        prefix = self.prefixes.get((key, removed))
        if prefix is None:
            params = self.query.copy()
            for name in (key, *removed, "page", "format", "chart"):
                params.pop(name, None)
            encoded = params.urlencode()
            prefix = (
                f"{self.listing_url}?{encoded}&{key}=" if encoded else f"{self.listing_url}?{key}="
            )
            self.prefixes[(key, removed)] = prefix
        return prefix + quote(str(value), safe="")

    def listing(self):
        params = self.query.copy()
        for name in ("format", "chart"):
            params.pop(name, None)
        encoded = params.urlencode()
        return f"{self.listing_url}?{encoded}" if encoded else self.listing_url


def table(columns, keys, rows, *, shown=INSIGHT_ROWS):
    """Return a chart's table: headings, CSV keys, rows, and how many the page shows."""
    return {"columns": columns, "keys": keys, "rows": rows, "shown": shown}


# The countries behind the maps: a static image made from the outlines the
# listing's map uses (static/js/map-europe.json), so the page does not carry
# them; tests/exchange/test_insights.py checks it is up to date.
LAND_IMAGE = "img/europe-land.svg"


def land_svg():
    """Return the SVG document of ``LAND_IMAGE``, drawn from ``js/map-europe.json``."""
    found = finders.find("js/map-europe.json")
    with open(found, encoding="utf-8") as source:
        outline = json.load(source)
    # Background only: coarser than the outlines that carry data, and not
    # simplified further (an image, cached apart from the page).
    d = "".join(
        charts.ring_path(ring, 4, tolerance=0) for rings in outline["countries"] for ring in rings
    )
    return render_to_string(
        "exchange/insights/land.svg",
        {"width": charts.MAP_WIDTH, "height": charts.MAP_HEIGHT, "d": d},
    )


def projected(catalogue):
    """Project the catalogue's outlines once: each region's ``d`` ("" without an outline)."""
    return {
        path: {
            **{key: value for key, value in row.items() if key != "outline"},
            "d": charts.geometry_path(row["outline"]),
        }
        for path, row in catalogue.items()
    }


def build_charts(figures, regions, links):
    """Return the page's charts, in page order: each a dict the templates draw.

    ``regions`` is the projected region catalogue (``projected``).
    """
    countries = country_counts(figures, regions)
    names = {code: row["name"] for code, row in countries.items()}
    built = [
        country_chart(figures, countries, links),
        region_chart(figures, regions, links),
        topic_chart(figures, links),
        transfer_chart(figures, names),
        *event_charts(figures),
        programme_chart(figures, links),
        partner_chart(figures, names),
        completeness_chart(figures, links),
    ]
    for chart in built:
        for kind in ("map", "bars", "heat", "columns"):
            if kind in chart:
                # Numbers a plural sentence counts stay numbers.
                kept = {k: chart[kind][k] for k in ("hidden",) if k in chart[kind]}
                chart[kind] = {**charts.as_text(chart[kind]), **kept}
        shown = chart["table"]["rows"][: chart["table"]["shown"]]
        chart["table"]["cells"] = charts.as_text(shown)
    return built


def country_counts(figures, regions):
    """Return ``{country code: {"name", "slug", "count", "lat", "lon", "d"}}`` of every country."""
    countries = {
        row["code"]: {
            "name": country_name(row["code"], row["name"]),
            "slug": row["slug"],
            "count": 0,
            "lat": row["lat"],
            "lon": row["lon"],
            "d": row["d"],
        }
        for row in regions.values()
        if row["level"] == 0
    }
    for path, n in figures["by_region"]:
        if not path:
            continue
        code = regions.get(path_at_depth(path, 1), {}).get("code")
        if code in countries:
            countries[code]["count"] += n
    return countries


def country_chart(figures, countries, links):
    total = figures["totals"]["practices"]
    ranked = sorted(
        (c for c in countries.values() if c["count"]), key=lambda c: (-c["count"], c["name"])
    )
    areas = [
        {**c, "url": links.adding("country", code, "region")}
        for code, c in countries.items()
        if c["d"]
    ]
    points = [
        {**c, "url": links.adding("country", code, "region")}
        for code, c in countries.items()
        if not c["d"] and c["count"] and c["lat"] is not None
    ]
    placed = sum(c["count"] for c in ranked)
    if ranked:
        top = ranked[0]
        summary = _("Most practices come from %(country)s (%(share)s).") % {
            "country": top["name"],
            "share": percent(top["count"], total),
        }
        if placed < total:
            summary += " " + ngettext(
                "%(count)s practice names no country.",
                "%(count)s practices name no country.",
                total - placed,
            ) % {"count": total - placed}
    else:
        summary = _("No practice with a country matches these filters.")
    return {
        "id": "countries",
        "kind": "map",
        "title": _("Published practices per country"),
        "summary": summary,
        "map": map_layout(areas, points),
        "table": table(
            [_("Country"), _("Practices"), _("Share")],
            ["country", "practices", "share_percent"],
            [[c["name"], c["count"], charts.share(c["count"], total)] for c in ranked],
            shown=len(ranked),
        ),
    }


def map_layout(areas, points):
    layout = charts.choropleth(areas, points)
    # The outlines without practices are one white path: no link or name to
    # carry, and a few hundred elements fewer with the NUTS 2 outlines.
    layout["blank"] = "".join(area["d"] for area in layout["areas"] if not area["count"])
    layout["areas"] = [area for area in layout["areas"] if area["count"]]
    # Each mark's name and count; the map's title and legend say what is
    # counted, which the page would otherwise repeat several hundred times.
    for mark in (*layout["areas"], *layout["points"]):
        mark["label"] = _("%(name)s: %(count)s") % {"name": mark["name"], "count": mark["count"]}
    # The outlines and the circles in one group per colour, which the group
    # carries once.
    layout["shades"] = by_fill(layout["areas"])
    layout["dots"] = by_fill(layout["points"])
    layout["land"] = LAND_IMAGE
    return layout


def by_fill(marks):
    """Return ``marks`` grouped by colour: ``[{"fill", "marks"}]``, in order of first use."""
    fills = {}
    for mark in marks:
        fills.setdefault(mark["fill"], []).append(mark)
    return [{"fill": fill, "marks": marks} for fill, marks in fills.items()]


def region_chart(figures, regions, links):
    total = figures["totals"]["practices"]
    counts, elsewhere = {}, 0
    for path, n in figures["by_region"]:
        nuts2 = regions.get(path_at_depth(path, 3)) if path and path.count("/") >= 4 else None
        if nuts2 and nuts2["level"] == 2:
            counts[nuts2["path"]] = counts.get(nuts2["path"], 0) + n
        else:
            elsewhere += n
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    rows = []
    for path, n in ranked:
        region = regions[path]
        country = regions.get(path_at_depth(path, 1), {})
        rows.append(
            {
                **region,
                "country": country_name(country.get("code"), country.get("name", "")),
                "count": n,
                "url": links.adding("region", region["slug"], "country"),
            }
        )
    areas = [
        {**row, "count": counts.get(path, 0), "url": links.adding("region", row["slug"], "country")}
        for path, row in regions.items()
        if row["level"] == 2 and row["d"]
    ]
    points = [row for row in rows if not row["d"] and row["lat"] is not None]
    if rows:
        top = rows[0]
        summary = _(
            "The NUTS 2 region with most practices is %(region)s (%(code)s): %(share)s."
        ) % {
            "region": top["name"],
            "code": top["code"],
            "share": percent(top["count"], total),
        }
    else:
        summary = _("No practice placed in a NUTS 2 region matches these filters.")
    if elsewhere:
        summary += " " + ngettext(
            "%(count)s practice is placed at country level or in no region.",
            "%(count)s practices are placed at country level or in no region.",
            elsewhere,
        ) % {"count": elsewhere}
    return {
        "id": "regions",
        "kind": "map",
        "title": _("Published practices per NUTS 2 region"),
        "summary": summary,
        "map": map_layout(areas, points),
        "table": table(
            [_("Region"), _("NUTS code"), _("Country"), _("Practices")],
            ["region", "nuts_code", "country", "practices"],
            [[r["name"], r["code"], r["country"], r["count"]] for r in rows],
        ),
    }


def topic_chart(figures, links):
    topics, years, counts = {}, set(), {}
    for slug, name, year, n in figures["topic_year"]:
        topics.setdefault(slug, {"name": name, "count": 0})["count"] += n
        if year is not None:
            years.add(year)
        counts[(slug, year)] = counts.get((slug, year), 0) + n
    shown_years = sorted(years)[-INSIGHT_YEARS:]
    first = shown_years[0] if shown_years else None
    earlier = [y for y in years if first is not None and y < first]
    columns = []
    if earlier:
        columns.append(("earlier", _("before %(year)s") % {"year": first}))
    columns += [(year, str(year)) for year in shown_years]
    grid = {}
    for (slug, year), n in counts.items():
        column = "earlier" if year is not None and earlier and year < first else year
        grid[(slug, column)] = grid.get((slug, column), 0) + n
    ranked = sorted(topics.items(), key=lambda item: (-item[1]["count"], item[1]["name"]))
    rows = ranked[:INSIGHT_TOPICS]
    per_year = {}
    for (_slug, column), n in grid.items():
        per_year[column] = per_year.get(column, 0) + n
    if ranked:
        slug, top = ranked[0]
        summary = _("The most frequent topic is %(topic)s (%(count)s practices).") % {
            "topic": top["name"],
            "count": top["count"],
        }
        busiest = max(shown_years, key=lambda y: (per_year.get(y, 0), y), default=None)
        if busiest is not None:
            summary += " " + _("Most practices started in %(year)s.") % {"year": busiest}
    else:
        summary = _("No practice with a topic matches these filters.")
    # The grid shows the recent years on one scale; the earlier ones, summed,
    # would outweigh them all (they stay in the table).
    layout = charts.heat_map(
        [(slug, topic["name"]) for slug, topic in rows],
        [(year, str(year)) for year in shown_years],
        grid,
    )
    for row, (slug, _topic) in zip(layout["rows"], rows, strict=True):
        row["url"] = links.adding("topic", slug)
    return {
        "id": "topics",
        "kind": "heat",
        "title": _("Practices per topic over time"),
        "summary": summary,
        "note": _(
            "By year of start (of publication when no start is given), the last %(count)s "
            "years; the table also sums the earlier ones. A practice with several topics "
            "counts once for each."
        )
        % {"count": len(shown_years)},
        "heat": layout,
        "table": table(
            [_("Topic"), *(label for _key, label in columns), _("Total")],
            ["topic", *(str(key) for key, _label in columns), "total"],
            [
                [
                    topic["name"],
                    *(grid.get((slug, key), 0) for key, _label in columns),
                    topic["count"],
                ]
                for slug, topic in ranked
            ],
        ),
    }


def transfer_chart(figures, names):
    flows = sorted(
        ((source or "", target or "", n) for source, target, n in figures["flows"]),
        key=lambda flow: (-flow[2], flow[0], flow[1]),
    )
    total = sum(n for _s, _t, n in flows)
    unknown = _("unknown")

    def name(code):
        return names.get(code, code) or unknown

    rows = [
        {"label": f"{name(source)} → {name(target)}", "value": n}
        for source, target, n in flows[:INSIGHT_ROWS]
    ]
    if flows:
        source, target, n = flows[0]
        summary = ngettext(
            "%(count)s transfer recorded.", "%(count)s transfers recorded.", total
        ) % {"count": total}
        summary += " " + _("The most frequent is from %(from)s to %(to)s (%(flow)s).") % {
            "from": name(source),
            "to": name(target),
            "flow": n,
        }
    else:
        summary = _("No transfer of these practices is recorded.")
    return {
        "id": "transfers",
        "kind": "bars",
        "title": _("Transfers: from the practice's country to the adopting country"),
        "summary": summary,
        "bars": charts.bar_chart(rows),
        "table": table(
            [_("From"), _("To"), _("Transfers")],
            ["from_country", "to_country", "transfers"],
            [[name(source), name(target), n] for source, target, n in flows],
        ),
    }


def event_charts(figures):
    formats = [(value, str(label)) for value, label in Event.Format.choices]
    per_year = {}
    for year, fmt, n in figures["events"]:
        per_year.setdefault(year, {})[fmt] = per_year.setdefault(year, {}).get(fmt, 0) + n
    people, counted_events = {}, {}
    for rows in (figures["people"], figures["groups"]):
        for year, n, events in rows:
            people[year] = people.get(year, 0) + (n or 0)
            counted_events[year] = max(counted_events.get(year, 0), events)
    years = sorted(per_year)[-INSIGHT_YEARS:]
    totals = {fmt: sum(per_year[y].get(fmt, 0) for y in per_year) for fmt, _label in formats}
    total = sum(totals.values())
    series = [
        {"key": fmt, "label": label, "fill": fill, "pattern": pattern}
        for (fmt, label), fill, pattern in zip(
            formats,
            (charts.BAR_FILL, "#a34700", "#4d4d4d"),
            ("", "hatch", "dots"),
            strict=True,
        )
    ]
    if total:
        summary = ngettext("%(count)s event", "%(count)s events", total) % {"count": total}
        summary += (
            ": "
            + ", ".join(f"{label.lower()} {totals[fmt]}" for fmt, label in formats if totals[fmt])
            + "."
        )
    else:
        summary = _("No published event matches these filters.")
    groups = [{"label": str(year), "values": per_year[year]} for year in years]
    events_chart = {
        "id": "events",
        "kind": "columns",
        "title": _("Events per year, in person and online"),
        "summary": summary,
        "note": _("The filters of project, programme, place and year apply to events."),
        "columns": charts.column_chart(groups, series),
        "series": series,
        "table": table(
            [_("Year"), *(label for _fmt, label in formats), _("People counted")],
            ["year", *(fmt for fmt, _label in formats), "people_counted"],
            [
                [
                    year,
                    *(per_year[year].get(fmt, 0) for fmt, _label in formats),
                    people.get(year, 0),
                ]
                for year in sorted(per_year)
            ],
        ),
    }
    counted = [year for year in sorted(people) if people[year]]
    people_total = sum(people.values())
    if people_total:
        people_summary = ngettext(
            "%(count)s person counted", "%(count)s people counted", people_total
        ) % {"count": people_total}
        busiest = max(counted, key=lambda y: (people[y], y))
        people_summary += "; " + _("the most in %(year)s (%(count)s).") % {
            "year": busiest,
            "count": people[busiest],
        }
    else:
        people_summary = _("No participation is recorded for these events.")
    people_chart = {
        "id": "people",
        "kind": "bars",
        "title": _("People who took part in events, per year"),
        "summary": people_summary,
        "note": _(
            "Where participation is recorded: a named person counts as one, an organisation "
            "or a group as the number of people stated for it."
        ),
        "bars": charts.bar_chart(
            [{"label": str(year), "value": people[year]} for year in counted[-INSIGHT_YEARS:]]
        ),
        "table": table(
            [_("Year"), _("Events with participation recorded"), _("People counted")],
            ["year", "events_with_participation", "people_counted"],
            [[year, counted_events.get(year, 0), people[year]] for year in counted],
        ),
    }
    return [events_chart, people_chart]


def programme_chart(figures, links):
    rows = [
        {"slug": slug, "label": short or name or _("No programme"), "value": n}
        for slug, short, name, n in figures["programmes"]
    ]
    for row in rows:
        if row["slug"]:
            row["url"] = links.adding("programme", row["slug"])
    return ranked_bars(
        "programmes",
        rows,
        title=_("Projects per programme"),
        leader=(
            "programme",
            _("Most projects belong to %(programme)s (%(count)s of %(total)s, %(share)s)."),
        ),
        empty=_("No project matches these filters."),
        note=_(
            "The filters of programme, project, topic, place (of a partner) and year apply "
            "to projects."
        ),
        columns=([_("Programme"), _("Projects")], ["programme", "projects"]),
    )


def partner_chart(figures, names):
    unknown = _("unknown")
    return ranked_bars(
        "partners",
        [
            {"label": names.get(code or "", code) or unknown, "value": n}
            for code, n in figures["partners"]
        ],
        title=_("Partners per country"),
        leader=(
            "country",
            _("Most partners are based in %(country)s (%(count)s of %(total)s, %(share)s)."),
        ),
        empty=_("No partner of these projects is recorded."),
        note=_(
            "Organisations that are partners of the projects above, each counted once per country."
        ),
        columns=([_("Country"), _("Partners")], ["country", "partners"]),
    )


def ranked_bars(chart_id, rows, *, title, leader, empty, note, columns):
    """Return a bar chart of ``rows`` (``{"label", "value"}``), largest first.

    ``leader`` is ``(placeholder, sentence)``: the summary naming the first
    row in the sentence's placeholder, with its count, the total and its share.
    """
    rows = sorted(rows, key=lambda row: (-row["value"], row["label"]))
    total = sum(row["value"] for row in rows)
    if rows:
        placeholder, sentence = leader
        summary = sentence % {
            placeholder: rows[0]["label"],
            "count": rows[0]["value"],
            "total": total,
            "share": percent(rows[0]["value"], total),
        }
    else:
        summary = empty
    headings, keys = columns
    return {
        "id": chart_id,
        "kind": "bars",
        "title": title,
        "summary": summary,
        "note": note,
        "bars": charts.bar_chart(rows[:INSIGHT_ROWS]),
        "table": table(headings, keys, [[row["label"], row["value"]] for row in rows]),
    }


def completeness_chart(figures, links):
    totals = figures["totals"]
    rows = [
        {"label": label, "value": average, "slug": slug, "url": links.adding("project", slug)}
        for slug, label, _n, _complete, average in figures["completeness"]
    ]
    if totals["practices"]:
        summary = _(
            "On average %(share)s of the template is written; %(complete)s of %(total)s "
            "practices are complete."
        ) % {
            "share": _("%(percent)s %%") % {"percent": totals["completeness"]},
            "complete": totals["complete"],
            "total": totals["practices"],
        }
    else:
        summary = _("No practice matches these filters.")
    return {
        "id": "completeness",
        "kind": "bars",
        "title": _("Completeness per project"),
        "summary": summary,
        "note": _(
            "The share of the template's five sections written, on average, for the "
            "%(count)s projects with most practices."
        )
        % {"count": INSIGHT_ROWS},
        "bars": charts.bar_chart(rows, maximum=100),
        "percent": True,
        "table": table(
            [_("Project"), _("Practices"), _("Complete"), _("Average completeness (%)")],
            ["project", "practices", "complete", "average_completeness_percent"],
            [
                [label, n, complete, average]
                for _slug, label, n, complete, average in figures["completeness"]
            ],
        ),
    }


def csv_rows(chart):
    """Return a chart's data as CSV rows: the keys, then every row of its table."""
    return [chart["table"]["keys"], *chart["table"]["rows"]]
