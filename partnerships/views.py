from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from smp_site.page_cache import cache_until, next_midnight, partnership_page, shows_no_wording

from .models import Membership, Organisation, Partnership, Person, RelatedBody, Seat


@shows_no_wording
def partnership_list(request):
    partnerships = list(Partnership.objects.for_listing())
    return render(
        request,
        "partnerships/partnership_list.html",
        {
            "current": [p for p in partnerships if p.is_current],
            "former": [p for p in partnerships if not p.is_current],
        },
    )


def recent_attendees(partnership):
    """Where a partnership records no seats, who attended its meetings in the
    last municipal year of public meetings with attendance: the year's label
    ("2019/20") and each name once, as the minutes print it. Two queries."""
    from meetings.listing import year_label
    from meetings.models import Attendance

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


# The partnership page shows the next few planned subjects; its work
# programme page, all of them.
PLANNED_ON_PAGE = 5


@partnership_page()
def partnership_detail(request, slug):
    partnership = get_object_or_404(Partnership.objects.with_page_content(), slug=slug)
    seats = sorted(partnership.seats.all(), key=lambda seat: (seat.group_order, seat.order, seat.pk))
    membership_groups = [(heading, list(group)) for heading, group in groupby(seats, key=lambda s: s.group)]
    today = timezone.localdate()
    attended_year, attendees = (None, []) if membership_groups else recent_attendees(partnership)
    # The work programme is the meetings app's (imported here at run time,
    # as recent_attendees does): the next few subjects planned.
    from meetings.work_programme import upcoming_items

    planned_items = upcoming_items(partnership, today, limit=PLANNED_ON_PAGE)
    response = render(
        request,
        "partnerships/partnership_detail.html",
        {
            "partnership": partnership,
            "membership_groups": membership_groups,
            "attended_year": attended_year,
            "attendees": attendees,
            "successors": list(partnership.successors.all()),
            "planned_items": planned_items,
            "suspension_is_current": partnership.suspension_is_current(today),
            "suspension_has_lapsed": partnership.suspension_has_lapsed(today),
        },
    )
    if planned_items or (partnership.suspension_is_current(today) and partnership.suspended_until_on):
        # The notice becomes history the day after it ends; a planned
        # subject's meeting or month passes.
        return cache_until(response, next_midnight())
    return response


@shows_no_wording
def organisation_detail(request, slug):
    organisation = get_object_or_404(
        Organisation.objects.prefetch_related(
            Prefetch(
                "seats", queryset=Seat.objects.select_related("partnership").order_by("partnership", "order")
            ),
            Prefetch(
                "related_partnerships",
                queryset=RelatedBody.objects.select_related("partnership"),
            ),
            "people",
        ),
        slug=slug,
    )
    return render(request, "partnerships/organisation_detail.html", {"organisation": organisation})


PEOPLE_PAGE_SIZE = 50


def people_with_attendance():
    """Every person, A to Z, with their organisation, the seats they hold
    today, and their attendance at public meetings counted in the database
    (so a page of people costs the same however many meetings there are)."""
    from meetings.models import Attendance, Meeting

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


@shows_no_wording
def people(request):
    page = Paginator(people_with_attendance(), PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
    response = render(
        request,
        "partnerships/people.html",
        {"page": page, "people": list(page.object_list), "filters_qs": ""},
    )
    # Seats held "today" change with the date.
    return cache_until(response, next_midnight())


@shows_no_wording
def person_detail(request, slug):
    from meetings.models import Attendance

    person = get_object_or_404(
        Person.objects.select_related("organisation").prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related(
                    "seat__partnership", "seat__organisation"
                ).order_by("-started_on"),
            ),
            Prefetch(
                "attendances",
                queryset=Attendance.objects.public()
                .select_related("meeting__partnership")
                .order_by("-meeting__date"),
            ),
        ),
        slug=slug,
    )
    attendances = list(person.attendances.all())
    attendance_counts = [
        (label, count)
        for role, label in Attendance.Role.choices
        if (count := sum(1 for a in attendances if a.role == role))
    ]
    # The names the minutes print for this person, as a clerk linked them.
    printed = {a.name for a in attendances} | set(
        person.presented_items.values_list("presenter_name", flat=True)
    )
    spellings = sorted(name for name in printed if name)
    return render(
        request,
        "partnerships/person_detail.html",
        {
            "person": person,
            "attendances": attendances,
            "attendance_counts": attendance_counts,
            "spellings": spellings,
        },
    )
