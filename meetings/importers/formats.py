"""
Which reader a file of minutes needs, by its name: the one place the import
page and `import_minutes` choose it.

Each reader gives the text a clerk can correct (for the import page's text
box) and the ParsedMeeting read from the file itself, which for Word, a
saved ModernGov page and a PDF knows more than the text does (paragraphs,
list numbers, document links).
"""

import dataclasses
import os

from django.conf import settings

from . import limits
from .docx import read_docx
from .moderngov_html import page_text, parse_moderngov_page
from .pdf import pdf_text
from .text import parse_text

EXTENSIONS = (".docx", ".txt", ".pdf", ".html", ".htm")
ACCEPTED = "a Word document (.docx), a PDF, a ModernGov page saved as HTML (.html) or a text file (.txt)"


class NotMinutes(ValueError):
    """The file is not of a kind the importers read, or does not open."""


@dataclasses.dataclass
class Read:
    text: str
    parsed: object


def read_upload(name, source):
    """Read minutes from `source` (a path or file object) named `name`."""
    lower = name.lower()
    try:
        if lower.endswith(".docx"):
            text, page_wrapped = read_docx(source)
            return Read(text, parse_text(text, page_wrapped=page_wrapped))
        if lower.endswith(".pdf"):
            text = pdf_text(source)
            return Read(text, parse_text(text))
        if lower.endswith((".html", ".htm")):
            data = read_bytes(source)
            return Read(page_text(data)[0], parse_moderngov_page(data))
        if lower.endswith(".txt"):
            try:
                text = read_bytes(source).decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise NotMinutes(
                    "The text file is not in UTF-8; save it as UTF-8 or paste its text."
                ) from error
            return Read(text, parse_text(text))
    except (limits.ImportLimit, NotMinutes):
        raise
    except ValueError as error:
        raise NotMinutes(str(error)) from error
    except Exception as error:  # python-docx, lxml and pypdf raise many kinds for a damaged file
        raise NotMinutes(f"{name} could not be read; paste the text of the minutes instead.") from error
    raise NotMinutes(f"Minutes are read from {ACCEPTED}.")


def read_bytes(source):
    """The whole of a small source (text or HTML, within the markup limit)."""
    limit = settings.MEETINGS_IMPORT_MAX_XML_BYTES
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as stream:
            data = stream.read(limit + 1)
    else:
        data = source.read(limit + 1)
    if len(data) > limit:
        raise limits.ImportLimit(
            f"The file is larger than {limit // (1024 * 1024)} MB; an import reads at most that."
        )
    return data
