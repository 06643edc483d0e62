"""Each kind of file a clerk brings, read for what it holds: Word's structure,
a PDF's pages, a saved ModernGov page's links, and the text parser's lists of
names, presenters and venues as real minutes print them."""

import datetime
import io

import docx
import pytest
from django.core.management import call_command
from fpdf import FPDF

from meetings.importers.docx import docx_text, parse_docx
from meetings.importers.moderngov_html import parse_moderngov_page
from meetings.importers.pdf import PdfError, parse_pdf, pdf_text
from meetings.importers.text import parse_text
from meetings.models import Meeting
from partnerships.models import Partnership
from tests.helpers import FIXTURES
from tests.meetings.corpus import as_html, meetings

SEEDS = FIXTURES / "seeds"


def test_the_issue_s_apologies_presenter_and_venue_read_right():
    parsed = parse_text(
        "Sefton Safer Communities Partnership\nThursday 5th December, 2019 3.00 pm\n\n"
        "Venue: Committee Room, Town Hall, Oriel Road, Bootle L20 7AE. View directions\n\n"
        "28.\n\nApologies for Absence\n\nMinutes:\n\nApologies for absence were received from Councillors "
        "Hardy and Shaw, Rosie Goodwin, Sue Holden, and Brendan Prescott.\n\n29.\n\nVoluntary Sector Update\n\n"
        "To receive a presentation from Sue Holden, Sefton CVS\n\nMinutes:\n\nMembers asked questions.\n"
    )
    assert parsed.venue == "Committee Room, Town Hall, Oriel Road, Bootle L20 7AE"
    assert [a.name for a in parsed.attendees] == [
        "Councillor Hardy",
        "Councillor Shaw",
        "Rosie Goodwin",
        "Sue Holden",
        "Brendan Prescott",
    ]
    assert parsed.items[1].presenter == "Sue Holden"
    assert parsed.items[1].agenda_text == "To receive a presentation from Sue Holden, Sefton CVS"
    assert parsed.items[1].minutes == "Members asked questions."


def word_file(paragraphs):
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    data = io.BytesIO()
    document.save(data)
    data.seek(0)
    return data


@pytest.mark.parametrize("seed", ["003_6371fdcc7127ccfa", "004_0be5d7e260bb771b"])
def test_a_pasted_page_without_blank_paragraphs_reads_as_its_text(seed):
    """The issue's case: one Word paragraph a line, no blank ones."""
    text = (SEEDS / f"{seed}.txt").read_text(encoding="utf-8")
    from_word = parse_docx(word_file([line for line in text.split("\n") if line.strip()]))
    from_text = parse_text(text)
    assert [(i.minute_number, i.title, i.presenter, i.resolutions) for i in from_word.items] == [
        (i.minute_number, i.title, i.presenter, i.resolutions) for i in from_text.items
    ]
    assert (from_word.attendees, from_word.date, from_word.venue) == (
        from_text.attendees,
        from_text.date,
        from_text.venue,
    )
    if seed.startswith("003"):  # each line a paragraph there: the minutes too
        assert [i.minutes for i in from_word.items] == [i.minutes for i in from_text.items]
        assert [i.agenda_text for i in from_word.items] == [i.agenda_text for i in from_text.items]


def test_the_seeds_without_blank_paragraphs_import_as_the_initial_content_holds_them(
    initial_content, tmp_path
):
    from tests.meetings.test_import_minutes import SEEDS as SEED_FILES
    from tests.meetings.test_import_minutes import fields_of

    sefton = Partnership.objects.get(slug="sefton-safer-communities-partnership")
    for day, path in SEED_FILES.items():
        meeting = Meeting.objects.get(partnership=sefton, date=day)
        expected = fields_of(meeting)
        meeting.delete()
        lines = [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
        word = tmp_path / f"{day}.docx"
        word.write_bytes(word_file(lines).getvalue())
        call_command("import_minutes", str(word), partnership=sefton.slug, stdout=io.StringIO())
        assert fields_of(Meeting.objects.get(partnership=sefton, date=day)) == expected


def test_word_numbering_soft_breaks_bold_markers_and_tables():
    document = docx.Document()
    document.add_paragraph("Greystone Board")
    document.add_paragraph("Minutes of the meeting held on 3 June 2024")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Present"
    table.cell(0, 1).text = "Councillor A. Jones (Chair)"
    table.cell(0, 1).add_paragraph("Dr Mary Wu")
    table.cell(1, 0).text = "Apologies"
    table.cell(1, 1).text = "Councillor Bell"
    document.add_paragraph("4. Budget", style="Heading 2")
    paragraph = document.add_paragraph("The budget was ")
    paragraph.add_run("discussed.").add_break()
    paragraph.add_run("A second line.")
    marker = document.add_paragraph()
    marker.add_run("Resolved").bold = True
    marker.add_run(" the budget be approved.")
    data = io.BytesIO()
    document.save(data)
    data.seek(0)
    text = docx_text(data)
    assert "Present: Councillor A. Jones (Chair), Dr Mary Wu" in text
    data.seek(0)
    parsed = parse_docx(data)
    [item] = parsed.items
    assert (item.minute_number, item.title) == (4, "Budget")
    assert item.minutes == "The budget was discussed.\nA second line."
    assert [r.text for r in item.resolutions] == ["the budget be approved."]
    assert [(a.name, a.role, a.is_chair) for a in parsed.attendees] == [
        ("Councillor A. Jones", "present", True),
        ("Dr Mary Wu", "present", False),
        ("Councillor Bell", "apologies", False),
    ]


def test_a_paragraph_over_a_page_break_is_one_paragraph_and_furniture_goes():
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(True, margin=25)

    def header():
        pdf.set_font("Helvetica", "I", 9)
        pdf.cell(0, 6, "Greystone Board - 3 June 2024", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)

    def footer():
        pdf.set_y(-15)
        pdf.set_font("Helvetica", "", 9)
        pdf.cell(0, 6, f"Page {pdf.page_no()}", align="C")

    pdf.header, pdf.footer = header, footer
    pdf.add_page()
    pdf.set_font("Helvetica", "", 12)
    pdf.multi_cell(0, 7, "Greystone Board\n\nMinutes of the meeting held on 3 June 2024\n\n4. BUDGET")
    pdf.ln(5)
    pdf.set_y(240)
    long = " ".join(f"Sentence {n} of the budget discussion went on at length." for n in range(1, 15))
    pdf.multi_cell(0, 7, long)
    pdf.ln(5)
    pdf.multi_cell(0, 7, "RESOLVED: That the budget be approved.")
    pdf.ln(10)
    pdf.multi_cell(0, 7, "Signed ............................ Chair\nDate ..............")
    data = io.BytesIO(bytes(pdf.output()))
    assert len(__import__("pypdf").PdfReader(data).pages) == 2
    data.seek(0)
    parsed = parse_pdf(data)
    [item] = parsed.items
    assert item.minutes == long
    assert [r.text for r in item.resolutions] == ["That the budget be approved."]
    assert parsed.date == datetime.date(2024, 6, 3)
    assert not parsed.unplaced


def test_a_pdf_without_text_says_so():
    pdf = FPDF()
    pdf.add_page()
    with pytest.raises(PdfError, match="no text to read"):
        pdf_text(io.BytesIO(bytes(pdf.output())))


def test_a_saved_moderngov_page_keeps_its_document_links_and_drops_the_page_s_furniture():
    meeting = next(m for m in meetings() if m["style"] == "moderngov")
    parsed = parse_moderngov_page(as_html(meeting).encode("utf-8"))
    minutes_item = next(item for item in parsed.items if item.minute_number == 13)
    [document] = minutes_item.documents
    assert (document.title, document.file_type, document.size_kb) == (
        "Minutes of Previous Meeting",
        "PDF",
        88,
    )
    assert document.url == (
        "https://democracy.ashworthvale.example/documents/s1301/Minutes%20of%20Previous%20Meeting.pdf"
    )
    [printed] = parsed.documents
    assert printed.title == "Printed minutes"
    assert printed.url == "https://democracy.ashworthvale.example/documents/g44/Printed%20minutes.pdf"
    assert parsed.venue == "Council Chamber, Ashworth Town Hall, Market Street, AV1 2BB"
    assert not any("Home" in text or "mgAnalytics" in text for text in parsed.unplaced)
    assert parsed.unplaced == ["Contact: Lena Marsh Democratic Services Officer"]


@pytest.mark.parametrize("form", ["html", "pdf", "docx_plain"])
def test_import_minutes_reads_each_kind_of_file_by_its_name(form, db, tmp_path):
    from tests.meetings.corpus import source
    from tests.partnerships.factories import PartnershipFactory

    board = PartnershipFactory(slug="ashworth")
    meeting = next(m for m in meetings() if m["file"] == "a1_moderngov_ashworth")
    name, data = source(meeting, form)
    path = tmp_path / name
    path.write_bytes(data)
    out = io.StringIO()
    call_command("import_minutes", str(path), partnership="ashworth", stdout=out)
    saved = Meeting.objects.get(partnership=board, date=datetime.date(2023, 9, 14))
    assert list(saved.items.values_list("minute_number", flat=True)) == [12, 13, 14, 15]
    assert saved.items.get(minute_number=14).presenter_name == "Sue Hollins"
    assert saved.venue == "Council Chamber, Ashworth Town Hall, Market Street, AV1 2BB"
    if form == "html":
        # The saved page's links become the papers' source addresses.
        assert saved.documents.get(title="Anti-Social Behaviour Strategy").source_url == (
            "https://democracy.ashworthvale.example/documents/s1501/Anti-Social%20Behaviour%20Strategy.pdf"
        )
