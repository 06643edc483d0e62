from itertools import groupby

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from smp_site.page_cache import partnership_page

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
    return render(
        request,
        "partnerships/partnership_detail.html",
        {
            "partnership": partnership,
            "membership_groups": membership_groups,
            "successors": list(partnership.successors.all()),
        },
    )


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
    # --- meetings (issue 3): the person's attendance record, one more query. ---
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
                queryset=Attendance.objects.select_related("meeting__partnership").order_by("-meeting__date"),
            ),
        ),
        slug=slug,
    )
    attendances = list(person.attendances.all())
    attendance_counts = [
        (label, sum(1 for a in attendances if a.role == role)) for role, label in Attendance.Role.choices
    ]
    # --- end meetings ---
    return render(
        request,
        "partnerships/person_detail.html",
        {"person": person, "attendances": attendances, "attendance_counts": attendance_counts},
    )
