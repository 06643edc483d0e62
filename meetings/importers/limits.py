"""
What any importer may spend on one file: how much a Word package unpacks
to, how big an XML or HTML source is, how long the text read from it is, how
many pages of a PDF, and how long reading takes. Each limit refused raises
ImportLimit with a message a clerk can act on; the import page and the
commands show it, and nothing is saved.

The sizes are checked before anything is unpacked or parsed (a zip's
declared sizes, which Python's zipfile then holds each part to), so memory
stays bounded by the limits, not by the file. Time is checked as the parsers
go (`check_time()` in their loops), from the `deadline()` a caller opens.
"""

import contextlib
import contextvars
import re
import time
import zipfile

from django.conf import settings
from django.template.defaultfilters import filesizeformat


class ImportLimit(ValueError):
    """The file is beyond what an import may read; the message says why."""


_deadline = contextvars.ContextVar("import_deadline", default=None)

# A document type declaration may define entities that expand without end
# ("billion laughs"); minutes never need one.
ENTITY_DECLARATION = re.compile(rb"<!(?:DOCTYPE[^>]*\[|ENTITY)", re.IGNORECASE)


def max_seconds():
    return settings.MEETINGS_IMPORT_MAX_SECONDS


@contextlib.contextmanager
def deadline(seconds=None):
    """Reading inside this block stops with ImportLimit after `seconds`
    (MEETINGS_IMPORT_MAX_SECONDS by default). An inner block keeps the
    outer, earlier deadline."""
    seconds = max_seconds() if seconds is None else seconds
    outer = _deadline.get()
    ends = time.monotonic() + seconds
    token = _deadline.set(min(ends, outer) if outer else ends)
    try:
        yield
    finally:
        _deadline.reset(token)


def check_time():
    ends = _deadline.get()
    if ends is not None and time.monotonic() > ends:
        raise ImportLimit(
            f"Reading the minutes took longer than {max_seconds()} seconds, so it was stopped. "
            "Split the file into one meeting a file, or paste the text of one meeting."
        )


def check_text(text):
    """The text an importer is about to parse."""
    limit = settings.MEETINGS_IMPORT_MAX_CHARACTERS
    if len(text) > limit:
        raise ImportLimit(
            f"The minutes are {len(text):,} characters long; an import reads at most {limit:,} "
            "(about 400 pages). Import one meeting at a time."
        )
    return text


def check_markup(data, kind):
    """XML or HTML bytes (or text) before they are parsed: their size, and no
    entity declarations."""
    limit = settings.MEETINGS_IMPORT_MAX_XML_BYTES
    if len(data) > limit:
        raise ImportLimit(f"The {kind} is larger than {filesizeformat(limit)}; an import reads at most that.")
    sample = data if isinstance(data, bytes) else data.encode("utf-8", "replace")
    if ENTITY_DECLARATION.search(sample):
        raise ImportLimit(
            f"The {kind} defines its own entities (a document type declaration), which an import "
            "does not read. Save it again from its source, or paste its text."
        )
    return data


def open_package(source, kind="Word file"):
    """The zip package of a Word file, once its declared sizes are within
    the limits: the whole, and each XML part a parser will read."""
    try:
        archive = zipfile.ZipFile(source)
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise ValueError(f"This {kind} could not be read (it is not a zip package).") from error
    total = sum(part.file_size for part in parts)
    limit = settings.MEETINGS_IMPORT_MAX_UNPACKED_BYTES
    if total > limit or len(parts) > settings.MEETINGS_DOCUMENT_MAX_PARTS:
        raise ImportLimit(
            f"This {kind} unpacks to {filesizeformat(total)} in {len(parts):,} parts; an import reads "
            f"at most {filesizeformat(limit)}. Save the minutes without pictures or embedded files, "
            "or paste their text."
        )
    xml_limit = settings.MEETINGS_IMPORT_MAX_XML_BYTES
    for part in parts:
        if part.filename.lower().endswith((".xml", ".rels")) and part.file_size > xml_limit:
            raise ImportLimit(
                f"The text of this {kind} ({part.filename}) unpacks to {filesizeformat(part.file_size)}; "
                f"an import reads at most {filesizeformat(xml_limit)}. Paste the text of one meeting instead."
            )
    for part in parts:
        if part.filename.lower().endswith(".xml"):
            with archive.open(part) as stream:
                check_markup(stream.read(4096), kind)
    return archive
