"""Hardened request path: headers, bounded input, error pages, login throttling."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from infra.security import AxesBackend

pytestmark = pytest.mark.django_db


def test_security_headers_on_a_page(client):
    response = client.get("/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "report-uri /csp-report/",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_map_tile_origin_is_allowed_only_when_configured(client, settings):
    policy = settings.CONTENT_SECURITY_POLICY
    assert policy["DIRECTIVES"]["img-src"] == ["'self'", "data:"]


def test_csp_report_is_logged_without_query_strings(client, caplog):
    report = {
        "csp-report": {
            "document-uri": "https://portal.example/practices/?q=someone@private.example",
            "violated-directive": "script-src-elem",
            "blocked-uri": "inline",
        }
    }
    with caplog.at_level("WARNING", logger="exchange.csp"):
        response = client.post(
            reverse("csp-report"), json.dumps(report), content_type="application/csp-report"
        )
    assert response.status_code == 204
    record = next(r for r in caplog.records if r.name == "exchange.csp")
    assert record.violated_directive == "script-src-elem"
    assert record.document_path == "https://portal.example/practices/"
    assert "private.example" not in caplog.text


def test_one_csp_report_post_writes_one_log_line(client, caplog):
    report = {"csp-report": {"violated-directive": "img-src", "blocked-uri": "data"}}
    with caplog.at_level("WARNING", logger="exchange.csp"):
        response = client.post(
            reverse("csp-report"), json.dumps([report] * 40), content_type="application/json"
        )
    assert response.status_code == 204
    records = [r for r in caplog.records if r.name == "exchange.csp"]
    assert len(records) == 1
    assert records[0].reports == 10


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"csp-report": "x"}'])
def test_csp_report_tolerates_garbage(client, body):
    response = client.post(reverse("csp-report"), body, content_type="application/json")
    assert response.status_code in (204, 400)


def test_csp_report_refuses_large_bodies(client):
    response = client.post(reverse("csp-report"), b"x" * 20000, content_type="application/json")
    assert response.status_code == 413


def test_csp_report_accepts_only_post(client):
    assert client.get(reverse("csp-report")).status_code == 405


@pytest.mark.parametrize(
    "query",
    [
        "q=" + "a" * 501,
        "q=" + "a" * 300 + "&" + "&".join(f"topic={i}" for i in range(400)),
        "&".join(f"k{i}=1" for i in range(61)),
        "k" * 501 + "=1",
    ],
)
def test_oversized_query_strings_get_the_400_page(client, query):
    response = client.get("/practices/?" + query)
    assert response.status_code == 400
    assert b"could not be understood" in response.content
    assert "Content-Security-Policy" in response


def test_query_strings_within_bounds_pass(client):
    response = client.get("/practices/?q=" + "a" * 200)
    assert response.status_code == 200


def test_404_page_is_translated_and_uses_the_layout(client):
    response = client.get("/pl/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert 'lang="pl"' in body
    assert "<h1>" in body
    assert 'class="site-header"' in body


def test_database_errors_answer_503_not_500(client, monkeypatch):
    from portal import views

    def broken(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed")

    monkeypatch.setattr(views.HomeView, "get_context_data", broken)
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.content.decode()
    assert "Temporarily unavailable" in body
    assert "Traceback" not in body and "127.0.0.1" not in body


def test_handler500_turns_database_errors_into_503(rf):
    from infra.security import server_error

    try:
        raise OperationalError("gone")
    except OperationalError:
        response = server_error(rf.get("/"))
    assert response.status_code == 503
    try:
        raise ValueError("bug")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"went wrong" in response.content


def test_other_errors_render_the_static_500_page(monkeypatch):
    from portal import views

    def broken(*args, **kwargs):
        raise RuntimeError("a bug with a secret in it")

    monkeypatch.setattr(views.HomeView, "get_context_data", broken)
    client = Client(raise_request_exception=False)
    response = client.get("/")
    assert response.status_code == 500
    assert b"secret" not in response.content
    assert b"went wrong" in response.content


# -- admin login throttling -------------------------------------------------


@pytest.fixture
def staff_user(db):
    return get_user_model().objects.create_user(
        "editor", "editor@private.example", "a-long-enough-password", is_staff=True
    )


def login_url():
    return reverse("admin:login")


def test_admin_login_locks_out_after_five_failures(client, staff_user, settings):
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(login_url(), {"username": "editor", "password": "wrong"})
        assert response.status_code == 200
    response = client.post(login_url(), {"username": "editor", "password": "wrong"})
    assert response.status_code == 429
    body = response.content.decode()
    assert "Sign-in temporarily locked" in body
    assert "30 minutes" in body
    # Even the right password is refused while locked.
    response = client.post(
        login_url(), {"username": "editor", "password": "a-long-enough-password"}
    )
    assert response.status_code == 429


def test_lockout_is_per_account_and_address(client, staff_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login_url(), {"username": "editor", "password": "wrong"})
    other = Client(REMOTE_ADDR="10.0.0.9")
    response = other.post(login_url(), {"username": "editor", "password": "a-long-enough-password"})
    assert response.status_code == 302


def test_successful_login_works_after_a_few_failures(client, staff_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(login_url(), {"username": "editor", "password": "wrong"})
    response = client.post(
        login_url(), {"username": "editor", "password": "a-long-enough-password"}
    )
    assert response.status_code == 302


def test_one_address_cannot_try_a_password_against_many_accounts(client, staff_user, settings):
    names = [f"user{n}" for n in range(settings.AXES_FAILURE_LIMIT)]
    for name in names[:-1]:
        response = client.post(login_url(), {"username": name, "password": "Summer2024!"})
        assert response.status_code == 200
    response = client.post(login_url(), {"username": names[-1], "password": "Summer2024!"})
    assert response.status_code == 429
    # The address is locked for every account, the right password included.
    response = client.post(
        login_url(), {"username": "editor", "password": "a-long-enough-password"}
    )
    assert response.status_code == 429


def test_a_successful_login_does_not_wipe_the_address_failures(client, staff_user, settings):
    # An attacker with an account of their own cannot reset the count by
    # signing in between guesses at other accounts.
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(login_url(), {"username": f"user{n}", "password": "Summer2024!"})
    response = client.post(
        login_url(), {"username": "editor", "password": "a-long-enough-password"}
    )
    assert response.status_code == 302
    client.logout()
    response = client.post(login_url(), {"username": "user9", "password": "Summer2024!"})
    assert response.status_code == 429


def test_request_less_authentication_is_left_alone(staff_user):
    assert AxesBackend().authenticate(None, username="editor", password="x") is None
    client = Client()
    assert client.login(username="editor", password="a-long-enough-password")


def test_staff_passwords_need_twelve_characters():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("short-pw1")
    validate_password("correct-horse-battery")


def test_sessions_expire(settings):
    assert 0 < settings.SESSION_COOKIE_AGE <= 24 * 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY


def test_admin_url_is_configurable(settings):
    assert reverse("admin:index") == "/" + settings.ADMIN_URL


def test_material_files_are_served_as_attachments(client):
    from django.core.files.base import ContentFile

    from tests.factories import MaterialFactory

    material = MaterialFactory()
    material.file.save("slides.html", ContentFile(b"<script>alert(1)</script>"), save=False)
    material.url = ""
    material.save()
    response = client.get(
        reverse("events:material-download", kwargs={"slug": material.event.slug, "pk": material.pk})
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_spoofed_forwarded_for_does_not_escape_the_lockout(client, staff_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login_url(), {"username": "editor", "password": "wrong"})
    response = client.post(
        login_url(),
        {"username": "editor", "password": "a-long-enough-password"},
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert response.status_code == 429
