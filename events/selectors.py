"""Reads of events: the querysets the listing, the API and the exports show."""

from events.filters import upcoming_first
from events.models import Event


def listed_events():
    """Published events as the listing and the API list them: upcoming first."""
    return upcoming_first(Event.objects.published().for_listing())
