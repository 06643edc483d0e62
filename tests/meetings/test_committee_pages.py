"""The committee-site lists: meetings filtered by partnership, municipal year
and state, and every decision across meetings, each a GET form, paginated,
at a fixed number of queries."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from meetings.models import Meeting
from partnerships.models import Seat
from tests.helpers import text_of
from tests.meetings.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    DeclarationFactory,
    MeetingFactory,
    ResolutionFactory,
)
from tests.meetings.test_meetings_pages import GLOSSARY_QUERIES
from tests.partnerships.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    SeatFactory,
)

SEFTON = "sefton-safer-communities-partnership"
MARCH = f"/meetings/{SEFTON}/2020-03-12/"
# partnerships 1, municipal years 1, count 1, page 1
FILTERED_QUERIES = 4 + GLOSSARY_QUERIES
# partnerships 1, municipal years 1, count 1, page of resolutions with their meetings 1
DECISIONS_QUERIES = 4 + GLOSSARY_QUERIES


def meeting_links(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [a["href"] for a in soup.select(".app-card-list__item h3 a")]


@pytest.mark.django_db
def test_filtering_meetings_by_partnership_and_year(client, initial_content):
    response = client.get("/meetings/", {"partnership": SEFTON, "year": "2019/20"})
    assert meeting_links(response) == [
        MARCH,
        f"/meetings/{SEFTON}/2019-12-05/",
        f"/meetings/{SEFTON}/2019-09-12/",
    ]
    page = text_of(response)
    assert "3 meetings." in page
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("option", value=SEFTON).has_attr("selected")
    assert [option["value"] for option in soup.select("#meetings-year option[selected]")] == ["2019/20"]
    assert soup.find("option", value="2018/19").text == "2018/19"
    # The year runs May to April: June 2020 is 2020/21.
    later = client.get("/meetings/", {"partnership": SEFTON, "year": "2020/21"})
    assert meeting_links(later) == [f"/meetings/{SEFTON}/2020-06-11/"]


@pytest.mark.django_db
def test_filtering_meetings_by_state(client, initial_content):
    links = meeting_links(client.get("/meetings/", {"partnership": SEFTON, "state": "agenda_published"}))
    assert links == [f"/meetings/{SEFTON}/2020-06-11/"]


@pytest.mark.django_db
def test_a_bad_filter_is_a_clear_message_and_keeps_the_rest(client, initial_content):
    response = client.get("/meetings/", {"partnership": SEFTON, "year": "2019-2020"})
    assert response.status_code == 200
    page = text_of(response)
    assert page.startswith("Error: ") or "There is a problem" in page
    assert "Choose a year from the list, for example 2019/20." in page
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("option", value=SEFTON).has_attr("selected")
    assert len(meeting_links(response)) == 4  # the partnership filter still applies


@pytest.mark.django_db
def test_the_decisions_page_lists_every_public_resolution_linked_to_its_minute(client, initial_content):
    response = client.get("/decisions/", {"q": "PREVENT", "partnership": SEFTON, "year": "2019/20"})
    soup = BeautifulSoup(response.content, "html.parser")
    links = {" ".join(a.get_text().split()): a["href"] for a in soup.select(".app-card-list__item h3 a")}
    assert (
        links["Minute No. 32 (Resolution 1): PREVENT"]
        == f"/meetings/{SEFTON}/2019-12-05/minute-32/#minute-32-resolution-1"
    )
    assert "Minute No. 49 (Resolution 1): PREVENT ACTION PLAN" not in links  # its text does not say PREVENT
    everything = text_of(client.get("/decisions/"))
    assert "35 decisions" in everything


@pytest.mark.django_db
def test_past_the_decisions_it_counts_the_list_says_more_than_and_its_filters_find_the_rest(
    client, initial_content, monkeypatch
):
    """Nationally there are 700,000 decisions: the list counts at most
    MOST_DECISIONS (here 30 of the seed content's 35), offers those in pages,
    newest first, and says how to reach the older ones."""
    from meetings import views

    monkeypatch.setattr(views, "MOST_DECISIONS", 30)
    everything = text_of(client.get("/decisions/"))
    assert "More than 30 decisions: the newest 30 are listed, page 1 of 2." in everything
    assert "Choose a partnership or a municipal year, or search the text, to find older ones." in everything
    last = client.get("/decisions/", {"page": 2})
    assert last.content.decode().count('class="app-card-list__item"') == 10
    assert 'rel="next"' not in last.content.decode()
    assert client.get("/decisions/", {"page": 3}).status_code == 200  # the last page offered
    # A filter that leaves fewer is counted in full.
    filtered = text_of(client.get("/decisions/", {"q": "PREVENT"}))
    assert "More than" not in filtered and re.search(r"\b\d+ decisions?\b", filtered)


@pytest.mark.django_db
def test_meetings_on_the_same_day_list_their_decisions_one_meeting_after_the_other(client):
    """Two partnerships meeting on the same day: each meeting's decisions are
    listed together in the order of its minutes, and paging through them
    shows every decision once."""
    day = datetime.date(2020, 3, 12)
    meetings = [MeetingFactory(partnership=PartnershipFactory(), date=day) for _ in range(2)]
    for meeting in meetings:
        for number in range(1, 16):
            item = AgendaItemFactory(meeting=meeting, minute_number=number, order=number)
            ResolutionFactory(item=item, number=1, text=f"That report {number} be noted.")
    hrefs = []
    for page in (1, 2):
        soup = BeautifulSoup(client.get("/decisions/", {"page": page}).content, "html.parser")
        hrefs += [a["href"] for a in soup.select(".app-card-list__item h3 a")]
    assert len(hrefs) == len(set(hrefs)) == 30
    # The later-entered meeting first (the same day), then the other, each by minute.
    expected = [
        f"{meeting.get_absolute_url()}minute-{number}/#minute-{number}-resolution-1"
        for meeting in reversed(meetings)
        for number in range(1, 16)
    ]
    assert hrefs == expected


@pytest.mark.django_db
def test_control_characters_in_the_decisions_search_are_spaces(client, initial_content):
    # A NUL typed or pasted into the search box (PostgreSQL refuses it in a
    # query) separates words like a space, as in the site's search.
    response = client.get("/decisions/", {"q": "PREVENT\x00", "partnership": SEFTON, "year": "2019/20"})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    titles = [" ".join(a.get_text().split()) for a in soup.select(".app-card-list__item h3 a")]
    assert "Minute No. 32 (Resolution 1): PREVENT" in titles
    assert soup.find(id="decisions-q")["value"] == "PREVENT"


@pytest.mark.django_db
def test_draft_and_exempt_resolutions_are_not_decisions_the_public_sees(client):
    draft = MeetingFactory(minutes_status=Meeting.MinutesStatus.NONE)
    ResolutionFactory(item=AgendaItemFactory(meeting=draft), text="That the secret plan be approved.")
    exempt = AgendaItemFactory(is_exempt=True, exempt_paragraph=3, exempt_reason="Contracts")
    ResolutionFactory(item=exempt, text="That the contract be awarded.")
    ResolutionFactory(text="That the public report be noted.")
    page = text_of(client.get("/decisions/"))
    assert "That the public report be noted." in page
    assert "secret plan" not in page and "contract be awarded" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 45])
def test_meetings_and_decisions_query_counts_are_fixed(client, django_assert_max_num_queries, size):
    partnership = PartnershipFactory()
    for index in range(size):
        meeting = MeetingFactory(
            partnership=partnership, date=datetime.date(2019, 6, 1) + datetime.timedelta(days=7 * index)
        )
        ResolutionFactory(item=AgendaItemFactory(meeting=meeting, minute_number=1))
    with django_assert_max_num_queries(FILTERED_QUERIES):
        response = client.get("/meetings/", {"partnership": partnership.slug, "state": "held"})
    assert len(meeting_links(response)) == min(size, 20)
    with django_assert_max_num_queries(DECISIONS_QUERIES):
        response = client.get("/decisions/", {"partnership": partnership.slug, "page": 2 if size > 20 else 1})
    assert response.content.decode().count('class="app-card-list__item"') == min(size, 20)
    if size > 20:
        assert 'rel="next"' in response.content.decode() and 'rel="prev"' in response.content.decode()


# partnerships 1, municipal years 1, count 1, page of declarations with their meetings 1
DECLARATIONS_QUERIES = 4 + GLOSSARY_QUERIES


def declaration_cards(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return soup.select(".app-card-list__item")


@pytest.mark.django_db
def test_the_declarations_register_lists_public_declarations_newest_first(client):
    partnership = PartnershipFactory()
    older = MeetingFactory(partnership=partnership, date=datetime.date(2019, 9, 12))
    newer = MeetingFactory(partnership=partnership, date=datetime.date(2020, 3, 12))
    item = AgendaItemFactory(meeting=newer, minute_number=41, title="Declarations of Interest")
    DeclarationFactory(
        meeting=older, person=None, name="Cllr T. Hardy", interest="A member of the fire authority"
    )
    named = DeclarationFactory(meeting=newer, item=item, interest="A governor of a school in Bootle")
    draft = MeetingFactory(partnership=partnership, minutes_status=Meeting.MinutesStatus.NONE)
    DeclarationFactory(meeting=draft, interest="Not yet published")

    response = client.get("/declarations/")
    cards = declaration_cards(response)
    texts = [" ".join(card.get_text().split()) for card in cards]
    assert len(cards) == 2
    assert texts[0].startswith(named.person.full_name)
    assert "A governor of a school in Bootle" in texts[0]
    assert texts[1].startswith("Cllr T. Hardy")  # the name as the minutes print it
    links = [card.select_one(".app-declaration-link")["href"] for card in cards]
    assert links == [
        f"/meetings/{partnership.slug}/2020-03-12/minute-41/",
        f"/meetings/{partnership.slug}/2019-09-12/#declarations",
    ]
    assert client.get(links[0]).status_code == 200
    assert "Not yet published" not in response.content.decode()


@pytest.mark.django_db
def test_the_declarations_register_filters_by_partnership_and_year(client):
    sefton, wirral = PartnershipFactory(), PartnershipFactory()
    DeclarationFactory(
        meeting=MeetingFactory(partnership=sefton, date=datetime.date(2019, 9, 12)), interest="A"
    )
    DeclarationFactory(
        meeting=MeetingFactory(partnership=sefton, date=datetime.date(2020, 6, 11)), interest="B"
    )
    DeclarationFactory(
        meeting=MeetingFactory(partnership=wirral, date=datetime.date(2019, 9, 13)), interest="C"
    )
    response = client.get("/declarations/", {"partnership": sefton.slug, "year": "2019/20"})
    assert [card.select_one(".app-prose").get_text(strip=True) for card in declaration_cards(response)] == [
        "A"
    ]
    bad = client.get("/declarations/", {"partnership": sefton.slug, "year": "last year"})
    assert "Choose a year from the list, for example 2019/20." in text_of(bad)
    assert len(declaration_cards(bad)) == 2  # the partnership filter still applies


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 45])
def test_declarations_query_count_is_fixed(client, django_assert_max_num_queries, size):
    partnership = PartnershipFactory()
    for index in range(size):
        meeting = MeetingFactory(
            partnership=partnership, date=datetime.date(2019, 6, 1) + datetime.timedelta(days=7 * index)
        )
        DeclarationFactory(meeting=meeting, item=AgendaItemFactory(meeting=meeting, minute_number=1))
    with django_assert_max_num_queries(DECLARATIONS_QUERIES):
        response = client.get("/declarations/", {"page": 2 if size > 20 else 1})
    assert len(declaration_cards(response)) == min(size, 20)


# count 1, page of people with their organisations 1, their current seats 1,
# their attendance counted 1
PEOPLE_QUERIES = 4 + GLOSSARY_QUERIES


def people_rows(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        [" ".join(cell.get_text().split()) for cell in row.select("th, td")]
        for row in soup.select("tbody tr")
    ]


@pytest.mark.django_db
def test_the_people_index_shows_seats_and_attendance_a_to_z(client):
    sefton = PartnershipFactory(short_name="SSCP")
    organisation = OrganisationFactory(name="Sefton Council")
    hardy = PersonFactory(title="Councillor", name="T. Hardy", organisation=organisation)
    ahmed = PersonFactory(title="", name="Amina Ahmed", organisation=None)
    MembershipFactory(
        person=hardy, seat=SeatFactory(partnership=sefton, title="Sefton Council", role=Seat.Role.CHAIR)
    )
    MembershipFactory(
        person=hardy,
        seat=SeatFactory(partnership=sefton, title="Old seat"),
        ended_on=datetime.date(2018, 1, 1),
    )
    for role in ["present", "also_present", "apologies", "absent"]:
        AttendanceFactory(person=hardy, meeting=MeetingFactory(partnership=sefton), role=role)
    draft = MeetingFactory(partnership=sefton, status=Meeting.Status.DRAFT, minutes_status="none")
    AttendanceFactory(person=hardy, meeting=draft)

    rows = people_rows(client.get("/people/"))
    assert rows == [
        ["Amina Ahmed", "", "", ""],
        [
            "Councillor T. Hardy",
            "Sefton Council",
            "Sefton Council (Chair, SSCP)",
            "attended 2 of 4, apologies 1",
        ],
    ]
    soup = BeautifulSoup(client.get("/people/").content, "html.parser")
    assert soup.select_one("tbody th a")["href"] == ahmed.get_absolute_url()
    assert "%" not in soup.select_one("tbody").get_text()


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 60])
def test_people_query_count_is_fixed(client, django_assert_max_num_queries, size):
    partnership = PartnershipFactory()
    meeting = MeetingFactory(partnership=partnership)
    for _ in range(size):
        person = PersonFactory(organisation=OrganisationFactory())
        MembershipFactory(person=person, seat=SeatFactory(partnership=partnership))
        AttendanceFactory(person=person, meeting=meeting)
    with django_assert_max_num_queries(PEOPLE_QUERIES):
        response = client.get("/people/", {"page": 2 if size > 50 else 1})
    assert len(people_rows(response)) == (10 if size > 50 else 1)
    if size > 50:
        assert 'rel="prev"' in response.content.decode()


# meetings of the month with their partnerships 1
CALENDAR_QUERIES = 1 + GLOSSARY_QUERIES


@pytest.mark.django_db
def test_the_calendar_shows_a_month_of_meetings_as_a_table(client, initial_content):
    response = client.get("/meetings/calendar/2020/03/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    table = soup.select_one("table.app-calendar")
    assert table.caption.get_text(strip=True) == "March 2020"
    assert [th["scope"] for th in table.select("thead th")] == ["col"] * 7
    assert table.select_one("thead th abbr")["title"] == "Monday"
    cell = table.find("span", class_="app-calendar__day", string="12").parent
    assert cell.select_one("a")["href"] == MARCH
    assert soup.find("a", rel="prev")["href"] == "/meetings/calendar/2020/02/"
    assert soup.find("a", rel="next")["href"] == "/meetings/calendar/2020/04/"
    # 1 March 2020 was a Sunday: the first week's other six days are blank.
    first_week = [" ".join(td.get_text().split()) for td in table.select("tbody tr")[0].select("td")]
    assert first_week == [""] * 6 + ["1"]


@pytest.mark.django_db
def test_the_calendar_leaves_out_drafts_and_starts_at_this_month(client):
    MeetingFactory(date=datetime.date(2020, 3, 5), status=Meeting.Status.DRAFT, minutes_status="none")
    assert "No meetings this month." in text_of(client.get("/meetings/calendar/2020/03/"))
    response = client.get("/meetings/calendar/")
    today = timezone.localdate()
    assert response.status_code == 302
    assert response["Location"] == f"/meetings/calendar/{today:%Y}/{today:%m}/"
    assert b"/meetings/calendar/" in client.get("/meetings/").content


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["2020/13/", "2020/00/", "0000/01/", "2020/3/", "9999/12/"])
def test_a_month_that_does_not_exist_is_a_styled_404(client, path):
    response = client.get(f"/meetings/calendar/{path}")
    assert response.status_code == 404
    assert b"govuk-template" in response.content or b"govuk-header" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 30])
def test_calendar_query_count_is_fixed(client, django_assert_max_num_queries, size):
    for index in range(size):
        MeetingFactory(date=datetime.date(2020, 3, 1 + index % 28))
    with django_assert_max_num_queries(CALENDAR_QUERIES):
        response = client.get("/meetings/calendar/2020/03/")
    assert response.content.count(b'class="govuk-link govuk-!-display-block"') == size


@pytest.mark.django_db
def test_a_declaration_a_clerk_records_in_the_admin_shows_in_the_register(client, initial_content):
    from partnerships.models import Partnership
    from tests.roles import client_for, form_data, staff_user

    sefton = Partnership.objects.get(slug=SEFTON)
    clerk = client_for(staff_user("sefton-clerk", "Clerk", [sefton]))
    before = text_of(client.get("/declarations/"))  # cached as it stands
    assert "No declarations of interest are recorded" in before
    march = Meeting.objects.get(partnership=sefton, date=datetime.date(2020, 3, 12))
    change = f"/admin/meetings/meeting/{march.pk}/change/"
    data = form_data(clerk.get(change))
    index = int(data["declarations-TOTAL_FORMS"])
    data["declarations-TOTAL_FORMS"] = str(index + 1)
    data.update(
        {f"declarations-{index}-name": "Councillor Hardy", f"declarations-{index}-interest": "A governor"}
    )
    response = clerk.post(change, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    cards = declaration_cards(client.get("/declarations/", {"partnership": SEFTON}))
    assert [" ".join(card.get_text().split()) for card in cards] == [
        "Councillor Hardy Sefton Safer Communities Partnership, 12 March 2020 A governor"
    ]
    assert "Councillor Hardy" in text_of(client.get("/declarations/"))  # the cached copy was dropped
