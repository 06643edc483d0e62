"""
What the minutes record of people, for the pages of the partnerships and
people (smp_site/partnership_pages.py): who attended a partnership's
meetings, and each person's attendance counted.
"""

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from partnerships.models import Membership, Person

from .listing import year_label
from .models import Attendance, Meeting


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


def people_with_attendance():
    """Every person, A to Z, with their organisation, the seats they hold
    today, and their attendance at public meetings counted in the database
    (so a page of people costs the same however many meetings there are)."""
    public = ~Q(attendances__meeting__status=Meeting.Status.DRAFT)
    today = timezone.localdate()
    current = Q(started_on__isnull=True) | Q(started_on__lte=today)
    current &= Q(ended_on__isnull=True) | Q(ended_on__gte=today)
    return (
        Person.objects.select_related("organisation")
        .annotate(
            expected=Count("attendances", filter=public),
            attended=Count(
                "attendances",
                filter=public
                & Q(attendances__role__in=[Attendance.Role.PRESENT, Attendance.Role.ALSO_PRESENT]),
            ),
            apologies=Count("attendances", filter=public & Q(attendances__role=Attendance.Role.APOLOGIES)),
        )
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(current).select_related("seat__partnership"),
                to_attr="current_memberships",
            )
        )
        .order_by("name", "title", "pk")
    )
