"""Sample files and form data for the proposal tests."""

import io
import re
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 64
EXE_BYTES = b"MZ\x90\x00" + b"\x00" * 64


def ooxml_bytes(main_part):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/main.xml" '
            f'ContentType="application/vnd.openxmlformats-officedocument.{main_part}.main+xml"/>'
            "</Types>",
        )
        archive.writestr("main.xml", "<doc/>")
    return buffer.getvalue()


def odf_bytes(kind):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", f"application/vnd.oasis.opendocument.{kind}")
        archive.writestr("content.xml", "<doc/>")
    return buffer.getvalue()


def plain_zip_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", EXE_BYTES)
    return buffer.getvalue()


DOCX_BYTES = ooxml_bytes("wordprocessingml.document")
PPTX_BYTES = ooxml_bytes("presentationml.presentation")
ODT_BYTES = odf_bytes("text")
ODP_BYTES = odf_bytes("presentation")


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def form_data(**overrides):
    data = {
        "title": "Regional 4.0 audit for SMEs",
        "summary": "Free audits show small firms where digital tools pay off.",
        "description": "Auditors visit firms & write a plan.\nSecond line.",
        "resources_needed": "Two auditors, EUR 120 000 a year.",
        "evidence_of_success": "140 audits, 60 investments.",
        "difficulties": "Firms were wary at first.",
        "potential_for_transfer": "Any region with an innovation agency.",
        "start_date": "2018-03-01",
        "end_date": "",
        "status": "ongoing",
        "city": "Prato",
        "keywords": "audit, SMEs, Industry 4.0",
        "further_information": "https://example.org/audit",
        "language": "it",
        "organisation_name": "",
        "proposer_name": "Paola Rossi",
        "proposer_organisation": "Comune di Prato",
        "proposer_email": "paola.rossi@private.example",
        "consent_to_contact": "on",
        "homepage": "",
    }
    data.update(overrides)
    return data


def links_in(text):
    return re.findall(r"https?://[^\s\"<>]+", text)
