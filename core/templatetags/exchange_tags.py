import datetime

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import translation
from django.utils.encoding import iri_to_uri
from django.utils.html import format_html

from core.models import CONTENT_LANGUAGES

register = template.Library()


def path_in_language(request, language_code):
    """Return ``request.path`` in another language, worked out once a request.

    The language switcher and the head's alternate links both need it for
    every language; each translate_url() resolves and reverses the path.
    """
    memo = request.__dict__.setdefault("_paths_in_languages", {})
    if language_code not in memo:
        memo[language_code] = _reversed_in(request, language_code)
    return memo[language_code]


def _reversed_in(request, language_code):
    """translate_url() on the URL the request already resolved, without resolving it again."""
    match = request.resolver_match
    if match is None:
        return translate_url(request.path, language_code)
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    with translation.override(language_code):
        try:
            return reverse(name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return request.path


@register.simple_tag(takes_context=True)
def url_in_language(context, language_code):
    """Return the current page, with its query string, in another language."""
    request = context["request"]
    path = path_in_language(request, language_code)
    query = request.META.get("QUERY_STRING", "")
    return f"{path}?{iri_to_uri(query)}" if query else path


@register.simple_tag(takes_context=True)
def query_replace(context, **changes):
    """Return the current query string with some parameters replaced or removed.

    A value of None removes the parameter; pagination links and filter chips
    use this so every other filter is kept.
    """
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def option_texts(options):
    """Return a filter menu's options as ``value``, ``selected`` and the ``text`` shown.

    Each option is a dict with value, label, count, selected and optionally
    code and indent: "  Mazowieckie – PL91 (12)". The text is put together
    here, once a menu, because the listing's menus hold hundreds of options
    and each template lookup or filter per option adds up. Counts are
    printed without grouping, as the template printed them.
    """
    rows = []
    for option in options:
        label = str(option["label"])
        text = f"{option.get('indent', '')}{label}"
        code = option.get("code")
        if code and code != label:
            text = f"{text} – {code}"
        if option.get("count") is not None:  # menus without counts: the insights page
            text = f"{text} ({int(option['count'])})"
        rows.append({"value": option["value"], "selected": option.get("selected"), "text": text})
    return rows


@register.simple_tag(takes_context=True)
def query_without(context, key, value=None):
    """Return the query string without ``key`` (or without one of its values)."""
    params = context["request"].GET.copy()
    if value is None:
        params.pop(key, None)
    else:
        params.setlist(key, [v for v in params.getlist(key) if v != str(value)])
    params.pop("page", None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def _content_language(obj):
    """Return the language code ``obj`` is written in, or "" when it has none."""
    if isinstance(obj, str):
        return obj
    if isinstance(obj, dict):  # a row read as plain values
        return obj.get("language") or ""
    return getattr(obj, "language", "") or ""


@register.simple_tag
def lang_attr(obj):
    """Render ` lang="xx"` when ``obj``'s text is not in the interface language.

    ``obj`` is a practice, project or event (anything with a ``language``
    field) or a language code. Put it inside the opening tag of the element
    holding the foreign-language text: ``<h1{% lang_attr practice %}>``.
    """
    code = _content_language(obj)
    if not code or code == translation.get_language():
        return ""
    return format_html(' lang="{}"', code)


@register.simple_tag
def in_language_of(obj, text):
    """Return ``text`` in a ``<span>`` marked with ``obj``'s language (see lang_attr).

    For content inside an interface sentence, e.g. a talk's title in
    "For: …": ``{% in_language_of event title as title %}``.
    """
    return format_html("<span{}>{}</span>", lang_attr(obj), text)


@register.simple_tag
def content_language_name(obj):
    """Return the translated name of ``obj``'s content language ("Polish")."""
    code = _content_language(obj)
    return str(dict(CONTENT_LANGUAGES).get(code, code))


@register.filter
def differs_from_interface(obj):
    """Tell whether ``obj``'s text is written in another language than the page."""
    code = _content_language(obj)
    return bool(code) and code != translation.get_language()


# Update both dates whenever the site is assessed again (the EU model
# statement must say when it was prepared and last reviewed).
ACCESSIBILITY_STATEMENT_PREPARED = datetime.date(2026, 11, 23)
ACCESSIBILITY_STATEMENT_REVIEWED = datetime.date(2026, 11, 23)


@register.simple_tag
def accessibility_statement():
    """Return what the accessibility statement needs from the configuration."""
    return {
        "site_name": settings.SITE_NAME,
        "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
        "prepared": ACCESSIBILITY_STATEMENT_PREPARED,
        "reviewed": ACCESSIBILITY_STATEMENT_REVIEWED,
    }
