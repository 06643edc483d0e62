"""
The import corpus: twelve meetings (tests/fixtures/corpus/*.json, fictional
councils and people) printed in six councils' styles, each in every format
a clerk may bring: text, Word with and without blank paragraphs (built with
Word's own structure: heading styles, numbered lists for resolutions,
bulleted lists, bold "RESOLVED", soft line breaks, attendance tables), a
signed-minutes PDF (running header, page numbers, signature lines), and for
ModernGov's style its "agenda and minutes" page saved as HTML.

Each JSON file holds what the meeting says (and so what an import must
read): committee, date, venue, attendance as printed and as expected, and
items with numbers, titles, presenters, agenda text, minutes and resolutions.
The styles below only print it.
"""

import datetime
import html
import io
import json
import pathlib

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from fpdf import FPDF

CORPUS = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "corpus"
FORMATS = {
    "moderngov": ["txt", "html", "docx_blank", "docx_plain", "pdf"],
    "typed_caps": ["txt", "docx_blank", "docx_plain", "pdf"],
    "minute_dash": ["txt", "docx_blank", "docx_plain", "pdf"],
    "numbered_plain": ["txt", "docx_blank", "docx_plain", "pdf"],
    "word_tables": ["txt", "docx_blank", "docx_plain", "pdf"],
    "signed": ["txt", "docx_blank", "docx_plain", "pdf"],
}


def meetings():
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(CORPUS.glob("*.json"))]


def ordinal(day):
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def clock(time):
    hour, minute = map(int, time.split(":"))
    return f"{hour % 12 or 12}.{minute:02d} {'pm' if hour >= 12 else 'am'}"


# A block: (kind, value). Kinds: "chrome", "header", "attendance" (label,
# names), "number", "heading", "para", "list" (lines), "marker",
# "resolution" (label, text), "label".
def resolution_blocks(item, label_style):
    blocks = []
    resolutions = item.get("resolutions", [])
    if not resolutions:
        return blocks
    preamble = item["preamble"]
    if len(resolutions) == 1:
        if preamble.endswith("That"):
            return [("marker", f"{preamble} {resolutions[0]}")]
        return [("marker", preamble), ("para", resolutions[0])]
    blocks.append(("marker", preamble))
    if item.get("lettered"):
        label_style = "letter_dot"
    elif item.get("numbered_dot"):
        label_style = "decimal_dot"
    elif item.get("marker_style") == "paren":
        label_style = "letter_paren"
    for number, text in enumerate(resolutions, start=1):
        label = {
            "paren": f"({number})",
            "letter_dot": f"{'abcdefgh'[number - 1]}.",
            "decimal_dot": f"{number}.",
            "letter_paren": f"({'abcdefgh'[number - 1]})",
        }[label_style]
        blocks.append(("resolution", (label, text)))
    return blocks


def minutes_blocks(item):
    return [
        ("list", paragraph) if isinstance(paragraph, list) else ("para", paragraph)
        for paragraph in item.get("minutes", [])
    ]


def blocks_of(meeting):
    style = meeting["style"]
    day = datetime.date.fromisoformat(meeting["date"])
    blocks = []
    if style == "moderngov":
        blocks += [("chrome", "Agenda and minutes")]
        blocks += [
            (
                "header",
                f"{meeting['committee']}\n{day:%A} {ordinal(day.day)} {day:%B}, {day:%Y} {clock(meeting['time'])}",
            )
        ]
        blocks += [("header", f"Venue: {meeting['venue']}. View directions")]
        blocks += [("header", f"Contact: {meeting['contact']}")]
        blocks += [("chrome", "Items\nNo. Item")]
        for item in meeting["items"]:
            title = item["title"]
            for document in item.get("documents", []):
                title += f" {document[1].lower()} icon {document[1]} {document[2]} KB"
            blocks += [("number", f"{item['number']}."), ("heading", title)]
            if item.get("presenter_line"):
                blocks.append(("para", item["presenter"]))
            blocks += [("para", paragraph) for paragraph in item.get("agenda", [])]
            blocks.append(("label", "Minutes:"))
            blocks += minutes_blocks(item) + resolution_blocks(item, "paren")
        return blocks
    if style == "typed_caps":
        blocks += [("header", meeting["committee"])]
        blocks += [
            ("header", f"MEETING HELD AT THE {meeting['venue'].upper()}\nON {day.day} {day:%B %Y}".upper())
        ]
        blocks += [("attendance", ("PRESENT", meeting["present"]))]
        if meeting.get("also_present"):
            blocks += [("attendance", ("ALSO PRESENT", meeting["also_present"]))]
        for item in meeting["items"]:
            blocks += [("heading", f"{item['number']}. {item['title']}")]
            blocks += minutes_blocks(item) + resolution_blocks(item, "paren")
        return blocks
    if style == "minute_dash":
        blocks += [
            (
                "header",
                f"Minutes of the meeting of the {meeting['committee']} held on {day:%A}, {day.day} {day:%B %Y} "
                f"at {clock(meeting['time'])}",
            )
        ]
        blocks += [("header", f"Venue: {meeting['venue']}")]
        blocks += [("attendance", ("Present", meeting["present"]))]
        if meeting.get("in_attendance"):
            blocks += [("attendance", ("In attendance", meeting["in_attendance"]))]
        for item in meeting["items"]:
            blocks += [("heading", f"Minute {item['number']} - {item['title']}")]
            blocks += minutes_blocks(item) + resolution_blocks(item, "paren")
        return blocks
    if style == "numbered_plain":
        blocks += [("header", meeting["committee"])]
        blocks += [("header", f"{day:%A} {day.day} {day:%B %Y}, {clock(meeting['time'])}")]
        blocks += [("header", f"Venue: {meeting['venue']}")]
        blocks += [("attendance", ("Present", meeting["present"]))]
        if meeting.get("also_present"):
            blocks += [("attendance", ("Also present", meeting["also_present"]))]
        for item in meeting["items"]:
            blocks += [("heading", f"{item['number']} {item['title']}")]
            blocks += minutes_blocks(item) + resolution_blocks(item, "paren")
        return blocks
    if style == "word_tables":
        blocks += [("header", meeting["committee"])]
        blocks += [
            (
                "header",
                f"Minutes of the meeting held on {day:%A} {day.day} {day:%B %Y} at {clock(meeting['time'])}",
            )
        ]
        blocks += [("header", f"Venue: {meeting['venue']}")]
        blocks += [("attendance", ("Present", meeting["present"]))]
        blocks += [("attendance", ("Apologies", meeting["apologies"]))]
        for item in meeting["items"]:
            blocks += [("heading", f"Minute No. {item['number']}: {item['title']}")]
            blocks += minutes_blocks(item) + resolution_blocks(item, "paren")
        return blocks
    if style == "signed":
        blocks += [("header", meeting["committee"])]
        blocks += [
            ("header", f"Minutes of the meeting held at {meeting['venue']} on {day:%A} {day.day} {day:%B %Y}")
        ]
        blocks += [("attendance", ("PRESENT", "\n".join(meeting["present"])))]
        for item in meeting["items"]:
            blocks += [("heading", f"{item['number']} {item['title']}")]
            blocks += minutes_blocks(item) + resolution_blocks(item, "paren")
        return blocks
    raise ValueError(style)


def as_text(meeting):
    out = []
    for kind, value in blocks_of(meeting):
        if kind == "list":
            out.append("\n".join(value))
        elif kind == "attendance":
            label, names = value
            out.append(f"{label}:\n{names}" if meeting["style"] == "signed" else f"{label}: {names}")
        elif kind == "resolution":
            out.append(f"{value[0]} {value[1]}")
        else:
            out.append(value)
    return "\n\n".join(out) + "\n"


# Word ------------------------------------------------------------------

LIST_FORMATS = {
    "(": ("decimal", "(%1)"),
    "(a": ("lowerLetter", "(%1)"),
    "a.": ("lowerLetter", "%1."),
    "1.": ("decimal", "%1."),
}


class WordWriter:
    def __init__(self, meeting, blank_paragraphs):
        self.meeting = meeting
        self.blank = blank_paragraphs
        self.document = docx.Document()
        self.document.styles["Normal"].font.size = Pt(11)
        self.numbering = self.document.part.numbering_part.element
        self.next_id = 900
        self.current_list = None

    def new_list(self, label):
        """A fresh numbered list (its own w:num, so it starts at 1) printing
        labels like `label`."""
        key = (
            "(a"
            if label.startswith("(") and label[1:2].isalpha()
            else label[:1]
            if label.startswith("(")
            else ("a." if label[0].isalpha() else "1.")
        )
        number_format, text = LIST_FORMATS[key]
        self.next_id += 1
        abstract = OxmlElement("w:abstractNum")
        abstract.set(qn("w:abstractNumId"), str(self.next_id))
        level = OxmlElement("w:lvl")
        level.set(qn("w:ilvl"), "0")
        for tag, value in (("w:start", "1"), ("w:numFmt", number_format), ("w:lvlText", text)):
            element = OxmlElement(tag)
            element.set(qn("w:val"), value)
            level.append(element)
        abstract.append(level)
        # abstractNum elements come before num elements.
        first_num = self.numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self.numbering.append(abstract)
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(self.next_id))
        reference = OxmlElement("w:abstractNumId")
        reference.set(qn("w:val"), str(self.next_id))
        num.append(reference)
        self.numbering.append(num)
        return str(self.next_id)

    def numbered(self, paragraph, num_id):
        properties = paragraph._p.get_or_add_pPr()
        num_pr = OxmlElement("w:numPr")
        level = OxmlElement("w:ilvl")
        level.set(qn("w:val"), "0")
        number = OxmlElement("w:numId")
        number.set(qn("w:val"), num_id)
        num_pr.append(level)
        num_pr.append(number)
        properties.append(num_pr)

    def lines_paragraph(self, text, style=None):
        paragraph = self.document.add_paragraph(style=style)
        for index, line in enumerate(text.split("\n")):
            run = paragraph.add_run(line)
            if index < len(text.split("\n")) - 1:
                run.add_break()
        return paragraph

    def gap(self):
        if self.blank:
            self.document.add_paragraph()

    def write(self):
        for kind, value in blocks_of(self.meeting):
            if kind != "resolution":
                self.current_list = None
            if kind == "list":
                for line in value:
                    self.document.add_paragraph(line, style="List Bullet")
            elif kind == "heading":
                self.document.add_paragraph(value, style="Heading 2")
            elif kind == "marker":
                paragraph = self.document.add_paragraph()
                word, _, rest = value.partition(" ")
                paragraph.add_run(word).bold = True
                if rest:
                    paragraph.add_run(f" {rest}")
            elif kind == "resolution":
                label, text = value
                if self.current_list is None:
                    self.current_list = self.new_list(label)
                self.numbered(self.document.add_paragraph(text), self.current_list)
            elif kind == "attendance":
                label, names = value
                if self.meeting["style"] == "word_tables":
                    table = self.document.add_table(rows=1, cols=2)
                    table.cell(0, 0).text = label
                    cell = table.cell(0, 1)
                    people = [name.strip() for name in names.split(",")]
                    cell.text = people[0]
                    for person in people[1:]:
                        cell.add_paragraph(person)
                elif self.meeting["style"] == "signed":
                    self.lines_paragraph(f"{label}:\n{names}")
                else:
                    self.lines_paragraph(f"{label}: {names}")
            else:
                self.lines_paragraph(value)
            self.gap()
        data = io.BytesIO()
        self.document.save(data)
        return data.getvalue()


def as_docx(meeting, blank_paragraphs):
    return WordWriter(meeting, blank_paragraphs).write()


# PDF -------------------------------------------------------------------


class SignedMinutes(FPDF):
    def __init__(self, running_head):
        super().__init__(format="A4", unit="mm")
        self.running_head = running_head
        self.set_margins(25, 20, 25)
        self.set_auto_page_break(True, margin=25)
        self.alias_nb_pages()

    def header(self):
        self.set_font("Helvetica", "I", 9)
        self.cell(0, 6, self.running_head, new_x="LMARGIN", new_y="NEXT")
        self.ln(6)

    def footer(self):
        self.set_y(-18)
        self.set_font("Helvetica", "", 9)
        self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="C")
        self.set_y(-12)
        self.cell(0, 6, "Chair's initials ..........", align="R")


def as_pdf(meeting):
    day = datetime.date.fromisoformat(meeting["date"])
    pdf = SignedMinutes(f"{meeting['committee'].title()} - {day.day} {day:%B %Y}")
    pdf.add_page()
    text_height = 6.5

    def paragraph(text, style="", size=12):
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(0, text_height, text, new_x="LMARGIN", new_y="NEXT")

    for kind, value in blocks_of(meeting):
        if kind == "list":
            for line in value:
                paragraph(line)
        elif kind == "heading":
            paragraph(value, "B")
        elif kind == "attendance":
            label, names = value
            paragraph(f"{label}:\n{names}" if meeting["style"] == "signed" else f"{label}: {names}")
        elif kind == "resolution":
            paragraph(f"{value[0]} {value[1]}")
        else:
            paragraph(value, "B" if kind == "header" and value.isupper() else "")
        pdf.ln(5)
    pdf.ln(10)
    paragraph("Signed ........................................ Chair")
    paragraph("Date ..........................")
    return bytes(pdf.output())


# A ModernGov page saved from a browser ----------------------------------


def as_html(meeting):
    day = datetime.date.fromisoformat(meeting["date"])
    e = html.escape
    site = "https://democracy.ashworthvale.example"
    rows = []
    for item in meeting["items"]:
        cell = []
        title = e(item["title"])
        documents = item.get("documents", [])
        if documents:
            kind, size = documents[0][1], documents[0][2]
            link = f"documents/s{item['number']}01/{item['title'].replace(' ', '%20')}.pdf"
            title = (
                f'<a class="mgAiTitleLnk" href="{link}">{title} <img src="mgIcons/pdf.gif" alt="pdf icon" '
                f'class="mgPdfIcon"> {kind} {size} KB</a>'
            )
        else:
            title = f'<a class="mgAiTitleLnk" href="ieIssueDetails.aspx?IId={item["number"]}0">{title}</a>'
        cell.append(f'<p class="mgAiTitleTxt">{title}</p>')
        if item.get("presenter_line"):
            cell.append(f'<p class="mgAiPresenterTxt">{e(item["presenter"])}</p>')
        if item.get("agenda"):
            cell.append(
                '<div class="mgWordPara">' + "".join(f"<p>{e(p)}</p>" for p in item["agenda"]) + "</div>"
            )
        cell.append('<p class="mgSubItemTitleTxt">Minutes:</p><div class="mgWordPara">')
        for kind, value in minutes_blocks(item) + resolution_blocks(item, "paren"):
            if kind == "list":
                cell.append("<ul>" + "".join(f"<li>{e(line)}</li>" for line in value) + "</ul>")
            elif kind == "marker":
                word, _, rest = value.partition(" ")
                cell.append(f"<p><b>{e(word)}</b> {e(rest)}</p>")
            elif kind == "resolution":
                cell.append(f'<p class="MsoListParagraph">{e(value[0])}&nbsp;&nbsp;&nbsp; {e(value[1])}</p>')
            else:
                cell.append(f"<p>{e(value)}</p>")
        cell.append("</div>")
        rows.append(
            f'<tr><td class="mgItemNumberCell"><p class="mgAiTitleTxt">{item["number"]}.</p></td>'
            f"<td>{''.join(cell)}</td></tr>"
        )
    return f"""<!DOCTYPE html>
<!-- saved from url=(0068){site}/ieListDocuments.aspx?CId=301&amp;MId=4410 -->
<html lang="en"><head><meta charset="utf-8"><title>Agenda for {e(meeting["committee"])} on {day:%A}, {ordinal(day.day)} {day:%B}, {day:%Y}, {clock(meeting["time"])}</title>
<script>var mgAnalytics = true;</script><style>.mgItemTable td {{ vertical-align: top; }}</style></head>
<body><nav class="site-nav"><ul><li><a href="/">Home</a></li><li><a href="/mgListCommittees.aspx">Committees</a></li></ul></nav>
<div id="modgov"><div class="mgHeader"><h1>Agenda and minutes</h1></div>
<div class="mgSubTitle"><h2 class="mgSubTitleTxt">{e(meeting["committee"])}<br>{day:%A} {ordinal(day.day)} {day:%B}, {day:%Y} {clock(meeting["time"])}</h2></div>
<div class="mgContent">
<p class="mgSubTitleTxt"><span class="mgLabel">Venue: </span>{e(meeting["venue"])}. <a href="mgVenueDetails.aspx?ID=12">View directions</a></p>
<p><span class="mgLabel">Contact: </span>{e(meeting["contact"])}</p>
<div class="mgLinks"><ul class="mgActionList"><li><a href="documents/g44/Printed%20minutes.pdf">Printed minutes <img alt="pdf icon" src="mgIcons/pdf.gif"> PDF 240 KB</a></li></ul></div>
<table class="mgItemTable" summary="Table of agenda items"><caption class="mgSectionTitle">Items</caption>
<tr><th scope="col">No.</th><th scope="col">Item</th></tr>
{"".join(rows)}
</table></div></div>
<footer><p>Ashworth Vale Council</p></footer></body></html>
"""


# What an import must read ----------------------------------------------


def expected_fields(meeting):
    fields = {"date": meeting["date"], "venue": meeting["venue"]}
    fields["number of items"] = len(meeting["items"])
    for item in meeting["items"]:
        where = f"minute {item['number']}"
        fields[f"{where} minute number"] = item["number"]
        fields[f"{where} title"] = item["title"]
        fields[f"{where} presenter"] = item.get("presenter", "")
        fields[f"{where} minutes"] = "\n\n".join(
            "\n".join(p) if isinstance(p, list) else p for p in item.get("minutes", [])
        )
        if meeting["style"] == "moderngov":
            fields[f"{where} agenda text"] = "\n\n".join(item.get("agenda", []))
        resolutions = item.get("resolutions", [])
        if len(resolutions) == 1 and item["preamble"].endswith("That"):
            resolutions = [f"That {resolutions[0]}"]
        fields[f"{where} resolutions"] = resolutions
    fields["number of attendees"] = len(meeting["attendees"])
    for index, (name, role, chair) in enumerate(meeting["attendees"], start=1):
        fields[f"attendee {index}"] = [name, role, chair]
    return fields


def parsed_fields(parsed, meeting):
    fields = {
        "date": parsed.date.isoformat() if parsed.date else None,
        "venue": parsed.venue,
        "number of items": len(parsed.items),
    }
    for item in parsed.items:
        where = f"minute {item.minute_number}"
        fields[f"{where} minute number"] = item.minute_number
        fields[f"{where} title"] = item.title
        fields[f"{where} presenter"] = item.presenter
        fields[f"{where} minutes"] = item.minutes
        if meeting["style"] == "moderngov":
            fields[f"{where} agenda text"] = item.agenda_text
        fields[f"{where} resolutions"] = [resolution.text for resolution in item.resolutions]
    fields["number of attendees"] = len(parsed.attendees)
    for index, attendee in enumerate(parsed.attendees, start=1):
        fields[f"attendee {index}"] = [attendee.name, attendee.role, attendee.is_chair]
    return fields


def source(meeting, form):
    """(file name, bytes) of the meeting in a format."""
    stem = meeting["file"]
    if form == "txt":
        return f"{stem}.txt", as_text(meeting).encode("utf-8")
    if form == "html":
        return f"{stem}.html", as_html(meeting).encode("utf-8")
    if form == "pdf":
        return f"{stem}.pdf", as_pdf(meeting)
    return f"{stem}.docx", as_docx(meeting, blank_paragraphs=form == "docx_blank")
