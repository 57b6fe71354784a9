"""The region tree, told by materialised paths ("/es/es5/es51/").

A region's path is its ancestors' slugs and its own, so "this region and
everything below it" is one indexed prefix match and its ancestors are the
path's prefixes. Every page and filter that walks the tree uses these.
"""

from collections import defaultdict

from django.db.models import Q

# What a trail names and links: no outline (GeoJSON, up to hundreds of kB
# a country), no label point.
TRAIL_FIELDS = (
    "name",
    "name_en",
    "slug",
    "kind",
    "nuts_code",
    "level",
    "parent",
    "path",
    "country_code",
)


def path_slugs(path):
    """Return the slugs of ``path``, top first: "/es/es5/" -> ["es", "es5"]."""
    return [slug for slug in path.strip("/").split("/") if slug]


def path_prefixes(path):
    """Return the paths of the region at ``path`` and of those above it, top first."""
    slugs = path_slugs(path)
    return ["/" + "/".join(slugs[:depth]) + "/" for depth in range(1, len(slugs) + 1)]


def path_at_depth(path, depth):
    """Return the path of ``path``'s ancestor at ``depth`` (1 for the top), or ``path``."""
    return "/" + "/".join(path_slugs(path)[:depth]) + "/"


def grouping_depth(paths, most):
    """Return the deepest level (1 for the top) at which ``paths`` fall in at most ``most`` regions.

    A map stays small whatever the data: above ``most`` places it draws the
    regions a level up instead (never above the top level).
    """
    depth = max((len(path_slugs(path)) for path in paths), default=0)
    while depth > 1 and len({path_at_depth(path, depth) for path in paths}) > most:
        depth -= 1
    return depth


def roll_up(counts):
    """Return {path: total} from (path, count) pairs, each count added to every ancestor.

    A practice in ES51 counts for ES5 and ES too, without a query per level.
    """
    totals = defaultdict(int)
    for path, count in counts:
        for prefix in path_prefixes(path):
            totals[prefix] += count
    return totals


def in_subtrees(*regions, path="path"):
    """Return a ``Q`` for rows whose ``path`` lies in the subtree of one of ``regions``.

    ``path`` names the path through a relation, e.g. "region__path" for the
    practices of those regions. The paths end with a slash, so "/es/" never
    matches "/est/".
    """
    condition = Q()
    for region in regions:
        condition |= below(region.path, path=path)
    return condition


def below(prefix, *, path="path"):
    """Return a ``Q`` for rows whose ``path`` lies under ``prefix``, a path or an expression."""
    return Q(**{f"{path}__startswith": prefix})


def _data_name(region):
    return region.name_en or region.name


def region_trail(region, ancestors=None):
    """Return ``region`` with its ancestors, country first (one query, none at the top).

    A level that repeats the name of the one above it (Slovenia › Slovenia,
    a NUTS 1 region that is the whole country) is shown once, as the lower
    of the two. Names are compared as the data gives them (English, or the
    original): a country's is localised on PL/RO pages, its NUTS twin's not.
    ``ancestors``, read by the caller already (as ``Region.ancestors`` with
    ``TRAIL_FIELDS``; ``core.selectors.region_ancestors``), saves the query.
    """
    if region is None:
        return []
    trail = []
    if ancestors is None:
        ancestors = region.ancestors(*TRAIL_FIELDS)
    for item in [*ancestors, region]:
        if trail and _data_name(trail[-1]) == _data_name(item):
            trail[-1] = item
        else:
            trail.append(item)
    return trail
