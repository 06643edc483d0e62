"""
A partnership's attendance summary for a municipal year, as ModernGov's:
for each member, the meetings they were expected at, and at how many of
those they were present, sent apologies or were absent.

The rule, also written on the page (RULE):
- the meetings counted are the partnership's public meetings held in the
  year (not cancelled or postponed, dated on or before today) whose
  attendance the site records;
- a member is expected at a meeting when they held one of the partnership's
  seats on its date (the membership's start and end dates); the site lists
  as members only the people its seats say held them;
- at an expected meeting a member is present when recorded present or also
  present, sent apologies when so recorded, and absent otherwise (recorded
  absent, or not recorded at all);
- attendance recorded by a name the site does not link to a person cannot
  be matched to a seat and is not counted.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from partnerships.models import Membership

from .listing import year_label
from .models import Attendance, Meeting

RULE = [
    "Meetings counted: the partnership’s meetings held in the municipal year whose attendance this "
    "site records (not cancelled or postponed meetings).",
    "A member is expected at a meeting when they held one of the partnership’s seats on its date. "
    "Only people the partnership’s seats say held them are listed.",
    "At a meeting they were expected at, a member is counted present when the minutes record them "
    "present or also present, as sending apologies when the minutes record apologies, and absent "
    "otherwise.",
    "Attendance recorded by a name not linked to a person on this site is not counted.",
]
PRESENT = {Attendance.Role.PRESENT, Attendance.Role.ALSO_PRESENT}


@dataclass
class MemberRow:
    person: object
    seats: list = field(default_factory=list)
    expected: int = 0
    present: int = 0
    apologies: int = 0
    absent: int = 0
    held: set = field(default_factory=set)

    @property
    def seat_titles(self):
        return "; ".join(dict.fromkeys(self.seats))


@dataclass
class Summary:
    partnership: object
    start: datetime.date
    meetings: list
    rows: list
    has_seats: bool

    @property
    def label(self):
        return year_label(self.start.year)

    @property
    def slug(self):
        return year_slug(self.start.year)


def year_slug(start_year):
    """ "2019-20", the year as its address names it."""
    return year_label(start_year).replace("/", "-")


def start_of_year(partnership, slug):
    """The first day of the municipal year an address names ("2019-20"),
    or None if it names none."""
    try:
        first, second = slug.split("-")
        start_year = int(first)
    except ValueError:
        return None
    if len(first) != 4 or len(second) != 2 or year_slug(start_year) != slug or not 1990 <= start_year <= 2099:
        return None
    return datetime.date(start_year, partnership.municipal_year_start_month, 1)


def counted_meetings(partnership, start, end, today):
    """The meetings the rule counts, of one partnership (or of any, given None)."""
    meetings = Meeting.objects.public()
    if partnership is not None:
        meetings = meetings.filter(partnership=partnership)
    # "Has attendance" as the first attendance row's id rather than EXISTS:
    # PostgreSQL turns EXISTS into a join, which for every meeting (all the
    # years, nationally) hashed all 300,000 attendance rows (66 ms); a
    # subquery in the condition stays one look in the index a meeting (29 ms).
    first_attendance = Attendance.objects.filter(meeting_id=OuterRef("pk")).order_by().values("pk")[:1]
    return (
        meetings.filter(date__gte=start, date__lt=end, date__lte=today)
        .exclude(status__in=[Meeting.Status.CANCELLED, Meeting.Status.POSTPONED])
        .alias(first_attendance=Subquery(first_attendance))
        .filter(first_attendance__isnull=False)
    )


def all_years(today=None):
    """Every (partnership id, first day of a municipal year) with counted
    meetings, by partnership then newest year first. Two queries: the partnerships' first months, the meetings."""
    from partnerships.models import Partnership

    today = today or timezone.localdate()
    found = set()
    starts = dict(Partnership.objects.values_list("pk", "municipal_year_start_month"))
    # Unordered: the pairs are sorted below, and sorting every meeting by
    # date first cost a sort of 25,000 rows nationally. Years as numbers
    # until the few distinct ones are left: a date a meeting cost a third of
    # the loop.
    for partnership_id, day in (
        counted_meetings(None, datetime.date(1900, 1, 1), datetime.date(2200, 1, 1), today)
        .order_by()
        .values_list("partnership_id", "date")
    ):
        found.add((partnership_id, day.year if day.month >= starts[partnership_id] else day.year - 1))
    return [
        (partnership_id, datetime.date(year, starts[partnership_id], 1))
        for partnership_id, year in sorted(found, key=lambda pair: (pair[0], -pair[1]))
    ]


def years_with_meetings(partnership, today=None):
    """The municipal years (first days) with counted meetings, newest first. One query."""
    today = today or timezone.localdate()
    dates = counted_meetings(
        partnership, datetime.date(1900, 1, 1), datetime.date(2200, 1, 1), today
    ).values_list("date", flat=True)
    return sorted({partnership.municipal_year_of(day) for day in dates}, reverse=True)


def attendance_summary(partnership, start, today=None):
    """The summary of the municipal year starting `start`. Three queries."""
    return build_summaries([(partnership, start)], today)[0]


def build_summaries(years, today=None):
    """The summaries of several (partnership, first day of a municipal year)
    pairs at once, in the order given. Three queries, however many."""
    today = today or timezone.localdate()
    if not years:
        return []
    partnership_ids = {partnership.pk for partnership, _ in years}
    earliest = min(start for _, start in years)
    latest = max(datetime.date(start.year + 1, start.month, 1) for _, start in years)
    meetings = list(
        counted_meetings(None, earliest, latest, today)
        .filter(partnership_id__in=partnership_ids)
        .only("id", "date", "partnership")
        .order_by("date")
    )
    memberships = list(
        Membership.objects.filter(seat__partnership_id__in=partnership_ids)
        .select_related("person", "seat")
        .order_by("person__name", "started_on", "pk")
    )
    recorded = {
        (meeting_id, person_id): role
        for meeting_id, person_id, role in Attendance.objects.filter(
            meeting__in=[meeting.pk for meeting in meetings], person__isnull=False
        ).values_list("meeting_id", "person_id", "role")
    }
    # By partnership once, rather than every meeting of the page's
    # partnerships looked at again for each of its fifty summaries.
    meetings_of, seats_of = defaultdict(list), defaultdict(list)
    for meeting in meetings:
        meetings_of[meeting.partnership_id].append(meeting)
    for membership in memberships:
        seats_of[membership.seat.partnership_id].append(membership)
    summaries = []
    for partnership, start in years:
        end = datetime.date(start.year + 1, start.month, 1)
        held_here = [meeting for meeting in meetings_of[partnership.pk] if start <= meeting.date < end]
        for meeting in held_here:
            meeting.partnership = partnership  # its address: no query per meeting
        seats_here = seats_of[partnership.pk]
        summaries.append(
            Summary(
                partnership, start, held_here, member_rows(seats_here, held_here, recorded), bool(seats_here)
            )
        )
    return summaries


def member_rows(memberships, meetings, recorded):
    rows = {}
    for membership in memberships:
        held = [meeting for meeting in meetings if membership.is_current_on(meeting.date)]
        if not held:
            continue
        row = rows.setdefault(membership.person_id, MemberRow(membership.person))
        row.seats.append(membership.seat.title or membership.seat.get_role_display())
        row.held |= {meeting.pk for meeting in held}
    for row in rows.values():
        for meeting_id in row.held:
            role = recorded.get((meeting_id, row.person.pk))
            row.expected += 1
            if role in PRESENT:
                row.present += 1
            elif role == Attendance.Role.APOLOGIES:
                row.apologies += 1
            else:
                row.absent += 1
    return sorted(rows.values(), key=lambda row: (row.person.name.lower(), row.person.pk))
