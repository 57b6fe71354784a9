"""Links and metadata in every page's <head>: canonical URL, language
alternates, feeds, Open Graph, and schema.org JSON-LD for practices and events.

``{% head_meta %}`` reads the page's own context (``object`` of a detail
view, and the lists the view put beside it: a practice's ``topics``, an
event's ``organisers``) and never queries the database: related objects are
used only when the view has already loaded them, so no page's query count
changes.
"""

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from core.templatetags.exchange_tags import path_in_language
from events.models import Event
from infra.feeds import feed_links
from practices.models import GoodPractice

register = template.Library()

OG_LOCALES = {"en": "en_GB", "pl": "pl_PL", "ro": "ro_RO"}
ATTENDANCE_MODES = {
    Event.Format.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    Event.Format.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Event.Format.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}
# JSON inside <script> must not be able to close the element or open a comment.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld(data):
    """Return ``data`` as a safely escaped ``<script type="application/ld+json">``."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_JSON_SCRIPT_ESCAPES)),
    )


def loaded(obj, field):
    """Return the related object ``obj.<field>`` if the view loaded it, else None."""
    descriptor = getattr(type(obj), field)
    if getattr(obj, f"{field}_id", None) is None or not descriptor.is_cached(obj):
        return None
    return getattr(obj, field)


def canonical_url(request):
    """Return the page's address without query parameters but the page number.

    Filtered variants of a listing are the same page to a search engine; a
    second page of an unfiltered list is a page of its own.
    """
    params = request.GET
    path = request.path
    if set(params.keys()) == {"page"} and params.get("page") not in ("", "1"):
        path = f"{path}?page={params['page']}"
    return request.build_absolute_uri(path)


def place(region, city="", venue=""):
    address = {"@type": "PostalAddress"}
    if city:
        address["addressLocality"] = city
    if region is not None:
        address["addressRegion"] = region.display_name
        if region.country_code:
            address["addressCountry"] = region.country_code
    data = {"@type": "Place", "name": venue or city or (region.display_name if region else "")}
    data["address"] = address
    if region is not None and region.label_lat is not None and region.label_lon is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": region.label_lat,
            "longitude": region.label_lon,
        }
    return data


def organisation_ld(organisation, request):
    return {
        "@type": "Organization",
        "name": organisation.display_name,
        "url": request.build_absolute_uri(organisation.get_absolute_url()),
    }


def practice_ld(practice, request, url, topics=()):
    data = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "name": practice.title,
        "headline": practice.title,
        "description": practice.summary,
        "url": url,
        "inLanguage": practice.language,
        "isAccessibleForFree": True,
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": request.build_absolute_uri(reverse("exchange:home")),
        },
    }
    if practice.published_at:
        data["datePublished"] = practice.published_at.isoformat()
    if practice.updated_at:
        data["dateModified"] = practice.updated_at.isoformat()
    if practice.start_date:
        end = practice.end_date.isoformat() if practice.end_date else ".."
        data["temporalCoverage"] = f"{practice.start_date.isoformat()}/{end}"
    keywords = practice.keyword_list + [t.name for t in topics]
    if keywords:
        data["keywords"] = ", ".join(keywords)
    organisation = loaded(practice, "organisation")
    if organisation is not None:
        data["creator"] = organisation_ld(organisation, request)
    region = loaded(practice, "region")
    if region is not None or practice.city:
        data["spatialCoverage"] = place(region, practice.city)
    if practice.further_information:
        data["sameAs"] = practice.further_information
    return data


def event_ld(event, request, url, organisers=()):
    region = loaded(event, "region")
    locations = []
    if event.format != Event.Format.ONLINE:
        locations.append(place(region, event.city, event.venue))
    if event.format != Event.Format.IN_PERSON:
        # A past online event often has no link left: its page stands in.
        locations.append({"@type": "VirtualLocation", "url": event.online_link or url})
    tz = event.tzinfo
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.display_title,
        "description": event.summary,
        "url": url,
        # A date-only event has dates, not the hours of its storage.
        "startDate": (event.first_day if event.all_day else event.start.astimezone(tz)).isoformat(),
        "endDate": (event.last_day if event.all_day else event.end.astimezone(tz)).isoformat(),
        "eventAttendanceMode": ATTENDANCE_MODES.get(event.format, ATTENDANCE_MODES["in_person"]),
        "eventStatus": "https://schema.org/EventScheduled",
        "inLanguage": event.language,
        "location": locations[0] if len(locations) == 1 else locations,
    }
    if organisers:
        data["organizer"] = [organisation_ld(o, request) for o in organisers]
    project = loaded(event, "project")
    if project is not None:
        data["superEvent"] = {
            "@type": "EventSeries",
            "name": project.label,
            "url": request.build_absolute_uri(project.get_absolute_url()),
        }
    return data


def object_title(obj):
    for attribute in ("display_title", "display_name", "title"):
        value = getattr(obj, attribute, None)
        if value:
            return str(value)
    return str(obj)


def object_description(obj):
    text = getattr(obj, "summary", "") or ""
    return Truncator(" ".join(text.split())).chars(200)


@register.simple_tag(takes_context=True)
def head_meta(context):
    request = context.get("request")
    if request is None or request.resolver_match is None:
        return ""
    obj = context.get("object")
    url = canonical_url(request)
    language = translation.get_language() or settings.LANGUAGE_CODE
    alternates = [
        (code, request.build_absolute_uri(path_in_language(request, code)))
        for code, _name in settings.LANGUAGES
    ]
    default_url = dict(alternates).get(settings.LANGUAGE_CODE)
    og = {
        "type": "website",
        "title": "",
        "description": "",
        "locale": OG_LOCALES.get(language, language),
        "locale_alternates": [
            OG_LOCALES.get(c, c) for c, _n in settings.LANGUAGES if c != language
        ],
    }
    structured = ""
    if obj is not None and hasattr(obj, "get_absolute_url"):
        og["title"] = object_title(obj)
        og["description"] = object_description(obj)
        if isinstance(obj, GoodPractice):
            og["type"] = "article"
            structured = json_ld(practice_ld(obj, request, url, context.get("topics") or ()))
        elif isinstance(obj, Event):
            structured = json_ld(event_ld(obj, request, url, context.get("organisers") or ()))
    return render_to_string(
        "includes/_head_meta.html",
        {
            "canonical_url": url,
            "alternates": alternates,
            "default_url": default_url,
            "feeds": feed_links(request, obj),
            "og": og,
            "site_name": settings.SITE_NAME,
            "structured_data": structured,
        },
    )


@register.simple_tag(takes_context=True)
def feed_url(context, kind="application/atom+xml"):
    """Return the URL of the page's feed of that type (the listing's filters kept), or ""."""
    request = context.get("request")
    if request is None or request.resolver_match is None:
        return ""
    for feed_type, _title, url in feed_links(request, context.get("object")):
        if feed_type == kind:
            return url
    return ""
