"""What the Atom and iCalendar feeds share: their language and filter summary."""

from contextlib import contextmanager

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation

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
        parts.append(text)
    return " · ".join(parts)
