"""
The two Sefton meetings the old pages publish in full, checked against copies
of those pages (tests/fixtures/seeds/): every item title, resolution, presenter
and attendance name as the minutes print it, and people linked only where the
name printed is theirs.
"""

import datetime
import io
import re

import pytest
from django.core.management import call_command

from meetings.initial_content import EARLIER_ATTENDANCE, EARLIER_PRESENTERS, EARLIER_TITLES, person_slug
from meetings.models import AgendaItem, Attendance, Meeting
from partnerships.models import InitialContent, Person
from tests.helpers import FIXTURES

SEEDS = FIXTURES / "seeds"
DECEMBER = datetime.date(2019, 12, 5)
MARCH = datetime.date(2020, 3, 12)


def seed_text(day):
    """The seed with its line breaks and runs of spaces as single spaces, and
    its three spellings of RESOLVED as one (the words that follow are what is
    compared); "2020-\n2021" is one word broken at the end of a printed line."""
    text = " ".join((SEEDS / f"sefton-{day.isoformat()}.txt").read_text().split())
    text = re.sub(r"(\d)- (\d)", r"\1-\2", text)
    return text.replace("Resolved;", "RESOLVED:").replace("RESLOVED:", "RESOLVED:")


def items_of(day):
    return list(
        AgendaItem.objects.filter(meeting__date=day, meeting__partnership__slug__startswith="sefton")
        .prefetch_related("resolutions")
        .select_related("presenter")
        .order_by("minute_number")
    )


def sections(text, items):
    """Each item's part of the seed, from its number and title to the next's."""
    starts = [text.index(f"{item.minute_number}. {item.title}") for item in items]
    return {
        item.minute_number: text[start : (starts[n + 1] if n + 1 < len(starts) else len(text))]
        for n, (item, start) in enumerate(zip(items, starts, strict=True))
    }


def resolved_as_printed(item):
    resolutions = list(item.resolutions.all())
    words = ["RESOLVED:"]
    if item.resolution_preamble:
        words.append(item.resolution_preamble)
    if len(resolutions) == 1 and not item.resolution_preamble:
        words.append(resolutions[0].text)
    else:
        words += [f"({r.number}) {r.text}" for r in resolutions]
    return " ".join(words)


@pytest.mark.django_db
@pytest.mark.parametrize("day, numbers", [(DECEMBER, range(28, 40)), (MARCH, range(40, 55))])
def test_titles_and_resolutions_are_the_seeds_words(initial_content, day, numbers):
    text = seed_text(day)
    items = items_of(day)
    assert [item.minute_number for item in items] == list(numbers)
    parts = sections(text, items)  # fails unless every "number. title" is in the seed, cased as printed
    with_resolutions = [item for item in items if item.resolutions.all()]
    assert len(with_resolutions) == text.count("RESOLVED:")
    for item in with_resolutions:
        assert resolved_as_printed(item) in " ".join(parts[item.minute_number].split()), item.minute_number
    if day == MARCH:
        assert all(item.title == item.title.upper() for item in items)


@pytest.mark.django_db
def test_resolutions_keep_that_before_the_numbered_list(initial_content):
    preambles = dict(
        AgendaItem.objects.exclude(resolution_preamble="").values_list("minute_number", "resolution_preamble")
    )
    assert preambles == {31: "That", 32: "That", 35: "That", 36: "That", 49: "That:", 50: "That"}


@pytest.mark.django_db
@pytest.mark.parametrize("day", [DECEMBER, MARCH])
def test_presenters_are_named_as_printed_in_their_item(initial_content, day):
    text = seed_text(day)
    items = items_of(day)
    parts = sections(text, items)
    presented = [item for item in items if item.presenter_name or item.presenter_id]
    assert presented
    for item in presented:
        assert item.presenter_name, item.minute_number
        assert item.presenter_name in parts[item.minute_number], item.presenter_name


EXPECTED_ATTENDANCE = {
    DECEMBER: [("apologies", "Councillor T. Hardy"), ("apologies", "Karen Rooney")],
    MARCH: [
        ("present", name)
        for name in [
            "Councillor Hardy",
            "Councillor John Sayers",
            "Councillor Shaw",
            "Jenny Currie",
            "Neil Frackleton",
            "Martin Gay",
            "Sue Holden",
            "Mike O'Malley",
            "Karen Rooney",
            "Helen Armitage",
            "Tanya Wilcock",
            "Christopher Millward",
            "Chris White",
            "Rosanna Stanley",
            "Sue Simmons",
            "David Hunter",
        ]
    ]
    + [("also_present", "Councillor Maher")]
    + [
        ("apologies", name)
        for name in ["Tony Harland", "Superintendent Graham Robson", "Stephen Martlew", "Nicky Horn"]
    ],
}


@pytest.mark.django_db
@pytest.mark.parametrize("day", [DECEMBER, MARCH])
def test_attendance_names_are_as_printed(initial_content, day):
    text = seed_text(day)
    rows = list(Attendance.objects.filter(meeting__date=day).order_by("order"))
    assert [(row.role, row.name) for row in rows] == EXPECTED_ATTENDANCE[day]
    for row in rows:
        # "Councillors John Sayers and Shaw" prints two councillors at once.
        printed = row.name if row.name in text else row.name.replace("Councillor ", "Councillors ", 1)
        assert printed in text or f"Councillors John Sayers and {row.name.split()[-1]}" in text, row.name


def normalised(name):
    return name.replace("\u2019", "'")


@pytest.mark.django_db
def test_names_are_linked_to_a_person_only_where_printed_as_theirs(initial_content):
    linked = [(row.name, row.person) for row in Attendance.objects.select_related("person")] + [
        (item.presenter_name, item.presenter) for item in AgendaItem.objects.select_related("presenter")
    ]
    for name, person in linked:
        if person:
            assert normalised(name) in (person.full_name, person.name), name
    unlinked = {name for name, person in linked if person is None and name}
    assert {
        "Stephen Martlew",
        "Steven Martlew",
        "Chris Millward",
        "Ros Stanley",
        "Councillor Hardy",
    } <= unlinked
    martlew = Person.objects.get(slug="steve-martlew")
    assert not Attendance.objects.filter(person=martlew).exists()
    assert list(martlew.presented_items.values_list("presenter_name", flat=True)) == ["Steve Martlew"]


@pytest.mark.django_db
def test_a_person_page_lists_the_spellings_it_gathers(client, initial_content, django_user_model):
    from tests.helpers import text_of

    hardy = Person.objects.get(slug="councillor-t-hardy")
    page = text_of(client.get(hardy.get_absolute_url()))
    assert (
        "Names in the minutes The minutes on this site print this person’s name as: Councillor T. Hardy"
        in page
    )
    assert "12 March 2020" not in page  # "Councillor Hardy" is not linked until a clerk links it
    assert "apologies 1." in page
    # A clerk links the chair of 12 March to the same councillor.
    chair = Attendance.objects.get(meeting__date=MARCH, name="Councillor Hardy")
    chair.person = hardy
    chair.save()
    page = text_of(client.get(hardy.get_absolute_url()))
    assert "print this person’s name as: Councillor Hardy Councillor T. Hardy" in page
    assert "present 1, apologies 1." in page
    assert "holds no seat" not in page


def restore_first_version():
    """Put the rows back as the first "meetings.sefton" bundle loaded them."""
    for number, title in EARLIER_TITLES.items():
        AgendaItem.objects.filter(meeting__date=MARCH, minute_number=number).update(title=title)
    AgendaItem.objects.update(resolution_preamble="")
    for number, (key, name) in EARLIER_PRESENTERS.items():
        AgendaItem.objects.filter(minute_number=number, meeting__date__in=[DECEMBER, MARCH]).update(
            presenter=Person.objects.get(slug=person_slug(key)), presenter_name=name
        )
    for (day, order), (key, name) in EARLIER_ATTENDANCE.items():
        Attendance.objects.filter(meeting__date=day, order=order).update(
            person=Person.objects.get(slug=person_slug(key)), name=name
        )


@pytest.mark.django_db
def test_an_existing_install_gets_the_minutes_as_printed_without_losing_a_clerks_edit(initial_content):
    restore_first_version()
    InitialContent.objects.filter(key="meetings.sefton-as-printed").delete()
    assert AgendaItem.objects.get(meeting__date=MARCH, minute_number=51).presenter_name == "Ros Stanley"
    # A clerk has since retitled one item.
    AgendaItem.objects.filter(meeting__date=MARCH, minute_number=45).update(title="Conference report (SOC)")
    call_command("load_initial_content", stdout=io.StringIO())
    march = {item.minute_number: item for item in items_of(MARCH)}
    assert march[44].title == "MERSEYSIDE COMMUNITY REHABILITATION COMPANY STRATEGIC NEEDS ANALYSIS"
    assert march[45].title == "Conference report (SOC)"
    assert march[51].presenter is None and march[51].presenter_name == "Ros Stanley"
    assert march[48].presenter_name == "Superintendent Mike O\u2019Malley"
    assert march[49].resolution_preamble == "That:"
    for day in [DECEMBER, MARCH]:
        rows = Attendance.objects.filter(meeting__date=day).order_by("order")
        assert [(row.role, row.name) for row in rows] == EXPECTED_ATTENDANCE[day]
    assert Attendance.objects.get(meeting__date=MARCH, name="Stephen Martlew").person is None
    assert Meeting.objects.filter(date=MARCH).count() == 1
