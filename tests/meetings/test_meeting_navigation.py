"""A long meeting page people can find their way around: contents with the
minute numbers, anchors per item and resolution, one quiet citation link per
item, and placeholders in the source kept out of the text."""

import re

import pytest
from bs4 import BeautifulSoup

from meetings.models import AgendaItem, Meeting
from partnerships.models import Partnership
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.roles import client_for, form_data, staff_user

SEFTON = "sefton-safer-communities-partnership"
DECEMBER = f"/meetings/{SEFTON}/2019-12-05/"
MARCH = f"/meetings/{SEFTON}/2020-03-12/"


@pytest.mark.django_db
def test_contents_lists_every_item_by_minute_number_before_the_items(client, initial_content):
    html = client.get(MARCH).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    contents = soup.find("nav", id="contents")
    links = [(a["href"], " ".join(a.get_text().split())) for a in contents.find_all("a")]
    items = [(href, text) for href, text in links if href.startswith("#minute-")]
    assert [href for href, _ in items] == [f"#minute-{number}" for number in range(40, 55)]
    assert ("#minute-49", "49. PREVENT ACTION PLAN") in items
    assert ("#attendance", "Attendance") in links
    # Near the top: before the attendance and the items themselves.
    assert html.index('id="contents"') < html.index('id="attendance"') < html.index('id="minute-40"')
    for href, _ in links:
        assert soup.find(id=href[1:]) is not None, href
    assert soup.find(id="minute-50-resolution-5") is not None


@pytest.mark.django_db
def test_the_citation_link_is_shown_once_per_item_not_under_every_resolution(client, initial_content):
    html = client.get(MARCH).content.decode()
    assert "link to this resolution" not in html
    soup = BeautifulSoup(html, "html.parser")
    citations = soup.select("p.app-citation")
    assert len(citations) == 15
    assert [a.get_text(" ", strip=True) for a in citations[9].find_all("a")] == [
        "Link to Minute No. 49 : PREVENT ACTION PLAN",
        "Back to contents",
    ]
    assert citations[9].find("a")["href"] == f"{MARCH}minute-49/"


@pytest.mark.django_db
def test_a_placeholder_in_the_source_is_left_out_of_the_public_text(client, initial_content):
    page = client.get(DECEMBER).content.decode()
    assert "xxxxxx" not in page and "9:30 am" not in page
    # The resolution that gives the real date stays.
    assert "That the next meeting be held on Thursday,12 March, 2020 at the Town Hall, Bootle" in page
    minute = client.get(f"{DECEMBER}minute-39/").content.decode()
    assert "xxxxxx" not in minute


@pytest.mark.django_db
def test_a_clerk_is_warned_of_a_placeholder_in_the_admin(initial_content):
    sefton = Partnership.objects.get(slug=SEFTON)
    clerk = client_for(staff_user("sefton-clerk", "Clerk", [sefton]))
    december = Meeting.objects.get(partnership=sefton, date="2019-12-05")
    page = clerk.get(f"/admin/meetings/meeting/{december.pk}/change/").content.decode()
    assert "looks like an unfilled placeholder (“xxxxxx”)" in page
    item = AgendaItem.objects.get(meeting=december, minute_number=39)
    assert (
        "unfilled placeholder" in clerk.get(f"/admin/meetings/agendaitem/{item.pk}/change/").content.decode()
    )
    march = Meeting.objects.get(partnership=sefton, date="2020-03-12")
    assert (
        "unfilled placeholder"
        not in clerk.get(f"/admin/meetings/meeting/{march.pk}/change/").content.decode()
    )


@pytest.mark.django_db
def test_a_clerk_typing_a_placeholder_is_warned_and_the_public_never_sees_it(client):
    meeting = MeetingFactory(minutes_status=Meeting.MinutesStatus.PUBLISHED)
    item = AgendaItemFactory(meeting=meeting, minute_number=1, minutes="The report was noted.")
    clerk = client_for(staff_user("clerk", "Clerk", [meeting.partnership]))
    url = f"/admin/meetings/agendaitem/{item.pk}/change/"
    data = form_data(clerk.get(url))
    data["minutes"] = "The report was noted.\n\nThe next meeting will be on XXXX at 10am."
    response = clerk.post(url, data, follow=True)
    assert "looks like an unfilled placeholder (“XXXX”)" in response.content.decode()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "The report was noted." in page
    assert not re.search("XXXX", page)
