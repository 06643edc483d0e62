"""
A meeting's agenda pack, and its minutes for the chair to sign, as PDFs.

The agenda pack is one PDF, as councils publish it, with a cover
page, the agenda (each item's minute number, title, presenter and agenda
text, and its papers), and every PDF report of the meeting merged in after
it, in the order of the agenda, with "Page N of M" on every page and a
bookmark per item.

It is built once, when the agenda (or the minutes) is published, by
`build_agenda_pack(meeting)`, run by a background job the meeting's lifecycle
queues (meetings/tasks.py); never on a visitor's request. It is kept as the meeting's own Document titled
"Agenda pack", so the public page lists it with its type and size, and a
rebuild replaces it.

The cover and agenda are drawn with fpdf2 (pure Python); the reports are
merged with pypdf. The PDF standard fonts hold only Latin-1, so typographic
quotes and dashes print as their plain equivalents.

Exempt items appear by title and reason only; their papers are left out,
as on the public page.
"""

import io
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from .documents import extension_of
from .models import Document

logger = logging.getLogger(__name__)

AGENDA_PACK_TITLE = "Agenda pack"
# How the site's own pack is told from one a clerk uploaded with that title.
GENERATED_NAME = "agenda-pack-"
PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u2022": "-",
        "\u00a0": " ",
    }
)


def printable(text):
    """Text the PDF standard fonts can draw."""
    return (text or "").translate(PLAIN).encode("latin-1", "replace").decode("latin-1")


class AgendaPDF(FPDF):
    def __init__(self):
        super().__init__(format="A4", unit="mm")
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(True, margin=20)

    def heading(self, text, size):
        self.set_font("Helvetica", "B", size)
        self.multi_cell(0, size * 0.5, printable(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def paragraph(self, text, size=11, style=""):
        self.set_font("Helvetica", style, size)
        for block in (text or "").split("\n\n"):
            if block.strip():
                self.multi_cell(0, 5.5, printable(block.strip()), new_x="LMARGIN", new_y="NEXT")
                self.ln(2)


def public_items(meeting):
    return list(
        meeting.items.prefetch_related("documents").select_related("presenter").order_by("order", "pk")
    )


def pdf_reader(document):
    """The document's pages, or None when it is not a PDF or its file is
    missing or damaged (it is then listed in the agenda but not merged)."""
    if not document.file or extension_of(document.file.name) != "pdf":
        return None
    try:
        with document.file.open("rb") as handle:
            return PdfReader(io.BytesIO(handle.read()))
    except (OSError, PyPdfError, ValueError):
        logger.warning("Agenda pack: could not read document %s", document.pk)
        return None


def agenda_pages(meeting, items):
    pdf = AgendaPDF()
    pdf.add_page()
    partnership = meeting.partnership
    pdf.ln(40)
    pdf.heading(partnership.name, 22)
    pdf.ln(6)
    pdf.heading("Agenda", 28)
    when = f"{meeting.date:%A %-d %B %Y}"
    if meeting.start_time:
        when += f", {meeting.start_time:%H:%M}"
    pdf.paragraph(when, 14)
    if meeting.venue:
        pdf.paragraph(meeting.venue, 14)
    pdf.add_page()
    item_pages = {}
    pdf.heading("Agenda", 18)
    for item in items:
        item_pages[item.pk] = pdf.page_no() - 1
        title = f"{item.minute_number}. {item.title}" if item.minute_number else item.title
        pdf.heading(title, 13)
        if item.presenter_display:
            pdf.paragraph(f"Presented by {item.presenter_display}", 10, "I")
        if item.is_exempt:
            pdf.paragraph(f"Exempt: {item.exempt_reason}", 11)
            continue
        pdf.paragraph(item.agenda_text)
        papers = list(item.documents.all())
        if papers:
            pdf.paragraph("Papers: " + "; ".join(document.title for document in papers), 10)
    return pdf, item_pages


def page_numbers(sizes):
    """One page a size, blank but for "Page N of M" at its foot, to lay over
    the merged pages."""
    pdf = FPDF(unit="pt")
    pdf.set_auto_page_break(False)
    total = len(sizes)
    for number, (width, height) in enumerate(sizes, start=1):
        pdf.add_page(format=(width, height))
        pdf.set_font("Helvetica", "", 9)
        pdf.set_xy(0, height - 28)
        pdf.cell(width, 12, f"Page {number} of {total}", align="C")
    return PdfReader(io.BytesIO(bytes(pdf.output())))


def render_agenda_pack(meeting):
    """The pack's bytes."""
    items = public_items(meeting)
    agenda, item_pages = agenda_pages(meeting, items)
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(bytes(agenda.output()))).pages:
        writer.add_page(page)
    writer.add_outline_item(title="Agenda", page_number=1)
    for item in items:
        first = item_pages[item.pk]
        start = len(writer.pages)
        if not item.is_exempt:
            for document in item.documents.all():
                reader = pdf_reader(document)
                if reader is not None:
                    for page in reader.pages:
                        writer.add_page(page)
        title = f"{item.minute_number}. {item.title}" if item.minute_number else item.title
        # An item's bookmark opens its first report, or its place in the agenda.
        writer.add_outline_item(title=title, page_number=start if len(writer.pages) > start else first)
    sizes = [(float(page.mediabox.width), float(page.mediabox.height)) for page in writer.pages]
    for page, overlay in zip(writer.pages, page_numbers(sizes).pages, strict=True):
        page.merge_page(overlay)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def render_minutes(meeting):
    """The minutes as the chair signs them: attendance, each minute with its
    text and numbered resolutions, and a line for the signature."""
    pdf = AgendaPDF()
    pdf.add_page()
    pdf.heading(meeting.partnership.name, 16)
    place = f" at {meeting.venue}" if meeting.venue else ""
    pdf.heading(f"Minutes of the meeting held{place} on {meeting.date:%A %-d %B %Y}", 13)
    attendances = list(meeting.attendances.select_related("person"))
    for role, label in [
        ("present", "Present"),
        ("also_present", "Also present"),
        ("apologies", "Apologies"),
        ("absent", "Absent"),
    ]:
        names = [
            attendance.display_name + (" (in the Chair)" if attendance.is_chair else "")
            for attendance in attendances
            if attendance.role == role
        ]
        if names:
            pdf.paragraph(f"{label}: " + ", ".join(names), 10)
    for item in meeting.items.prefetch_related("resolutions").order_by("order", "pk"):
        title = f"{item.minute_number}. {item.title}" if item.minute_number else item.title
        pdf.heading(title.upper(), 12)
        if item.is_exempt:
            pdf.paragraph(f"Exempt: {item.exempt_reason}")
        pdf.paragraph(item.minutes)
        resolutions = list(item.resolutions.all())
        if resolutions:
            pdf.paragraph("RESOLVED:", 11, "B")
            for resolution in resolutions:
                number = f"({resolution.number}) " if len(resolutions) > 1 else ""
                pdf.paragraph(number + resolution.text)
    pdf.ln(12)
    pdf.paragraph("Signed ........................................  (Chair)      Date ....................")
    return bytes(pdf.output())


def build_agenda_pack(meeting):
    """Build the pack and keep it as the meeting's "Agenda pack" document,
    replacing the last one the site built. Returns the Document, or None
    where a clerk uploaded the meeting's own pack (never replaced)."""
    packs = list(Document.objects.filter(meeting=meeting, item=None, title=AGENDA_PACK_TITLE))
    document = next((pack for pack in packs if GENERATED_NAME in pack.file.name), None)
    if packs and document is None:
        # The clerk uploaded the meeting's own pack: it stands, untouched.
        return None
    content = render_agenda_pack(meeting)
    with transaction.atomic():
        old_file = document.file.name if document and document.file else None
        if document is None:
            document = Document(meeting=meeting, title=AGENDA_PACK_TITLE, order=0)
        document.file.save(f"{GENERATED_NAME}{meeting.date:%Y-%m-%d}.pdf", ContentFile(content), save=False)
        document.save()
    if old_file and old_file != document.file.name:
        document.file.storage.delete(old_file)
    return document
