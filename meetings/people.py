"""
What the minutes record of people, for the pages of the partnerships and
people (smp_site/partnership_pages.py): who attended a partnership's
meetings, and each person's attendance counted.
"""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from foundation.fixed_queries import fixed_query
from partnerships.models import Membership, Person

from .listing import year_label
from .models import AgendaItem, Attendance


def recent_attendees(partnership):
    """Where a partnership records no seats, who attended its meetings in the
    last municipal year of public meetings with attendance: the year's label
    ("2019/20") and each name once, as the minutes print it. Two queries."""
    attendances = Attendance.objects.public().filter(meeting__partnership=partnership)
    last = attendances.order_by("-meeting__date").values_list("meeting__date", flat=True).first()
    if last is None:
        return None, []
    start = partnership.municipal_year_of(last)
    rows = (
        attendances.filter(
            meeting__date__gte=start,
            meeting__date__lt=start.replace(year=start.year + 1),
            role__in=[Attendance.Role.PRESENT, Attendance.Role.ALSO_PRESENT],
        )
        .select_related("person")
        .order_by("meeting__date", "order", "pk")
    )
    attendees = {}
    for attendance in rows:
        attendees.setdefault(attendance.display_name, attendance.person)
    return year_label(start.year), list(attendees.items())


def people_a_to_z():
    """Every person, A to Z, with their organisation and the seats they hold
    today; count_attendance() then counts a page of them."""
    today = timezone.localdate()
    current = Q(started_on__isnull=True) | Q(started_on__lte=today)
    current &= Q(ended_on__isnull=True) | Q(ended_on__gte=today)
    return (
        Person.objects.select_related("organisation")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(current).select_related("seat__partnership"),
                to_attr="current_memberships",
            )
        )
        .order_by("name", "title", "pk")
    )


def count_attendance(people):
    """Set each of `people`'s attendance at public meetings: how often they
    were expected (any role), attended (present or also present) and sent
    apologies. One query for the page's people only: counted as part of the
    list (a join of every attendance, grouped, or a subquery a row), a page
    aggregated everyone's attendance before taking its fifty, 300,000 rows
    and about half a second nationally. Roles are counted, not ids: the
    index by person holds the meeting and the role (Attendance.Meta), so
    PostgreSQL counts from it without reading the table."""
    attended = [Attendance.Role.PRESENT, Attendance.Role.ALSO_PRESENT]
    counts = {
        row["person"]: row
        for row in Attendance.objects.public(without_meeting=True)
        .filter(person__in=[person.pk for person in people])
        .order_by()
        .values("person")
        .annotate(
            expected=Count("role"),
            attended=Count("role", filter=Q(role__in=attended)),
            apologies=Count("role", filter=Q(role=Attendance.Role.APOLOGIES)),
        )
    }
    for person in people:
        row = counts.get(person.pk, {})
        person.expected = row.get("expected", 0)
        person.attended = row.get("attended", 0)
        person.apologies = row.get("apologies", 0)
    return people


@dataclass
class PersonPage:
    """What a person's page shows: their seats, newest first; every public
    meeting the minutes record them at, newest first, as rows of
    ATTENDANCE_FIELDS; how many in each role; and the names the minutes
    print for them."""

    person: Person
    memberships: list
    attendances: list
    attendance_counts: list
    spellings: list


# A row of a person's attendance record: what its line on their page shows.
ATTENDANCE_FIELDS = (
    "meeting__date",
    "meeting__partnership__slug",
    "meeting__partnership__name",
    "role",
    "is_chair",
    "name",
)


def load_person_page(slug):
    """The PersonPage of the person at `slug`, or None. Four queries, each
    compiled once (foundation.fixed_queries): a page-cache miss of a person's
    page cost as much in building its queries as in running them, and a
    long-serving member's record (some 85 meetings nationally) is read as
    rows, not three model instances a meeting."""
    found = person_at(slug)
    if not found:
        return None
    person = found[0]
    attendances = attendance_record_of(person.pk)
    roles = [attendance.role for attendance in attendances]
    # The names the minutes print for this person, as a clerk linked them.
    printed = {attendance.name for attendance in attendances} | set(names_presented_as(person.pk))
    return PersonPage(
        person=person,
        memberships=seats_held_by(person.pk),
        attendances=attendances,
        attendance_counts=[
            (label, count) for role, label in Attendance.Role.choices if (count := roles.count(role))
        ],
        spellings=sorted(name for name in printed if name),
    )


@fixed_query
def person_at(slug):
    return Person.objects.select_related("organisation").filter(slug=slug)


@fixed_query
def seats_held_by(person_id):
    return (
        Membership.objects.filter(person_id=person_id)
        .select_related("seat__partnership")
        .order_by("-started_on", "-pk")
    )


@fixed_query
def attendance_record_of(person_id):
    return (
        Attendance.objects.public()
        .filter(person_id=person_id)
        .order_by("-meeting__date", "meeting__partnership__name", "meeting_id")
        .values_list(*ATTENDANCE_FIELDS, named=True)
    )


@fixed_query
def names_presented_as(person_id):
    return (
        AgendaItem.objects.filter(presenter_id=person_id).order_by().values_list("presenter_name", flat=True)
    )
