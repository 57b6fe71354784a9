"""Attachment checks: content decides, the extension must agree with it."""

import io
import zipfile

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


def docx_with_extra_entries(count, comment=b""):
    """A real DOCX with ``count`` empty entries more (a 'zip directory bomb')."""
    buffer = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(DOCX_BYTES))
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            archive.writestr(info, source.read(info))
        for number in range(count):
            archive.writestr(f"x/{number}", b"")
        archive.comment = comment
    return buffer.getvalue()


@pytest.fixture
def zip_directories_parsed(monkeypatch):
    """Count the zip directories zipfile parses."""
    parsed = []
    original = zipfile.ZipFile._RealGetContents

    def spy(self):
        parsed.append(self)
        return original(self)

    monkeypatch.setattr(zipfile.ZipFile, "_RealGetContents", spy)
    return parsed


def test_a_zip_with_a_huge_directory_is_refused_without_parsing_it(zip_directories_parsed):
    content = docx_with_extra_entries(20_000)
    zip_directories_parsed.clear()
    with pytest.raises(ValidationError) as error:
        uploads.validate_upload(upload("text.docx", content))
    assert error.value.code == "file_content"
    assert zip_directories_parsed == []


def test_a_zip_whose_end_record_understates_its_entries_is_refused(zip_directories_parsed):
    content = bytearray(docx_with_extra_entries(20_000))
    end = content.rfind(b"PK\x05\x06")
    # Claim 5 entries; the directory's size still gives it away.
    content[end + 8 : end + 12] = (5).to_bytes(2, "little") * 2
    zip_directories_parsed.clear()
    with pytest.raises(ValidationError):
        uploads.validate_upload(upload("text.docx", bytes(content)))
    assert zip_directories_parsed == []


def test_documents_with_a_comment_or_many_parts_are_still_recognised(zip_directories_parsed):
    content = docx_with_extra_entries(1500, comment=b"Saved by a word processor")
    zip_directories_parsed.clear()
    assert uploads.validate_upload(upload("text.docx", content)) is uploads.DOCX
    assert len(zip_directories_parsed) == 1
