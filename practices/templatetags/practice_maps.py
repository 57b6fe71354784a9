"""Settings and interface strings of the map include, for ``static/js/map.js``."""

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.simple_tag
def map_config():
    """Return the map's tile layer (optional) and the strings its script shows."""
    return {
        "tileUrl": getattr(settings, "MAP_TILE_URL", ""),
        "tileAttribution": getattr(settings, "MAP_TILE_ATTRIBUTION", ""),
        "outlineUrl": static("js/map-europe.json"),
        "labels": {
            "zoomIn": _("Zoom in"),
            "zoomOut": _("Zoom out"),
            "reset": _("Show everything"),
            # Placeholders filled by the script: {name}, {count}.
            "region": _("{name}: {count} practices"),
            "regionOne": _("{name}: {title}"),
            "cluster": _("{count} practices in {regions} regions around {name}"),
            "help": _(
                "Use Tab to move between the places, Enter to open one, the arrow keys to "
                "move the map and + or − to zoom."
            ),
        },
    }


@register.simple_tag
def map_place_items(points, limit=100):
    """Render the ``<li>`` items of the map's text alternative, most practices first.

    Built here rather than in a template loop, which cost ~10 ms for the
    listing's hundred places at 100,000 practices.
    """
    items = []
    for point in sorted(points, key=lambda p: p["count"], reverse=True)[:limit]:
        name = escape(point["name"])
        if point.get("code"):
            name = f"{name} ({escape(point['code'])})"
        if point["count"] == 1 and point.get("title"):
            tail = f": {escape(point['title'])}"
        else:
            count = point["count"]
            practices = ngettext("%(counter)s practice", "%(counter)s practices", count)
            tail = f" – {escape(practices % {'counter': count})}"
        items.append(f'<li><a href="{escape(point["url"])}">{name}</a>{tail}</li>')
    # Every name, code, title and address is escaped above.
    return mark_safe("\n".join(items))
