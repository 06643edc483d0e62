from itertools import groupby

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from smp_site.page_cache import cache_until, next_midnight, partnership_page

from .models import Membership, Organisation, Partnership, Person, RelatedBody, Seat


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


@partnership_page()
def partnership_detail(request, slug):
    partnership = get_object_or_404(Partnership.objects.with_page_content(), slug=slug)
    seats = sorted(partnership.seats.all(), key=lambda seat: (seat.group_order, seat.order, seat.pk))
    membership_groups = [(heading, list(group)) for heading, group in groupby(seats, key=lambda s: s.group)]
    today = timezone.localdate()
    response = render(
        request,
        "partnerships/partnership_detail.html",
        {
            "partnership": partnership,
            "membership_groups": membership_groups,
            "successors": list(partnership.successors.all()),
            "suspension_is_current": partnership.suspension_is_current(today),
            "suspension_has_lapsed": partnership.suspension_has_lapsed(today),
        },
    )
    if partnership.suspension_is_current(today) and partnership.suspended_until_on:
        # The notice becomes history the day after it ends.
        return cache_until(response, next_midnight())
    return response


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
