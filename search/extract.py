"""
The text of uploaded documents, for the search index: PDF with pypdf, Word
(.docx) with python-docx. Other types (images, spreadsheets, old .doc) are
found by their title only. A damaged or hostile file must never stop a clerk
saving a meeting, so any failure gives no text, logged.
"""

import logging

logger = logging.getLogger(__name__)

# Enough for any report pack's searchable substance; bounds the work a huge
# upload can cause and the size of the index row.
MAX_CHARS = 200_000
MAX_PAGES = 300


def pdf_text(handle):
    from pypdf import PdfReader

    reader = PdfReader(handle)
    parts, size = [], 0
    for page in reader.pages[:MAX_PAGES]:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size > MAX_CHARS:
            break
    return "\n".join(parts)


def docx_text(handle):
    import docx

    document = docx.Document(handle)
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


EXTRACTORS = {"pdf": pdf_text, "docx": docx_text}


def document_text(field_file):
    """The text of a stored FieldFile, or "" if it has none we can read."""
    if not field_file:
        return ""
    extension = field_file.name.rsplit(".", 1)[-1].lower() if "." in field_file.name else ""
    extractor = EXTRACTORS.get(extension)
    if extractor is None:
        return ""
    try:
        with field_file.open("rb") as handle:
            text = extractor(handle)
    except Exception:  # any parser failure: index the title only
        logger.warning("Could not extract the text of %s", field_file.name, exc_info=True)
        return ""
    # NUL bytes cannot be stored in PostgreSQL text.
    return " ".join(text.replace("\x00", " ").split())[:MAX_CHARS]
