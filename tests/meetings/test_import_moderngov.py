"""Importing a ModernGov archive: saved GetMeeting responses (and a walk of a
committee through a web service on this machine serving saved files)."""

import http.server
import io
import threading
import urllib.parse

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.core.management.base import CommandError

from meetings.importers.moderngov import html_to_text
from meetings.models import AgendaItem, Attendance, Document, Meeting, Resolution
from tests.helpers import FIXTURES
from tests.meetings.factories import MeetingFactory
from tests.partnerships.factories import PartnershipFactory

MODERNGOV = FIXTURES / "moderngov"
GETMEETING = MODERNGOV / "getmeeting_4021.xml"


@pytest.fixture
def board(db):
    return PartnershipFactory(name="Greystone Safer Neighbourhoods Board", slug="greystone")


def import_file(path=GETMEETING, slug="greystone"):
    out = io.StringIO()
    call_command("import_moderngov", str(path), partnership=slug, stdout=out)
    return out.getvalue()


def counts():
    models = [Meeting, AgendaItem, Resolution, Attendance, Document]
    return [model.objects.count() for model in models] + [model.change_history.count() for model in models]


def test_a_getmeeting_response_makes_a_public_meeting_page(board, client):
    import_file()
    meeting = Meeting.objects.get(partnership=board)
    assert (meeting.date.isoformat(), meeting.start_time.isoformat(), meeting.venue) == (
        "2024-10-14",
        "18:00:00",
        "Meeting Room 1, Greystone Library",
    )
    assert meeting.status == Meeting.Status.HELD
    assert meeting.minutes_status == Meeting.MinutesStatus.PUBLISHED

    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    text = " ".join(soup.get_text(" ").split())
    for words in [
        "Apologies for Absence",
        "Knife Crime Prevention Programme",
        "Bettina Vos presented a report on the first year of the knife crime prevention programme in schools.",
        "referrals to youth workers; and",
        "the programme be extended to the two academies in the north of the borough.",
        "Councillor Ravi Sandhu (in the Chair)",
        "Councillor Dafydd Rees",
        "CCTV Maintenance Contract",
    ]:
        assert words in text, words
    # Word's styling is gone: the page has the words, not the spans.
    assert "font-family" not in response.content.decode()
    links = {a.get_text(" ", strip=True): a["href"] for a in soup.select("a.govuk-link")}
    assert (
        links["Knife Crime Prevention Programme - year one report (PDF)"]
        == "https://democracy.greystone.example/documents/s7781/Knife%20crime%20programme.pdf"
    )
    assert "published 4 October 2024" in text
    # The restricted item shows its title and reason, never its minutes or papers.
    assert "information relating to the financial or business affairs" in text
    assert "tenders received" not in text
    assert "Tender evaluation" not in text


def test_importing_twice_changes_nothing(board):
    import_file()
    before = counts()
    out = import_file()
    assert counts() == before
    assert "0 records made, 0 changed" in out


def test_a_changed_source_updates_what_the_import_made(board, tmp_path):
    import_file()
    changed = tmp_path / "changed.xml"
    changed.write_text(
        GETMEETING.read_text(encoding="utf-8").replace(
            "the report be noted; and", "the report be welcomed; and"
        ),
        encoding="utf-8",
    )
    before = counts()
    import_file(changed)
    assert counts()[:5] == before[:5]
    assert Resolution.objects.filter(text="the report be welcomed; and").count() == 1
    assert Resolution.change_history.count() == before[5 + 2] + 1


@pytest.mark.parametrize("others", [0, 10])
def test_an_import_runs_the_same_queries_whatever_else_the_site_holds(
    board, others, django_assert_max_num_queries
):
    for _ in range(others):
        MeetingFactory(partnership=board)
    # One more than the saving's own: the names not linked, with the people
    # they may be, looked up in one query for the command's report.
    with django_assert_max_num_queries(164):
        import_file()
    # Again, changing nothing: reading what is there, the lock on the
    # meeting's row that every operation takes, and the report's one query.
    with django_assert_max_num_queries(22):
        import_file()


def test_word_html_is_cleaned_to_plain_paragraphs():
    html = (
        '<p class="MsoNormal" style="margin:0"><span style="font-family:Arial">One&nbsp;<b>two</b></span>'
        "<o:p></o:p></p><ul><li>first;</li><li>second</li></ul><p><span>&nbsp;</span></p><p>Three</p>"
    )
    assert html_to_text(html) == "One two\n\nfirst;\nsecond\n\nThree"


class SavedService(http.server.BaseHTTPRequestHandler):
    """ModernGov's web service as saved files."""

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        query = urllib.parse.parse_qs(url.query)
        operation = url.path.rsplit("/", 1)[-1]
        name = {
            "GetCommittees": "getcommittees.xml",
            "GetMeetings": f"getmeetings_{query.get('lCommitteeId', [''])[0]}.xml",
            "GetMeeting": f"getmeeting_{query.get('lMeetingId', [''])[0]}.xml",
        }.get(operation)
        path = MODERNGOV / name if name else None
        if not path or not path.exists():
            self.send_error(404)
            return
        body = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def service():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), SavedService)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_committee_is_walked_through_the_web_service(board, service):
    out = io.StringIO()
    call_command(
        "import_moderngov", partnership="greystone", base_url=service, since="2024-01-01", stdout=out
    )
    meetings = {m.date.isoformat(): m for m in Meeting.objects.filter(partnership=board)}
    assert sorted(meetings) == ["2024-10-14", "2025-01-13"]
    assert meetings["2025-01-13"].status == Meeting.Status.CANCELLED
    assert meetings["2024-10-14"].items.count() == 3
    before = counts()
    call_command("import_moderngov", partnership="greystone", base_url=service, stdout=io.StringIO())
    assert counts() == before


def test_an_unknown_committee_is_named_with_those_there_are(board, service):
    with pytest.raises(CommandError, match="118 Greystone Safer Neighbourhoods Board"):
        call_command("import_moderngov", partnership="greystone", base_url=service, committee="Nope")


def test_a_file_that_is_not_xml_is_refused_clearly(board, tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<html>Service unavailable", encoding="utf-8")
    with pytest.raises(CommandError, match="Not a ModernGov XML response"):
        import_file(bad)
    assert not Meeting.objects.exists()


def test_agenda_text_attendance_states_and_declarations_are_read():
    from meetings.importers.moderngov import parse_getmeeting

    parsed = parse_getmeeting((MODERNGOV / "getmeeting_4023.xml").read_bytes())
    declarations, youth = parsed.items
    assert youth.agenda_text.startswith("To receive a presentation from Harriet Lowe, Neighbourhood")
    assert youth.presenter == "Harriet Lowe"
    assert [r.text for r in youth.resolutions] == ["That the presentation be noted."]
    assert [(a.name, a.role, a.is_chair) for a in parsed.attendees] == [
        ("Councillor Ravi Sandhu", "present", True),
        ("Councillor Elspeth Marr", "apologies", False),
        ("Councillor Owen Pryce", "present", False),
        ("Councillor Wanjiru Kamau", "absent", False),
        ("Bettina Vos", "also_present", False),
        ("Inspector Harriet Lowe", "also_present", False),
    ]
    # "Expected" is no attendance: the source never recorded it, and says so.
    assert any("Councillor Dafydd Rees" in text and "Expected" in text for text in parsed.unplaced)
    [declaration] = parsed.declarations
    assert (declaration.name, declaration.minute_number) == ("Councillor Owen Pryce", 23)
    assert declaration.interest == (
        "Councillor Owen Pryce declared a personal interest: trustee of Greystone Youth Trust"
    )


def test_a_response_defining_entities_is_refused(board, tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        "<getmeeting><meeting><meetingdate>10/03/2025</meetingdate><meetinglocation>&b;</meetinglocation>"
        "</meeting></getmeeting>",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="defines its own entities"):
        import_file(bomb)
    assert not Meeting.objects.exists()
