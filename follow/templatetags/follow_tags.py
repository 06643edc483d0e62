import datetime
import json
from zoneinfo import ZoneInfo

from django import template
from django.conf import settings
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe

from meetings.models import Meeting

register = template.Library()

STATUS = {
    Meeting.Status.CANCELLED: "https://schema.org/EventCancelled",
    Meeting.Status.POSTPONED: "https://schema.org/EventPostponed",
}


def meeting_event(meeting):
    """A schema.org Event for a meeting (https://schema.org/Event)."""
    partnership = meeting.partnership
    if meeting.start_time:
        start = datetime.datetime.combine(
            meeting.date, meeting.start_time, tzinfo=ZoneInfo(settings.TIME_ZONE)
        )
        start_date = start.isoformat()
    else:
        start_date = meeting.date.isoformat()
    event = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": f"Meeting of the {partnership.name}",
        "description": f"{meeting.page_title} of the meeting of the {partnership.name} on {meeting.date:%-d %B %Y}.",
        "startDate": start_date,
        "eventStatus": STATUS.get(meeting.status, "https://schema.org/EventScheduled"),
        "eventAttendanceMode": "https://schema.org/MixedEventAttendanceMode"
        if meeting.webcast_url
        else "https://schema.org/OfflineEventAttendanceMode",
        "url": f"{settings.SITE_URL}{meeting.get_absolute_url()}",
        "organizer": {
            "@type": "Organization",
            "name": partnership.name,
            "url": f"{settings.SITE_URL}{partnership.get_absolute_url()}",
        },
    }
    if meeting.venue:
        event["location"] = {"@type": "Place", "name": meeting.venue, "address": meeting.venue}
    if meeting.webcast_url:
        event.setdefault("location", {"@type": "VirtualLocation", "url": meeting.webcast_url})
    return event


@register.filter
def meeting_json_ld(meeting):
    """The Event as JSON safe inside <script type="application/ld+json">:
    <, > and & are escaped as JSON unicode escapes, so the text cannot close
    the element (the same escaping as Django's json_script)."""
    return mark_safe(json.dumps(meeting_event(meeting), ensure_ascii=False).translate(_json_script_escapes))  # noqa: S308
