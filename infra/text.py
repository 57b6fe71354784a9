"""Plain-text helpers shared by mail, feeds, cards and anything else that writes one line."""

import re

from django.utils import dateformat, formats, translation

# Line breaks and other control characters (bidirectional overrides too) let
# typed text lay out lines of its own ("Bcc: ..." in a mail) and are not
# allowed in XML 1.0 (feed titles).
_CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+")


def one_line(text):
    """Return ``text`` with each run of control characters collapsed to a space."""
    return _CONTROL_CHARACTERS.sub(" ", text).strip()


def date_text(day):
    """Return ``day`` (a date) as ``|date:"DATE_FORMAT"`` writes it in the active language.

    ``None`` is "". Each day is formatted once per language and process: a
    list's cards share few dates, and one formatting costs more than the
    rest of a project card (bench/README.md, "Project texts in one place").
    """
    if day is None:
        return ""
    key = (translation.get_language(), day)
    text = _DATE_TEXTS.get(key)
    if text is None:
        if len(_DATE_TEXTS) >= DATE_TEXTS_KEPT:
            _DATE_TEXTS.clear()
        text = _DATE_TEXTS[key] = dateformat.format(day, formats.get_format("DATE_FORMAT"))
    return text


# Dates run over a few decades: some 10,000 days, in three languages. A plain
# dict of untracked keys and strings: nothing for the garbage collector to
# walk, as it would an lru_cache's links.
DATE_TEXTS_KEPT = 30_000
_DATE_TEXTS = {}
