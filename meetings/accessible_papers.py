"""
Papers anyone can read: a web page of each Word (.docx) report, converted by
mammoth to plain semantic HTML (headings, lists and tables kept, the
author's fonts and colours dropped), and of each PDF the text extracted from
it, marked as such, beside a link asking the clerk for an accessible copy.

They are built by the background job that extracts a paper's text for
search (search.tasks.extract_document_text), which runs once a public
paper's save has committed; the page itself is shown only while the paper is
public (the view asks the same rule as the download). A damaged file gives
no reading copy, logged, never an error for the clerk.
"""

import html
import logging

from django.db import models
from django.utils import timezone
from lxml import etree
from lxml import html as lxml_html

logger = logging.getLogger(__name__)

# The paper's own headings sit under the page's title (its h1): Word's
# Heading 1 becomes h2, and so on; Word's "Title" is the paper's first h2.
STYLE_MAP = "\n".join(
    [
        "p[style-name='Title'] => h2:fresh",
        "p[style-name='Heading 1'] => h2:fresh",
        "p[style-name='Heading 2'] => h3:fresh",
        "p[style-name='Heading 3'] => h4:fresh",
        "p[style-name='Heading 4'] => h5:fresh",
        "p[style-name='Heading 5'] => h6:fresh",
        "p[style-name='Heading 6'] => h6:fresh",
    ]
)
# GOV.UK Frontend's classes for what mammoth writes, so that the paper reads
# as the rest of the site.
CLASSES = {
    "h2": "govuk-heading-l",
    "h3": "govuk-heading-m",
    "h4": "govuk-heading-s",
    "h5": "govuk-heading-s",
    "h6": "govuk-heading-s",
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "table": "govuk-table",
    "tr": "govuk-table__row",
    "th": "govuk-table__header",
    "td": "govuk-table__cell",
    "a": "govuk-link",
}
SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:", "#")


class AccessibleVersion(models.Model):
    """A paper's reading copy: the Word report as HTML, or a PDF's text."""

    class Kind(models.TextChoices):
        WORD = "word", "Word report as a web page"
        PDF_TEXT = "pdf_text", "Text extracted from a PDF"

    document = models.OneToOneField(
        "meetings.Document", on_delete=models.CASCADE, related_name="accessible_version"
    )
    # The paper's meeting, so that a new reading copy drops the cached pages
    # of its partnership and meeting (foundation/page_cache.py follows
    # `meeting`), as any change to the paper does.
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    html = models.TextField(help_text="The reading copy, as built from the file; not edited by hand.")
    built_from = models.CharField(max_length=300, help_text="The stored file it was built from.")
    built_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "reading copy of a paper"

    def __str__(self):
        return f"{self.get_kind_display()}: {self.document_id}"

    @property
    def is_word(self):
        return self.kind == self.Kind.WORD


def tidy(markup):
    """mammoth's HTML, made safe to show in the site's origin and styled:
    links only to web, mail or anchor addresses, images replaced by their
    alternative text (mammoth would inline them as data: addresses, which
    the site's Content-Security-Policy refuses), a table's first row of
    bold cells made its header row, empty paragraphs dropped."""
    if not markup.strip():
        return ""
    root = lxml_html.fragment_fromstring(markup, create_parent="div")
    for image in list(root.iter("img")):
        alt = (image.get("alt") or "").strip()
        if alt:
            span = etree.Element("span")
            span.text = f"[Image: {alt}]"
            span.tail = image.tail
            image.getparent().replace(image, span)
        else:
            image.drop_tree()
    for link in root.iter("a"):
        href = link.get("href", "")
        if not href.startswith(SAFE_LINK_SCHEMES):
            link.drop_tag()
    for table in root.iter("table"):
        first = next(table.iter("tr"), None)
        if first is not None and all(cell.tag == "th" for cell in first):
            continue
        if first is not None and table.find("thead") is None and _all_cells_bold(first):
            for cell in first:
                cell.tag = "th"
                cell.set("scope", "col")
                for strong in list(cell.iter("strong")):
                    strong.drop_tag()
    for header in root.iter("th"):
        header.set("scope", header.get("scope", "col"))
    for paragraph in list(root.iter("p")):
        if not paragraph.text_content().strip() and not len(paragraph):
            paragraph.drop_tree()
    for element in root.iter():
        css = CLASSES.get(element.tag)
        if css:
            element.set("class", css)
        for name in list(element.attrib):
            if name not in ("href", "class", "scope", "colspan", "rowspan", "id"):
                del element.attrib[name]
    return "".join(lxml_html.tostring(child, encoding="unicode") for child in root) or ""


def _all_cells_bold(row):
    cells = list(row)
    return bool(cells) and all(
        cell.text_content().strip()
        and "".join(strong.text_content() for strong in cell.iter("strong")).strip()
        == cell.text_content().strip()
        for cell in cells
    )


def word_html(handle):
    import mammoth

    result = mammoth.convert_to_html(handle, style_map=STYLE_MAP)
    return tidy(result.value)


# Bounds the work a huge report pack can cause (as search.extract does).
MAX_PAGES = 300
MAX_CHARS = 400_000


def pdf_paragraphs(text):
    """A PDF page's lines joined back into paragraphs: a line that ends a
    sentence or stops well short of the page's longest line ends one."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    widest = max((len(line) for line in lines), default=0)
    paragraphs, current = [], []
    for line in lines:
        if not line:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        current.append(line)
        if line[-1] in ".:;?!" or len(line) < widest * 0.6:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def pdf_html(handle):
    """The PDF's text page by page: honest about what it is (the layout,
    tables and images are lost, and the page says so)."""
    from pypdf import PdfReader

    parts, size = [], 0
    for number, page in enumerate(PdfReader(handle).pages[:MAX_PAGES], start=1):
        paragraphs = pdf_paragraphs((page.extract_text() or "").replace("\x00", " "))
        if not paragraphs:
            continue
        parts.append(f'<h2 class="govuk-heading-m">Page {number}</h2>')
        parts += [f'<p class="govuk-body">{html.escape(paragraph)}</p>' for paragraph in paragraphs]
        size += sum(len(paragraph) for paragraph in paragraphs)
        if size > MAX_CHARS:
            break
    return "\n".join(parts)


BUILDERS = {
    "docx": (AccessibleVersion.Kind.WORD, word_html),
    "pdf": (AccessibleVersion.Kind.PDF_TEXT, pdf_html),
}


def extension(name):
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def is_site_pack(document):
    """The agenda pack the site builds: its readable form is the meeting's
    page, and each paper in it has a reading copy of its own."""
    from .agenda_pack import AGENDA_PACK_TITLE, GENERATED_NAME

    return document.title == AGENDA_PACK_TITLE and GENERATED_NAME in document.file.name


def build_accessible_version(document):
    """Build (or build again) the reading copy of `document` from its file.
    Returns the reading copy, or None. Nothing is written when the copy is
    already of the file stored now; a file that gives no text leaves none."""
    if not document.file or is_site_pack(document):
        return None
    builder = BUILDERS.get(extension(document.file.name))
    if builder is None:
        # A copy of a file since replaced by one of another kind stays in
        # the table but is never shown: pages show only a copy built from
        # the file stored now (`built_from`).
        return None
    existing = AccessibleVersion.objects.filter(document=document).first()
    if existing is not None and existing.built_from == document.file.name:
        return existing
    kind, build = builder
    try:
        with document.file.open("rb") as handle:
            markup = build(handle)
    except Exception:  # any parser failure: no reading copy, the download stays
        logger.warning("Could not build a reading copy of %s", document.file.name, exc_info=True)
        markup = ""
    if not markup.strip():
        if existing is not None:
            existing.delete()
        return None
    version, _ = AccessibleVersion.objects.update_or_create(
        document=document,
        defaults={
            "meeting_id": document.meeting_id,
            "kind": kind,
            "html": markup,
            "built_from": document.file.name,
            "built_at": timezone.now(),
        },
    )
    return version
