"""Attachment checks: content decides, the extension must agree with it."""

import pytest
from django.core.exceptions import ValidationError

from practices import uploads
from tests.practices.proposal_helpers import (
    DOCX_BYTES,
    EXE_BYTES,
    JPEG_BYTES,
    ODP_BYTES,
    ODT_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    PPTX_BYTES,
    plain_zip_bytes,
    upload,
)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("report.pdf", PDF_BYTES, "application/pdf"),
        ("REPORT.PDF", PDF_BYTES, "application/pdf"),
        ("photo.png", PNG_BYTES, "image/png"),
        ("photo.jpg", JPEG_BYTES, "image/jpeg"),
        ("photo.jpeg", JPEG_BYTES, "image/jpeg"),
        ("text.docx", DOCX_BYTES, uploads.DOCX.content_type),
        ("slides.pptx", PPTX_BYTES, uploads.PPTX.content_type),
        ("text.odt", ODT_BYTES, uploads.ODT.content_type),
        ("slides.odp", ODP_BYTES, uploads.ODP.content_type),
    ],
)
def test_allowed_kinds_are_recognised_by_content(name, content, content_type):
    assert uploads.validate_upload(upload(name, content)).content_type == content_type


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("setup.pdf", EXE_BYTES, "file_content"),
        ("archive.docx", plain_zip_bytes(), "file_content"),
        ("text.pptx", DOCX_BYTES, "file_content"),
        ("slides.odt", ODP_BYTES, "file_content"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "file_content"),
        ("photo.gif", b"GIF89a", "file_type"),
        ("noextension", PDF_BYTES, "file_type"),
    ],
)
def test_disguised_or_unknown_files_are_refused(name, content, code):
    with pytest.raises(ValidationError) as error:
        uploads.validate_upload(upload(name, content))
    assert error.value.code == code


def test_size_limit_comes_from_settings(settings):
    settings.PROPOSAL_MAX_UPLOAD_BYTES = len(PDF_BYTES) - 1
    with pytest.raises(ValidationError) as error:
        uploads.validate_upload(upload("report.pdf", PDF_BYTES))
    assert error.value.code == "file_too_large"


def test_random_names_keep_nothing_of_the_original():
    first, second = uploads.random_name(uploads.PDF), uploads.random_name(uploads.PDF)
    assert first != second
    assert first.endswith(".pdf") and len(first) == 36
