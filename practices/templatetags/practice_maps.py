"""Settings and interface strings of the map include, for ``static/js/map.js``."""

from django import template
from django.conf import settings
from django.templatetags.static import static
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
            # Placeholders filled by the script: {name}, {count}. Each pin's
            # name holds the number it shows (WCAG 2.5.3, label in name).
            "region": _("{name}: {count} practices"),
            "regionOne": _("{name}: {count} practice, {title}"),
            "cluster": _("{count} practices in {regions} regions around {name}"),
            "help": _(
                "Use Tab to move between the places, Enter to open one, the arrow keys to "
                "move the map and + or − to zoom."
            ),
        },
    }


@register.simple_tag
def map_places(points, limit=100):
    """Return the places of the map's text alternative, most practices first.

    Each has the ``url`` it links to, its ``name`` (with its NUTS code) and
    what follows the link: the practice's title when it is the only one, or
    how many practices there are, translated once here rather than by a
    plural block per place in the template.
    """
    places = []
    for point in sorted(points, key=lambda p: p["count"], reverse=True)[:limit]:
        name = point["name"]
        if point.get("code"):
            name = f"{name} ({point['code']})"
        if point["count"] == 1 and point.get("title"):
            tail = f": {point['title']}"
        else:
            count = point["count"]
            practices = ngettext("%(counter)s practice", "%(counter)s practices", count)
            tail = f" – {practices % {'counter': count}}"
        places.append({"url": point["url"], "name": name, "tail": tail})
    return places
