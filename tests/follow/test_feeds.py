"""Calendars and Atom feeds: they parse (with icalendar and feedparser), say
the right things, and run a fixed number of queries."""

import datetime
import re

import feedparser
import icalendar
import pytest
import vobject
from django.utils import timezone

from consultation.models import Consultation
from follow.calendars import event_text
from follow.feeds import ITEMS
from follow.ids import calendar_uid
from meetings.models import Meeting
from partnerships.models import Partnership
from tests.meetings.factories import MeetingFactory
from tests.partnerships.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

# meetings (with their partnership and new date) 1, what the work programme plans for those to come 1
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
    uid = {meeting: calendar_uid(f"meeting-{meeting.pk}") for meeting in (held, cancelled)}
    assert set(calendar) == set(uid.values())
    event = calendar[uid[held]]
    assert str(event["LOCATION"]) == "Bootle Town Hall"
    assert str(event["URL"]) == f"https://www.example.org{held.get_absolute_url()}"
    assert str(event["STATUS"]) == "CONFIRMED"
    start = event.decoded("DTSTART")
    assert (start.hour, str(start.tzinfo)) == (15, "Europe/London")
    assert str(calendar[uid[cancelled]]["STATUS"]) == "CANCELLED"
    # The same meeting keeps its UID when it changes.
    held.venue = "Southport Town Hall"
    held.save()
    again = events(client.get("/meetings/calendar.ics"))[uid[held]]
    assert str(again["LOCATION"]) == "Southport Town Hall"


def test_each_event_is_written_once_for_what_it_says_and_stamped_as_it_is_sent(client):
    """icalendar writes an event again only when what it says changes; every
    event sent carries the time its calendar was made (DTSTAMP)."""
    event_text.cache_clear()
    meetings = [MeetingFactory(date=soon(days), venue="Bootle Town Hall") for days in (5, 6, 7)]
    assert len(events(client.get("/meetings/calendar.ics"))) == 3
    assert event_text.cache_info().misses == 3
    before = timezone.now().replace(microsecond=0)
    again = events(client.get("/meetings/calendar.ics"))
    assert (event_text.cache_info().misses, event_text.cache_info().hits) == (3, 3)
    assert {str(event["LOCATION"]) for event in again.values()} == {"Bootle Town Hall"}
    assert all(before <= event.decoded("DTSTAMP") <= timezone.now() for event in again.values())

    moved = Meeting.objects.get(pk=meetings[1].pk)
    moved.venue = "Southport Town Hall"
    moved.save()
    after = events(client.get("/meetings/calendar.ics"))
    assert event_text.cache_info().misses == 4  # the moved meeting's event alone
    uid = calendar_uid(f"meeting-{moved.pk}")
    assert str(after[uid]["LOCATION"]) == "Southport Town Hall"
    assert after[uid].decoded("SEQUENCE") == again[uid].decoded("SEQUENCE") + 1
    assert sorted(str(event["LOCATION"]) for event in after.values()) == [
        "Bootle Town Hall",
        "Bootle Town Hall",
        "Southport Town Hall",
    ]


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
def test_calendars_run_a_fixed_number_of_queries(client, django_assert_max_num_queries, size, transition):
    """However many meetings, and however many of them were postponed to a
    date fixed since (each event names its new date)."""
    partnership = PartnershipFactory()
    postponed = {}
    for n in range(size):
        if n % 2:
            meeting = MeetingFactory(
                partnership=partnership, date=soon(n), status="draft", minutes_status="none"
            )
            transition(meeting, "publish_agenda")
            new_date = MeetingFactory(partnership=partnership, date=soon(100 + n))
            transition(meeting, "postpone", "The chair is unwell.", new_date)
            postponed[calendar_uid(f"meeting-{meeting.pk}")] = new_date.date
        else:
            MeetingFactory(partnership=partnership, date=soon(n))
    with django_assert_max_num_queries(CALENDAR_QUERIES):
        calendar = events(client.get("/meetings/calendar.ics"))
    with django_assert_max_num_queries(PARTNERSHIP_CALENDAR_QUERIES):
        assert (
            events(client.get(f"/partnerships/{partnership.slug}/meetings/calendar.ics")).keys()
            == calendar.keys()
        )
    assert len(calendar) == size + len(postponed)
    for uid, new_date in postponed.items():
        event = calendar[uid]
        assert str(event["SUMMARY"]) == f"{partnership.name} meeting (postponed)"
        assert str(event["STATUS"]) == "TENTATIVE"
        assert str(event["DESCRIPTION"]).startswith(f"Postponed to {new_date:%-d %B %Y} and papers: ")


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
    # Meetings whose agenda was published, half of them postponed to a date
    # fixed since: each entry says the new date, however many there are.
    postponed = {}
    for n in range(size):
        meeting = MeetingFactory(partnership=partnership, date=soon(n), status="draft", minutes_status="none")
        transition(meeting, "publish_agenda")
        if n % 2:
            new_date = MeetingFactory(partnership=partnership, date=soon(100 + n))
            transition(meeting, "postpone", "The chair is unwell.", new_date)
            postponed[meeting.get_absolute_url()] = new_date.date
    with django_assert_max_num_queries(FEED_QUERIES):
        entries = atom(client.get("/meetings/new.atom")).entries
    # Those whose minutes were published above are new meetings too; the feed holds ITEMS.
    assert len(entries) == min(2 * size, ITEMS)
    described = {entry.link: entry.summary for entry in entries}
    for address, new_date in postponed.items():
        assert described[f"http://testserver{address}"].startswith(f"Postponed to {new_date:%-d %B %Y}.")


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
    assert all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", feed_id) for feed_id in ids)


def ids_and_uids(client, paths, host):
    """Every feed's and entry's Atom id and every calendar UID at `paths`."""
    found = []
    for path in paths:
        response = client.get(path, HTTP_HOST=host)
        if path.endswith(".ics"):
            found += sorted(events(response))
        else:
            feed = atom(response)
            found += [feed.feed.id] + [entry.id for entry in feed.entries]
    return found


def test_ids_and_uids_stay_the_same_when_the_site_moves(client, settings, initial_content_committed):
    """RFC 4287: an entry keeps its id when its feed moves; calendar apps
    match events by UID. Served under two SITE_URLs (and two host names),
    every feed id, entry id and calendar UID is the same; only the links move."""
    slugs = list(Partnership.objects.values_list("slug", flat=True))
    paths = FEED_PATHS + ["/meetings/calendar.ics"]
    for slug in slugs:
        paths += [
            f"/partnerships/{slug}/{name}"
            for name in ("minutes.atom", "meetings.atom", "meetings/calendar.ics")
        ]
    runs = []
    for site_url, host in [
        ("http://127.0.0.1:8000", "127.0.0.1:8000"),
        ("https://meetings.example.org", "meetings.example.org"),
    ]:
        settings.SITE_URL = site_url
        settings.ALLOWED_HOSTS = [host.split(":")[0]]
        runs.append(ids_and_uids(client, paths, host))
    first, second = runs
    assert first == second
    # Entries and events were there to compare: the seeds' minutes and meetings.
    assert len(first) > 3 * len(paths)
    assert not any("127.0.0.1" in value or "example.org" in value for value in first)
    links = [atom(client.get("/meetings/minutes.atom", HTTP_HOST="meetings.example.org")).entries[0].link]
    assert links[0].startswith("http://meetings.example.org/")


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


def vobject_uids(response):
    """The UIDs as a second parser, vobject, reads the calendar."""
    calendar = vobject.readOne(response.content.decode())
    return (
        sorted(event.uid.value for event in calendar.vevent_list) if hasattr(calendar, "vevent_list") else []
    )


def test_the_calendars_hold_every_meeting_of_the_initial_content(client, initial_content):
    """The seeds' meetings are all past: a resident who subscribes still
    sees the partnership's record, parsed the same by icalendar and vobject."""
    public = Meeting.objects.public()
    calendars = {"/meetings/calendar.ics": public}
    for partnership in Partnership.objects.all():
        calendars[f"/partnerships/{partnership.slug}/meetings/calendar.ics"] = public.filter(
            partnership=partnership
        )
    non_empty = 0
    for path, meetings in calendars.items():
        response = client.get(path)
        expected = sorted(calendar_uid(f"meeting-{pk}") for pk in meetings.values_list("pk", flat=True))
        assert sorted(events(response)) == expected, path
        assert vobject_uids(response) == expected, path
        non_empty += bool(expected)
    # All meetings, and both partnerships that have meetings.
    assert len(calendars["/meetings/calendar.ics"]) == 8
    assert non_empty == 3
    december = events(client.get("/meetings/calendar.ics"))[
        calendar_uid(f"meeting-{public.get(date=datetime.date(2019, 12, 5)).pk}")
    ]
    assert december.decoded("DTSTART").isoformat() == "2019-12-05T15:00:00+00:00"


def test_the_pages_say_what_the_calendars_hold(client, initial_content):
    partnership = Partnership.objects.get(slug="sefton-safer-communities-partnership")
    for path in ["/meetings/", partnership.get_absolute_url()]:
        page = client.get(path).content.decode()
        assert "every meeting, past and to come" in page, path


def test_the_initial_contents_entries_are_dated_as_the_source_gives(client, initial_content_committed):
    """Not the day the content was loaded: minutes by their meeting, a
    meeting by the meeting whose minutes announced it, else its own date."""
    minutes = atom(client.get("/meetings/minutes.atom"))
    assert [(entry.title, entry.published) for entry in minutes.entries] == [
        ("Minutes: Sefton Safer Communities Partnership, 12 March 2020", "2020-03-12T10:00:00+00:00"),
        ("Minutes: Sefton Safer Communities Partnership, 5 December 2019", "2019-12-05T15:00:00+00:00"),
    ]
    assert all(entry.updated == entry.published for entry in minutes.entries)
    meetings = {entry.title: entry.published for entry in atom(client.get("/meetings/new.atom")).entries}
    assert (
        meetings["Meeting: Sefton Safer Communities Partnership, 11 June 2020"] == "2020-03-12T10:00:00+00:00"
    )
    assert (
        meetings["Meeting: Sefton Safer Communities Partnership, 12 March 2020"]
        == "2019-12-05T15:00:00+00:00"
    )
    # No time known: the start of its day in London (BST).
    assert meetings["Meeting: Safer Merseyside Partnership, 4 September 2020"] == "2020-09-03T23:00:00+00:00"
    assert max(meetings.values()) < "2021"
