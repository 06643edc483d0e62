"""
The pages of a partnership and of people, which show what the minutes
record (who attended) beside the partnerships app's own records: so they
are the site layer's, which may read every app. Their addresses are in the
"partnerships" namespace with the app's other pages (smp_site/urls.py).
"""

from itertools import groupby

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from foundation.page_cache import cache_until, next_midnight, partnership_page, person_page, shows_no_wording
from meetings.people import count_attendance, load_person_page, people_a_to_z, recent_attendees
from meetings.work_programme import upcoming_items
from partnerships.models import Partnership

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


PEOPLE_PAGE_SIZE = 50


@shows_no_wording
def people(request):
    page = Paginator(people_a_to_z(), PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
    response = render(
        request,
        "partnerships/people.html",
        {"page": page, "people": count_attendance(list(page.object_list)), "filters_qs": ""},
    )
    # Seats held "today" change with the date.
    return cache_until(response, next_midnight())


@person_page
def person_detail(request, slug):
    page = load_person_page(slug)
    if page is None:
        raise Http404("No person at this address.")
    return render(request, "partnerships/person_detail.html", {"page": page, "person": page.person})
