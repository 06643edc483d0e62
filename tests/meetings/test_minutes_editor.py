"""The minutes editor: a clerk enters a whole meeting on one screen
(meetings/editor.py), and the public then sees it."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import AgendaItem, Attendance, Meeting, Resolution
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, ResolutionFactory
from tests.partnerships.factories import MembershipFactory, PartnershipFactory, SeatFactory
from tests.roles import client_for, form_data, staff_user

ADD_URL = "/admin/meetings/meeting/editor/"
# Showing the editor, and saving a change to one item, at any size. Its
# person fields list every person on the site (two queries) and the first
# minute number's hint reads the year's last minute (one).
GET_QUERIES = 25
# Saving is one operation: it locks the meeting's row and writes the one
# history row of the meeting that names it.
SAVE_QUERIES = 39


def editor_url(meeting):
    return f"/admin/meetings/meeting/{meeting.pk}/editor/"


def press(client, response, action, **fields):
    """Post the editor's form as it stands, with `fields` changed, pressing
    the button `action`."""
    data = form_data(response, "minutes-editor")
    data.update({name: str(value) for name, value in fields.items()})
    data["action"] = action
    form = BeautifulSoup(response.content, "html.parser").find("form", id="minutes-editor")
    return client.post(form.get("action") or response.request["PATH_INFO"], data)


def item_values(response, name):
    soup = BeautifulSoup(response.content, "html.parser")
    found = []
    for field in soup.select(f"[name^=items-][name$=-{name}]"):
        if field.find_parent("template") is not None:
            continue
        found.append(field.get_text() if field.name == "textarea" else field.get("value", ""))
    return [value.lstrip("\n") for value in found]


@pytest.fixture
def sefton(db):
    return PartnershipFactory(name="Sefton Safer Communities Partnership", slug="sefton")


@pytest.fixture
def clerk(sefton):
    return staff_user("sefton-clerk", "Clerk", [sefton])


@pytest.fixture
def members(sefton):
    return [
        MembershipFactory(
            seat=SeatFactory(partnership=sefton, order=n), person__name=name, person__title=title
        )
        for n, (title, name) in enumerate(
            [("Councillor", "T. Hardy"), ("", "Karen Rooney"), ("", "Tony Harland")], start=1
        )
    ]


@pytest.fixture
def december(sefton):
    """The partnership's last meeting, with its standing items, numbered to 39."""
    meeting = MeetingFactory(partnership=sefton, date=datetime.date(2019, 12, 5))
    for number, title in [
        (28, "Apologies for Absence"),
        (29, "Declarations of Interest"),
        (30, "Minutes of Previous Meeting"),
        (39, "Date of Next Meeting"),
    ]:
        AgendaItemFactory(meeting=meeting, minute_number=number, title=title, agenda_text="")
    AgendaItem.objects.filter(meeting=meeting, minute_number=29).update(
        agenda_text="Members are requested..."
    )
    return meeting


def test_a_clerk_enters_a_meeting_and_the_public_sees_it(sefton, clerk, members, december):
    client = client_for(clerk)
    page = client.get(ADD_URL)
    assert page.status_code == 200
    # A clerk of one partnership finds it chosen.
    assert form_data(page, "minutes-editor")["partnership"] == str(sefton.pk)
    page = press(client, page, "standing", date="2020-03-12", add_count=1)
    assert item_values(page, "title") == [
        "Apologies for Absence",
        "Declarations of Interest",
        "Minutes of Previous Meeting",
        "",
    ]
    assert item_values(page, "minute_number") == ["40", "41", "42", "43"]
    assert item_values(page, "resolutions")[2] == (
        "That the Minutes of the meeting held on 5 December 2019 be confirmed as a correct record."
    )
    hardy, rooney, harland = (m.person for m in members)
    response = press(
        client,
        page,
        "save",
        start_time="10:00",
        venue="Town Hall, Bootle",
        next_meeting_date="2020-06-11",
        **{
            "items-0-minutes": "Apologies for absence were submitted from, Tony Harland.",
            "items-3-title": "Female Out of Court Disposal Project",
            "items-3-presenter_name": "Chris Millward",
            "items-3-minutes": "Chris Millward gave a presentation.",
            "items-3-resolutions": "(1) That future funding be considered;\n\n(2) A letter of support be sent.",
            f"member-{hardy.pk}-attendance": "chair",
            f"member-{hardy.pk}-name": "Councillor Hardy",
            f"member-{rooney.pk}-attendance": "present",
            f"member-{harland.pk}-attendance": "apologies",
            "others-0-name": "Councillor Maher",
            "others-0-role": "also_present",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.get(partnership=sefton, date=datetime.date(2020, 3, 12))
    assert response["Location"] == editor_url(meeting)
    assert [(i.minute_number, i.title) for i in meeting.items.all()] == [
        (40, "Apologies for Absence"),
        (41, "Declarations of Interest"),
        (42, "Minutes of Previous Meeting"),
        (43, "Female Out of Court Disposal Project"),
    ]
    assert [r.text for r in Resolution.objects.filter(item__minute_number=43)] == [
        "That future funding be considered;",
        "A letter of support be sent.",
    ]
    assert Meeting.objects.filter(partnership=sefton, date=datetime.date(2020, 6, 11)).exists()
    # The editor does not publish; the clerk does, on the admin's list.
    assert meeting.minutes_status == Meeting.MinutesStatus.NONE
    client.post(
        "/admin/meetings/meeting/",
        {"action": "publish_minutes", "_selected_action": [meeting.pk]},
        follow=True,
    )
    public = client_for_public().get(meeting.get_absolute_url())
    text = BeautifulSoup(public.content, "html.parser").get_text(" ", strip=True)
    assert "Female Out of Court Disposal Project" in text
    assert "(1) That future funding be considered;" in text
    assert "(2) A letter of support be sent." in text
    assert "Councillor Hardy (in the Chair)" in text
    assert re.search(r"Also present\s+Councillor Maher", text)
    assert re.search(r"Apologies\s+Tony Harland", text), text


def client_for_public():
    from django.test import Client

    return Client()


def test_another_partnerships_meeting_is_answered_as_an_unknown_id(sefton, clerk):
    # Dated apart from the one the clerk tries to add (the factory's dates
    # run on from test to test, and would reach it).
    other = MeetingFactory(partnership=PartnershipFactory(), date=datetime.date(2020, 1, 9))
    client = client_for(clerk)
    theirs = client.get(editor_url(other))
    unknown = client.get("/admin/meetings/meeting/999999/editor/")
    assert theirs.status_code == unknown.status_code == 302
    assert theirs["Location"] == unknown["Location"] == "/admin/"
    # Nor can the clerk save into it, or add a meeting to it.
    response = client.post(editor_url(other), {"action": "save"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    page = client.get(ADD_URL)
    response = press(client, page, "save", partnership=other.partnership_id, date="2020-03-12")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Meeting.objects.filter(date=datetime.date(2020, 3, 12)).exists()


def test_an_error_keeps_everything_typed(sefton, clerk, members, december):
    client = client_for(clerk)
    page = press(client, client.get(ADD_URL), "add", date="2020-03-12", add_count=2)
    response = press(
        client,
        page,
        "save",
        date="12 March",
        venue="Bootle Town Hall, as typed",
        **{
            "items-0-title": "",
            "items-0-minutes": "Karen Rooney gave a presentation.",
            "items-1-title": "Conference Report",
            "items-1-resolutions": "That the report be noted.",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    soup = BeautifulSoup(html, "html.parser")
    summary = soup.select_one(".govuk-error-summary")
    assert "Enter a valid date." in summary.get_text()
    assert "Give the item its title, as the agenda prints it." in summary.get_text()
    # Each message is beside its field, and linked from the summary.
    assert soup.select_one("#id_date-error") is not None
    assert soup.select_one("#id_items-0-title-error") is not None
    assert summary.select_one('a[href="#id_items-0-title"]') is not None
    data = form_data(response, "minutes-editor")
    assert data["date"] == "12 March"
    assert data["venue"] == "Bootle Town Hall, as typed"
    assert data["items-0-minutes"] == "Karen Rooney gave a presentation."
    assert data["items-1-resolutions"] == "That the report be noted."
    assert not Meeting.objects.filter(venue="Bootle Town Hall, as typed").exists()


def test_a_minute_number_used_by_another_meeting_is_refused_and_nothing_is_saved(sefton, clerk, december):
    client = client_for(clerk)
    page = press(client, client.get(ADD_URL), "add", date="2020-03-12", add_count=2)
    response = press(
        client,
        page,
        "save",
        **{"items-0-title": "PREVENT", "items-1-title": "Late item", "items-1-minute_number": 39},
    )
    assert response.status_code == 200
    assert "Minute No. 39 is already used by the meeting of 5 December 2019" in response.content.decode()
    assert not Meeting.objects.filter(date=datetime.date(2020, 3, 12)).exists()
    assert not AgendaItem.objects.filter(title="PREVENT").exists()


def test_items_are_renumbered_as_they_are_added_moved_and_removed(sefton, clerk, december):
    meeting = MeetingFactory(partnership=sefton, date=datetime.date(2020, 3, 12))
    for number, title in [(40, "A"), (41, "B"), (42, "C")]:
        AgendaItemFactory(meeting=meeting, minute_number=number, order=number, title=title)
    client = client_for(clerk)
    page = client.get(editor_url(meeting))
    assert item_values(page, "minute_number") == ["40", "41", "42"]
    page = press(client, page, "up:2", **{"items-0-minutes": "Typed, not saved."})
    assert item_values(page, "title") == ["A", "C", "B"]
    assert item_values(page, "minute_number") == ["40", "41", "42"]
    assert item_values(page, "minutes")[0] == "Typed, not saved."
    page = press(client, page, "down:0")
    assert item_values(page, "title") == ["C", "A", "B"]
    page = press(client, page, "add", add_count=2)
    assert item_values(page, "minute_number") == ["40", "41", "42", "43", "44"]
    page = press(client, page, "remove:1")
    assert item_values(page, "title") == ["C", "B", "", ""]
    assert item_values(page, "minute_number") == ["40", "41", "42", "43"]
    response = press(client, page, "save", **{"items-2-title": "D"})
    assert response.status_code == 302
    assert [(i.minute_number, i.title) for i in meeting.items.all()] == [(40, "C"), (41, "B"), (42, "D")]
    # The rows kept are the same records, their history continued.
    assert AgendaItem.objects.get(title="C").change_history.count() == 2


def test_standing_items_come_from_the_last_meeting_once(sefton, clerk, december):
    meeting = MeetingFactory(partnership=sefton, date=datetime.date(2020, 3, 12))
    client = client_for(clerk)
    page = client.get(editor_url(meeting))
    assert "Add the standing items of 5 December 2019" in page.content.decode()
    page = press(client, page, "standing")
    assert item_values(page, "title") == [
        "Apologies for Absence",
        "Declarations of Interest",
        "Minutes of Previous Meeting",
    ]
    assert item_values(page, "agenda_text")[1] == "Members are requested..."
    # Pressed again, it adds no second copy.
    page = press(client, page, "standing")
    assert item_values(page, "title").count("Apologies for Absence") == 1


def test_an_unchanged_save_writes_nothing(sefton, clerk, december):
    client = client_for(clerk)
    # The first save numbers the items' order 1, 2, 3...; the second has
    # nothing to change.
    press(client, client.get(editor_url(december)), "save")
    page = client.get(editor_url(december))
    before = AgendaItem.change_history.count()
    response = press(client, page, "save")
    assert response.status_code == 302
    assert AgendaItem.change_history.count() == before


def build_meeting(partnership, day, size, first_number):
    meeting = MeetingFactory(partnership=partnership, date=day, minutes_status=Meeting.MinutesStatus.NONE)
    for n in range(size):
        item = AgendaItemFactory(meeting=meeting, minute_number=first_number + n, title=f"Item {n}")
        for number in (1, 2):
            ResolutionFactory(item=item, number=number, text=f"Resolution {number} of item {n}.")
    for n in range(size):
        Attendance.objects.create(meeting=meeting, name=f"Attendee {n}", role="present", order=n)
    return meeting


def test_the_editor_runs_a_fixed_number_of_queries(sefton, clerk):
    """Showing the editor, and saving it when one item's resolution changed,
    cost the same whether the meeting has 3 items or 12 (and as many
    members and attendees)."""
    client = client_for(clerk)
    counts = []
    for size, day in [(3, datetime.date(2020, 3, 12)), (12, datetime.date(2021, 3, 12))]:
        meeting = build_meeting(sefton, day, size, 40)
        for _ in range(size):
            MembershipFactory(seat=SeatFactory(partnership=sefton))
        press(client, client.get(editor_url(meeting)), "save")
        with CaptureQueriesContext(connection) as shown:
            page = client.get(editor_url(meeting))
        with CaptureQueriesContext(connection) as saved:
            response = press(client, page, "save", **{"items-1-resolutions": "That the report be noted."})
        assert response.status_code == 302
        assert [r.text for r in Resolution.objects.filter(item__meeting=meeting, item__title="Item 1")] == [
            "That the report be noted."
        ]
        counts.append((len(shown), len(saved)))

    print("editor queries (show, save) at 3 and 12 items:", counts)
    assert counts[0] == counts[1]
    assert counts[0][0] <= GET_QUERIES and counts[0][1] <= SAVE_QUERIES


def test_the_admin_proposes_the_partnership_and_the_next_minute_number(sefton, clerk, december):
    client = client_for(clerk)
    page = client.get("/admin/meetings/meeting/add/")
    data = form_data(page)
    assert data["partnership"] == str(sefton.pk)
    meeting = MeetingFactory(partnership=sefton, date=datetime.date(2020, 3, 12))
    page = client.get(f"/admin/meetings/agendaitem/add/?meeting={meeting.pk}")
    assert form_data(page)["minute_number"] == "40"
    assert "The next free number in this municipal year is 40." in page.content.decode()
    page = client.get(f"/admin/meetings/meeting/{meeting.pk}/change/")
    assert "The next free number in this municipal year is 40." in page.content.decode()
    assert f"/admin/meetings/meeting/{meeting.pk}/editor/" in page.content.decode()
