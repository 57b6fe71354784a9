"""Settings and interface strings of the map include, for ``static/js/map.js``."""

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.translation import gettext as _

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
