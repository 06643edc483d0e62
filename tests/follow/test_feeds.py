"""Calendars and Atom feeds: they parse (with icalendar and feedparser), say
the right things, and run a fixed number of queries."""

import datetime

import feedparser
import icalendar
import pytest
from django.utils import timezone

from consultation.models import Consultation
from meetings.models import Meeting
from tests.meetings.factories import MeetingFactory
from tests.partnerships.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

# meetings (with partnership) 1, what the work programme plans for those to come 1
CALENDAR_QUERIES = 2
# partnership 1, meetings 1, planned subjects 1
PARTNERSHIP_CALENDAR_QUERIES = 3
FEED_QUERIES = 1
PARTNERSHIP_FEED_QUERIES = 2


def soon(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def events(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_the_calendar_of_all_meetings_has_each_with_a_stable_uid_venue_link_and_status(client, settings):
    settings.SITE_URL = "https://www.example.org"
    held = MeetingFactory(date=soon(10), start_time=datetime.time(15, 0), venue="Bootle Town Hall")
    cancelled = MeetingFactory(date=soon(20), status=Meeting.Status.CANCELLED)
    calendar = events(client.get("/meetings/calendar.ics"))
    assert set(calendar) == {f"meeting-{held.pk}@www.example.org", f"meeting-{cancelled.pk}@www.example.org"}
    event = calendar[f"meeting-{held.pk}@www.example.org"]
    assert str(event["LOCATION"]) == "Bootle Town Hall"
    assert str(event["URL"]) == f"https://www.example.org{held.get_absolute_url()}"
    assert str(event["STATUS"]) == "CONFIRMED"
    start = event.decoded("DTSTART")
    assert (start.hour, str(start.tzinfo)) == (15, "Europe/London")
    assert str(calendar[f"meeting-{cancelled.pk}@www.example.org"]["STATUS"]) == "CANCELLED"
    # The same meeting keeps its UID when it changes.
    held.venue = "Southport Town Hall"
    held.save()
    again = events(client.get("/meetings/calendar.ics"))[f"meeting-{held.pk}@www.example.org"]
    assert str(again["LOCATION"]) == "Southport Town Hall"


def test_a_partnership_calendar_has_only_its_meetings(client):
    mine, other = PartnershipFactory(), PartnershipFactory()
    meeting = MeetingFactory(partnership=mine, date=soon(5))
    MeetingFactory(partnership=other, date=soon(6))
    calendar = events(client.get(f"/partnerships/{mine.slug}/meetings/calendar.ics"))
    assert [str(e["URL"]).endswith(meeting.get_absolute_url()) for e in calendar.values()] == [True]
    assert client.get("/partnerships/no-such/meetings/calendar.ics").status_code == 404


def test_one_meeting_calendar_and_all_day_events(client):
    meeting = MeetingFactory(date=soon(3), start_time=None)
    response = client.get(f"{meeting.get_absolute_url()}calendar.ics")
    (event,) = events(response).values()
    assert event.decoded("DTSTART") == meeting.date
    assert client.get(f"/meetings/{meeting.partnership.slug}/2019-02-30/calendar.ics").status_code == 404


@pytest.mark.parametrize("size", [2, 20])
def test_calendars_run_a_fixed_number_of_queries(client, django_assert_max_num_queries, size):
    partnership = PartnershipFactory()
    for n in range(size):
        MeetingFactory(partnership=partnership, date=soon(n))
    with django_assert_max_num_queries(CALENDAR_QUERIES):
        assert len(events(client.get("/meetings/calendar.ics"))) == size
    with django_assert_max_num_queries(PARTNERSHIP_CALENDAR_QUERIES):
        assert len(events(client.get(f"/partnerships/{partnership.slug}/meetings/calendar.ics"))) == size


def atom(response):
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    return feed


def test_minutes_feed_lists_meetings_whose_minutes_were_published(client, transition):
    draft = MeetingFactory(minutes_status=Meeting.MinutesStatus.NONE)
    published = MeetingFactory(minutes_status=Meeting.MinutesStatus.NONE)
    transition(published, "publish_minutes")
    feed = atom(client.get("/meetings/minutes.atom"))
    links = [entry.link for entry in feed.entries]
    assert links == [f"http://testserver{published.get_absolute_url()}"]
    transition(draft, "publish_minutes")
    feed = atom(client.get("/meetings/minutes.atom"))
    assert feed.entries[0].link.endswith(draft.get_absolute_url())  # newest first
    assert feed.entries[0].title.startswith("Minutes: ")


def test_new_meetings_feed_per_partnership(client, transition):
    mine, other = PartnershipFactory(), PartnershipFactory()
    meeting = MeetingFactory(partnership=mine, minutes_status="none", status="draft")
    transition(meeting, "publish_agenda")
    transition(MeetingFactory(partnership=other, minutes_status="none", status="draft"), "publish_agenda")
    feed = atom(client.get(f"/partnerships/{mine.slug}/meetings.atom"))
    assert [e.link for e in feed.entries] == [f"http://testserver{meeting.get_absolute_url()}"]
    assert mine.name in feed.feed.title
    assert len(atom(client.get("/meetings/new.atom")).entries) == 2
    assert client.get("/partnerships/no-such/meetings.atom").status_code == 404


def test_open_consultations_feed(client):
    now = timezone.now()
    common = {
        "run_by": "The PCC",
        "summary": "About lights.",
        "privacy_notice": "We keep it.",
        "delete_responses_after": timezone.localdate() + datetime.timedelta(days=400),
    }
    Consultation.objects.create(
        title="Street lights",
        slug="lights",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=9),
        **common,
    )
    Consultation.objects.create(
        title="Closed one",
        slug="closed",
        opens_at=now - datetime.timedelta(days=9),
        closes_at=now - datetime.timedelta(days=1),
        **common,
    )
    feed = atom(client.get("/have-your-say/open.atom"))
    assert [e.title for e in feed.entries] == ["Street lights"]


@pytest.mark.parametrize("size", [2, 20])
def test_feeds_run_a_fixed_number_of_queries(client, django_assert_max_num_queries, size, transition):
    partnership = PartnershipFactory()
    for _ in range(size):
        transition(
            MeetingFactory(partnership=partnership, status="draft", minutes_status="none"), "publish_minutes"
        )
    with django_assert_max_num_queries(FEED_QUERIES):
        assert len(atom(client.get("/meetings/minutes.atom")).entries) == size
    with django_assert_max_num_queries(PARTNERSHIP_FEED_QUERIES):
        assert len(atom(client.get(f"/partnerships/{partnership.slug}/meetings.atom")).entries) == size


def test_every_page_links_its_feeds_in_the_head(client):
    head = client.get("/").content.split(b"</head>")[0]
    for href in (b"/meetings/minutes.atom", b"/meetings/new.atom", b"/have-your-say/open.atom"):
        assert b'type="application/atom+xml"' in head and href in head


# --- the standards: one id per feed, a stable `updated`, calendar versions ---


FEED_PATHS = [
    "/meetings/minutes.atom",
    "/meetings/new.atom",
    "/have-your-say/open.atom",
]


def test_every_feed_has_its_own_id(client, settings):
    settings.SITE_URL = "https://www.example.org"
    first, second = PartnershipFactory(), PartnershipFactory()
    paths = FEED_PATHS + [
        f"/partnerships/{partnership.slug}/{name}.atom"
        for partnership in (first, second)
        for name in ("minutes", "meetings")
    ]
    ids = [atom(client.get(path)).feed.id for path in paths]
    assert len(set(ids)) == len(paths)
    assert ids == [f"https://www.example.org{path}" for path in paths]


def test_an_empty_feed_has_a_fixed_updated_and_a_feed_takes_its_newest_entrys(client, transition):
    partnership = PartnershipFactory()
    for path in FEED_PATHS + [f"/partnerships/{partnership.slug}/minutes.atom"]:
        first = atom(client.get(path)).feed.updated
        assert first == "1970-01-01T00:00:00+00:00"
        assert atom(client.get(path)).feed.updated == first
    older = MeetingFactory(partnership=partnership, minutes_status=Meeting.MinutesStatus.NONE)
    newest = MeetingFactory(partnership=partnership, minutes_status=Meeting.MinutesStatus.NONE)
    transition(older, "publish_minutes")
    transition(newest, "publish_minutes")
    feed = atom(client.get(f"/partnerships/{partnership.slug}/minutes.atom"))
    assert feed.entries[0].link.endswith(newest.get_absolute_url())
    assert feed.feed.updated == feed.entries[0].updated
    assert feed.feed.updated_parsed == max(entry.updated_parsed for entry in feed.entries)


def test_a_moved_meeting_has_a_higher_sequence_and_a_new_last_modified(client):
    meeting = MeetingFactory(date=soon(10), start_time=datetime.time(15, 0), venue="Bootle Town Hall")
    path = f"/meetings/{meeting.partnership.slug}/{meeting.date.isoformat()}/calendar.ics"

    def event():
        (only,) = events(client.get(path)).values()
        return only

    before = event()
    assert before.decoded("SEQUENCE") == 0
    modified = before.decoded("LAST-MODIFIED")
    assert modified.tzinfo is not None

    # Through the admin a clerk edits a loaded meeting; so does this.
    meeting = Meeting.objects.get(pk=meeting.pk)
    meeting.notes = "Papers added."
    meeting.save()
    assert event().decoded("SEQUENCE") == 0  # not a change a calendar shows

    stale = timezone.now() - datetime.timedelta(days=1)
    Meeting.objects.filter(pk=meeting.pk).update(schedule_changed_at=stale)
    assert event().decoded("LAST-MODIFIED") <= stale
    meeting = Meeting.objects.get(pk=meeting.pk)
    meeting.start_time = datetime.time(10, 0)
    meeting.save()
    moved = event()
    assert moved.decoded("SEQUENCE") == 1
    assert moved.decoded("LAST-MODIFIED") > stale + datetime.timedelta(hours=12)
    assert moved.decoded("DTSTART").hour == 10

    meeting = Meeting.objects.get(pk=meeting.pk)
    meeting.status = Meeting.Status.CANCELLED
    meeting.save()
    cancelled = event()
    assert cancelled.decoded("SEQUENCE") == 2
    assert str(cancelled["STATUS"]) == "CANCELLED"
    # A meeting's calendar is linked from its page, so the address must still work.
    assert client.get(path).status_code == 200
