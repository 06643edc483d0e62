"""The minutes editor is the clerk's front door: linked from the admin's
index, each partnership's admin page and each meeting in the meetings list;
and the meeting's history names each operation, its reason and who did it."""

import datetime

from bs4 import BeautifulSoup

from meetings.models import Meeting
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.partnerships.factories import PartnershipFactory
from tests.roles import client_for, form_data, staff_user

from .test_minutes_editor import editor_url, press


def links(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return {a.get_text(" ", strip=True): a["href"] for a in soup.select("#content-main a")}


def test_the_admin_index_offers_the_editor_for_the_clerks_own_partnerships(sefton, clerk):
    other = PartnershipFactory(name="Knowsley Community Safety Partnership")
    theirs = MeetingFactory(partnership=other, date=datetime.date(2020, 3, 5))
    ours = MeetingFactory(partnership=sefton, date=datetime.date(2020, 3, 12))
    found = links(client_for(clerk).get("/admin/"))
    add = found["Enter a meeting of the Sefton Safer Communities Partnership in the minutes editor"]
    assert add == f"/admin/meetings/meeting/editor/?partnership={sefton.pk}"
    assert not any("Knowsley" in text for text in found)
    assert found["Import minutes from a Word document, a PDF or a ModernGov page"] == "/admin/import-minutes/"
    assert editor_url(ours) in found.values() and editor_url(theirs) not in found.values()


def test_the_link_names_the_partnership_the_editor_starts_with(sefton, db):
    knowsley = PartnershipFactory(name="Knowsley Community Safety Partnership")
    clerk_of_both = staff_user("both", "Clerk", [sefton, knowsley])
    client = client_for(clerk_of_both)
    assert form_data(client.get("/admin/meetings/meeting/editor/"), "minutes-editor")["partnership"] == ""
    page = client.get(f"/admin/meetings/meeting/editor/?partnership={knowsley.pk}")
    assert form_data(page, "minutes-editor")["partnership"] == str(knowsley.pk)
    # Another partnership's id is ignored, as any the clerk may not see.
    stranger = PartnershipFactory()
    page = client.get(f"/admin/meetings/meeting/editor/?partnership={stranger.pk}")
    assert form_data(page, "minutes-editor")["partnership"] == ""


def test_each_meeting_in_the_list_and_each_partnership_page_links_the_editor(sefton, clerk):
    meeting = MeetingFactory(partnership=sefton, date=datetime.date(2020, 3, 12))
    confirmed = MeetingFactory(
        partnership=sefton, date=datetime.date(2019, 12, 5), minutes_status=Meeting.MinutesStatus.CONFIRMED
    )
    client = client_for(clerk)
    listed = client.get("/admin/meetings/meeting/")
    found = links(listed)
    assert found[f"Open {meeting} in the minutes editor"] == editor_url(meeting)
    assert editor_url(confirmed) not in found.values()
    page = client.get(f"/admin/partnerships/partnership/{sefton.pk}/change/")
    soup = BeautifulSoup(page.content, "html.parser")
    tools = {a.get_text(strip=True): a["href"] for a in soup.select(".object-tools a")}
    assert (
        tools["Enter a meeting in the minutes editor"]
        == f"/admin/meetings/meeting/editor/?partnership={sefton.pk}"
    )


def test_the_history_names_each_operation_its_reason_and_who(sefton, clerk):
    meeting = MeetingFactory(
        partnership=sefton,
        date=datetime.date(2020, 3, 12),
        status=Meeting.Status.DRAFT,
        minutes_status=Meeting.MinutesStatus.NONE,
    )
    AgendaItemFactory(meeting=meeting, minute_number=40, title="Apologies for Absence")
    client = client_for(clerk)
    assert (
        press(client, client.get(editor_url(meeting)), "save", **{"items-0-minutes": "None."}).status_code
        == 302
    )
    page = client.get(editor_url(meeting))
    response = press(client, page, "save-and-publish_agenda")
    assert response.status_code == 302, [
        e.get_text() for e in BeautifulSoup(response.content, "html.parser").select(".govuk-error-summary li")
    ]
    history = client.get(f"/admin/meetings/meeting/{meeting.pk}/history/")
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.select("td, th")]
        for row in BeautifulSoup(history.content, "html.parser").select("#change-history tbody tr")
    ]
    # Newest first: the operation, by name, with the clerk who ran it.
    assert "Publish the agenda" in " ".join(rows[0]) and "clerk" in rows[0]
    assert "Edited in the minutes editor" in " ".join(rows[1]) and "clerk" in rows[1]
