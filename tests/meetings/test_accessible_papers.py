"""Papers anyone can read: a Word report uploaded by a clerk is readable on
the site as HTML with its structure kept, a PDF's text is a page that says
what it is, both only while the paper is public, found by search."""

import io
import re

import docx
import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.accessible_papers import AccessibleVersion, tidy
from meetings.models import Document, Meeting
from tests import documents
from tests.helpers import ADD_URL, meeting_form
from tests.partnerships.factories import PartnershipFactory


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def report_as_a_clerk_types_it():
    """A report as clerks write them: a title, headings at two levels,
    paragraphs with no blank ones between, a numbered list of
    recommendations, a bulleted list and a table with a bold header row."""
    paper = docx.Document()
    paper.add_heading("Anti-Social Behaviour Review", level=0)
    paper.add_heading("1. Purpose of the report", level=1)
    paper.add_paragraph("To update the Partnership on reports of anti-social behaviour in Sefton.")
    paper.add_heading("2. Recommendations", level=1)
    paper.add_paragraph("That the Partnership notes the report.", style="List Number")
    paper.add_paragraph("That partners share the hotspot data monthly.", style="List Number")
    paper.add_heading("2.1 Hotspots", level=2)
    paper.add_paragraph("Bootle town centre", style="List Bullet")
    paper.add_paragraph("Southport seafront", style="List Bullet")
    table = paper.add_table(rows=3, cols=3)
    rows = [["Ward", "2019/20", "2020/21"], ["Linacre", "412", "388"], ["Derby", "301", "276"]]
    for number, (row, values) in enumerate(zip(table.rows, rows, strict=True)):
        for cell, value in zip(row.cells, values, strict=True):
            cell.paragraphs[0].add_run(value).bold = number == 0
    paper.add_heading("3. Background", level=1)
    paper.add_paragraph("Merseyside Police recorded fewer incidents than in the previous year.")
    out = io.BytesIO()
    paper.save(out)
    return out.getvalue()


def docx_structure(content):
    """The headings (level, text) and tables (rows of cell texts) of a Word file."""
    paper = docx.Document(io.BytesIO(content))
    headings = []
    for paragraph in paper.paragraphs:
        style = paragraph.style.name
        if style == "Title":
            headings.append((1, paragraph.text))
        elif match := re.fullmatch(r"Heading (\d)", style):
            headings.append((int(match[1]), paragraph.text))
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in paper.tables]
    numbered = [p.text for p in paper.paragraphs if p.style.name == "List Number"]
    bulleted = [p.text for p in paper.paragraphs if p.style.name == "List Bullet"]
    return headings, tables, numbered, bulleted


def html_structure(markup):
    """The same of the reading copy: its h2 is the Word file's level 1
    (the page's own h1 is the paper's title)."""
    soup = BeautifulSoup(markup, "html.parser")
    paper = soup.find(id="paper")
    headings = [
        (int(tag.name[1]) - 1, tag.get_text(" ", strip=True))
        for tag in paper.find_all(["h2", "h3", "h4", "h5", "h6"])
    ]
    tables = [
        [
            [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
            for row in table.find_all("tr")
        ]
        for table in paper.find_all("table")
    ]
    numbered = [li.get_text(" ", strip=True) for ol in paper.find_all("ol") for li in ol.find_all("li")]
    bulleted = [li.get_text(" ", strip=True) for ul in paper.find_all("ul") for li in ul.find_all("li")]
    return headings, tables, numbered, bulleted, paper


def upload(staff_client, django_capture_on_commit_callbacks, name, content, **overrides):
    data = meeting_form(
        PartnershipFactory(contact_email="clerk@sefton.gov.uk", contact_name="Ms Jones"),
        next_step="publish_agenda",
        **{
            "documents-0-title": "Anti-Social Behaviour Review",
            "documents-0-file": SimpleUploadedFile(name, content),
        },
        **overrides,
    )
    # The background job (in-process without a broker) runs once the save commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(ADD_URL, data)
    assert response.status_code == 302, response.content[:2000]
    return Document.objects.select_related("meeting__partnership").get(title="Anti-Social Behaviour Review")


def paper_url(document):
    return f"{document.meeting.get_absolute_url()}papers/{document.pk}/"


@pytest.mark.django_db
def test_a_word_report_is_read_online_with_its_headings_lists_and_tables(
    staff_client, client, media, django_capture_on_commit_callbacks
):
    content = report_as_a_clerk_types_it()
    document = upload(staff_client, django_capture_on_commit_callbacks, "asb-review.docx", content)
    meeting_page = client.get(document.meeting.get_absolute_url()).content.decode()
    soup = BeautifulSoup(meeting_page, "html.parser")
    read = next((a for a in soup.find_all("a") if a.get_text().startswith("Read online")), None)
    assert read is not None and read["href"] == paper_url(document)
    response = client.get(paper_url(document))
    assert response.status_code == 200
    source_headings, source_tables, numbered, bulleted = docx_structure(content)
    headings, tables, html_numbered, html_bulleted, paper = html_structure(response.content.decode())
    assert headings == source_headings
    assert headings[0] == (1, "Anti-Social Behaviour Review") and (2, "2.1 Hotspots") in headings
    assert tables == source_tables
    assert html_numbered == numbered and html_bulleted == bulleted
    # The header row the clerk typed in bold is the table's header row.
    assert [th.get("scope") for th in paper.find("table").find_all("th")] == ["col", "col", "col"]
    assert "This is the Word report as a web page" in response.content.decode()


@pytest.mark.django_db
def test_a_pdf_is_its_extracted_text_marked_as_such_with_a_request_for_an_accessible_copy(
    staff_client, client, media, django_capture_on_commit_callbacks
):
    content = documents.text_pdf_bytes("Hate crime reporting rose in Bootle")
    document = upload(staff_client, django_capture_on_commit_callbacks, "hate-crime.pdf", content)
    response = client.get(paper_url(document))
    text = response.content.decode()
    assert response.status_code == 200
    assert "This is the text of the PDF, extracted automatically." in text
    assert "Hate crime reporting rose in Bootle" in text
    link = BeautifulSoup(text, "html.parser").find(id="request-accessible-copy")
    assert link["href"].startswith(
        "mailto:clerk@sefton.gov.uk?subject=Request%20for%20an%20accessible%20copy"
    )
    assert "Anti-Social%20Behaviour%20Review" in link["href"]
    assert link.get_text(" ", strip=True) == "request an accessible copy of Anti-Social Behaviour Review"


@pytest.mark.django_db
def test_the_reading_copy_is_public_only_while_the_paper_is(
    staff_client, client, media, django_capture_on_commit_callbacks, transition
):
    document = upload(
        staff_client, django_capture_on_commit_callbacks, "asb.docx", report_as_a_clerk_types_it()
    )
    url = paper_url(document)
    assert client.get(url).status_code == 200
    transition(Meeting.objects.get(), "withdraw")
    assert client.get(url).status_code == 404
    transition(Meeting.objects.get(), "publish_agenda")
    assert client.get(url).status_code == 200
    item = document.meeting.items.first()
    item.is_exempt, item.exempt_paragraph, item.exempt_reason = True, 3, "Contract prices"
    item.save()
    Document.objects.filter(pk=document.pk).update(item=item)
    assert client.get(url).status_code == 404
    # Another partnership's or date's address is not this paper's.
    assert client.get(url.replace("2020-03-12", "2020-03-13")).status_code == 404


@pytest.mark.django_db
def test_a_draft_meetings_paper_gets_its_reading_copy_when_published(
    staff_client, client, media, django_capture_on_commit_callbacks, transition
):
    data = meeting_form(
        PartnershipFactory(),
        **{
            "documents-0-title": "Report",
            "documents-0-file": SimpleUploadedFile("r.docx", report_as_a_clerk_types_it()),
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_client.post(ADD_URL, data).status_code == 302
    document = Document.objects.get(title="Report")
    meeting = Meeting.objects.get()
    assert client.get(paper_url(document)).status_code == 404
    transition(meeting, "publish_agenda")
    assert AccessibleVersion.objects.filter(document=document).exists()
    assert client.get(paper_url(document)).status_code == 200


@pytest.mark.django_db
def test_a_damaged_word_file_gives_no_reading_copy_and_the_download_stays(
    staff_client, client, media, django_capture_on_commit_callbacks
):
    # A zip that passes the upload checks but whose document part is not WordprocessingML.
    content = documents.ooxml_bytes(
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    )
    document = upload(staff_client, django_capture_on_commit_callbacks, "broken.docx", content)
    assert not AccessibleVersion.objects.filter(document=document).exists()
    page = client.get(document.meeting.get_absolute_url()).content.decode()
    assert f"papers/{document.pk}/" not in page and document.get_absolute_url() in page
    assert client.get(paper_url(document)).status_code == 404


def test_hostile_links_and_inline_images_are_taken_out():
    markup = tidy(
        '<p>See <a href="javascript:alert(1)">this</a> and <a href="https://www.sefton.gov.uk/">Sefton</a>.</p>'
        '<p><img src="data:image/png;base64,AAAA" alt="Map of wards"></p><p></p>'
        "<table><tr><td><strong>Ward</strong></td></tr><tr><td>Linacre</td></tr></table>"
    )
    soup = BeautifulSoup(markup, "html.parser")
    assert [a["href"] for a in soup.find_all("a")] == ["https://www.sefton.gov.uk/"]
    assert "javascript" not in markup and "<img" not in markup and "[Image: Map of wards]" in markup
    assert soup.find("th", scope="col").get_text() == "Ward"
    assert len(soup.find_all("p")) == 2


@pytest.mark.django_db
def test_the_paper_is_found_by_search(staff_client, client, media, django_capture_on_commit_callbacks):
    upload(staff_client, django_capture_on_commit_callbacks, "asb.docx", report_as_a_clerk_types_it())
    page = client.get("/search/", {"q": "hotspot"}).content.decode()
    assert "Anti-Social Behaviour Review" in page


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 15])
def test_the_paper_page_runs_a_fixed_number_of_queries(
    staff_client, client, media, django_capture_on_commit_callbacks, django_assert_max_num_queries, size
):
    document = upload(
        staff_client, django_capture_on_commit_callbacks, "asb.docx", report_as_a_clerk_types_it()
    )
    # More papers at the same meeting, each with a reading copy.
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(size):
            other = Document.objects.create(meeting=document.meeting, title=f"Appendix {n}")
            other.file.save(f"appendix-{n}.docx", io.BytesIO(report_as_a_clerk_types_it()))
    assert AccessibleVersion.objects.filter(document__title__startswith="Appendix").count() == size
    client.logout()
    # paper (with meeting, partnership and item) 1, its reading copy 1, glossary terms 1
    with django_assert_max_num_queries(3):
        assert client.get(paper_url(document)).status_code == 200
