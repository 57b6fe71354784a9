"""Checks and storage for files attached to practice proposals.

A file is accepted only when its content is of an allowed kind and its
extension names that same kind: a renamed executable or a zip posing as a
document is refused. Files are stored under random names, so the name a
visitor chose never reaches the file system or a URL.
"""

import struct
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_FILES = 5

# Reading more than this from a zip's directory entries is not needed to
# recognise a document, and refusing it keeps zip bombs harmless.
_MAX_ZIP_ENTRY_BYTES = 512 * 1024
# A document's zip has tens to a few hundred entries (a 300-slide deck about
# 1,500). A bigger directory is refused from the zip's end record, before
# zipfile reads and parses all of it.
_MAX_ZIP_ENTRIES = 2000
_MAX_ZIP_DIRECTORY_BYTES = 512 * 1024
_END_RECORD = struct.Struct("<4sHHHHIIH")
_END_SIGNATURE = b"PK\x05\x06"
_ZIP64_LOCATOR_SIGNATURE = b"PK\x06\x07"


@dataclass(frozen=True)
class FileKind:
    extensions: tuple[str, ...]
    content_type: str
    label: str


PDF = FileKind((".pdf",), "application/pdf", "PDF")
PNG = FileKind((".png",), "image/png", "PNG")
JPEG = FileKind((".jpg", ".jpeg"), "image/jpeg", "JPEG")
DOCX = FileKind(
    (".docx",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "DOCX",
)
PPTX = FileKind(
    (".pptx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "PPTX",
)
ODT = FileKind((".odt",), "application/vnd.oasis.opendocument.text", "ODT")
ODP = FileKind((".odp",), "application/vnd.oasis.opendocument.presentation", "ODP")

ALLOWED_KINDS = (PDF, DOCX, PPTX, ODT, ODP, PNG, JPEG)
ALLOWED_EXTENSIONS = tuple(ext for kind in ALLOWED_KINDS for ext in kind.extensions)

# The main part an OOXML package declares in [Content_Types].xml.
_OOXML_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
}


def max_upload_bytes():
    return int(getattr(settings, "PROPOSAL_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def max_files():
    return int(getattr(settings, "PROPOSAL_MAX_FILES", DEFAULT_MAX_FILES))


def accept_attribute():
    """Return the value for the file input's ``accept`` attribute."""
    return ",".join(ALLOWED_EXTENSIONS)


def _read_zip_entry(archive, name):
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > _MAX_ZIP_ENTRY_BYTES:
        return None
    with archive.open(info) as entry:
        return entry.read(_MAX_ZIP_ENTRY_BYTES)


def _small_zip_directory(uploaded):
    """Return True when the zip's end record announces a directory a document can have.

    Reads only the end of the file. The byte size bounds what zipfile would
    parse even if the entry count lies; Zip64 is refused (no document needs it).
    """
    size = uploaded.size
    tail_length = min(size, _END_RECORD.size + 0xFFFF)  # the record and a maximal comment
    uploaded.seek(size - tail_length)
    tail = uploaded.read(tail_length)
    # The end record is the last signature whose comment reaches the end of the file.
    position = tail.rfind(_END_SIGNATURE)
    while position >= 0:
        if len(tail) - position >= _END_RECORD.size:
            fields = _END_RECORD.unpack_from(tail, position)
            if position + _END_RECORD.size + fields[7] == len(tail):
                break
        position = tail.rfind(_END_SIGNATURE, 0, position)
    else:
        return False
    if tail[max(0, position - 20) : position].startswith(_ZIP64_LOCATOR_SIGNATURE):
        return False
    entries, directory_bytes = fields[4], fields[5]
    return entries <= _MAX_ZIP_ENTRIES and directory_bytes <= _MAX_ZIP_DIRECTORY_BYTES


def _sniff_zip(uploaded):
    """Return the document kind of an OOXML or ODF package, or None."""
    try:
        if not _small_zip_directory(uploaded):
            return None
        uploaded.seek(0)
        with zipfile.ZipFile(uploaded) as archive:
            if len(archive.infolist()) > _MAX_ZIP_ENTRIES:
                return None
            mimetype = _read_zip_entry(archive, "mimetype")
            if mimetype is not None:
                declared = mimetype.decode("ascii", "replace").strip()
                for kind in (ODT, ODP):
                    if declared == kind.content_type:
                        return kind
                return None
            content_types = _read_zip_entry(archive, "[Content_Types].xml")
            if content_types is not None:
                text = content_types.decode("utf-8", "replace")
                for part, kind in _OOXML_MAIN_PARTS.items():
                    if f'ContentType="{part}"' in text:
                        return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return None
    finally:
        uploaded.seek(0)
    return None


def sniff(uploaded):
    """Return the FileKind the content of ``uploaded`` is, or None."""
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(uploaded)
    return None


def validate_upload(uploaded):
    """Return the FileKind of an acceptable upload; raise ValidationError if not."""
    limit = max_upload_bytes()
    name = uploaded.name or ""
    if uploaded.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; a file may be at most %(limit)s."),
            code="file_too_large",
            params={
                "name": name,
                "size": filesizeformat(uploaded.size),
                "limit": filesizeformat(limit),
            },
        )
    extension = PurePath(name).suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            _("“%(name)s” is not a PDF, DOCX, PPTX, ODT, ODP, PNG or JPEG file."),
            code="file_type",
            params={"name": name},
        )
    kind = sniff(uploaded)
    if kind is None or extension not in kind.extensions:
        raise ValidationError(
            _(
                "The content of “%(name)s” is not what its name says. Save it again as a "
                "PDF, DOCX, PPTX, ODT, ODP, PNG or JPEG file and choose it again."
            ),
            code="file_content",
            params={"name": name},
        )
    return kind


def random_name(kind):
    """Return a random file name with the kind's usual extension."""
    return uuid.uuid4().hex + kind.extensions[0]


def save_attachment(*, proposal, uploaded):
    """Store ``uploaded`` as an attachment of ``proposal`` under a random name."""
    from practices.models import ProposalAttachment

    kind = validate_upload(uploaded)
    attachment = ProposalAttachment(
        proposal=proposal,
        original_name=PurePath(uploaded.name).name[:255],
        content_type=kind.content_type,
        size=uploaded.size,
    )
    uploaded.seek(0)
    attachment.file.save(random_name(kind), uploaded, save=False)
    attachment.save()
    return attachment
