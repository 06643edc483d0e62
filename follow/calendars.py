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
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from meetings.models import Meeting

from .ids import calendar_uid

LENGTH = datetime.timedelta(hours=2)


def meeting_uid(meeting):
    return calendar_uid(f"meeting-{meeting.pk}")


def meeting_event(meeting, stamp):
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", stamp)
    # Calendar apps replace their copy of an event only by a higher SEQUENCE.
    event.add("sequence", meeting.sequence)
    event.add("last-modified", meeting.schedule_changed_at.replace(microsecond=0))
    summary = f"{meeting.partnership.name} meeting"
    if meeting.status == Meeting.Status.POSTPONED:
        summary += " (postponed)"
    elif meeting.status == Meeting.Status.CANCELLED:
        summary += " (cancelled)"
    event.add("summary", summary)
    if meeting.start_time:
        start = datetime.datetime.combine(
            meeting.date, meeting.start_time, tzinfo=ZoneInfo(settings.TIME_ZONE)
        )
        event.add("dtstart", start)
        event.add("dtend", start + LENGTH)
    else:
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + datetime.timedelta(days=1))
    if meeting.venue:
        event.add("location", meeting.venue)
    url = f"{settings.SITE_URL}{meeting.get_absolute_url()}"
    event.add("url", url)
    description = f"{meeting.page_title} and papers: {url}"
    if meeting.webcast_url:
        description += f"\nWatch or join online: {meeting.webcast_url}"
    event.add("description", description)
    event.add(
        "status",
        {Meeting.Status.CANCELLED: "CANCELLED", Meeting.Status.POSTPONED: "TENTATIVE"}.get(
            meeting.status, "CONFIRMED"
        ),
    )
    return event


def calendar_response(meetings, name, filename):
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now().replace(microsecond=0)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, stamp))
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
