"""
What a clerk may upload as a meeting document, and how it is served.

Only the kinds of document a council publishes are accepted, checked three
times: by the file's extension, by its leading bytes ("magic number"), and by
opening it as what it claims to be (`check_contents`): a PDF must open in
pypdf; an Office Open XML or OpenDocument file must be a zip package whose
manifest names the main part of its type, and must not unpack to more than
MEETINGS_DOCUMENT_MAX_UNPACKED_BYTES or hold more than
MEETINGS_DOCUMENT_MAX_PARTS parts (a "zip bomb" is refused before anything
unpacks it to extract its text); an old Office file must be a compound file
with its type's main stream (olefile). So a web page that starts with
"%PDF-" or a zip renamed report.docx is refused. The checks read only the
uploaded file object, never the storage it will be saved to. Files are only
ever served as downloads (see views.document), never shown in the site's
own origin.
"""

import re
import zipfile

import olefile
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from lxml import etree
from pypdf import PdfReader

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


# The main part of each Office Open XML type, by the content type its
# package manifest ([Content_Types].xml) gives it. Macro-enabled variants
# are deliberately absent: a .docx holding macros is not what it says.
OOXML_MAIN_PART = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
CONTENT_TYPES_PART = "[Content_Types].xml"
CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
# The stream every old (OLE2) Office file of each type holds.
OLE2_MAIN_STREAM = {"doc": ("WordDocument",), "xls": ("Workbook", "Book"), "ppt": ("PowerPoint Document",)}
# The manifest is a few kilobytes; a bigger one is not a real document.
MAX_MANIFEST_BYTES = 1024 * 1024


def a_or_an(label):
    return f"an {label}" if label[0] in "AEIOU" else f"a {label}"


def max_bytes():
    return getattr(settings, "MEETINGS_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)


class NotWhatItSays(Exception):
    """The file does not open as the type its name gives."""


class TooBigUnpacked(Exception):
    """The package would unpack to more than the site accepts."""


def check_pdf(file, extension):
    try:
        reader = PdfReader(file)
        if reader.is_encrypted and not reader.decrypt(""):
            raise NotWhatItSays("it is protected with a password")
        if len(reader.pages) < 1:
            raise NotWhatItSays("it has no pages")
    except NotWhatItSays:
        raise
    except Exception as error:  # any parser failure: not a readable PDF
        raise NotWhatItSays from error


def open_package(file):
    """The zip package, after checking its declared sizes, which Python's
    zipfile holds each part to when it unpacks it."""
    try:
        archive = zipfile.ZipFile(file)
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise NotWhatItSays from error
    if len(parts) > settings.MEETINGS_DOCUMENT_MAX_PARTS or (
        sum(part.file_size for part in parts) > settings.MEETINGS_DOCUMENT_MAX_UNPACKED_BYTES
    ):
        raise TooBigUnpacked
    return archive


def read_part(archive, name):
    try:
        info = archive.getinfo(name)
        if info.file_size > MAX_MANIFEST_BYTES:
            raise NotWhatItSays
        return archive.read(info)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
        raise NotWhatItSays from error


def check_ooxml(file, extension):
    archive = open_package(file)
    # No entities, no network, no huge trees: the manifest is data, not a program.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        manifest = etree.fromstring(read_part(archive, CONTENT_TYPES_PART), parser)
    except etree.XMLSyntaxError as error:
        raise NotWhatItSays from error
    names = set(archive.namelist())
    main_parts = [
        override.get("PartName", "").lstrip("/")
        for override in manifest.iter(f"{CONTENT_TYPES_NS}Override")
        if override.get("ContentType") == OOXML_MAIN_PART[extension]
    ]
    if not any(part in names for part in main_parts):
        raise NotWhatItSays


def check_odf(file, extension):
    archive = open_package(file)
    if read_part(archive, "mimetype").strip() != TYPES[extension][1].encode() or (
        "content.xml" not in archive.namelist()
    ):
        raise NotWhatItSays


def check_ole2(file, extension):
    try:
        with olefile.OleFileIO(file) as compound:
            if not any(compound.exists(stream) for stream in OLE2_MAIN_STREAM[extension]):
                raise NotWhatItSays
    except NotWhatItSays:
        raise
    except Exception as error:  # any parser failure: not a readable Office file
        raise NotWhatItSays from error


CONTENT_CHECKS = {
    "pdf": check_pdf,
    **dict.fromkeys(OOXML_MAIN_PART, check_ooxml),
    **dict.fromkeys(("odt", "ods", "odp"), check_odf),
    **dict.fromkeys(OLE2_MAIN_STREAM, check_ole2),
}


def check_contents(file, name, extension):
    """Open the upload as the type its name gives; a ValidationError a clerk
    can act on if it does not open, or would unpack too big."""
    check = CONTENT_CHECKS.get(extension)
    if check is None:
        return  # images: the leading bytes above, and they are only ever downloaded
    label = TYPES[extension][0]
    file.seek(0)
    try:
        check(file, extension)
    except TooBigUnpacked:
        raise ValidationError(
            f"\u201c{name}\u201d unpacks to more than "
            f"{filesizeformat(settings.MEETINGS_DOCUMENT_MAX_UNPACKED_BYTES)} or "
            f"{settings.MEETINGS_DOCUMENT_MAX_PARTS:,} parts, more than any real {label} document. "
            "Save it again from the program that made it and upload that copy."
        ) from None
    except NotWhatItSays as error:
        reason = f" ({error})" if str(error) else ""
        raise ValidationError(
            f"\u201c{name}\u201d is named as {a_or_an(label)} file but it does not open as one{reason}. "
            "Save it again from the program that made it and upload that copy."
        ) from None
    finally:
        file.seek(0)


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
            f"\u201c{name}\u201d is named as {a_or_an(TYPES[extension][0])} file but its contents are not. "
            "Save it again from the program that made it and upload that copy."
        )
    check_contents(file, name, extension)


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
