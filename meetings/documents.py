"""
What a clerk may upload as a meeting document, and how it is served.

Only the kinds of document a council publishes are accepted, checked twice:
by the file's extension and by its leading bytes ("magic number"), so that a
script renamed to report.pdf is refused. Files are only ever served as
downloads (see views.document), never shown in the site's own origin.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

# The leading bytes of each family of formats.
PDF = (b"%PDF-",)
OLE2 = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # Word 97-2003, Excel, PowerPoint
ZIP = (b"PK\x03\x04",)  # Office Open XML (docx, xlsx, pptx) and ODF
PNG = (b"\x89PNG\r\n\x1a\n",)
JPEG = (b"\xff\xd8\xff",)
GIF = (b"GIF87a", b"GIF89a")

# extension -> (label the public sees, content type, accepted leading bytes)
TYPES = {
    "pdf": ("PDF", "application/pdf", PDF),
    "doc": ("Word", "application/msword", OLE2),
    "docx": ("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    "xls": ("Excel", "application/vnd.ms-excel", OLE2),
    "xlsx": ("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    "ppt": ("PowerPoint", "application/vnd.ms-powerpoint", OLE2),
    "pptx": (
        "PowerPoint",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ZIP,
    ),
    "odt": ("ODF text", "application/vnd.oasis.opendocument.text", ZIP),
    "ods": ("ODF spreadsheet", "application/vnd.oasis.opendocument.spreadsheet", ZIP),
    "odp": ("ODF presentation", "application/vnd.oasis.opendocument.presentation", ZIP),
    "png": ("PNG image", "image/png", PNG),
    "jpg": ("JPEG image", "image/jpeg", JPEG),
    "jpeg": ("JPEG image", "image/jpeg", JPEG),
    "gif": ("GIF image", "image/gif", GIF),
}

ACCEPTED = ", ".join(f".{extension}" for extension in TYPES)


def max_bytes():
    return getattr(settings, "MEETINGS_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)


def extension_of(name):
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def validate_document(file):
    """Refuse, with a message a clerk can act on, anything that is not a
    document of an accepted type and size."""
    if getattr(file, "_committed", False):
        return  # checked when it was uploaded; not re-read on every save
    name = file.name.rsplit("/", 1)[-1]
    extension = extension_of(name)
    if extension not in TYPES:
        raise ValidationError(
            f"\u201c{name}\u201d is not a document type the site publishes. "
            f"Upload a PDF, Word, Excel, PowerPoint, OpenDocument or image file ({ACCEPTED})."
        )
    if file.size > max_bytes():
        raise ValidationError(
            f"\u201c{name}\u201d is {filesizeformat(file.size)}; documents must be "
            f"{filesizeformat(max_bytes())} or smaller."
        )
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if not any(head.startswith(magic) for magic in TYPES[extension][2]):
        raise ValidationError(
            f"\u201c{name}\u201d is named as a {TYPES[extension][0]} file but its contents are not. "
            "Save it again from the program that made it and upload that copy."
        )


def safe_filename(name):
    """The name a document is stored and served under: the last part of the
    name only (no folders, so no "../" tricks), plain letters, digits, "-"
    and "_" (no spaces, quotes, control characters or lookalike Unicode that
    would need escaping in a URL or a Content-Disposition header), not
    hidden, and short: "../Report (final)\u202e.PDF" -> "Report_final.pdf"."""
    base = re.split(r"[/\\]", str(name))[-1]
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = extension, ""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", stem).strip("_-")[:80] or "document"
    extension = re.sub(r"[^a-z0-9]+", "", extension.lower())[:10]
    return f"{stem}.{extension}" if extension else stem


def size_display(size_bytes):
    """As council sites print it: "76 KB", "1.2 MB"."""
    if size_bytes is None:
        return ""
    if size_bytes < 1024 * 1024:
        return f"{max(1, round(size_bytes / 1024))} KB"
    return f"{size_bytes / (1024 * 1024):.1f} MB"
