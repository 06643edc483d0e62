"""The minutes editor's people and numbers, as a clerk uses them through the
page: names pasted from the minutes made rows and linked to the people on the
site, any person linked, a new person added from the screen, and minute
numbers continued from the year's last minute or asked for once."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from meetings.models import Meeting
from partnerships.models import Person
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.partnerships.factories import MembershipFactory, PersonFactory, SeatFactory
from tests.roles import client_for, form_data, staff_user

from .test_minutes_editor import ADD_URL, item_values, press

pytestmark = pytest.mark.django_db

APOLOGIES = "Councillors Hardy and Shaw, Rosie Goodwin, Sue Holden and Stephen Martlew"


@pytest.fixture
def people(db):
    """People on the site, as the initial content has them: two the
    apologies name, one of another surname, and a second Holden to show that
    only the name that is a person's own is linked."""
    return {
        "shaw": PersonFactory(title="Councillor", name="Shaw", slug="shaw"),
        "holden": PersonFactory(title="", name="Sue Holden", slug="holden"),
        "other_holden": PersonFactory(title="", name="Paul Holden", slug="paul-holden"),
        "currie": PersonFactory(title="", name="Jenny Currie", slug="currie"),
    }


def others(response):
    """The rows of "Others" as the page shows them: (name, person id, role)."""
    data = form_data(response, "minutes-editor")
    total = int(data["others-TOTAL_FORMS"])
    rows = [
        (data[f"others-{n}-name"], data[f"others-{n}-person"], data[f"others-{n}-role"]) for n in range(total)
    ]
    return [row for row in rows if row[0] or row[1]]


def test_pasted_apologies_become_rows_linked_to_the_people_whose_names_they_are(sefton, clerk, people):
    client = client_for(clerk)
    page = client.get(ADD_URL)
    response = press(
        client,
        page,
        "save",
        date="2020-06-11",
        first_minute_number=1,
        apologies_list=APOLOGIES,
        **{"items-0-title": "Apologies for Absence"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get(partnership=sefton, date=datetime.date(2020, 6, 11))
    rows = list(meeting.attendances.order_by("order"))
    assert [(row.display_name, row.role) for row in rows] == [
        ("Councillor Hardy", "apologies"),
        ("Councillor Shaw", "apologies"),
        ("Rosie Goodwin", "apologies"),
        ("Sue Holden", "apologies"),
        ("Stephen Martlew", "apologies"),
    ]
    assert [row.person for row in rows] == [None, people["shaw"], None, people["holden"], None]
    page = client.get(response["Location"])
    html = page.content.decode()
    assert (
        "linked 2 to people on the site: Councillor Shaw to Councillor Shaw, Sue Holden to Sue Holden" in html
    )
    # The editor shows them as saved, in the minutes' order, each linked row
    # with its person chosen.
    assert others(page) == [
        ("Councillor Hardy", "", "apologies"),
        ("", str(people["shaw"].pk), "apologies"),
        ("Rosie Goodwin", "", "apologies"),
        ("", str(people["holden"].pk), "apologies"),
        ("Stephen Martlew", "", "apologies"),
    ]
    # Published, the public page prints them as the minutes did, linking the
    # two people's pages.
    client.post("/admin/meetings/meeting/", {"action": "publish_agenda", "_selected_action": [meeting.pk]})
    public = BeautifulSoup(Client().get(meeting.get_absolute_url()).content, "html.parser")
    links = {a.get_text(strip=True): a["href"] for a in public.select("main a")}
    assert links["Councillor Shaw"] == people["shaw"].get_absolute_url()
    assert links["Sue Holden"] == people["holden"].get_absolute_url()
    assert "Rosie Goodwin" in public.get_text() and "Rosie Goodwin" not in links


def test_the_rows_can_be_checked_before_saving(sefton, clerk, people):
    client = client_for(clerk)
    page = press(
        client,
        client.get(ADD_URL),
        "fill",
        date="2020-06-11",
        present_list="Councillor Shaw (in the Chair), Jenny Currie",
        apologies_list="Sue Holden",
    )
    assert page.status_code == 200
    assert not Meeting.objects.exists()
    assert others(page) == [
        ("", str(people["shaw"].pk), "chair"),
        ("", str(people["currie"].pk), "present"),
        ("", str(people["holden"].pk), "apologies"),
    ]
    # The lists are empty now: their names are in the rows, so saving does
    # not add them twice.
    data = form_data(page, "minutes-editor")
    assert data["present_list"] == data["apologies_list"] == ""
    response = press(client, page, "save", first_minute_number=1, **{"items-0-title": "Apologies"})
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert [(a.person_id, a.role, a.is_chair) for a in meeting.attendances.order_by("order")] == [
        (people["shaw"].pk, "present", True),
        (people["currie"].pk, "present", False),
        (people["holden"].pk, "apologies", False),
    ]


def test_a_pasted_member_gets_their_tick(sefton, clerk, people):
    seat = SeatFactory(partnership=sefton, order=1)
    MembershipFactory(seat=seat, person=people["shaw"])
    client = client_for(clerk)
    page = press(
        client,
        client.get(ADD_URL),
        "fill",
        date="2020-06-11",
        apologies_list="Councillor Shaw, Rosie Goodwin",
    )
    ticked = BeautifulSoup(page.content, "html.parser").select_one(
        f"input[name=member-{people['shaw'].pk}-attendance][checked]"
    )
    assert ticked["value"] == "apologies"
    assert others(page) == [("Rosie Goodwin", "", "apologies")]


def test_any_person_on_the_site_can_be_linked_and_a_new_one_added(sefton, clerk, people):
    stranger = PersonFactory(title="", name="Rosanna Stanley", slug="stanley")
    client = client_for(clerk)
    page = client.get(ADD_URL)
    # Everyone on the site is offered, not only the partnership's members.
    options = {
        o.get_text() for o in BeautifulSoup(page.content, "html.parser").select("#id_others-0-person option")
    }
    assert {"Rosanna Stanley", "Councillor Shaw", "Not linked", "Add as a new person"} <= options
    response = press(
        client,
        page,
        "save",
        date="2020-06-11",
        first_minute_number=1,
        **{
            "items-0-title": "Safer Sefton Together",
            "items-0-presenter_name": "Superintendent Jo Bloggs",
            "items-0-presenter": "new",
            "others-0-person": stranger.pk,
            "others-0-role": "present",
            "others-1-name": "Superintendent Jo Bloggs",
            "others-1-person": "new",
            "others-1-role": "also_present",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    bloggs = Person.objects.get(name="Jo Bloggs")
    assert (bloggs.title, bloggs.full_name) == ("Superintendent", "Superintendent Jo Bloggs")
    meeting = Meeting.objects.get()
    assert meeting.items.get().presenter == bloggs
    assert [(a.person, a.role) for a in meeting.attendances.order_by("order")] == [
        (stranger, "present"),
        (bloggs, "also_present"),
    ]
    # Saved again as it stands, nobody is made twice.
    assert press(client, client.get(response["Location"]), "save").status_code == 302
    assert Person.objects.filter(name="Jo Bloggs").count() == 1


def test_a_new_person_needs_a_name(sefton, clerk):
    client = client_for(clerk)
    response = press(
        client,
        client.get(ADD_URL),
        "save",
        date="2020-06-11",
        first_minute_number=1,
        **{"items-0-title": "PREVENT", "others-0-person": "new", "others-0-role": "present"},
    )
    assert response.status_code == 200
    assert "Give the name of the new person, as the minutes print it." in response.content.decode()
    assert form_data(response, "minutes-editor")["items-0-title"] == "PREVENT"
    assert not Meeting.objects.exists()


def test_minutes_are_numbered_on_from_the_years_last_minute(sefton, clerk):
    december = MeetingFactory(partnership=sefton, date=datetime.date(2019, 12, 5))
    AgendaItemFactory(meeting=december, minute_number=39, title="Date of Next Meeting")
    client = client_for(clerk)
    page = client.get(ADD_URL)
    # A new meeting offers four blank items: a short meeting needs no more.
    assert len(item_values(page, "title")) == 4
    response = press(
        client,
        page,
        "save",
        date="2020-03-12",
        **{
            f"items-{n}-title": title
            for n, title in enumerate(["Apologies", "Declarations", "Minutes", "CCTV"])
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get(date=datetime.date(2020, 3, 12))
    assert [(i.minute_number, i.title) for i in meeting.items.all()] == [
        (40, "Apologies"),
        (41, "Declarations"),
        (42, "Minutes"),
        (43, "CCTV"),
    ]
    page = client.get(ADD_URL + "?")
    hint = press(client, page, "fill", date="2020-03-26").content.decode()
    assert (
        "number on from Minute No. 43 of the meeting of 12 March 2020: the first item is then Minute No. 44"
        in hint
    )


def test_the_first_number_is_asked_for_once_where_the_year_has_no_minute_on_the_site(sefton, clerk):
    client = client_for(clerk)
    typed = {f"items-{n}-title": title for n, title in enumerate(["Apologies", "Declarations", "CCTV"])}
    typed["items-2-resolutions"] = "That the report be noted."
    response = press(client, client.get(ADD_URL), "save", date="2020-06-11", **typed)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    error = soup.select_one("#id_first_minute_number-error").get_text()
    assert "No earlier minute of the 2020/21 municipal year is on the site" in error
    assert soup.select_one('.govuk-error-summary a[href="#id_first_minute_number"]') is not None
    data = form_data(response, "minutes-editor")
    assert data["items-2-resolutions"] == "That the report be noted."
    assert not Meeting.objects.exists()
    # Given once, it numbers every item; a number typed on an item wins, and
    # the items after it follow on.
    response = press(client, response, "save", first_minute_number=1, **{"items-2-minute_number": 5})
    assert response.status_code == 302
    assert [i.minute_number for i in Meeting.objects.get().items.all()] == [1, 2, 5]


def test_an_import_review_shows_every_name_in_the_minutes_order_linked_ones_chosen(initial_content):
    from django.urls import reverse

    from meetings.initial_content import MARCH_2020_ATTENDANCE, person
    from partnerships.models import Partnership
    from tests.helpers import FIXTURES

    sefton = Partnership.objects.get(slug="sefton-safer-communities-partnership")
    Meeting.objects.filter(partnership=sefton, date=datetime.date(2020, 3, 12)).delete()
    browser = client_for(staff_user("sefton-clerk", "Clerk", [sefton]))
    text = (FIXTURES / "seeds" / "004_0be5d7e260bb771b.txt").read_text(encoding="utf-8")
    page = browser.post(reverse("import_minutes"), {"partnership": sefton.pk, "text": text, "edit": "1"})
    shown = others(page)
    # Linked rows show their person (the name is printed as the person's
    # own), the rest the name as printed, each where the minutes list it.
    expected = []
    for printed, key, role, chair in MARCH_2020_ATTENDANCE:
        linked = person(key) if key else None
        role = "chair" if chair else role
        if linked is not None and printed == linked.full_name:
            expected.append(("", str(linked.pk), role))
        else:
            expected.append((printed, str(linked.pk) if linked else "", role))
    assert shown == expected


def test_linking_pasted_names_costs_the_same_whatever_their_number(sefton, clerk):
    for n in range(40):
        PersonFactory(title="", name=f"Someone Else{n}", slug=f"else-{n}")
    client = client_for(clerk)
    counts = []
    for size in (3, 12):
        people = [
            PersonFactory(title="", name=f"Alex Size{size}n{n}", slug=f"alex-{size}-{n}") for n in range(size)
        ]
        page = client.get(ADD_URL)
        with CaptureQueriesContext(connection) as filled:
            page = press(
                client, page, "fill", date="2020-06-11", apologies_list=", ".join(p.name for p in people)
            )
        assert others(page) == [("", str(person.pk), "apologies") for person in people]
        counts.append(len(filled.captured_queries))
    assert counts[0] == counts[1], counts
