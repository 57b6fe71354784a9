"""Structured logs: one JSON object per line, with the id of the request.

The formatter writes a fixed set of fields and never the ``request`` object
Django attaches to its records (its repr carries the query string), and it
masks anything that looks like an e-mail address, so personal data does not
reach the logs by accident.
"""

import contextvars
import datetime
import json
import logging
import re

# The id of the request being handled, for every record logged meanwhile.
request_id_var = contextvars.ContextVar("request_id", default="")

EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# UUIDs are keys to private pages (a proposer's status page).
UUID_PATTERN = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE
)
# Fields that callers may pass with ``extra=``; anything else is dropped.
EXTRA_FIELDS = (
    "method",
    "path",
    "status",
    "duration_ms",
    "query_keys",
    "view",
    "error",
    "blocked_uri",
    "violated_directive",
    "document_path",
)


def scrub(text):
    return UUID_PATTERN.sub("<uuid>", EMAIL_PATTERN.sub("[email]", text))


class RequestIdFilter(logging.Filter):
    """Attach the current request's id to every record."""

    def filter(self, record):
        if not getattr(record, "request_id", None):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        request_id = getattr(record, "request_id", "") or request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        for field in EXTRA_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = scrub(value) if isinstance(value, str) else value
        if record.exc_info:
            entry["exception"] = scrub(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)
