"""Addresses of pages named by a slug, for lists of rows, and of the site's own pages.

``reverse()`` resolves the URL pattern on every call, which costs more than
rendering a table row; a list reverses once with a marker for the slug and
puts each row's slug in its place. The pages every page links to
(``site_links``) are reversed once per language.
"""

import functools
import re
from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# Stands for the slug while an address is reversed; fits every slug pattern.
SLUG_MARKER = "slug-marker-5f0c"
# What reverse() leaves unquoted in a path: RFC 3986 sub-delimiters and "/~:@".
PATH_SAFE = "!$&'()*+,;=/~:@"
# A slug that quoting leaves as it is (every slug a SlugField accepts).
PLAIN_SLUG = re.compile(r"[-\w]+", re.ASCII)


def quote_slug(slug):
    """Quote ``slug`` for a path as ``reverse()`` would."""
    return slug if PLAIN_SLUG.fullmatch(slug) else quote(slug, safe=PATH_SAFE)


def url_for_slug(view, *, request=None):
    """Return ``slug -> address`` of the page ``view`` shows, reversing it once.

    ``view`` is a view name taking a ``slug`` or a function ``slug -> path``
    (e.g. another ``reverse``). With ``request`` the addresses are absolute.
    """

    def path_for(slug):
        path = view(slug) if callable(view) else reverse(view, kwargs={"slug": slug})
        if request is not None and not path.startswith(("http:", "https:")):
            path = request.build_absolute_uri(path)
        return path

    prefix, marker, suffix = path_for(SLUG_MARKER).partition(SLUG_MARKER)
    if not marker or SLUG_MARKER in suffix:  # the slug does not stand in the path as it is
        return path_for
    plain = PLAIN_SLUG.fullmatch
    # quote_slug, inlined: lists call this for every row.
    return lambda slug: f"{prefix}{slug if plain(slug) else quote(slug, safe=PATH_SAFE)}{suffix}"


def with_links(objects, view):
    """Give each object its ``url`` (the page ``view`` shows for its slug); return them."""
    url = url_for_slug(view)
    for obj in objects:
        obj.url = url(obj.slug)
    return objects


# The pages base.html links to from every page's header and footer.
SITE_PAGES = {
    "home": "exchange:home",
    "practices": "practices:practice-list",
    "regions": "exchange:region-list",
    "projects": "exchange:project-list",
    "events": "events:event-list",
    "propose": "practices:proposal-create",
    "search": "exchange:search",
    "accessibility": "exchange:accessibility",
    "organisations": "exchange:organisation-list",
    "documents": "documents:document-list",
    "insights": "exchange:insights",
}


def site_links(request):
    """Context processor: ``site_links``, the addresses of ``SITE_PAGES`` by their key."""
    return {"site_links": site_addresses()}


def site_addresses():
    """Return the addresses of ``SITE_PAGES`` by their key, in the active language.

    Every page shows them; reversed once per language, script prefix and
    URL configuration.
    """
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _site_links(get_language(), get_script_prefix(), urlconf)


@functools.lru_cache(maxsize=32)
def _site_links(language, script_prefix, urlconf):
    return {key: reverse(view, urlconf=urlconf) for key, view in SITE_PAGES.items()}
