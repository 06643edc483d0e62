"""
iCalendar (RFC 5545) files of meetings, made with the icalendar package.

Each meeting is one VEVENT whose UID is a stable UUID of its primary key
(follow/ids.py: never the site's address, which may change), so calendar
apps update the same event when a meeting moves or is cancelled rather than
adding another. Times are Europe/London with the
VTIMEZONE included; a meeting without a start time is an all-day event.
SEQUENCE and LAST-MODIFIED come from the meeting's calendar version, which
moves on when its date, time, venue or status changes. The
minutes never say when a meeting ends, so events last two hours.

icalendar writes each event once for what it says (event_text, kept by each
process), and the calendar is put together from the events' text: the
calendar of every meeting holds a thousand, which icalendar took 0.4 s to
write, and after a change all but the changed meetings' events are the same.
"""

import datetime
import functools
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone

from meetings.models import Meeting
from meetings.models.meetings import meeting_address_of, meeting_label
from meetings.work_programme import WorkProgrammeItem

from .ids import calendar_uid

LENGTH = datetime.timedelta(hours=2)


def meeting_uid(pk):
    return calendar_uid(f"meeting-{pk}")


def meeting_event(meeting, address_of, planned=()):
    """What the meeting's event says, as (property, value) pairs: cheap to
    make, and the key under which icalendar's text of it is kept
    (event_text). `meeting` is a row of Meeting.objects.for_calendars(),
    `address_of` meeting_address_of.for_rows(), `planned` the titles of
    what the work programme plans for it."""
    summary = f"{meeting.partnership__name} meeting"
    if meeting.status == Meeting.Status.POSTPONED:
        summary += " (postponed)"
    elif meeting.status == Meeting.Status.CANCELLED:
        summary += " (cancelled)"
    if meeting.start_time:
        start = datetime.datetime.combine(
            meeting.date, meeting.start_time, tzinfo=ZoneInfo(settings.TIME_ZONE)
        )
        times = (("dtstart", start), ("dtend", start + LENGTH))
    else:
        times = (("dtstart", meeting.date), ("dtend", meeting.date + datetime.timedelta(days=1)))
    url = f"{settings.SITE_URL}{address_of(meeting.partnership__slug, meeting.date.isoformat())}"
    label = meeting_label(meeting.status, meeting.minutes_status, meeting.date, meeting.postponed_to__date)
    description = f"{label} and papers: {url}"
    if planned:
        description += "\nPlanned subjects (work programme): " + "; ".join(planned)
    if meeting.webcast_url:
        description += f"\nWatch or join online: {meeting.webcast_url}"
    status = {Meeting.Status.CANCELLED: "CANCELLED", Meeting.Status.POSTPONED: "TENTATIVE"}.get(
        meeting.status, "CONFIRMED"
    )
    return (
        ("uid", meeting_uid(meeting.pk)),
        # Calendar apps replace their copy of an event only by a higher SEQUENCE.
        ("sequence", meeting.sequence),
        ("last-modified", meeting.schedule_changed_at.replace(microsecond=0)),
        ("summary", summary),
        *times,
        *((("location", meeting.venue),) if meeting.venue else ()),
        ("url", url),
        ("description", description),
        ("status", status),
    )


CALENDAR_END = b"END:VCALENDAR\r\n"
# When the file was made (DTSTAMP), put into each kept event as it is sent.
STAMP = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
STAMP_LINE = b"DTSTAMP:19700101T000000Z\r\n"
# Events kept by each process, as icalendar wrote them: a calendar holds up
# to a thousand, and icalendar takes about half a millisecond to write one
# (typing each value, folding each line), so a calendar made again after a
# change writes only the events that changed.
EVENTS_KEPT = 4096


@functools.lru_cache(maxsize=EVENTS_KEPT)
def event_text(properties):
    event = Event()
    event.add("dtstamp", STAMP)
    for name, value in properties:
        event.add(name, value)
    return event.to_ical()


def calendar_head(name, timed):
    """The calendar's own lines and, if an event is `timed`, the time zone's,
    up to where its events go."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    head = calendar.to_ical()[: -len(CALENDAR_END)]
    return head + timezone_text(settings.TIME_ZONE) if timed else head


@functools.cache
def timezone_text(name):
    """The VTIMEZONE of the zone `name`, its changes for decades (some 3 KB)."""
    return Timezone.from_tzid(name).to_ical()


def planned_subjects(meetings):
    """What the work programme plans for the meetings still to come, as
    {meeting id: [titles]}, so that the event says what will be discussed
    before the agenda is out. One query, only if any is to come."""
    today = timezone.localdate()
    upcoming = [meeting.pk for meeting in meetings if meeting.date >= today]
    titles = {}
    if upcoming:
        for meeting_id, title in (
            WorkProgrammeItem.objects.public()
            .filter(planned_meeting_id__in=upcoming)
            .order_by("order", "pk")
            .values_list("planned_meeting_id", "title")
        ):
            titles.setdefault(meeting_id, []).append(title)
    return titles


def calendar_response(meetings, name, filename):
    """The calendar of `meetings`, rows of Meeting.objects.for_calendars()."""
    stamp = timezone.now().replace(microsecond=0)
    stamp_line = f"DTSTAMP:{stamp.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}\r\n".encode()
    meetings = list(meetings)
    planned = planned_subjects(meetings)
    address_of = meeting_address_of.for_rows()
    events = [
        event_text(meeting_event(meeting, address_of, planned.get(meeting.pk, ()))) for meeting in meetings
    ]
    text = b"".join(
        [
            calendar_head(name, any(meeting.start_time for meeting in meetings)),
            *(event.replace(STAMP_LINE, stamp_line) for event in events),
            CALENDAR_END,
        ]
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
