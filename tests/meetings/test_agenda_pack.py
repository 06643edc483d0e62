"""The agenda pack: one PDF of a meeting's cover, agenda and reports, with
page numbers and a bookmark per item (meetings/agenda_pack.py)."""

import datetime
import io
import os

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from meetings.agenda_pack import AGENDA_PACK_TITLE, build_agenda_pack
from meetings.models import Document
from tests.documents import numbered_report
from tests.meetings.factories import AgendaItemFactory, MeetingFactory


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def meeting(db, media):
    meeting = MeetingFactory(date=datetime.date(2020, 3, 12), venue="Town Hall, Bootle")
    apologies = AgendaItemFactory(meeting=meeting, minute_number=40, order=1, title="Apologies for Absence")
    conference = AgendaItemFactory(meeting=meeting, minute_number=45, order=2, title="Conference Report")
    abuse = AgendaItemFactory(meeting=meeting, minute_number=46, order=3, title="Domestic and Sexual Abuse")
    secret = AgendaItemFactory(
        meeting=meeting,
        minute_number=47,
        order=4,
        title="Contract award",
        is_exempt=True,
        exempt_paragraph=3,
        exempt_reason="Commercially sensitive",
    )
    Document.objects.create(
        meeting=meeting, item=conference, title="Conference report", file=numbered_report("conf", 2)
    )
    Document.objects.create(
        meeting=meeting, item=abuse, title="Domestic abuse report", file=numbered_report("abuse", 3)
    )
    Document.objects.create(
        meeting=meeting, item=secret, title="Tender scores", file=numbered_report("secret", 4)
    )
    meeting.apologies = apologies
    return meeting


def test_the_pack_holds_every_report_with_page_numbers_and_a_bookmark_per_item(meeting, client):
    document = build_agenda_pack(meeting)
    reader = PdfReader(document.file.path)
    texts = [page.extract_text() for page in reader.pages]
    # A cover, the agenda, then the two public reports' 5 pages; never the
    # exempt item's.
    assert len(reader.pages) == 2 + 2 + 3
    assert "Agenda" in texts[0] and meeting.partnership.name in texts[0]
    assert "45. Conference Report" in texts[1] and "Exempt: Commercially sensitive" in texts[1]
    assert [text.split("\n")[0] for text in texts[2:]] == [
        "conf, page 1",
        "conf, page 2",
        "abuse, page 1",
        "abuse, page 2",
        "abuse, page 3",
    ]
    assert not any("secret" in text for text in texts)
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of 7" in text
    bookmarks = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert bookmarks == [
        ("Agenda", 1),
        ("40. Apologies for Absence", 1),
        ("45. Conference Report", 2),
        ("46. Domestic and Sexual Abuse", 4),
        ("47. Contract award", 1),
    ]

    # The public page links it, with its type and size.
    page = client.get(meeting.get_absolute_url())
    links = BeautifulSoup(page.content, "html.parser").find_all("a", href=document.get_absolute_url())
    assert [link.get_text() for link in links] == [
        f"{AGENDA_PACK_TITLE} (PDF {round(document.size_bytes / 1024)} KB)"
    ]


def test_a_rebuild_replaces_the_pack(meeting, media):
    first = build_agenda_pack(meeting)
    old_path = first.file.path
    second = build_agenda_pack(meeting)
    assert second.pk == first.pk
    assert Document.objects.filter(meeting=meeting, title=AGENDA_PACK_TITLE).count() == 1
    assert PdfReader(second.file.path).outline
    assert os.path.exists(second.file.path)
    assert old_path == second.file.path or not os.path.exists(old_path)


def test_a_clerk_prints_the_minutes_for_the_chair_to_sign(meeting, media):
    from meetings.models import Attendance
    from tests.meetings.factories import ResolutionFactory
    from tests.partnerships.factories import PartnershipFactory
    from tests.roles import client_for, staff_user

    item = meeting.items.get(minute_number=45)
    ResolutionFactory(item=item, number=1, text="That the report be noted;")
    ResolutionFactory(item=item, number=2, text="That priorities be fed into next year\u2019s Action Plan.")
    Attendance.objects.create(meeting=meeting, name="Councillor Hardy", role="present", is_chair=True)
    clerk = staff_user("clerk", "Clerk", [meeting.partnership])
    response = client_for(clerk).get(f"/admin/meetings/meeting/{meeting.pk}/editor/minutes.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Present: Councillor Hardy (in the Chair)" in text
    assert "45. CONFERENCE REPORT" in text
    assert "(1) That the report be noted;" in text
    assert "(2) That priorities be fed into next year's Action Plan." in text
    assert "Signed" in text
    # Another partnership's clerk is told it does not exist.
    other = staff_user("other-clerk", "Clerk", [PartnershipFactory()])
    response = client_for(other).get(f"/admin/meetings/meeting/{meeting.pk}/editor/minutes.pdf")
    assert response.status_code == 302 and response["Location"] == "/admin/"


@pytest.mark.django_db
def test_a_pack_the_clerk_uploaded_is_never_replaced():

    from tests.meetings.factories import AgendaItemFactory, DocumentFactory

    item = AgendaItemFactory()
    own = DocumentFactory(
        meeting=item.meeting, title="Agenda pack", file=SimpleUploadedFile("pack.pdf", b"%PDF-1.4 own pack")
    )
    uploaded = own.file.name
    assert build_agenda_pack(item.meeting) is None
    own.refresh_from_db()
    assert own.file.name == uploaded
    assert list(item.meeting.documents.values_list("title", flat=True)) == ["Agenda pack"]
