"""Uploaded documents: only real documents are accepted, under safe names,
and they are only ever downloaded, never shown in the site's origin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.documents import safe_filename
from meetings.models import Document, Meeting
from partnerships.factories import PartnershipFactory

from .test_meetings_admin import ADD_URL, meeting_form

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
    response = upload(staff_client, "Report (final) «draft»\u202e v2.PDF", b"%PDF-1.7 rest")
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
    upload(staff_client, "agenda pack.pdf", b"%PDF-1.7 the agenda")
    document = Document.objects.get()
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 the agenda"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="agenda_pack.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
