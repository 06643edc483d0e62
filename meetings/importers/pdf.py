"""
Minutes as a PDF, as councils keep the signed minutes: the text of each page
(pypdf's layout mode, which keeps a blank line where the page leaves a gap
between paragraphs), without what the pages print around the minutes, then
read as text (text.py).

Page furniture that is dropped: a line every page repeats (the committee and
date as a running header or footer), "Page 3 of 7" and bare page numbers, the
chair's initials box and the signature lines ("Signed ........ Chair",
"Date ......"). A paragraph that runs over a page break is joined again: its
last line on the page is as wide as the page's lines (the page wrapped it), or
it stops short of a full stop and the next page starts in lower case.
"""

import collections
import re

import pypdf
from django.conf import settings

from . import limits
from .text import parse_text

PAGE_NUMBER = re.compile(r"^(?:-\s*)?(?:Page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?(?:\s*-)?$", re.IGNORECASE)
SIGNATURE = re.compile(
    r"^(?:Signed|Chair(?:man|person)?(?:'s)?(?:\s+initials)?|Date|Initials)\b[\s.:_…-]*"
    r"(?:\(?(?:Chair(?:man|person)?)\)?[\s.:_…-]*)?$",
    re.IGNORECASE,
)


class PdfError(ValueError):
    pass


def page_lines(page):
    """The page's lines, blank ones where the page leaves a gap, without the
    layout's indentation and the spaces it pads words with."""
    text = page.extract_text(extraction_mode="layout")
    lines = [re.sub(r"[ \t]{2,}", " ", line).strip() for line in text.replace("\r", "").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def furniture(pages):
    """The lines that are the pages' furniture: on most pages (digits aside)."""
    if len(pages) < 2:
        return set()
    counts = collections.Counter()
    for lines in pages:
        edges = [line for line in lines[:3] + lines[-3:] if line]
        counts.update({re.sub(r"\d+", "#", line) for line in edges})
    return {line for line, count in counts.items() if count >= max(2, len(pages) * 0.6)}


def carries_on(before, page):
    """Whether the last paragraph before a page break runs on over it: its
    last line is as wide as the page's lines (the page wrapped it), or it
    stops short of a full stop and the page starts in lower case."""
    last = before[-1]
    if not last:
        return False
    paragraph = []
    for line in reversed(before):
        if not line:
            break
        paragraph.append(line)
    widest = max(len(line) for line in before[-60:])
    if len(paragraph) > 1 and len(last) >= 0.85 * widest:
        return True
    return not re.search(r"[.:;!?]$", last) and page[0][:1].islower()


def pdf_text(source):
    """The text of the minutes in a PDF (a path or file object)."""
    with limits.deadline():
        try:
            reader = pypdf.PdfReader(source)
            if reader.is_encrypted and not reader.decrypt(""):
                raise PdfError(
                    "This PDF is protected with a password; save it without one, or paste its text."
                )
            count = len(reader.pages)
        except PdfError:
            raise
        except Exception as error:  # pypdf raises many kinds for a damaged file
            raise PdfError("This PDF could not be read; paste its text instead.") from error
        most = settings.MEETINGS_IMPORT_MAX_PDF_PAGES
        if count > most:
            raise limits.ImportLimit(
                f"This PDF has {count} pages; an import reads at most {most}. Import one meeting at a time."
            )
        pages = []
        length = 0
        for page in reader.pages:
            limits.check_time()
            try:
                lines = page_lines(page)
            except Exception as error:  # a page pypdf cannot draw
                raise PdfError("A page of this PDF could not be read; paste its text instead.") from error
            length += sum(len(line) + 1 for line in lines)
            if length > settings.MEETINGS_IMPORT_MAX_CHARACTERS:
                limits.check_text("\n".join("\n".join(lines) for lines in pages + [lines]))
            pages.append(lines)
    repeated = furniture(pages)
    out = []
    for lines in pages:
        kept = [
            line
            for line in lines
            if not (
                line
                and (
                    PAGE_NUMBER.match(line) or SIGNATURE.match(line) or re.sub(r"\d+", "#", line) in repeated
                )
            )
        ]
        while kept and not kept[0]:
            kept.pop(0)
        while kept and not kept[-1]:
            kept.pop()
        if not kept:
            continue
        if out and carries_on(out, kept):
            out += kept
        else:
            out += ([""] if out else []) + kept
    if not any(out):
        raise PdfError(
            "This PDF has no text to read (it may be a scan); paste the text of the minutes instead."
        )
    return "\n".join(out)


def parse_pdf(source):
    return parse_text(pdf_text(source))
