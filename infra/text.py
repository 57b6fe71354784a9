"""Plain-text helpers shared by mail, feeds and anything else that writes one line."""

import re

# Line breaks and other control characters (bidirectional overrides too) let
# typed text lay out lines of its own ("Bcc: ..." in a mail) and are not
# allowed in XML 1.0 (feed titles).
_CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+")


def one_line(text):
    """Return ``text`` with each run of control characters collapsed to a space."""
    return _CONTROL_CHARACTERS.sub(" ", text).strip()
