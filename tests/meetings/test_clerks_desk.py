"""The clerk's desk on the meeting lifecycle: imports reach their state only
through publishing.operations (an archive is not news), the "Import minutes"
page hands its draft to the minutes editor, the editor's publishing
buttons, and the agenda pack built by a background job when the agenda is
published."""

import datetime
import io

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from follow.models import OutgoingEmail, Publication, Subscription
from meetings.agenda_pack import AGENDA_PACK_TITLE
from meetings.models import Document, Meeting
from partnerships.models import Partnership
from tests.documents import numbered_report
from tests.helpers import FIXTURES
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.partnerships.factories import PartnershipFactory
from tests.roles import client_for, form_data, staff_user

GETMEETING = FIXTURES / "moderngov" / "getmeeting_4021.xml"
SEED = FIXTURES / "seeds" / "004_0be5d7e260bb771b.txt"
MARCH = datetime.date(2020, 3, 12)
# An unchanged save, then publishing the minutes with its effects and the
# agenda pack's job (run in the process here), at any size; counted with the
# database cache, whose every write of the page cache's versions is ten.
SAVE_AND_PUBLISH_QUERIES = 96


def text_of(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def entries(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return [entry.link for entry in feedparser.parse(response.content).entries]


def alerts_queued():
    call_command("queue_alerts", stdout=io.StringIO())
    return OutgoingEmail.objects.filter(subject__contains="update").count()


def press(client, response, action, **fields):
    """Post the editor's form as it stands to its own address, pressing `action`."""
    data = form_data(response, "minutes-editor")
    data.update({name: str(value) for name, value in fields.items()})
    data["action"] = action
    form = BeautifulSoup(response.content, "html.parser").find("form", id="minutes-editor")
    return client.post(form["action"], data)


@pytest.fixture
def board(db):
    return PartnershipFactory(name="Greystone Safer Neighbourhoods Board", slug="greystone")


@pytest.fixture
def subscribers(board):
    now = timezone.now()
    for kind in (Subscription.Kind.MEETINGS, Subscription.Kind.MINUTES):
        Subscription.objects.create(
            email=f"{kind}@example.org", kind=kind, partnership=board, confirmed_at=now
        )


def test_an_archive_import_is_public_but_not_news_while_a_publication_is(
    board, subscribers, client, django_capture_on_commit_callbacks, transition
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_moderngov", str(GETMEETING), partnership="greystone", stdout=io.StringIO())
    archive = Meeting.objects.get(partnership=board)
    # The state the source gives, reached through the lifecycle.
    assert (archive.status, archive.minutes_status) == (Meeting.Status.HELD, Meeting.MinutesStatus.PUBLISHED)
    # One operation, one history row naming it.
    assert archive.change_history.count() == 1
    assert archive.change_history.first().history_change_reason == (
        "Imported; Publish the minutes (subject to confirmation)"
    )
    assert client.get(archive.get_absolute_url()).status_code == 200
    assert "Knife Crime Prevention Programme" in text_of(client.get("/search/", {"q": "knife crime"}))
    assert not Publication.objects.exists()
    assert entries(client, "/meetings/minutes.atom") == []
    assert entries(client, f"/partnerships/{board.slug}/meetings.atom") == []
    assert alerts_queued() == 0

    # Importing it again changes nothing, and is still not news.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_moderngov", str(GETMEETING), partnership="greystone", stdout=io.StringIO())
    assert Meeting.change_history.count() == 1  # the second import changed nothing
    assert not Publication.objects.exists()

    # A clerk's publication of a new meeting's minutes is news.
    meeting = MeetingFactory(
        partnership=board, date=datetime.date(2025, 3, 3), status="draft", minutes_status="none"
    )
    AgendaItemFactory(meeting=meeting, title="Street lighting")
    transition(meeting, "publish_minutes")
    assert Publication.objects.filter(meeting=meeting).count() == 2
    assert [
        link.endswith(meeting.get_absolute_url()) for link in entries(client, "/meetings/minutes.atom")
    ] == [True]
    assert alerts_queued() == 2


@pytest.fixture
def sefton(initial_content):
    sefton = Partnership.objects.get(slug="sefton-safer-communities-partnership")
    Meeting.objects.filter(partnership=sefton, date=MARCH).delete()
    return sefton


def test_imported_minutes_are_reviewed_and_saved_in_the_editor(sefton):
    clerk = staff_user("sefton-clerk", "Clerk", [sefton])
    browser = client_for(clerk)
    text = SEED.read_text(encoding="utf-8")
    page = browser.post(reverse("import_minutes"), {"partnership": sefton.pk, "text": text, "edit": "1"})
    assert page.status_code == 200
    # Nothing is saved until the clerk saves in the editor.
    assert not Meeting.objects.filter(partnership=sefton, date=MARCH).exists()
    form = BeautifulSoup(page.content, "html.parser").find("form", id="minutes-editor")
    assert form["action"] == "/admin/meetings/meeting/editor/"
    data = form_data(page, "minutes-editor")
    assert data["date"] in ("12/03/2020", "2020-03-12", "12 March 2020") or data["date"].startswith("12")
    titles = [data[f"items-{n}-title"] for n in range(int(data["items-TOTAL_FORMS"]))]
    assert "FEMALE OUT OF COURT DISPOSAL PROJECT" in titles

    # The clerk corrects a title, then saves.
    number = titles.index("FEMALE OUT OF COURT DISPOSAL PROJECT")
    response = press(browser, page, "save", **{f"items-{number}-title": "Female Out of Court Disposal"})
    assert response.status_code == 302, text_of(response)[:2000]
    meeting = Meeting.objects.get(partnership=sefton, date=MARCH)
    assert meeting.items.count() == 15
    assert meeting.items.filter(title="Female Out of Court Disposal").exists()
    assert meeting.status == Meeting.Status.DRAFT  # a draft until the clerk publishes it
    assert meeting.change_history.earliest().history_user == clerk
    assert Client().get(meeting.get_absolute_url()).status_code == 404

    # Importing the same minutes again opens that meeting, its items matched.
    page = browser.post(reverse("import_minutes"), {"partnership": sefton.pk, "text": text, "edit": "1"})
    form = BeautifulSoup(page.content, "html.parser").find("form", id="minutes-editor")
    assert form["action"] == f"/admin/meetings/meeting/{meeting.pk}/editor/"
    response = press(browser, page, "save")
    assert response.status_code == 302
    assert meeting.items.count() == 15


def publishing_buttons(page):
    buttons = BeautifulSoup(page.content, "html.parser").select("button[name=action]")
    return [button["value"] for button in buttons if button["value"].startswith("save-and-")]


@pytest.fixture
def clerk_of(board):
    return staff_user("greystone-clerk", "Clerk", [board])


def test_publishing_from_the_editor_shows_the_minutes_on_the_page_in_search_and_feed(
    board, clerk_of, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(
        partnership=board,
        date=timezone.localdate() - datetime.timedelta(days=10),
        status="draft",
        minutes_status="none",
    )
    AgendaItemFactory(
        meeting=meeting, minute_number=7, title="Antisocial Motorbikes", minutes="Quad bikes on the dunes."
    )
    browser = client_for(clerk_of)
    page = browser.get(f"/admin/meetings/meeting/{meeting.pk}/editor/")
    buttons = publishing_buttons(page)
    assert "save-and-publish_minutes" in buttons and "save-and-publish_agenda" in buttons
    assert "save-and-withdraw" not in buttons

    # Held weeks ago, not months: the editor proposes news, not archive entry.
    assert "checked" not in str(BeautifulSoup(page.content, "html.parser").find(id="id_archive"))
    with django_capture_on_commit_callbacks(execute=True):
        response = press(browser, page, "save-and-publish_minutes")
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_status == Meeting.MinutesStatus.PUBLISHED
    assert meeting.change_history.first().history_user == clerk_of

    public = Client()
    assert "Quad bikes on the dunes." in text_of(public.get(meeting.get_absolute_url()))
    assert "Antisocial Motorbikes" in text_of(public.get("/search/", {"q": "quad bikes"}))
    assert any(
        link.endswith(meeting.get_absolute_url()) for link in entries(public, "/meetings/minutes.atom")
    )

    # Published minutes: the editor offers no publishing any more.
    page = browser.get(f"/admin/meetings/meeting/{meeting.pk}/editor/")
    assert publishing_buttons(page) == []


def test_a_refused_transition_says_why_and_keeps_the_meeting_as_it_was(board, clerk_of):
    meeting = MeetingFactory(
        partnership=board, date=datetime.date(2025, 2, 10), status="draft", minutes_status="none"
    )
    AgendaItemFactory(meeting=meeting, minute_number=7, title="Antisocial Motorbikes")
    browser = client_for(clerk_of)
    page = browser.get(f"/admin/meetings/meeting/{meeting.pk}/editor/")
    # The clerk moves the meeting into the future and tries to publish its minutes.
    page = press(browser, page, "save-and-publish_minutes", date="2999-02-10")
    # Saving and publishing is one operation: refused, it saves nothing, and
    # the page shows why with everything as typed.
    assert page.status_code == 200
    assert "minutes cannot be published before the meeting" in text_of(page)
    assert 'value="2999-02-10"' in page.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes_status == Meeting.MinutesStatus.NONE
    assert meeting.status == Meeting.Status.DRAFT
    assert meeting.date == datetime.date(2025, 2, 10)
    # An action the editor does not offer is refused outright.
    assert press(browser, page, "save-and-cancel").status_code == 403


def pack_pages(meeting):
    pack = Document.objects.get(meeting=meeting, title=AGENDA_PACK_TITLE)
    return len(PdfReader(pack.file.path).pages)


def test_publishing_the_agenda_builds_the_agenda_pack_and_a_new_paper_rebuilds_it(
    board, clerk_of, settings, tmp_path, transition, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    meeting = MeetingFactory(
        partnership=board, date=datetime.date(2999, 5, 4), status="draft", minutes_status="none"
    )
    for number, name in [(1, "budget"), (2, "strategy")]:
        item = AgendaItemFactory(meeting=meeting, minute_number=number, order=number, title=name.title())
        Document.objects.create(
            meeting=meeting, item=item, title=f"{name} report", file=numbered_report(name, 2)
        )
    # A draft has no pack: nothing is built before publication.
    assert not Document.objects.filter(meeting=meeting, title=AGENDA_PACK_TITLE).exists()
    transition(meeting, "publish_agenda", user=clerk_of)
    pack = Document.objects.get(meeting=meeting, title=AGENDA_PACK_TITLE)
    page = text_of(Client().get(meeting.get_absolute_url()))
    assert f"{AGENDA_PACK_TITLE} (PDF {round(pack.size_bytes / 1024)} KB)" in page
    # The cover, the agenda, and both reports' pages.
    assert pack_pages(meeting) == 2 + 2 + 2

    # The clerk adds a three-page paper in the editor: the pack is built again.
    browser = client_for(clerk_of)
    editor = browser.get(f"/admin/meetings/meeting/{meeting.pk}/editor/")
    data = form_data(editor, "minutes-editor")
    data.update(
        {
            "action": "save",
            "items-0-document_title": "Budget annex",
            "items-0-document_file": numbered_report("annex", 3),
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(f"/admin/meetings/meeting/{meeting.pk}/editor/", data)
    assert response.status_code == 302
    assert pack_pages(meeting) == 2 + 2 + 2 + 3
    assert Document.objects.filter(meeting=meeting, title=AGENDA_PACK_TITLE).count() == 1


def test_an_archive_import_builds_no_pack(board, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_moderngov", str(GETMEETING), partnership="greystone", stdout=io.StringIO())
    assert not Document.objects.filter(title=AGENDA_PACK_TITLE).exists()


def test_saving_and_publishing_from_the_editor_runs_a_fixed_number_of_queries(
    board, clerk_of, django_capture_on_commit_callbacks
):
    from tests.meetings.test_minutes_editor import build_meeting

    browser = client_for(clerk_of)
    counts = []
    for size, day in [(3, datetime.date(2020, 3, 12)), (12, datetime.date(2021, 3, 12))]:
        meeting = build_meeting(board, day, size, 40)
        Meeting.objects.filter(pk=meeting.pk).update(status="draft")
        press(browser, browser.get(f"/admin/meetings/meeting/{meeting.pk}/editor/"), "save")
        page = browser.get(f"/admin/meetings/meeting/{meeting.pk}/editor/")
        with CaptureQueriesContext(connection) as published, django_capture_on_commit_callbacks(execute=True):
            response = press(browser, page, "save-and-publish_minutes")
        assert response.status_code == 302
        counts.append(len(published))
    print("save and publish the minutes from the editor, queries at 3 and 12 items:", counts)
    assert counts[0] == counts[1]
    assert counts[0] <= SAVE_AND_PUBLISH_QUERIES
