"""What the Atom and iCalendar feeds share: their language, filter summary and links."""

from contextlib import contextmanager
from io import StringIO

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed

from infra.listing import export_format
from infra.text import one_line

FEED_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def feed_language(request):
    """Return the language a feed is written in: ``?lang=``, else the site's default.

    Feeds live outside the language-prefixed URLs (feed readers send no
    cookie and rarely a useful Accept-Language), so the language is part of
    the feed's address: the same URL always gives the same feed.
    """
    lang = request.GET.get("lang", "")
    return lang if lang in FEED_LANGUAGES else settings.LANGUAGE_CODE


@contextmanager
def in_feed_language(request):
    with translation.override(feed_language(request)):
        yield


class BufferedAtom1Feed(Atom1Feed):
    """An Atom feed written into a string first, then to the response at once.

    The XML writer writes every tag and text apart: a few thousand writes per
    feed, each through a text wrapper into the response's list of chunks.
    """

    def write(self, outfile, encoding):
        buffer = StringIO()
        super().write(buffer, encoding)
        # As the writer's own text wrapper encodes what the encoding lacks.
        outfile.write(buffer.getvalue().encode(encoding, "xmlcharrefreplace"))


def describe_filters(filterset, *, skip=("sort",)):
    """Return the valid, non-empty filter values of ``filterset`` as readable text."""
    if not filterset.is_bound or not filterset.form.is_valid():
        cleaned = getattr(filterset.form, "cleaned_data", {}) or {}
    else:
        cleaned = filterset.form.cleaned_data
    parts = []
    for name, field in filterset.form.fields.items():
        if name in skip:
            continue
        value = cleaned.get(name)
        if value in (None, "", [], ()):
            continue
        if isinstance(value, list | tuple | QuerySet):
            text = ", ".join(str(v) for v in value)
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            text = str(dict(field.choices).get(value, value))
        else:
            text = str(value)
        # Typed values may hold control characters, which XML 1.0 refuses.
        parts.append(one_line(text))
    return " · ".join(parts)


def feed_links(request, obj=None):
    """Return the feeds that match the page, as (type, title, URL).

    A listing's feed follows its filters; a region's or project's page offers
    the practices and events of that region or project.
    """
    match = request.resolver_match
    name = match.view_name if match else ""
    # Take out the download format only: on the event listing, "format" is
    # also a filter (online, hybrid...).
    _fmt, params = export_format(request.GET)
    for key in ("page", "sort"):
        params.pop(key, None)
    if name == "exchange:region-detail" and obj is not None:
        params = QueryDict(mutable=True)
        params["region"] = obj.slug
    elif name == "exchange:project-detail" and obj is not None:
        params = QueryDict(mutable=True)
        params["project"] = obj.slug
    elif name not in ("practices:practice-list", "events:event-list"):
        return []
    language = translation.get_language()
    if language != settings.LANGUAGE_CODE:
        params["lang"] = language
    links = []
    if name != "events:event-list":
        practice_params = params.copy()
        practice_params.pop("format", None)
        links.append(
            (
                "application/atom+xml",
                translation.gettext("New practices (Atom feed)"),
                request.build_absolute_uri(
                    f"{reverse('practice-feed')}?{practice_params.urlencode()}".rstrip("?")
                ),
            )
        )
    if name != "practices:practice-list":
        links.append(
            (
                "text/calendar",
                translation.gettext("Events (iCalendar)"),
                request.build_absolute_uri(
                    f"{reverse('event-calendar')}?{params.urlencode()}".rstrip("?")
                ),
            )
        )
    return links
