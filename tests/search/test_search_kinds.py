"""Search finds people, organisations and glossary terms, follows a clerk's
edits of them in the admin, sorts by best match or newest first, and reads
phrases, exclusions and each partnership's municipal year (on SQLite and
PostgreSQL, with the words of the seed content)."""

import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import connection

from glossary.models import Term
from partnerships.models import Organisation, Partnership, Person, Seat
from search.models import SearchEntry
from search.views import municipal_years
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.partnerships.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    SeatFactory,
)

pytestmark = pytest.mark.django_db

# The glossary's terms 1, partnerships for the filters 1, then on PostgreSQL
# the search in one (on SQLite a capped count 1, the page 1).
SEARCH_QUERIES = 3 if connection.vendor == "postgresql" else 4

MOSCROP = "/people/chief-inspector-matthew-moscrop/"
MILLWARD = "/people/christopher-millward/"
PROBATION = "/organisations/national-probation-service/"


def search(client, **params):
    return client.get("/search/", params)


def result_urls(client, **params):
    response = search(client, **params)
    assert response.status_code == 200, response.content
    return [entry.url for entry in response.context["results"].entries]


def admin_change(client, obj, data):
    """Save the admin's change form of `obj` with `data` as a clerk would."""
    url = f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"
    response = client.post(url, {**data, "_save": "Save"})
    assert response.status_code == 302, response.context["adminform"].errors if response.context else response
    return response


def admin_delete(client, obj):
    url = f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 302


def person_form(person, **changes):
    data = {
        "title": person.title,
        "name": person.name,
        "slug": person.slug,
        "organisation": person.organisation_id or "",
    }
    return {**data, **changes}


# --- people, organisations and glossary terms are found ------------------


def test_the_kind_filter_offers_people_organisations_and_glossary_terms(client):
    soup = BeautifulSoup(search(client).content, "html.parser")
    options = {option["value"]: option.text for option in soup.select("#search-type option")}
    assert options["person"] == "People"
    assert options["organisation"] == "Organisations"
    assert options["term"] == "Glossary terms"


def test_a_person_is_found_by_name_and_links_to_their_page(client, initial_content):
    assert MOSCROP in result_urls(client, q="Moscrop")
    assert result_urls(client, q="Matthew Moscrop", type="person") == [MOSCROP]
    page = client.get(MOSCROP)
    assert page.status_code == 200 and b"Matthew Moscrop" in page.content


def test_an_organisation_is_found_by_name(client, initial_content):
    assert PROBATION in result_urls(client, q="Probation")
    assert result_urls(client, q="National Probation Service", type="organisation") == [PROBATION]
    assert client.get(PROBATION).status_code == 200


@pytest.mark.parametrize(
    ("q", "anchor"),
    [("ASB", "ASB"), ("anti-social behaviour", "ASB"), ("Serious and Organised Crime Strategy", "NOCS")],
)
def test_a_glossary_term_is_found_and_links_to_its_place_on_the_glossary(client, initial_content, q, anchor):
    url = f"/glossary/#term-{anchor}"
    assert url in result_urls(client, q=q, type="term")
    glossary = client.get("/glossary/")
    assert f'id="term-{anchor}"'.encode() in glossary.content


def test_result_lines_name_the_kind(client, initial_content):
    soup = BeautifulSoup(search(client, q="Moscrop", type="person").content, "html.parser")
    assert soup.select_one(".app-search-result .app-meta").get_text(" ", strip=True) == "Person"


# --- the index follows a clerk's edits in the admin ---------------------


def test_a_clerk_renaming_a_person_changes_what_search_finds(client, staff_client, initial_content):
    person = Person.objects.get(slug="christopher-millward")
    assert MILLWARD in result_urls(client, q="Christopher Millward", type="person")
    # The minutes also print him as "Chris Millward".
    admin_change(staff_client, person, person_form(person, name="Chris Millward"))
    assert MILLWARD in result_urls(client, q="Chris Millward", type="person")
    assert MILLWARD not in result_urls(client, q="Christopher", type="person")
    # The person's own page says the new name too.
    assert b"Chris Millward" in client.get(MILLWARD).content


def test_a_persons_organisation_and_seats_are_found_and_follow_the_admin(
    client, staff_client, initial_content
):
    person = Person.objects.get(slug="chief-inspector-matthew-moscrop")
    probation = Organisation.objects.get(slug="national-probation-service")
    admin_change(staff_client, person, person_form(person, organisation=probation.pk))
    assert MOSCROP in result_urls(client, q="Moscrop Probation", type="person")
    # The organisation renamed: its people's entries follow.
    admin_change(
        staff_client,
        probation,
        {
            "name": "Probation Service",
            "slug": probation.slug,
            "kind": probation.kind,
            "description": "",
            "website": "",
        },
    )
    assert MOSCROP in result_urls(client, q="Moscrop Probation Service", type="person")
    assert MOSCROP not in result_urls(client, q="Moscrop National", type="person")
    # Deleted (one the clerk adds: the seed ones hold seats, which protect
    # them): its people no longer name it.
    response = staff_client.post(
        "/admin/partnerships/organisation/add/",
        {
            "name": "Residents forum",
            "slug": "residents-forum",
            "kind": "forum",
            "description": "",
            "website": "",
        },
    )
    assert response.status_code == 302
    gone = Organisation.objects.get(slug="residents-forum")
    assert gone.get_absolute_url() in result_urls(client, q="Residents forum", type="organisation")
    admin_change(staff_client, person, person_form(person, organisation=gone.pk))
    assert MOSCROP in result_urls(client, q=f"Moscrop {gone.name}", type="person")
    admin_delete(staff_client, gone)
    assert gone.get_absolute_url() not in result_urls(client, q=gone.name)
    assert MOSCROP not in result_urls(client, q=f"Moscrop {gone.name}", type="person")
    assert MOSCROP in result_urls(client, q="Moscrop", type="person")


def test_a_seat_a_clerk_gives_a_person_is_one_of_their_roles(client, staff_client, initial_content):
    person = Person.objects.get(slug="chief-inspector-matthew-moscrop")
    seat = Seat.objects.select_related("partnership").exclude(title="").order_by("pk").first()
    response = staff_client.post(
        "/admin/partnerships/membership/add/",
        {"seat": seat.pk, "person": person.pk, "started_on": "", "ended_on": "", "note": "", "_save": "Save"},
    )
    assert response.status_code == 302
    entry = SearchEntry.objects.get(kind="person", object_id=person.pk)
    assert seat.title in entry.context and seat.partnership.name in entry.context
    assert MOSCROP in result_urls(client, q=f"Moscrop {seat.partnership.name}", type="person")
    # The seat left: no longer one of the roles.
    admin_delete(staff_client, person.memberships.get())
    assert seat.partnership.name not in SearchEntry.objects.get(kind="person", object_id=person.pk).body


def test_a_clerk_editing_and_deleting_a_glossary_term(client, staff_client, initial_content):
    term = Term.objects.get(abbreviation="ASB")
    admin_change(
        staff_client,
        term,
        {"abbreviation": "ASB", "expansion": "antisocial behaviour", "description": term.description},
    )
    assert "/glossary/#term-ASB" in result_urls(client, q="antisocial", type="term")
    admin_delete(staff_client, term)
    assert "/glossary/#term-ASB" not in result_urls(client, q="ASB")


def test_deleting_a_person_removes_them(client, staff_client, initial_content):
    # One the minutes never name (every person of the initial content is
    # named in them, and those named cannot be deleted: the minutes would
    # change without a record).
    person = Person.objects.create(title="Dr", name="Ottoline Verity", slug="ottoline-verity")
    url = person.get_absolute_url()
    assert url in result_urls(client, q=person.name, type="person")
    admin_delete(staff_client, person)
    assert url not in result_urls(client, q=person.name)


def entries_of(kinds):
    return set(
        SearchEntry.objects.filter(kind__in=kinds).values_list(
            "kind", "object_id", "partnership_id", "municipal_year", "date", "title", "context", "body", "url"
        )
    )


def test_rebuild_makes_the_same_people_organisation_and_term_entries(initial_content):
    MembershipFactory(person=Person.objects.get(slug="chief-inspector-matthew-moscrop"))
    Person.objects.filter(slug="christopher-millward").update(
        organisation=Organisation.objects.get(slug="national-probation-service")
    )
    # (An UPDATE sends no signal: the rebuild is what puts it right.)
    kinds = ["person", "organisation", "term", "partnership"]
    signalled = entries_of(kinds)
    call_command("rebuild_search_index", stdout=io.StringIO(), stderr=io.StringIO())
    rebuilt = entries_of(kinds)
    assert {row for row in rebuilt if row[1] != Person.objects.get(slug="christopher-millward").pk} == {
        row for row in signalled if row[1] != Person.objects.get(slug="christopher-millward").pk
    }
    assert SearchEntry.objects.filter(kind="person", body__contains="National Probation Service").exists()
    counts = {
        kind: SearchEntry.objects.filter(kind=kind).count() for kind in ["person", "organisation", "term"]
    }
    assert counts == {
        "person": Person.objects.count(),
        "organisation": Organisation.objects.count(),
        "term": Term.objects.count(),
    }


# --- sorting ------------------------------------------------------------


def test_best_match_puts_the_person_first_and_newest_first_puts_them_last(client, initial_content_committed):
    best = result_urls(client, q="Moscrop")
    newest = search(client, q="Moscrop", sort="date")
    entries = newest.context["results"].entries
    assert len(entries) > 1 and len(entries) == len(best)
    # The person's name is the title of their entry: the best match.
    assert best[0] == MOSCROP
    # Newest first: the dated minutes, newest first, then what has no date
    # (the person, and the glossary's CI, whose example names him).
    dates = [entry.date for entry in entries]
    dated = [date for date in dates if date is not None]
    assert dated and dates[: len(dated)] == sorted(dated, reverse=True)
    assert MOSCROP in [entry.url for entry in entries[len(dated) :]]


def test_sorting_by_date_lists_undated_entries_after_dated_ones(client, initial_content_committed):
    entries = search(client, q="Sefton", sort="date").context["results"].entries
    dates = [entry.date for entry in entries]
    assert None in dates and any(dates)
    first_undated = dates.index(None)
    assert all(date is None for date in dates[first_undated:])
    assert dates[:first_undated] == sorted(dates[:first_undated], reverse=True)


def test_the_sort_is_a_select_kept_in_the_pagination_links(client):
    meeting = MeetingFactory()
    for n in range(25):
        AgendaItemFactory(meeting=meeting, title=f"Domestic abuse update {n}")
    response = search(client, q="domestic abuse", sort="date")
    soup = BeautifulSoup(response.content, "html.parser")
    select = soup.select_one("form[role=search] select#search-sort[name=sort]")
    assert soup.select_one("label[for=search-sort]").text == "Sort results by"
    assert [(o["value"], o.has_attr("selected")) for o in select.select("option")] == [
        ("relevance", False),
        ("date", True),
    ]
    next_link = soup.select_one("a[rel=next]")["href"]
    assert "sort=date" in next_link and "page=2" in next_link
    assert b"newest first" in response.content


def test_an_unknown_sort_is_a_helpful_error(client):
    response = search(client, q="crime", sort="alphabetical")
    assert response.status_code == 400
    assert b"Choose how to sort the results" in response.content
    assert b'href="#search-sort"' in response.content


# --- phrases, exclusions and filters ------------------------------------


def test_quoted_phrases_and_left_out_words(client):
    phrase = AgendaItemFactory(title="Update", minutes="Tackling knife crime in parks.")
    apart = AgendaItemFactory(title="Update", minutes="A knife amnesty; crime fell.")
    assert set(result_urls(client, q="knife crime", type="minute")) == {
        phrase.get_absolute_url(),
        apart.get_absolute_url(),
    }
    assert result_urls(client, q='"knife crime"', type="minute") == [phrase.get_absolute_url()]
    assert result_urls(client, q="knife -amnesty", type="minute") == [phrase.get_absolute_url()]


def test_the_seeds_knife_crime_phrase_with_filters(client, initial_content_committed):
    mcsp = Partnership.objects.get(slug="merseyside-community-safety-partnership")
    found = result_urls(client, q='"knife crime"', partnership=mcsp.slug, type="partnership")
    assert found == [mcsp.get_absolute_url()]
    # People and glossary terms belong to no partnership and have no year:
    # those filters leave them out.
    assert MOSCROP not in result_urls(client, q="Moscrop", partnership=mcsp.slug)
    assert not [url for url in result_urls(client, q="Moscrop", year="2019/20") if url.startswith("/people/")]


def test_the_years_offered_follow_each_partnerships_start_month(client):
    june = PartnershipFactory(slug="june-year", municipal_year_start_month=6)
    may = PartnershipFactory(slug="may-year", municipal_year_start_month=5)
    day = datetime.date(2025, 5, 20)
    assert municipal_years([june], today=day)[0] == "2024/25"
    assert municipal_years([may], today=day)[0] == "2025/26"
    assert municipal_years([june, may], today=day)[:2] == ["2025/26", "2024/25"]
    assert len(municipal_years([june], today=day)) == 20


def test_a_january_year_partnership_is_offered_and_filtered_by_its_own_years(client):
    january = PartnershipFactory(slug="calendar-year", municipal_year_start_month=1)
    meeting = MeetingFactory(partnership=january, date=datetime.date(2020, 3, 1))
    item = AgendaItemFactory(meeting=meeting, title="Road safety")
    assert meeting.municipal_year == "2020"
    response = search(client, q="road", partnership=january.slug)
    assert "2020" in response.context["years"] and "2020/21" not in response.context["years"]
    assert result_urls(client, q="road", partnership=january.slug, year="2020") == [item.get_absolute_url()]
    assert result_urls(client, q="road", partnership=january.slug, year="2019") == []


# --- fixed query count --------------------------------------------------


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_the_search_page_runs_a_fixed_number_of_queries_for_every_kind(
    client, django_assert_max_num_queries, size, sort
):
    partnership = PartnershipFactory()
    for n in range(size):
        organisation = OrganisationFactory(name=f"Safeguarding board {n}", slug=f"safeguarding-board-{n}")
        seat = SeatFactory(partnership=partnership, title=f"Safeguarding lead {n}", organisation=organisation)
        MembershipFactory(seat=seat, person__organisation=organisation)
        Term.objects.create(abbreviation=f"SB{n}", expansion=f"Safeguarding board {n}")
        AgendaItemFactory(meeting=MeetingFactory(partnership=partnership), title=f"Safeguarding report {n}")
    with django_assert_max_num_queries(SEARCH_QUERIES):
        response = search(client, q="safeguarding", sort=sort)
    assert response.status_code == 200
    kinds = {entry.kind for entry in response.context["results"].entries}
    assert response.context["results"].count == 4 * size + 1  # and the partnership's page
    if size == 3:  # all on one page
        assert kinds == {"person", "organisation", "term", "minute", "partnership"}
