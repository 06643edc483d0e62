"""Importing minutes from text and Word: the two seeds must give back the
meetings the initial content holds, field for field."""

import datetime
import io
import json

import docx
import pytest
from django.conf import settings
from django.core.management import call_command

from meetings.importers.docx import parse_docx
from meetings.importers.text import parse_text
from meetings.models import Meeting
from partnerships.models import Partnership
from tests.helpers import FIXTURES

SEEDS = {
    datetime.date(2019, 12, 5): FIXTURES / "seeds" / "003_6371fdcc7127ccfa.txt",
    datetime.date(2020, 3, 12): FIXTURES / "seeds" / "004_0be5d7e260bb771b.txt",
}
SEFTON = "sefton-safer-communities-partnership"


def as_docx(text_path, directory):
    """The text as a clerk's Word file: one paragraph a line."""
    document = docx.Document()
    for line in text_path.read_text(encoding="utf-8").split("\n"):
        document.add_paragraph(line)
    path = directory / (text_path.stem + ".docx")
    document.save(path)
    return path


def fields_of(meeting):
    """Every minute number, title, presenter, resolution and attendee, as
    (name of the field, value) pairs."""
    fields = []
    for item in meeting.items.order_by("order"):
        where = f"item {item.order}"
        fields.append((f"{where} minute number", item.minute_number))
        fields.append((f"{where} title", item.title))
        fields.append((f"{where} presenter", (item.presenter_id, item.presenter_display)))
        resolutions = list(item.resolutions.order_by("number"))
        fields.append((f"{where} number of resolutions", len(resolutions)))
        for resolution in resolutions:
            fields.append((f"{where} resolution ({resolution.number})", resolution.text))
    attendances = list(meeting.attendances.order_by("order"))
    fields.append(("number of attendees", len(attendances)))
    for row in attendances:
        fields.append((f"attendee {row.order}", (row.person_id, row.display_name, row.role, row.is_chair)))
    return fields


@pytest.mark.parametrize("form", ["text", "docx"])
def test_the_seed_minutes_import_as_the_initial_content_holds_them(initial_content, form, tmp_path, capsys):
    sefton = Partnership.objects.get(slug=SEFTON)
    expected = {}
    for day in SEEDS:
        meeting = Meeting.objects.get(partnership=sefton, date=day)
        expected[day] = fields_of(meeting)
        meeting.delete()

    for day, path in SEEDS.items():
        source = as_docx(path, tmp_path) if form == "docx" else path
        out = io.StringIO()
        call_command("import_minutes", str(source), partnership=SEFTON, stdout=out)
        assert f"{day:%-d %B %Y}" in out.getvalue()

    right = total = 0
    wrong = []
    for day in SEEDS:
        got = dict(fields_of(Meeting.objects.get(partnership=sefton, date=day)))
        for name, value in expected[day]:
            total += 1
            if got.get(name) == value:
                right += 1
            else:
                wrong.append(f"{day} {name}: expected {value!r}, got {got.get(name)!r}")
    with capsys.disabled():
        print(f"\nSeed minutes as {form}: {right}/{total} fields right")
    assert not wrong, "\n".join(wrong)
    assert right == total


def test_importing_again_changes_nothing(initial_content):
    sefton = Partnership.objects.get(slug=SEFTON)
    Meeting.objects.filter(partnership=sefton, date=datetime.date(2020, 3, 12)).delete()
    path = str(SEEDS[datetime.date(2020, 3, 12)])
    call_command("import_minutes", path, partnership=SEFTON, stdout=io.StringIO())
    meeting = Meeting.objects.get(partnership=sefton, date=datetime.date(2020, 3, 12))
    before = (fields_of(meeting), history_count(meeting))
    out = io.StringIO()
    call_command("import_minutes", path, partnership=SEFTON, stdout=out)
    assert (fields_of(meeting), history_count(meeting)) == before
    assert "0 records made, 0 changed" in out.getvalue()
    # The clerk is pointed to the editor to review what was imported.
    assert (
        f"Review it in the minutes editor: {settings.SITE_URL}/admin/meetings/meeting/{meeting.pk}/editor/"
        in (out.getvalue())
    )


def history_count(meeting):
    from meetings.models import AgendaItem, Attendance, Resolution

    return (
        Meeting.change_history.count(),
        AgendaItem.change_history.count(),
        Resolution.change_history.count(),
        Attendance.change_history.count(),
    )


def test_a_new_meeting_is_a_draft_to_review_with_its_cross_references(initial_content, client):
    """Without --publish the command leaves the meeting as the "Import
    minutes" page does: a draft for the clerk to review, not a public page
    saying "Minutes to follow" with its papers "not available online"."""
    sefton = Partnership.objects.get(slug=SEFTON)
    Meeting.objects.filter(partnership=sefton, date=datetime.date(2020, 3, 12)).delete()
    call_command(
        "import_minutes", str(SEEDS[datetime.date(2020, 3, 12)]), partnership=SEFTON, stdout=io.StringIO()
    )
    meeting = Meeting.objects.get(partnership=sefton, date=datetime.date(2020, 3, 12))
    assert meeting.status == Meeting.Status.DRAFT
    assert meeting.minutes_status == Meeting.MinutesStatus.NONE
    assert client.get(meeting.get_absolute_url()).status_code == 404
    reference = meeting.items.get(minute_number=49).references.get()
    assert reference.to_item == sefton.meetings.get(date=datetime.date(2019, 12, 5)).items.get(
        minute_number=32
    )
    assert meeting.items.get(minute_number=49).change_history.count() == 1


def test_the_command_says_what_it_could_not_place(initial_content):
    sefton = Partnership.objects.get(slug=SEFTON)
    Meeting.objects.filter(partnership=sefton, date=datetime.date(2019, 12, 5)).delete()
    out = io.StringIO()
    call_command("import_minutes", str(SEEDS[datetime.date(2019, 12, 5)]), partnership=SEFTON, stdout=out)
    assert "Could not place" in out.getvalue()
    assert "Contact: Paul Fraser" in out.getvalue()


def test_an_unknown_partnership_is_refused(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No partnership"):
        call_command("import_minutes", str(SEEDS[datetime.date(2019, 12, 5)]), partnership="nope")


def test_docx_reads_as_the_text_does(tmp_path):
    path = SEEDS[datetime.date(2020, 3, 12)]
    assert parse_docx(as_docx(path, tmp_path)) == parse_text(path.read_text(encoding="utf-8"))


def expected_cases():
    return sorted(path.stem for path in (FIXTURES / "minutes").glob("*.txt"))


def jsonable(value):
    return json.loads(json.dumps(value, default=str))


@pytest.mark.parametrize("name", expected_cases())
def test_minutes_in_other_councils_styles(name):
    """Each fixture has the structure a clerk would read from it, in JSON
    beside it (what the test compares: everything the parser returns)."""
    text = (FIXTURES / "minutes" / f"{name}.txt").read_text(encoding="utf-8")
    expected = json.loads((FIXTURES / "minutes" / f"{name}.json").read_text(encoding="utf-8"))
    got = jsonable(parse_text(text).as_dict())
    for key, value in expected.items():
        assert got[key] == value, key


def test_there_are_at_least_five_other_styles():
    assert len(expected_cases()) >= 5


def test_a_clash_with_another_meeting_stops_the_command_and_saves_nothing(initial_content, tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "february.txt"
    path.write_text(
        SEEDS[datetime.date(2020, 3, 12)]
        .read_text(encoding="utf-8")
        .replace("12 MARCH 2020", "12 FEBRUARY 2020"),
        encoding="utf-8",
    )
    with pytest.raises(
        CommandError, match="Nothing was saved. item Minute No. 40: Minute No. 40 is already used"
    ):
        call_command("import_minutes", str(path), partnership=SEFTON)
    assert not Meeting.objects.filter(date=datetime.date(2020, 2, 12)).exists()
