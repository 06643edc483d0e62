"""The committee-site lists: meetings filtered by partnership, municipal year
and state, and every decision across meetings, each a GET form, paginated,
at a fixed number of queries."""

import datetime

import pytest
from bs4 import BeautifulSoup

from meetings.factories import AgendaItemFactory, MeetingFactory, ResolutionFactory
from meetings.models import Meeting
from partnerships.factories import PartnershipFactory
from tests.test_meetings_pages import GLOSSARY_QUERIES, text_of

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
    assert soup.find("option", value="2019/20").has_attr("selected")
    # The year runs May to April: June 2020 is 2020/21.
    later = client.get("/meetings/", {"partnership": SEFTON, "year": "2020/21"})
    assert meeting_links(later) == [f"/meetings/{SEFTON}/2020-06-11/"]


@pytest.mark.django_db
def test_filtering_meetings_by_state(client, initial_content):
    links = meeting_links(client.get("/meetings/", {"state": "agenda_published"}))
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
def test_draft_and_exempt_resolutions_are_not_decisions_the_public_sees(client):
    draft = MeetingFactory(minutes_status=Meeting.MinutesStatus.DRAFT)
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
