"""The clerk's admin: one screen for a meeting, clear messages for bad
input that keep what was typed, and the publishing actions."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.models import AgendaItem, Attendance, Document, Meeting
from tests.documents import pptx_bytes
from tests.helpers import ADD_URL, meeting_form
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, ResolutionFactory
from tests.partnerships.factories import MembershipFactory, PartnershipFactory, SeatFactory


@pytest.mark.django_db
def test_clerk_enters_a_meeting_on_one_screen(staff_client, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    partnership = PartnershipFactory()
    data = meeting_form(
        partnership,
        **{
            "documents-0-title": "Presentation",
            "documents-0-file": SimpleUploadedFile("slides.pptx", pptx_bytes()),
        },
    )
    response = staff_client.post(ADD_URL, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.get()
    assert [(i.minute_number, i.title) for i in meeting.items.all()] == [
        (40, "Apologies for Absence"),
        (41, "Female Out of Court Disposal Project"),
    ]
    assert meeting.attendances.get(is_chair=True).name == "Councillor Hardy"
    document = Document.objects.get()
    assert document.format_display == "PowerPoint 1 KB"
    # Draft minutes are not public until the clerk publishes them.
    assert (
        "Chris Millward gave a presentation." not in client.get(meeting.get_absolute_url()).content.decode()
    )
    changelist = "/admin/meetings/meeting/"
    staff_client.post(changelist, {"action": "publish_minutes", "_selected_action": [meeting.pk]})
    meeting.refresh_from_db()
    assert meeting.minutes_status == "published"
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Agenda and draft minutes" in page and "Chris Millward gave a presentation." in page


@pytest.mark.django_db
def test_the_item_screen_takes_resolutions(staff_client):
    item = AgendaItemFactory(minute_number=43)
    url = f"/admin/meetings/agendaitem/{item.pk}/change/"
    assert staff_client.get(url).status_code == 200
    data = {
        "meeting": item.meeting.pk,
        "minute_number": "43",
        "order": "1",
        "title": item.title,
        "presenter": "",
        "presenter_name": "Chris Millward",
        "agenda_text": "",
        "minutes": "A presentation.",
        "exempt_paragraph": "",
        "exempt_reason": "",
        "resolutions-TOTAL_FORMS": "2",
        "resolutions-INITIAL_FORMS": "0",
        "resolutions-MIN_NUM_FORMS": "0",
        "resolutions-MAX_NUM_FORMS": "1000",
        "resolutions-0-number": "1",
        "resolutions-0-text": "That future funding be considered;",
        "resolutions-1-number": "2",
        "resolutions-1-text": "That it be placed on record.",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 302
    assert [str(r) for r in item.resolutions.all()] == [
        "Minute No. 43 (Resolution 1)",
        "Minute No. 43 (Resolution 2)",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("run.exe", b"MZ\x90\x00", "is not a document type the site publishes"),
        (
            "report.pdf",
            b"<html><script>alert(1)</script></html>",
            "is named as a PDF file but its contents are not",
        ),
    ],
)
def test_a_bad_upload_is_a_clear_error_and_loses_nothing_typed(staff_client, name, content, message):
    partnership = PartnershipFactory()
    data = meeting_form(
        partnership,
        **{"documents-0-title": "Report", "documents-0-file": SimpleUploadedFile(name, content)},
    )
    response = staff_client.post(ADD_URL, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    # Everything typed is still in the form, and nothing was saved.
    for typed in [
        "Female Out of Court Disposal Project",
        "Chris Millward gave a presentation.",
        "Tony Harland",
        "Town Hall, Bootle",
    ]:
        assert typed in page
    assert not Meeting.objects.exists() and not AgendaItem.objects.exists()


@pytest.mark.django_db
def test_an_oversized_upload_is_a_clear_error(staff_client, settings):
    settings.MEETINGS_DOCUMENT_MAX_BYTES = 100
    data = meeting_form(
        PartnershipFactory(),
        **{
            "documents-0-title": "Report",
            "documents-0-file": SimpleUploadedFile("r.pdf", b"%PDF-" + b"0" * 500),
        },
    )
    response = staff_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert "documents must be 100\xa0bytes or smaller" in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_two_items_with_one_minute_number_is_a_clear_error(staff_client):
    response = staff_client.post(
        ADD_URL, meeting_form(PartnershipFactory(), **{"items-1-minute_number": "40"})
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "Each item of a meeting needs its own minute number; Minute No. 40 is given to more than one item."
        in page
    )
    assert "Female Out of Court Disposal Project" in page
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_a_number_used_at_an_earlier_meeting_of_the_year_is_a_clear_error(staff_client):
    partnership = PartnershipFactory()
    december = MeetingFactory(partnership=partnership, date=datetime.date(2019, 12, 5))
    AgendaItemFactory(meeting=december, minute_number=40, title="PREVENT")
    response = staff_client.post(ADD_URL, meeting_form(partnership))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Minute No. 40 is already used by the meeting of 5 December 2019 (PREVENT)" in page
    assert "Chris Millward gave a presentation." in page
    assert Meeting.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("bad_date", ["31/02/2020", "12 Mar", "2020-13-45"])
def test_a_malformed_date_is_a_clear_error_and_loses_nothing_typed(staff_client, bad_date):
    response = staff_client.post(ADD_URL, meeting_form(PartnershipFactory(), date=bad_date))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a valid date." in page
    assert bad_date in page
    assert "Female Out of Court Disposal Project" in page and "Councillor Hardy" in page
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_the_change_screen_proposes_the_next_minute_number(staff_client):
    partnership = PartnershipFactory()
    december = MeetingFactory(partnership=partnership, date=datetime.date(2019, 12, 5))
    for number in range(28, 40):
        AgendaItemFactory(meeting=december, minute_number=number)
    march = MeetingFactory(partnership=partnership, date=datetime.date(2020, 3, 12))
    page = staff_client.get(f"/admin/meetings/meeting/{march.pk}/change/").content.decode()
    assert "The next free number in this municipal year is 40." in page
    assert 'name="items-0-minute_number" value="40"' in page


@pytest.mark.django_db
def test_a_late_agenda_warns_the_clerk(staff_client):
    data = meeting_form(
        PartnershipFactory(), agenda_published_at_0="10/03/2020", agenda_published_at_1="16:00"
    )
    response = staff_client.post(ADD_URL, data, follow=True)
    assert "fewer than the 5 the law requires" in response.content.decode()


@pytest.mark.django_db
def test_confirm_action_finds_the_confirming_minute(staff_client):
    partnership = PartnershipFactory()
    december = MeetingFactory(partnership=partnership, date=datetime.date(2019, 12, 5))
    march = MeetingFactory(partnership=partnership, date=datetime.date(2020, 3, 12))
    confirming = AgendaItemFactory(meeting=march, minute_number=42, minutes="")
    ResolutionFactory(
        item=confirming,
        text="That the Minutes of the meeting held on 5 December 2019 be confirmed as a correct record.",
    )
    lonely = MeetingFactory(partnership=partnership, date=datetime.date(2020, 6, 11))
    response = staff_client.post(
        "/admin/meetings/meeting/",
        {"action": "mark_confirmed", "_selected_action": [december.pk, lonely.pk]},
        follow=True,
    )
    december.refresh_from_db()
    lonely.refresh_from_db()
    assert december.confirmed_by == confirming and december.minutes_status == "confirmed"
    assert lonely.minutes_status != "confirmed"
    assert "choose the minute of a later meeting that confirmed these minutes." in response.content.decode()


@pytest.mark.django_db
def test_attendance_can_be_prefilled_from_the_membership(staff_client):
    partnership = PartnershipFactory()
    chair = MembershipFactory(seat=SeatFactory(partnership=partnership, role="chair"))
    member = MembershipFactory(seat=SeatFactory(partnership=partnership))
    MembershipFactory(seat=SeatFactory(partnership=partnership), ended_on="2019-01-01")  # gone by then
    meeting = MeetingFactory(partnership=partnership, date=datetime.date(2020, 3, 12))
    for _ in range(2):  # running it twice adds nobody twice
        staff_client.post(
            "/admin/meetings/meeting/", {"action": "prefill_attendance", "_selected_action": [meeting.pk]}
        )
    rows = list(Attendance.objects.filter(meeting=meeting).values_list("person", "is_chair"))
    assert sorted(rows) == sorted([(chair.person_id, True), (member.person_id, False)])


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["meeting", "agendaitem", "resolution", "action"])
def test_admin_lists_and_add_forms_load(staff_client, initial_content, model):
    assert staff_client.get(f"/admin/meetings/{model}/").status_code == 200
    assert staff_client.get(f"/admin/meetings/{model}/add/").status_code == 200


@pytest.mark.django_db
def test_seeded_meeting_change_screen_loads(staff_client, initial_content):
    march = Meeting.objects.get(date=datetime.date(2020, 3, 12))
    page = staff_client.get(f"/admin/meetings/meeting/{march.pk}/change/").content.decode()
    assert "FEMALE OUT OF COURT DISPOSAL PROJECT" in page
    assert "The next free number in this municipal year is 55." in page
