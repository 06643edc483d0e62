"""Names in imported minutes and the site's people: linked when exact,
suggested when one person fits by surname, title and initial, never linked
when two could fit."""

import datetime
import io

from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse

from meetings.importers.names import AMBIGUOUS, EXACT, NONE, SUGGESTED, Matcher
from meetings.models import Meeting
from partnerships.models import Partnership, Person
from tests.helpers import FIXTURES
from tests.partnerships.factories import MembershipFactory, PersonFactory, SeatFactory
from tests.roles import client_for, form_data, staff_user

SEED = FIXTURES / "seeds" / "004_0be5d7e260bb771b.txt"
MARCH = datetime.date(2020, 3, 12)


def test_a_surname_with_agreeing_title_and_initial_is_a_suggestion(db):
    hardy = PersonFactory(title="Councillor", name="T. Hardy")
    PersonFactory(title="", name="Steve Martlew")
    match = Matcher()
    assert (match("Councillor T. Hardy").kind, match("Councillor T. Hardy").person) == (EXACT, hardy)
    assert (match("Councillor Hardy").kind, match("Councillor Hardy").person) == (SUGGESTED, hardy)
    assert (match("Cllr Hardy").kind, match("Cllr Hardy").person) == (SUGGESTED, hardy)
    assert match("Stephen Martlew").kind == SUGGESTED
    # A title or initial that disagrees is someone else.
    assert match("Superintendent Hardy").kind == NONE
    assert match("Councillor Jane Hardy").kind == NONE
    assert match("Councillor Hardy").linked is None  # a suggestion is never linked by itself


def test_two_people_who_could_fit_are_both_named_and_neither_linked(db):
    PersonFactory(title="Councillor", name="T. Hardy")
    PersonFactory(title="Councillor", name="Ann Hardy")
    match = Matcher()("Councillor Hardy")
    assert match.kind == AMBIGUOUS
    assert match.person is None
    assert sorted(p.full_name for p in match.candidates) == ["Councillor Ann Hardy", "Councillor T. Hardy"]
    assert Matcher()("Councillor A. Hardy").kind == SUGGESTED


def test_the_review_screen_shows_each_suggestion_and_the_editor_starts_with_it(initial_content):
    sefton = Partnership.objects.get(slug="sefton-safer-communities-partnership")
    Meeting.objects.filter(partnership=sefton, date=MARCH).delete()
    # Councillor T. Hardy sits on the partnership, so the editor lists him.
    MembershipFactory(seat=SeatFactory(partnership=sefton), person=Person.objects.get(name="T. Hardy"))
    clerk = staff_user("sefton-clerk", "Clerk", [sefton])
    browser = client_for(clerk)
    text = SEED.read_text(encoding="utf-8")
    response = browser.post(
        reverse("import_minutes"), {"partnership": sefton.pk, "text": text, "review": "1"}
    )
    rows = {
        row.find("td").get_text(strip=True): row.find_all("td")[1].get_text(" ", strip=True)
        for row in BeautifulSoup(response.content, "html.parser").select(
            "#names-heading + p + table tbody tr"
        )
    }
    assert rows["Councillor Hardy"].startswith("Suggested: Councillor T. Hardy")
    assert rows["Stephen Martlew"].startswith("Suggested: Steve Martlew")
    assert rows["Mike O'Malley"] == "Superintendent Mike O'Malley"

    page = browser.post(reverse("import_minutes"), {"partnership": sefton.pk, "text": text, "edit": "1"})
    soup = BeautifulSoup(page.content, "html.parser")
    legend = next(legend for legend in soup.select("legend") if "Councillor T. Hardy" in legend.get_text())
    checked = legend.find_parent("fieldset").select_one("input[checked]")
    assert checked["value"] == "chair"  # "Councillor Hardy (in the Chair)"
    # Saving keeps the link the clerk was shown.
    data = form_data(page, "minutes-editor")
    # As a browser sends radios: the checked one's value (form_data takes the last).
    data.update({radio["name"]: radio["value"] for radio in soup.select('input[type="radio"][checked]')})
    data["action"] = "save"
    browser.post("/admin/meetings/meeting/editor/", data)
    meeting = Meeting.objects.get(partnership=sefton, date=MARCH)
    hardy = meeting.attendances.get(person__name="T. Hardy")
    assert (hardy.role, hardy.is_chair) == ("present", True)


def test_the_command_lists_suggestions_and_saves_none(initial_content):
    sefton = Partnership.objects.get(slug="sefton-safer-communities-partnership")
    Meeting.objects.filter(partnership=sefton, date=MARCH).delete()
    out = io.StringIO()
    call_command("import_minutes", str(SEED), partnership=sefton.slug, stdout=out)
    assert "Councillor Hardy: perhaps Councillor T. Hardy" in out.getvalue()
    meeting = Meeting.objects.get(partnership=sefton, date=MARCH)
    assert meeting.attendances.get(name="Councillor Hardy").person is None
