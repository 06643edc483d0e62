"""The open-data API's meetings (events) and consultations, the CSV
downloads, meetings and minutes in sitemap.xml, and the meeting page's
schema.org JSON-LD."""

import csv
import datetime
import io
import json
import re
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from consultation.models import Answer, Choice, Consultation, Question, Response, new_reference
from meetings.models import Meeting
from tests.meetings.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    DocumentFactory,
    MeetingFactory,
    ResolutionFactory,
)
from tests.partnerships.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL
# count, page, items, resolutions, attendance, documents
EVENTS_QUERIES = 6
# count, page, questions, choices
CONSULTATIONS_QUERIES = 4
# partnership, rows
CSV_QUERIES = 2


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def test_an_event_has_its_agenda_attendance_and_documents(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = MeetingFactory(
        start_time=datetime.time(15, 0), venue="Bootle Town Hall", minutes_status="confirmed"
    )
    item = AgendaItemFactory(meeting=meeting, minute_number=32, title="Knife crime", minutes="Discussed.")
    ResolutionFactory(item=item, number=1, text="That the report be noted.")
    document = DocumentFactory(meeting=meeting, item=item, title="Plan")
    document.file.save(
        "plan.pdf", __import__("django.core.files.base", fromlist=["x"]).ContentFile(b"%PDF-1.4")
    )
    attendance = AttendanceFactory(meeting=meeting, is_chair=True)
    data = get_json(client, f"/api/events/event-{meeting.pk}/")
    assert data["id"] == f"event-{meeting.pk}"
    assert data["html_url"] == f"{SITE}{meeting.get_absolute_url()}"
    # ISO 8601 with the UTC offset in force in London that day.
    london = datetime.datetime.combine(meeting.date, datetime.time(15, 0), tzinfo=ZoneInfo("Europe/London"))
    assert data["start_date"] == london.isoformat()
    assert data["start_date"][-6:] in ("+00:00", "+01:00")
    assert datetime.datetime.fromisoformat(data["start_date"]) == london
    assert data["location"] == "Bootle Town Hall"
    assert data["organization_id"] == f"partnership-{meeting.partnership_id}"
    assert data["extras"]["meeting_status"] == meeting.status
    assert data["status"] == {"held": "passed", "scheduled": "confirmed"}[meeting.status]
    assert data["extras"]["minutes_status"] == "confirmed"
    (agenda_item,) = data["agenda"]
    assert agenda_item["notes"] == ["Discussed."]
    assert agenda_item["extras"]["minute_number"] == 32
    (resolution,) = meeting.items.get().resolutions.all()
    assert agenda_item["extras"]["resolutions"] == [
        {
            "id": f"resolution-{resolution.pk}",
            "number": 1,
            "text": "That the report be noted.",
            "citation": "Minute No. 32 (Resolution 1)",
        }
    ]
    assert agenda_item["extras"]["document_ids"] == [f"document-{document.pk}"]
    (document_json,) = data["documents"]
    assert document_json["note"] == "Plan"
    assert document_json["media_type"] == "application/pdf"
    assert document_json["links"] == [
        {"url": f"{SITE}{document.get_absolute_url()}", "media_type": "application/pdf"}
    ]
    assert data["participants"] == [
        {
            "name": attendance.display_name,
            "entity_type": "person",
            "entity_id": f"person-{attendance.person_id}",
            "entity_name": attendance.display_name,
            "note": "Present",
            "extras": {"attendance": "present", "chair": True},
        }
    ]
    assert data["sources"] == [{"url": data["html_url"], "note": "the meeting's page"}]


def test_events_never_show_draft_minutes_or_exempt_items(client):
    meeting = MeetingFactory(minutes_status="none")
    AgendaItemFactory(meeting=meeting, minutes="Draft words.", agenda_text="Public agenda.")
    ResolutionFactory(item=meeting.items.get(), text="Draft resolution.")
    exempt_meeting = MeetingFactory(minutes_status="confirmed")
    exempt = AgendaItemFactory(
        meeting=exempt_meeting,
        is_exempt=True,
        exempt_paragraph=3,
        exempt_reason="commercial",
        minutes="Secret.",
        agenda_text="Secret agenda.",
    )
    ResolutionFactory(item=exempt, text="Secret resolution.")
    DocumentFactory(meeting=exempt_meeting, item=exempt, title="Secret paper")
    body = client.get("/api/events/").content.decode()
    for secret in (
        "Draft words",
        "Draft resolution",
        "Secret.",
        "Secret agenda",
        "Secret resolution",
        "Secret paper",
    ):
        assert secret not in body
    assert "Public agenda." in body
    exempt_json = get_json(client, f"/api/events/event-{exempt_meeting.pk}/")["agenda"][0]
    assert exempt_json["extras"]["exempt"] is True and exempt_json["extras"]["exempt_reason"] == "commercial"
    assert exempt_json["notes"] == [] and exempt_json["extras"]["resolutions"] == []


def test_events_filter_by_status_and_reject_bad_values(client):
    MeetingFactory(status=Meeting.Status.CANCELLED)
    MeetingFactory(status=Meeting.Status.HELD)
    assert get_json(client, "/api/events/?status=cancelled")["count"] == 1
    assert get_json(client, "/api/events/?status=junk", status=400)["error"]["status"] == 400
    assert get_json(client, "/api/events/event-99999/", status=404)["error"]["status"] == 404
    assert get_json(client, "/api/events/meeting-1/", status=404)["error"]["status"] == 404


@pytest.mark.parametrize("size", [1, 8])
def test_event_list_query_count_is_fixed(client, django_assert_max_num_queries, size):
    for _ in range(size):
        meeting = MeetingFactory()
        item = AgendaItemFactory(meeting=meeting)
        ResolutionFactory(item=item)
        AttendanceFactory(meeting=meeting)
        DocumentFactory(meeting=meeting, item=item)
    with django_assert_max_num_queries(EVENTS_QUERIES):
        data = get_json(client, "/api/events/")
    assert data["count"] == size


def make_consultation(closed=True, published=True):
    now = timezone.now()
    consultation = Consultation.objects.create(
        title="Street lights",
        slug=f"lights-{closed}-{published}",
        run_by="The PCC",
        summary="Lights.",
        privacy_notice="We keep it.",
        delete_responses_after=timezone.localdate() + datetime.timedelta(days=400),
        opens_at=now - datetime.timedelta(days=10),
        closes_at=now - datetime.timedelta(days=1) if closed else now + datetime.timedelta(days=1),
        results_published=published,
        outcome="We fixed the lights.",
    )
    question = Question.objects.create(
        consultation=consultation, code="support", text="Do you support it?", kind=Question.Kind.SINGLE
    )
    Choice.objects.create(question=question, code="yes", label="Yes", order=1)
    Choice.objects.create(question=question, code="no", label="No", order=2)
    for code in ("yes", "yes", "no"):
        response = Response.objects.create(
            consultation=consultation, channel="online", reference=new_reference()
        )
        Answer.objects.create(response=response, question=question, choice_code=code)
    return consultation


def test_consultations_give_questions_and_published_results_never_responses(client):
    consultation = make_consultation()
    data = get_json(client, f"/api/consultations/consultation-{consultation.pk}/")
    assert [q["code"] for q in data["questions"]] == ["support"]
    assert data["questions"][0]["choices"] == [{"code": "yes", "label": "Yes"}, {"code": "no", "label": "No"}]
    (result,) = data["results"]
    assert result["answered"] == 3
    assert {c["code"]: c["count"] for c in result["choices"]} == {"yes": 2, "no": 1}
    text = json.dumps(data)
    assert "reference" not in text and "submitted_at" not in text and "client" not in text


def test_unpublished_results_are_not_in_the_api(client):
    open_one = make_consultation(closed=False, published=True)
    data = get_json(client, f"/api/consultations/consultation-{open_one.pk}/")
    assert "results" not in data and data["outcome"] is None


@pytest.mark.parametrize("size", [1, 6])
def test_consultation_list_query_count_is_fixed(client, django_assert_max_num_queries, size):
    for n in range(size):
        consultation = make_consultation()
        consultation.slug = f"c-{n}"
        consultation.save()
    with django_assert_max_num_queries(CONSULTATIONS_QUERIES):
        assert get_json(client, "/api/consultations/")["count"] == size


def test_api_page_documents_the_new_endpoints(client):
    meeting = MeetingFactory()
    html = client.get("/api/").content.decode()
    for collection in ("events", "consultations"):
        assert f'href="{SITE}/api/{collection}/"' in html
    example = json.loads(
        html.split("<samp>")[1].split("</samp>")[0].split("\n\n", 1)[1].replace("&quot;", '"')
    )
    assert example.keys() == get_json(client, f"/api/events/event-{meeting.pk}/").keys()


# --- CSV ---------------------------------------------------------------


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_resolutions_csv_has_public_resolutions_with_formulas_neutralised(client):
    partnership = PartnershipFactory()
    meeting = MeetingFactory(partnership=partnership, minutes_status="published")
    item = AgendaItemFactory(meeting=meeting, minute_number=5, title='=HYPERLINK("x")')
    resolution = ResolutionFactory(item=item, number=1, text="Noted – with thanks.")
    draft = AgendaItemFactory(meeting=MeetingFactory(partnership=partnership, minutes_status="none"))
    ResolutionFactory(item=draft, text="Draft resolution")
    exempt = AgendaItemFactory(meeting=meeting, is_exempt=True, exempt_paragraph=1, exempt_reason="personal")
    ResolutionFactory(item=exempt, text="Exempt resolution")
    ResolutionFactory(item=AgendaItemFactory(meeting=MeetingFactory()), text="Another partnership's")
    rows = read_csv(client.get(f"/api/partnerships/{partnership.slug}/resolutions.csv"))
    assert len(rows) == 1
    assert rows[0]["item_title"] == '\'=HYPERLINK("x")'
    assert rows[0]["text"] == "Noted – with thanks."
    assert rows[0]["url"] == f"{SITE}{resolution.get_absolute_url()}"


def test_attendance_csv_by_meeting(client):
    partnership = PartnershipFactory()
    meeting = MeetingFactory(partnership=partnership)
    AttendanceFactory(meeting=meeting, person=None, name="@Someone", role="apologies")
    rows = read_csv(client.get(f"/api/partnerships/{partnership.slug}/attendance.csv"))
    assert rows == [
        {
            "meeting_date": meeting.date.isoformat(),
            "name": "'@Someone",
            "person_id": "",
            "role": "Apologies",
            "in_the_chair": "",
            "meeting_url": f"{SITE}{meeting.get_absolute_url()}",
        }
    ]
    assert client.get("/api/partnerships/no-such/attendance.csv").status_code == 404


@pytest.mark.parametrize("size", [1, 10])
def test_csv_query_counts_are_fixed(client, django_assert_max_num_queries, size):
    partnership = PartnershipFactory()
    for _ in range(size):
        meeting = MeetingFactory(partnership=partnership)
        ResolutionFactory(item=AgendaItemFactory(meeting=meeting))
        AttendanceFactory(meeting=meeting)
    for name in ("resolutions", "attendance"):
        with django_assert_max_num_queries(CSV_QUERIES):
            assert len(read_csv(client.get(f"/api/partnerships/{partnership.slug}/{name}.csv"))) == size


# --- sitemap and JSON-LD ------------------------------------------------


def test_sitemap_lists_meetings_and_minutes(client):
    item = AgendaItemFactory(minute_number=7)
    assert f"<loc>{SITE}/sitemap-meetings.xml</loc>" in client.get("/sitemap.xml").content.decode()
    meetings = client.get("/sitemap-meetings.xml").content.decode()
    assert f"<loc>{SITE}{item.meeting.get_absolute_url()}</loc>" in meetings
    minutes = client.get("/sitemap-minutes.xml").content.decode()
    assert f"<loc>{SITE}{item.get_absolute_url()}</loc>" in minutes


def test_meeting_page_has_event_json_ld_and_calendar_links(client):
    meeting = MeetingFactory(
        start_time=datetime.time(15, 0), venue="Bootle </script> Hall", status="cancelled"
    )
    html = client.get(meeting.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "Event"
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert data["startDate"].startswith(f"{meeting.date.isoformat()}T15:00:00")
    assert data["location"]["name"] == "Bootle </script> Hall"
    assert "</script> Hall" not in block  # escaped, cannot end the element
    assert f'href="{meeting.get_absolute_url()}calendar.ics"' in html
    assert "Add to calendar" in html
