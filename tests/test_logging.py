"""Structured request logs: a request id, no query values, no personal data."""

import json
import logging

import pytest
from django.db import OperationalError

from infra.logs import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


def request_records(caplog):
    return [r for r in caplog.records if r.name == "exchange.request"]


def test_every_response_has_a_request_id_and_a_log_line(client, caplog):
    with caplog.at_level("INFO", logger="exchange.request"):
        response = client.get("/practices/?q=someone%40private.example&topic=x")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    (record,) = request_records(caplog)
    assert record.request_id == request_id
    assert record.method == "GET"
    assert record.path == "/practices/"
    assert record.status == 200
    assert record.duration_ms >= 0
    assert record.query_keys == ["q", "topic"]
    line = JsonFormatter().format(record)
    assert "private.example" not in line
    entry = json.loads(line)
    assert entry["request_id"] == request_id
    assert entry["status"] == 200


def test_a_sane_incoming_request_id_is_kept(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234abcd")
    assert response["X-Request-ID"] == "lb-1234abcd"


@pytest.mark.parametrize(
    "incoming", ["short", "x" * 200, "a b c d e f g h", "<script>1234</script>"]
)
def test_an_insane_incoming_request_id_is_replaced(client, incoming):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=incoming)
    assert response["X-Request-ID"] != incoming
    assert len(response["X-Request-ID"]) == 32


def test_capability_tokens_in_paths_are_masked(client, caplog):
    with caplog.at_level("INFO"):
        client.get("/practices/proposals/0b6e1c7a-3f4e-4d7c-9a51-2c1d7e9f0a11/")
    (record,) = request_records(caplog)
    assert "0b6e1c7a" not in record.path
    assert "<" in record.path
    formatter = JsonFormatter()
    assert not any("0b6e1c7a" in formatter.format(r) for r in caplog.records)


def test_no_cookies_or_passwords_in_logs(client, caplog):
    client.cookies["sessionid"] = "secret-session-value"
    with caplog.at_level("DEBUG"):
        client.post(
            "/admin/login/",
            {"username": "someone@private.example", "password": "hunter2-secret-pass"},
        )
    formatter = JsonFormatter()
    text = "\n".join(formatter.format(r) for r in caplog.records)
    assert "secret-session-value" not in text
    assert "hunter2-secret-pass" not in text
    assert "someone@private.example" not in text


def test_errors_are_logged_with_the_request_id(client, caplog, monkeypatch):
    from portal import views

    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views.HomeView, "get_context_data", broken)
    with caplog.at_level("INFO"):
        response = client.get("/")
    assert response.status_code == 503
    request_id = response["X-Request-ID"]
    error = next(r for r in caplog.records if r.name == "exchange.errors")
    assert error.levelno == logging.WARNING
    RequestIdFilter().filter(error)
    assert error.request_id == request_id
    assert json.loads(JsonFormatter().format(error))["request_id"] == request_id
    (record,) = request_records(caplog)
    assert record.status == 503


def test_the_formatter_masks_e_mails_and_drops_unknown_extras():
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "mail to %s failed", ("a.b@private.example",), None
    )
    record.request = object()  # what django.request attaches
    record.password = "never"
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "mail to [email] failed"
    assert "request" not in entry and "password" not in entry
