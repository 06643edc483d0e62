"""
When the initial content's meetings and minutes were published, as their
source gives it, for the feeds and alerts.

The meeting lifecycle records a Publication when a meeting or its minutes
first become public: for the initial content, the moment it is loaded, so
the feeds would say that minutes of 2019 came out the day the site was set
up. The pages the site replaces give no date of publication; the dates they
do give are the meetings'. So minutes are dated by their meeting, and a
meeting by the meeting whose minutes announced it ("That the next meeting be
held on Thursday, 12 March 2020", Minute No. 39 of 5 December 2019; "...on
Thursday, 11 June 2020", Minute No. 54 of 12 March 2020), or else by its own
date (the old pages list it only once it was held).

`load_initial_content` runs the bundle once, after the meetings' bundles,
also on a site loaded before it existed. It changes only the publications of
the initial content's meetings, only of the kinds the seeds published.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from meetings.initial_content import SEFTON, SMP
from meetings.models import Meeting

from .models import Publication

# (partnership, meeting's date): the date of the meeting whose minutes announced it.
ANNOUNCED_BY = {
    (SEFTON, datetime.date(2020, 3, 12)): datetime.date(2019, 12, 5),
    (SEFTON, datetime.date(2020, 6, 11)): datetime.date(2020, 3, 12),
}
# The meetings of the initial content, and which of them had their minutes on the old pages.
MEETINGS = {
    SEFTON: [
        datetime.date(2019, 9, 12),
        datetime.date(2019, 12, 5),
        datetime.date(2020, 3, 12),
        datetime.date(2020, 6, 11),
    ],
    SMP: [
        datetime.date(2019, 6, 14),
        datetime.date(2019, 9, 6),
        datetime.date(2020, 1, 21),
        datetime.date(2020, 9, 4),
    ],
}
WITH_MINUTES = {(SEFTON, datetime.date(2019, 12, 5)), (SEFTON, datetime.date(2020, 3, 12))}


def at_start(meeting):
    """The meeting's start in London, or the start of its day when no time is known."""
    return datetime.datetime.combine(
        meeting.date, meeting.start_time or datetime.time(0), tzinfo=ZoneInfo(settings.TIME_ZONE)
    )


def source_dates(meetings):
    """{(kind, meeting id): when the source says it was published}."""
    by_day = {(meeting.partnership.slug, meeting.date): meeting for meeting in meetings}
    dates = {}
    for (slug, day), meeting in by_day.items():
        announcer = by_day.get((slug, ANNOUNCED_BY.get((slug, day))))
        dates[(Publication.Kind.MEETING, meeting.pk)] = at_start(announcer or meeting)
        if (slug, day) in WITH_MINUTES:
            dates[(Publication.Kind.MINUTES, meeting.pk)] = at_start(meeting)
    return dates


def date_publications():
    meetings = []
    for slug, days in MEETINGS.items():
        meetings += Meeting.objects.filter(partnership__slug=slug, date__in=days).select_related(
            "partnership"
        )
    dates = source_dates(meetings)
    publications = list(Publication.objects.filter(meeting__in=meetings))
    for publication in publications:
        publication.published_at = dates.get(
            (publication.kind, publication.meeting_id), publication.published_at
        )
    Publication.objects.bulk_update(publications, ["published_at"])


def load_publication_dates():
    # The publications are recorded once the meetings' bundles commit; this
    # runs after them (at once when they have committed already).
    transaction.on_commit(date_publications)


BUNDLES = [("follow.publication-dates", load_publication_dates)]
