"""Geometry of the insights page's charts: plain numbers the SVG templates draw.

No HTML or SVG markup here (templates/exchange/insights/ draws it), no
database: each function turns rows of data into positions, sizes, path
strings and colour classes. Maps use the projection of ``static/js/map.js``
(x the longitude, y the Mercator latitude, both in degrees), cropped to Europe.
"""

import math

# Sequential bins, lightest to darkest, with the text colour readable on each
# (WCAG contrast >= 4.5:1 for labels drawn on the fill).
BIN_FILLS = ("#eef3fa", "#c6d9ef", "#8fb5de", "#3f7fc0", "#174f8c")
BIN_TEXT = ("#1a1a1a", "#1a1a1a", "#1a1a1a", "#ffffff", "#ffffff")
BIN_COUNT = len(BIN_FILLS)
EMPTY_FILL = "#ffffff"
# Bars and outlines: darker than 3:1 against the white page.
BAR_FILL = "#1f5b99"
STROKE = "#4d4d4d"

MAP_WIDTH = 640
MAP_HEIGHT = 520
# Longitude and latitude of the frame: continental Europe with its islands,
# without the outermost regions (they stay in the tables).
MAP_WEST, MAP_EAST, MAP_SOUTH, MAP_NORTH = -25.0, 45.0, 34.0, 71.5
# Circles drawn at most (the places with most practices): more would cover
# each other; the table and the download list every place.
MAP_POINTS_MAX = 50


def mercator_y(lat):
    r = math.radians(max(-85.0, min(85.0, lat)))
    return math.degrees(math.log(math.tan(math.pi / 4 + r / 2)))


_TOP, _BOTTOM = mercator_y(MAP_NORTH), mercator_y(MAP_SOUTH)
_SCALE = min(MAP_WIDTH / (MAP_EAST - MAP_WEST), MAP_HEIGHT / (_TOP - _BOTTOM))


def project(lon, lat):
    """Return the map's ``(x, y)`` pixel for a longitude and latitude."""
    return (lon - MAP_WEST) * _SCALE, (_TOP - mercator_y(lat)) * _SCALE


def in_frame(x, y):
    return 0 <= x <= MAP_WIDTH and 0 <= y <= MAP_HEIGHT


def ring_path(ring, step=1.5, tolerance=1.0):
    """Return the SVG path of a closed ring of ``[lon, lat]``, or "" when it is too small.

    Whole pixels, and a point only when it lies ``step`` pixels or more from
    the last one kept, then only the points that bend the line by more than
    ``tolerance`` pixels (Douglas-Peucker): at this scale an outline needs a
    few dozen points, not the hundreds of its source, and the page stays
    small (about 300 NUTS 2 outlines are drawn on it).
    """
    points = []
    for lon, lat, *_rest in ring:
        x, y = project(lon, lat)
        if points and abs(x - points[-1][0]) + abs(y - points[-1][1]) < step:
            continue
        points.append((x, y))
    rounded = []
    for x, y in points:
        point = (round(x), round(y))
        if not rounded or point != rounded[-1]:
            rounded.append(point)
    if len(rounded) > 1 and rounded[0] == rounded[-1]:
        rounded.pop()
    if len(rounded) < 3:
        return ""
    xs = [x for x, _y in rounded]
    ys = [y for _x, y in rounded]
    if max(xs) < 0 or min(xs) > MAP_WIDTH or max(ys) < 0 or min(ys) > MAP_HEIGHT:
        return ""
    if max(xs) - min(xs) < 1.5 * step and max(ys) - min(ys) < 1.5 * step:
        return ""
    if tolerance:
        rounded = simplified(rounded, tolerance)
        if len(rounded) < 3:
            return ""
    # Relative moves after the first point: small numbers, and no space
    # before a minus sign (SVG reads "2-1" as 2, -1): a shorter page.
    (x0, y0), moves = rounded[0], []
    for (ax, ay), (bx, by) in zip(rounded, rounded[1:], strict=False):
        moves.append(f"{bx - ax}{' ' if by - ay >= 0 else ''}{by - ay}")
    return (
        f"M{x0} {y0}l"
        + "".join(
            move if move.startswith("-") or not index else " " + move
            for index, move in enumerate(moves)
        )
        + "z"
    )


def simplified(points, tolerance):
    """Return the closed ring ``points`` without those nearer than ``tolerance`` to the line.

    Douglas-Peucker, from the ring's first point and the point farthest from
    it (a closed ring has no ends of its own).
    """
    first = points[0]
    far = max(range(len(points)), key=lambda i: _distance(points[i], first, first))
    kept = {0, far}
    stack = [(0, far), (far, len(points))]
    while stack:
        start, end = stack.pop()
        a, b = points[start], points[end % len(points)]
        index, distance = None, tolerance
        for i in range(start + 1, end):
            d = _distance(points[i], a, b)
            if d > distance:
                index, distance = i, d
        if index is not None:
            kept.add(index)
            stack += [(start, index), (index, end)]
    return [points[i] for i in sorted(kept)]


def _distance(point, a, b):
    """The distance of ``point`` from the segment ``a``-``b``."""
    (px, py), (ax, ay), (bx, by) = point, a, b
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0 if not length else max(0, min(1, ((px - ax) * dx + (py - ay) * dy) / length))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


# Douglas-Peucker tolerance of the outlines that carry data, in map units:
# the map is drawn at most 768 CSS pixels wide (640 units), so an outline
# strays at most 2.4 pixels, and the page with every NUTS 2 outline stays
# under its weight limit.
OUTLINE_TOLERANCE = 2.0


def geometry_path(geometry, step=1.5):
    """Return one SVG path for a GeoJSON Polygon or MultiPolygon (outer rings and holes)."""
    if not isinstance(geometry, dict):
        return ""
    coordinates = geometry.get("coordinates") or []
    polygons = [coordinates] if geometry.get("type") == "Polygon" else coordinates
    return "".join(
        ring_path(ring, step, OUTLINE_TOLERANCE) for polygon in polygons for ring in polygon
    )


def bins(values, count=BIN_COUNT):
    """Return upper bounds splitting the positive ``values`` into at most ``count`` classes.

    Quantiles of the distinct values, so that a few large regions do not
    paint every other one the lightest colour.
    """
    distinct = sorted({v for v in values if v > 0})
    if not distinct:
        return []
    if len(distinct) <= count:
        return distinct
    bounds = []
    for i in range(1, count + 1):
        bound = distinct[min(len(distinct) - 1, math.ceil(i * len(distinct) / count) - 1)]
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    return bounds


def bin_of(value, bounds):
    """Return the class index of ``value`` (None for zero)."""
    if value <= 0:
        return None
    for index, bound in enumerate(bounds):
        if value <= bound:
            return index
    return len(bounds) - 1


def fill_of(value, bounds):
    index = bin_of(value, bounds)
    if index is None:
        return EMPTY_FILL
    # Spread fewer classes over the whole ramp: two classes are light and dark.
    return BIN_FILLS[_ramp_index(index, len(bounds))]


def _ramp_index(index, classes):
    if classes <= 1:
        return len(BIN_FILLS) - 1
    return round(index * (len(BIN_FILLS) - 1) / (classes - 1))


def legend(bounds):
    """Return the legend's entries: ``{"fill", "low", "high"}`` per class, lowest first."""
    entries, low = [], 1
    for index, bound in enumerate(bounds):
        entries.append(
            {"fill": BIN_FILLS[_ramp_index(index, len(bounds))], "low": low, "high": bound}
        )
        low = bound + 1
    return entries


def choropleth(areas, points):
    """Lay out a map: shaded outlines where there are any, circles at label points otherwise.

    ``areas``: ``[{"name", "count", "d" (a projected path, see ``geometry_path``),
    "url"}...]``; ``points``: ``[{"name", "count", "lat", "lon", "url"}...]``
    for places without an outline. Both share one scale of colours. Returns
    ``{"areas", "points", "legend", "hidden"}``; each point gets ``x``,
    ``y``, ``r`` and each mark a ``fill``; ``hidden`` counts the places
    outside the frame (in the table only).
    """
    bounds = bins([a["count"] for a in areas] + [p["count"] for p in points])
    drawn_areas = [{**area, "fill": fill_of(area["count"], bounds)} for area in areas]
    drawn_points, hidden = [], 0
    largest = max((p["count"] for p in points), default=1) or 1
    for point in sorted(points, key=lambda p: -p["count"]):
        if not point["count"]:
            continue
        x, y = project(point["lon"], point["lat"])
        if not in_frame(x, y) or len(drawn_points) >= MAP_POINTS_MAX:
            hidden += 1
            continue
        drawn_points.append(
            {
                **point,
                "x": round(x),
                "y": round(y),
                # Area proportional to the count, 4 to 16 pixels of radius.
                "r": round(4 + 12 * math.sqrt(point["count"] / largest), 1),
                "fill": fill_of(point["count"], bounds),
            }
        )
    return {
        "areas": drawn_areas,
        "points": drawn_points,
        "legend": legend(bounds),
        "hidden": hidden,
        "width": MAP_WIDTH,
        "height": MAP_HEIGHT,
    }


# Bar charts ---------------------------------------------------------------

BAR_HEIGHT = 22
BAR_GAP = 6
LABEL_WIDTH = 220
CHART_WIDTH = 640
VALUE_WIDTH = 70
LABEL_CHARS = 30


def short_label(text, limit=LABEL_CHARS):
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_chart(rows, *, maximum=None):
    """Lay out horizontal bars: ``rows`` of ``{"label", "value", ...}``, kept in order.

    Each row gets ``y``, ``width``, ``text_y``, ``value_x`` and ``short``
    (the label cut for the chart; the table and the mark's title keep it
    whole); returns ``{"rows", "height", "width", "bar_x"}``.
    """
    top = maximum or max((row["value"] for row in rows), default=0) or 1
    span = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    laid = []
    for index, row in enumerate(rows):
        y = index * (BAR_HEIGHT + BAR_GAP)
        width = round(span * row["value"] / top, 1)
        laid.append(
            {
                **row,
                "y": y,
                "width": max(width, 1 if row["value"] else 0),
                "text_y": y + BAR_HEIGHT / 2 + 5,
                "value_x": round(LABEL_WIDTH + width + 6, 1),
                "short": short_label(row["label"]),
            }
        )
    return {
        "rows": laid,
        "height": max(len(rows) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP, BAR_HEIGHT),
        "width": CHART_WIDTH,
        "bar_x": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 8,
    }


# Grouped columns (one group per year, one column per series) ----------------

COLUMN_CHART_HEIGHT = 220
COLUMN_AXIS = 40
COLUMN_TOP = 20


def column_chart(groups, series):
    """Lay out vertical columns: ``groups`` ``[{"label", "values": {series: n}}]``.

    ``series``: ``[{"key", "label", "fill", "pattern"}]`` in drawing order
    (each series also has its own pattern, so that colour is not the only
    difference). Returns ``{"groups", "width", "height", "baseline"}``; each
    group has ``x``, ``label_x`` and ``columns`` with ``x``, ``y``,
    ``height``, ``value``, ``value_y`` and their series.
    """
    top = max((g["values"].get(s["key"], 0) for g in groups for s in series), default=0) or 1
    column = 20
    group_width = column * len(series) + 12
    baseline = COLUMN_TOP + COLUMN_CHART_HEIGHT
    laid = []
    for index, group in enumerate(groups):
        x0 = COLUMN_AXIS + index * group_width
        columns = []
        for position, serie in enumerate(series):
            value = group["values"].get(serie["key"], 0)
            height = round(COLUMN_CHART_HEIGHT * value / top, 1)
            columns.append(
                {
                    **serie,
                    "value": value,
                    "drawn": value > 0,
                    "x": x0 + position * column,
                    "width": column - 2,
                    "y": round(baseline - height, 1),
                    "height": height,
                    "value_y": round(baseline - height - 3, 1),
                    "value_x": x0 + position * column + (column - 2) / 2,
                }
            )
        laid.append(
            {
                **group,
                "columns": columns,
                "label_x": x0 + (column * len(series) - 2) / 2,
            }
        )
    return {
        "groups": laid,
        "width": max(COLUMN_AXIS + len(groups) * group_width, 200),
        "height": baseline + 24,
        "baseline": baseline,
        "label_y": baseline + 16,
        "axis_x": COLUMN_AXIS - 4,
    }


# Heat map (rows × columns, the number in each cell) ------------------------

CELL_WIDTH = 40
CELL_HEIGHT = 22
HEAT_LABEL_WIDTH = 200


def heat_map(row_labels, column_labels, counts):
    """Lay out a grid of ``counts[(row, column)]``, each cell shaded and numbered."""
    values = list(counts.values())
    bounds = bins(values)
    rows = []
    for r, (row_key, row_label) in enumerate(row_labels):
        y = 24 + r * CELL_HEIGHT
        cells = []
        for c, (column_key, _column_label) in enumerate(column_labels):
            value = counts.get((row_key, column_key), 0)
            index = bin_of(value, bounds)
            ramp = None if index is None else _ramp_index(index, len(bounds))
            cells.append(
                {
                    "x": HEAT_LABEL_WIDTH + c * CELL_WIDTH,
                    "value": value,
                    "fill": EMPTY_FILL if ramp is None else BIN_FILLS[ramp],
                    "text": BIN_TEXT[0] if ramp is None else BIN_TEXT[ramp],
                    "text_x": HEAT_LABEL_WIDTH + c * CELL_WIDTH + CELL_WIDTH / 2,
                }
            )
        rows.append(
            {
                "key": row_key,
                "label": row_label,
                "short": short_label(row_label, 28),
                "y": y,
                "text_y": y + CELL_HEIGHT / 2 + 4,
                "cells": cells,
            }
        )
    columns = [
        {"label": label, "x": HEAT_LABEL_WIDTH + c * CELL_WIDTH + CELL_WIDTH / 2}
        for c, (_key, label) in enumerate(column_labels)
    ]
    return {
        "rows": rows,
        "columns": columns,
        "shades": cell_shades(rows, CELL_WIDTH - 2, CELL_HEIGHT - 2),
        "width": HEAT_LABEL_WIDTH + len(column_labels) * CELL_WIDTH + 4,
        "height": 24 + len(row_labels) * CELL_HEIGHT + 4,
        "label_x": HEAT_LABEL_WIDTH - 6,
        "cell_width": CELL_WIDTH - 2,
        "cell_height": CELL_HEIGHT - 2,
        "legend": legend(bounds),
    }


def cell_shades(rows, width, height):
    """Return the heat map's cells as one path per colour: ``[{"fill", "d"}]``.

    A rectangle each would repeat its size and colour in every cell.
    """
    paths = {}
    for row in rows:
        for cell in row["cells"]:
            paths.setdefault(cell["fill"], []).append(
                f"M{cell['x']} {row['y']}h{width}v{height}h-{width}z"
            )
    return [{"fill": fill, "d": "".join(d)} for fill, d in paths.items()]


def as_text(value):
    """Return ``value`` with its numbers turned to text, for the SVG templates.

    A template localises every number it prints (some 5,000 a page here),
    which costs more than drawing the page; coordinates are not prose.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.1f}".removesuffix(".0")
    if isinstance(value, dict):
        return {key: as_text(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [as_text(item) for item in value]
    return value


def share(part, whole):
    """Return ``part`` as a whole percentage of ``whole`` (0 when there is nothing)."""
    return round(100 * part / whole) if whole else 0
