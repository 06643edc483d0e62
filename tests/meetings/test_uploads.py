"""Uploaded documents: only real documents are accepted, under safe names,
and they are only ever downloaded, never shown in the site's origin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.documents import safe_filename
from meetings.models import Document, Meeting
from tests import documents
from tests.helpers import ADD_URL, meeting_form
from tests.partnerships.factories import PartnershipFactory

SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(staff_client, name, content):
    data = meeting_form(
        PartnershipFactory(),
        next_step="publish_agenda",
        **{"documents-0-title": "Report", "documents-0-file": SimpleUploadedFile(name, content)},
    )
    return staff_client.post(ADD_URL, data)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.html", HTML),
        ("report.htm", HTML),
        ("chart.svg", SVG),
        ("chart.svgz", SVG),
        ("report.pdf.html", HTML),
        # Renamed to an accepted type, the contents still give them away.
        ("report.pdf", HTML),
        ("chart.png", SVG),
        ("chart.jpg", SVG),
    ],
)
def test_html_and_svg_uploads_are_refused(staff_client, media, name, content):
    response = upload(staff_client, name, content)
    assert response.status_code == 200
    assert "file" in response.context["inline_admin_formsets"][3].formset.errors[0]
    assert not Meeting.objects.exists() and not Document.objects.exists()
    assert not any(media.rglob("*.*"))


@pytest.mark.django_db
def test_an_uploaded_name_is_made_safe(staff_client, media):
    response = upload(staff_client, "Report (final) «draft»\u202e v2.PDF", documents.pdf_bytes())
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.filename == "Report_final_draft_v2.pdf"
    assert document.get_absolute_url().endswith("/Report_final_draft_v2.pdf")
    assert (media / document.file.name).is_file()


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\boot.ini.doc", "boot_ini.doc"),
        (".htaccess.pdf", "htaccess.pdf"),
        (".pdf", "document.pdf"),
        ("a\x00b\r\nc.pdf", "a_b_c.pdf"),
        ('quote"s; filename=x.pdf', "quote_s_filename_x.pdf"),
        ("x" * 300 + ".docx", "x" * 80 + ".docx"),
        ("Minutes.PDF", "Minutes.pdf"),
    ],
)
def test_safe_filename(name, safe):
    assert safe_filename(name) == safe


@pytest.mark.django_db
def test_a_download_is_an_attachment_the_browser_must_not_sniff(staff_client, client, media):
    pdf = documents.pdf_bytes()
    upload(staff_client, "agenda pack.pdf", pdf)
    document = Document.objects.get()
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="agenda_pack.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]


@pytest.fixture(scope="module")
def zip_bomb():
    return documents.zip_bomb_docx(unpacked_mb=200)


def document_row_errors(response):
    """The errors shown beside the document row's file field."""
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "documents"
    )
    return formset.errors[0].get("file", [])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        (
            "report.pdf",
            lambda bomb: documents.HTML_STARTING_WITH_PDF,
            "is named as a PDF file but it does not open as one",
        ),
        (
            "report.docx",
            lambda bomb: documents.renamed_zip(),
            "is named as a Word file but it does not open as one",
        ),
        (
            "report.xlsx",
            lambda bomb: documents.docx_bytes(),
            "is named as an Excel file but it does not open as one",
        ),
        (
            "report.odt",
            lambda bomb: documents.renamed_zip(),
            "is named as an ODF text file but it does not open as one",
        ),
        (
            "report.doc",
            lambda bomb: documents.ole2_bytes("Workbook"),
            "is named as a Word file but it does not open as one",
        ),
        ("report.docx", lambda bomb: bomb, "unpacks to more than 100.0\xa0MB or 5,000 parts"),
    ],
    ids=[
        "html-starting-with-pdf",
        "zip-renamed-docx",
        "docx-renamed-xlsx",
        "zip-renamed-odt",
        "xls-renamed-doc",
        "zip-bomb-docx",
    ],
)
def test_files_that_do_not_open_as_their_type_are_refused_beside_the_field(
    staff_client, media, zip_bomb, name, make, message
):
    response = upload(staff_client, name, make(zip_bomb))
    assert response.status_code == 200
    (error,) = document_row_errors(response)
    assert message in error
    assert "Save it again from the program that made it" in error
    # Shown on the page, in the document row, and nothing was saved.
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Meeting.objects.exists() and not Document.objects.exists()
    assert not any(media.rglob("*.*"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("report.pdf", documents.pdf_bytes),
        ("report.docx", documents.docx_bytes),
        ("slides.pptx", documents.pptx_bytes),
        ("budget.xlsx", documents.xlsx_bytes),
        ("notes.odt", documents.odt_bytes),
        ("old report.doc", documents.ole2_bytes),
    ],
)
def test_real_documents_are_accepted_and_published(staff_client, client, media, name, make):
    content = make()
    response = upload(staff_client, name, content)
    assert response.status_code == 302
    document = Document.objects.get()
    assert b"".join(client.get(document.get_absolute_url()).streaming_content) == content
