"""Dates and times in GOV.UK style everywhere, from one filter."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest

from consultation.models import Consultation
from foundation.dates import govuk_date
from tests.helpers import ROOT, text_of

TEMPLATES = ROOT / "templates"


@pytest.mark.parametrize(
    "value, style, expected",
    [
        (datetime.time(7, 2), "time", "7:02am"),
        (datetime.time(10, 0), "time", "10am"),
        (datetime.time(15, 30), "time", "3:30pm"),
        (datetime.time(12, 0), "time", "midday"),
        (datetime.time(0, 0), "time", "midnight"),
        (datetime.date(2027, 2, 28), "date", "28 February 2027"),
        (datetime.date(2027, 2, 28), "weekday", "Sunday 28 February 2027"),
        (datetime.date(2027, 2, 28), "month", "February 2027"),
        # Stored in UTC, shown in UK time (British Summer Time here).
        (datetime.datetime(2026, 7, 1, 6, 2, tzinfo=datetime.UTC), "datetime", "7:02am on 1 July 2026"),
        (
            datetime.datetime(2027, 2, 28, 7, 2, tzinfo=ZoneInfo("Europe/London")),
            "weekday_time",
            "7:02am on Sunday 28 February 2027",
        ),
        (None, "date", ""),
    ],
)
def test_govuk_style(value, style, expected):
    assert govuk_date(value, style) == expected


def test_no_template_formats_a_date_for_people_by_hand():
    """Machine formats (datetime attributes, addresses) are the only `|date:`s left."""
    for path in TEMPLATES.rglob("*.html"):
        if path.name == "_meeting_status.html":  # owned by the meeting lifecycle work
            continue
        for fmt in re.findall(r'\|date:["\']([^"\']*)["\']', path.read_text()):
            assert fmt == "Y-m-d", (path, fmt)


@pytest.mark.django_db
def test_the_consultation_closing_time_reads_as_govuk_writes_it(client, initial_content):
    consultation = Consultation.objects.get(slug="police-precept")
    closes = datetime.datetime(2027, 2, 28, 7, 2, tzinfo=ZoneInfo("Europe/London"))
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=closes)
    page = text_of(client.get("/have-your-say/police-precept/"))
    assert "The consultation closes at 7:02am on Sunday 28 February 2027." in page
    assert "a.m." not in page and ". ." not in page
    listing = text_of(client.get("/have-your-say/"))
    assert "Closes at 7:02am on 28 February 2027" in listing


@pytest.mark.django_db
def test_meeting_times_read_as_govuk_writes_them(client, initial_content):
    page = text_of(client.get("/meetings/sefton-safer-communities-partnership/2019-12-05/"))
    assert "Time 3pm" in page
    assert "Thursday 5 December 2019" in page
    assert not re.search(r"\d[ap]\.m\.|\d{1,2}:\d\d [AaPp]M", page)


def test_every_day_of_a_leap_year_reads_as_djangos_english_date_format():
    """The names are the site's own, for speed: they must say what Django's
    localized format says in English, on every day."""
    from django.utils.dateformat import format as django_format

    day = datetime.date(2028, 1, 1)
    while day.year == 2028:
        assert govuk_date(day, "weekday") == django_format(day, "l j F Y")
        assert govuk_date(day, "date") == django_format(day, "j F Y")
        assert govuk_date(day, "month") == django_format(day, "F Y")
        day += datetime.timedelta(days=1)
