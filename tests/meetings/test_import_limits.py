"""Every importer's limits: a Word file that unpacks to a gigabyte is refused
on the import page and by import_minutes, before anything unpacks it, and
the worker's memory hardly moves; long text and slow reading stop with a
message too."""

import io
import json
import os
import subprocess
import sys
import zipfile

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from meetings.importers import limits
from meetings.importers.text import parse_text
from meetings.models import Meeting
from partnerships.models import Partnership
from tests.roles import client_for, staff_user

GIGABYTE = 1024**3
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


@pytest.fixture(scope="module")
def bomb(tmp_path_factory):
    """A .docx of about 1 MB whose text part unpacks to 1 GB."""
    path = tmp_path_factory.mktemp("bomb") / "minutes.docx"
    # One paragraph of a billion letters: deflate packs it a thousand to one.
    chunk = b"a" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/')
            part.write(b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>')
            written = 0
            while written < GIGABYTE:
                part.write(chunk)
                written += len(chunk)
            part.write(b"</w:t></w:r></w:p></w:body></w:document>")
    assert path.stat().st_size < 1.1 * 1024 * 1024
    assert sum(info.file_size for info in zipfile.ZipFile(path).infolist()) > GIGABYTE
    return path


MEASURE = """
import json, os, resource, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smp_site.settings")
import django
django.setup()
from meetings.importers.formats import read_upload
from meetings.importers.limits import ImportLimit

def peak_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

before = peak_kb()
with open(sys.argv[1], "rb") as upload:
    try:
        read_upload("minutes.docx", upload)
        message = None
    except ImportLimit as error:
        message = str(error)
print(json.dumps({"before_kb": before, "after_kb": peak_kb(), "message": message}))
"""


def test_a_gigabyte_word_file_is_refused_and_memory_stays_bounded(bomb):
    """In a fresh process, as a worker reads an upload: the rise of its peak
    resident memory over reading the file, measured by the kernel."""
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(bomb)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
        env={**os.environ, "PYTHONPATH": str(settings.BASE_DIR)},
        check=True,
    )
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    rise_mb = (measured["after_kb"] - measured["before_kb"]) / 1024
    print(
        f"\nPeak memory rise reading a {bomb.stat().st_size / 1024:.0f} KB .docx that unpacks to 1 GB: {rise_mb:.1f} MB"
    )
    assert "unpacks to 1.0\xa0GB" in measured["message"]
    assert rise_mb < 100


def test_the_import_page_refuses_it_with_a_clear_message(bomb, initial_content):
    sefton = Partnership.objects.get(slug="sefton-safer-communities-partnership")
    clerk = staff_user("sefton-clerk", "Clerk", [sefton])
    with bomb.open("rb") as upload:
        response = client_for(clerk).post(
            reverse("import_minutes"), {"partnership": sefton.pk, "document": upload, "review": "1"}
        )
    shown = " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())
    assert response.status_code == 200
    assert (
        "minutes.docx was not read: This Word file unpacks to 1.0 GB in 3 parts; an import reads at most"
        in shown
    )
    assert "paste their text" in shown


def test_import_minutes_refuses_it_and_saves_nothing(bomb, initial_content):
    before = Meeting.objects.count()
    with pytest.raises(
        CommandError, match=r"was not read: This Word file unpacks to 1\.0\xa0GB.*Nothing was saved"
    ):
        call_command("import_minutes", str(bomb), partnership="sefton-safer-communities-partnership")
    assert Meeting.objects.count() == before


def test_text_beyond_the_limit_is_refused(settings):
    settings.MEETINGS_IMPORT_MAX_CHARACTERS = 1000
    with pytest.raises(limits.ImportLimit, match="1,200 characters long; an import reads at most 1,000"):
        parse_text("x" * 1200)


def test_reading_that_takes_too_long_stops_with_a_message(settings):
    settings.MEETINGS_IMPORT_MAX_SECONDS = 0
    text = "\n".join(f"{n}. ITEM {n}\n\nText of item {n}." for n in range(1, 400))
    with pytest.raises(limits.ImportLimit, match="took longer than 0 seconds"):
        parse_text(text)


def test_a_word_file_with_its_own_entities_is_refused(tmp_path):
    from meetings.importers.docx import parse_docx

    path = tmp_path / "entities.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "lol">]><w:document '
            'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>',
        )
    with pytest.raises(limits.ImportLimit, match="defines its own entities"):
        parse_docx(path)


def test_a_pdf_with_too_many_pages_is_refused(settings):
    from fpdf import FPDF

    from meetings.importers.pdf import pdf_text

    settings.MEETINGS_IMPORT_MAX_PDF_PAGES = 2
    pdf = FPDF()
    for _ in range(3):
        pdf.add_page()
    with pytest.raises(limits.ImportLimit, match="This PDF has 3 pages; an import reads at most 2"):
        pdf_text(io.BytesIO(bytes(pdf.output())))
