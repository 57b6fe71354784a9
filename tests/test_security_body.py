"""Oversized bodies are refused on their Content-Length, before anything reads them."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.test import Client

from practices.models import PracticeProposal
from tests.practices.proposal_helpers import PDF_BYTES, form_data, upload

pytestmark = pytest.mark.django_db

SPOOLED = []


class RecordingUploadHandler(TemporaryFileUploadHandler):
    """Django's handler for large files, noting each file it starts writing to disk."""

    def new_file(self, *args, **kwargs):
        SPOOLED.append(args[1] if len(args) > 1 else kwargs.get("file_name"))
        return super().new_file(*args, **kwargs)


@pytest.fixture
def spooled(settings):
    settings.FILE_UPLOAD_HANDLERS = ["tests.test_security_body.RecordingUploadHandler"]
    SPOOLED.clear()
    return SPOOLED


@pytest.fixture
def browser():
    """A client that checks CSRF like a browser's server would; the cookie makes
    the check read the form's token from the body."""
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32
    return client


def big_file(megabytes):
    return upload("big.pdf", PDF_BYTES + b"0" * (megabytes * 1024 * 1024))


def test_a_body_over_the_proposal_limit_never_reaches_disk(browser, spooled, settings):
    settings.PROPOSAL_MAX_UPLOAD_BYTES = 1024 * 1024
    settings.PROPOSAL_MAX_FILES = 1
    data = form_data()
    data["attachments"] = [big_file(5)]
    response = browser.post("/practices/propose/", data)
    assert response.status_code == 413
    assert "The files are too large" in response.content.decode()
    assert spooled == []
    assert not PracticeProposal.objects.exists()


@pytest.mark.parametrize("path", ["/practices/", "/admin/login/", "/no-such-page/"])
def test_other_pages_refuse_large_bodies_before_the_csrf_check(browser, spooled, path, settings):
    settings.MAX_REQUEST_BYTES = 1024 * 1024
    response = browser.post(path, {"file": big_file(2)})
    assert response.status_code == 413
    assert "Too much data sent" in response.content.decode()
    assert spooled == []


def test_bodies_within_the_limits_go_through(browser, spooled, settings):
    settings.MAX_REQUEST_BYTES = 1024 * 1024
    # Small: the CSRF check reads it and refuses the missing token as usual.
    assert browser.post("/practices/", {"q": "x"}).status_code == 403
    # The proposal form accepts its files (the CSRF check then reads them).
    settings.PROPOSAL_MAX_UPLOAD_BYTES = 3 * 1024 * 1024
    data = form_data()
    data["attachments"] = [big_file(2)]
    assert browser.post("/practices/propose/", data).status_code == 403
    assert spooled == ["big.pdf"]


def test_signed_in_staff_may_send_admin_uploads_up_to_the_admin_limit(spooled, settings):
    settings.MAX_REQUEST_BYTES = 1024 * 1024
    settings.ADMIN_MAX_REQUEST_BYTES = 3 * 1024 * 1024
    get_user_model().objects.create_superuser("boss", "boss@private.example", "pw")
    client = Client()
    client.login(username="boss", password="pw")
    url = "/admin/events/material/add/"
    assert client.post(url, {"file": big_file(2)}).status_code == 200  # the form, with errors
    assert client.post(url, {"file": big_file(4)}).status_code == 413
    # Anonymous visitors get the ordinary limit on admin pages.
    assert Client().post("/admin/login/", {"file": big_file(2)}).status_code == 413
