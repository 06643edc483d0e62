import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from partnerships.models import Partnership
from tests.partnerships.factories import (
    MembershipFactory,
    ObjectiveFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    PriorityFactory,
    RelatedBodyFactory,
    SeatFactory,
)

# Query budgets: each page's count is fixed, whatever the amount of data.
HOME_QUERIES = 6  # partnerships 2, next meetings 1, open consultations 1, their next opening or closing 1, glossary terms 1
LIST_QUERIES = 3  # glossary <abbr> terms 1
DETAIL_QUERIES = 11  # ... and the work programme's next subjects 1
ORGANISATION_QUERIES = 5  # glossary <abbr> terms 1
PERSON_QUERIES = (
    5  # person 1, seats 1, attendance at meetings 1, names as presenter 1, glossary <abbr> terms 1
)


def visible_text(response):
    """The page's text as a reader sees it: no tags (glossary <abbr> marks
    split phrases in the HTML), white space folded."""
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())


def make_partnership(size):
    """A partnership with `size` of everything the page lists."""
    partnership = PartnershipFactory(predecessor=PartnershipFactory(status="ended", ended_on="2019-06-01"))
    for _ in range(size):
        PriorityFactory(partnership=partnership)
        ObjectiveFactory(partnership=partnership)
        RelatedBodyFactory(partnership=partnership)
        seat = SeatFactory(partnership=partnership)
        MembershipFactory(seat=seat)
        MembershipFactory(seat=seat, started_on="2015-01-01", ended_on="2016-01-01")
    return partnership


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 12])
def test_partnership_page_query_count_is_fixed(client, django_assert_max_num_queries, size):
    partnership = make_partnership(size)
    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = client.get(partnership.get_absolute_url())
    assert response.status_code == 200
    assert response.content.count(b"app-seat-list__item") == size


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 12])
def test_home_and_list_query_counts_are_fixed(client, django_assert_max_num_queries, size):
    for _ in range(size):
        make_partnership(1)
    with django_assert_max_num_queries(HOME_QUERIES):
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(LIST_QUERIES):
        assert client.get(reverse("partnerships:list")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 12])
def test_organisation_and_person_query_counts_are_fixed(client, django_assert_max_num_queries, size):
    organisation = OrganisationFactory()
    person = PersonFactory(organisation=organisation)
    for _ in range(size):
        seat = SeatFactory(organisation=organisation)
        MembershipFactory(seat=seat, person=person)
        RelatedBodyFactory(organisation=organisation)
    with django_assert_max_num_queries(ORGANISATION_QUERIES):
        assert client.get(organisation.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(PERSON_QUERIES):
        response = client.get(person.get_absolute_url())
    assert response.content.count(b'<tr class="govuk-table__row">') == size + 1


@pytest.mark.django_db
def test_smp_page_shows_every_seed_fact(client, initial_content):
    page = visible_text(client.get("/partnerships/safer-merseyside-partnership/"))
    for fact in [
        "Preventing crime and anti-social behaviour",
        "Tackling serious and organised crime",
        "Supporting victims, protecting vulnerable people and maintaining public safety",
        "Police and Crime Plan 2017-21",
        "consulted upon with the public",
        "To determine if national strategies are achievable/appropriate",
        "Raise the national profile of Merseyside/LCR",
        "Merseyside’s Police and Crime Commissioner",
        "Deputy Police and Crime Commissioner",
        "Lead Councillor for Community Safety and/or relevant specialist areas, St Helens",
        "Fire Authority Representative",
        "Housing (Mayoral Lead)",
        "Chamber of Commerce",
        "feeding back to all Merseyside Youth Offending Teams",
        "Where agencies have no political lead",
        "Past notice Meetings of the Safer Merseyside Partnership were suspended until the PCC elections in May 2021.",
        "interim extraordinary meeting",
        "Protecting Vulnerable People Forum",
        "Merseyside Criminal Justice Board",
        "operate under a new name, terms of reference and structure",
        "advisory role",
        "Merseyside Community Safety Partnership",
    ]:
        assert fact in page, fact


@pytest.mark.django_db
def test_legacy_partnership_page_shows_history_and_achievements(client, initial_content):
    response = client.get("/partnerships/merseyside-community-safety-partnership/")
    assert 'href="/partnerships/safer-merseyside-partnership/"' in response.content.decode()
    page = visible_text(response)
    assert "operated from 2012 to June 2019" in page
    for year in ["2018/19", "2017/18", "2016/17", "2015/16"]:
        assert f"Notable achievements from {year}" in page
    assert "Red Umbrella Project" in page
    assert "Liverpool John Moores University" in page
    assert "invited to join the partnershi…" in page
    assert "lost from the previous website" in page


@pytest.mark.django_db
def test_seat_holders_and_history_are_shown(client):
    seat = SeatFactory(role="chair", title="Chair of the partnership")
    MembershipFactory(seat=seat, person=PersonFactory(name="Current Holder"), started_on="2020-01-01")
    MembershipFactory(
        seat=seat, person=PersonFactory(name="Former Holder"), started_on="2018-01-01", ended_on="2019-12-31"
    )
    SeatFactory(partnership=seat.partnership, title="Empty seat", is_vacant=True)
    page = client.get(seat.partnership.get_absolute_url()).content.decode()
    assert "Councillor Current Holder" in page
    assert "Previously: " in page and "Councillor Former Holder" in page
    assert "Vacant" in page


@pytest.mark.django_db
def test_list_separates_current_and_former(client):
    PartnershipFactory(name="Still Going")
    PartnershipFactory(name="Long Gone", status=Partnership.Status.ENDED, ended_on="2019-06-01")
    page = client.get(reverse("partnerships:list")).content.decode()
    assert page.index("Still Going") < page.index("Former partnerships") < page.index("Long Gone")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/partnerships/", "/"])
def test_each_card_says_what_its_partnership_is_and_escapes_what_a_clerk_typed(client, path):
    """A card of the list and of the home page: the name and short name
    linking to the partnership's page, its kind and the dates known of it,
    whether its meetings are suspended, its summary, and which partnerships
    replaced it, each linking to theirs; every value escaped."""
    old = PartnershipFactory(
        name="Tom & Jerry's <Board>",
        short_name="T&J",
        kind=Partnership.Kind.COUNTY,
        summary='Met "quarterly" <b>in</b> Bootle & Southport.',
        status=Partnership.Status.ENDED,
        formed_on="2012-04-01",
        formed_precision="month",
        ended_on="2019-06-30",
        ended_precision="day",
    )
    successor = PartnershipFactory(name="Safer <Sefton>", short_name="", predecessor=old)
    suspended = PartnershipFactory(name="Quiet Partnership", status=Partnership.Status.SUSPENDED)
    soup = BeautifulSoup(client.get(path).content, "html.parser")
    cards = {card.h3.get_text(): card for card in soup.select(".app-card-list__item")}

    card = cards["Tom & Jerry's <Board> (T&J)"]
    assert card.h3.a["href"] == old.get_absolute_url()
    meta, summary, replaced = (" ".join(p.get_text().split()) for p in card.find_all("p"))
    assert meta == "Merseyside-wide community safety partnership · formed April 2012 · ended 30 June 2019"
    assert summary == 'Met "quarterly" <b>in</b> Bootle & Southport.'
    assert replaced == "Replaced by the Safer <Sefton>."
    assert card.find_all("a")[1]["href"] == successor.get_absolute_url()
    assert "Meetings suspended" not in card.get_text()

    assert cards["Safer <Sefton>"].h3.a["href"] == successor.get_absolute_url()
    assert "Replaced by" not in cards["Safer <Sefton>"].get_text()
    tag = cards["Quiet Partnership (" + suspended.short_name + ")"].select_one("strong.govuk-tag--yellow")
    assert tag.get_text() == "Meetings suspended"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/partnerships/nope/", "/people/nobody/", "/organisations/none/", "/no-such-page/"]
)
def test_unknown_addresses_are_styled_404s(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"govuk-footer" in response.content


@pytest.mark.django_db
def test_clerk_text_is_escaped(client):
    partnership = PartnershipFactory(purpose="<script>alert(1)</script>\n\nSecond paragraph")
    page = client.get(partnership.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<p class="govuk-body">Second paragraph</p>' in page


@pytest.mark.django_db
def test_home_page_lists_a_few_partnerships_and_links_to_all(client):
    from smp_site.views import HOME_PARTNERSHIPS

    for _ in range(HOME_PARTNERSHIPS + 2):
        PartnershipFactory()
    response = client.get("/")
    assert response.content.count(b'class="app-card-list__item"') == HOME_PARTNERSHIPS
    assert f"All {HOME_PARTNERSHIPS + 2} partnerships, current and former".encode() in response.content


@pytest.mark.django_db
def test_home_page_lists_the_first_current_and_former_partnerships_in_the_lists_order(client):
    from smp_site.views import HOME_PARTNERSHIPS

    # Made in the reverse of their order: the list's order, not the database's.
    for n in reversed(range(HOME_PARTNERSHIPS + 3)):
        PartnershipFactory(name=f"Current {n:02}", order=n)
        PartnershipFactory(name=f"Former {n:02}", order=n, status=Partnership.Status.ENDED)
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    cards = [" ".join(card.get_text().split()) for card in soup.select(".app-card-list__item h3")]
    shown = [name.split(" (")[0] for name in cards]
    assert shown == [f"Current {n:02}" for n in range(HOME_PARTNERSHIPS)] + [
        f"Former {n:02}" for n in range(HOME_PARTNERSHIPS)
    ]
    assert f"All {2 * (HOME_PARTNERSHIPS + 3)} partnerships, current and former" in soup.get_text()


# Where no seats are recorded: the last year with attendance 1, who attended in it 1.
ATTENDED_QUERIES = DETAIL_QUERIES + 2


@pytest.mark.django_db
def test_a_partnership_without_seats_lists_who_attended_its_last_year(client, initial_content):
    response = client.get("/partnerships/sefton-safer-communities-partnership/")
    soup = BeautifulSoup(response.content, "html.parser")
    heading = soup.find(id="attended")
    assert heading.get_text() == "Attended meetings in 2019/20"
    names = [" ".join(li.get_text().split()) for li in heading.find_next("ul").select("li")]
    # Each name once, as the March 2020 minutes print it.
    assert len(names) == len(set(names))
    assert "Councillor Hardy" in names and "Christopher Millward" in names and "Councillor Maher" in names
    assert soup.find("a", href="#attended")


@pytest.mark.django_db
def test_a_partnership_with_seats_lists_them_not_attendance(client):
    from tests.meetings.factories import AttendanceFactory, MeetingFactory

    partnership = make_partnership(1)
    AttendanceFactory(meeting=MeetingFactory(partnership=partnership), person=None, name="Cllr T. Hardy")
    response = client.get(partnership.get_absolute_url())
    assert b'id="membership"' in response.content
    assert b'id="attended"' not in response.content and b"Cllr T. Hardy" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 12])
def test_attended_members_query_count_is_fixed(client, django_assert_max_num_queries, size):
    import datetime

    from meetings.models import Attendance
    from tests.meetings.factories import AttendanceFactory, MeetingFactory

    partnership = PartnershipFactory()
    old = MeetingFactory(partnership=partnership, date=datetime.date(2018, 9, 1))
    AttendanceFactory(meeting=old, person=None, name="Someone from last year")
    for index in range(size):
        meeting = MeetingFactory(partnership=partnership, date=datetime.date(2019, 9, 1 + index))
        AttendanceFactory(meeting=meeting, person=None, name="Steve Martlew")
        AttendanceFactory(meeting=meeting, person=None, name=f"Stephen Martlew {index}")
        AttendanceFactory(meeting=meeting, role=Attendance.Role.APOLOGIES)
    with django_assert_max_num_queries(ATTENDED_QUERIES):
        response = client.get(partnership.get_absolute_url())
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find(id="attended").get_text() == "Attended meetings in 2019/20"
    names = [li.get_text() for li in soup.select(".app-attendee-list li")]
    assert names == ["Steve Martlew"] + [f"Stephen Martlew {index}" for index in range(size)]
