"""
The pages of a partnership and of people, which show what the minutes
record (who attended) beside the partnerships app's own records: so they
are the site layer's, which may read every app. Their addresses are in the
"partnerships" namespace with the app's other pages (smp_site/urls.py).
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from foundation.page_cache import cache_until, next_midnight, partnership_page, person_page, shows_no_wording
from meetings.people import count_attendance, load_person_page, people_a_to_z, recent_attendees
from meetings.work_programme import next_planned_items
from partnerships.page_content import load_partnership_page


@partnership_page()
def partnership_detail(request, slug):
    today = timezone.localdate()
    page = load_partnership_page(slug, today)
    if page is None:
        raise Http404("No partnership at this address.")
    partnership = page.partnership
    attended_year, attendees = (None, []) if page.membership_groups else recent_attendees(partnership)
    planned_items = next_planned_items(partnership, today)
    response = render(
        request,
        "partnerships/partnership_detail.html",
        {
            "page": page,
            "partnership": partnership,
            "membership_groups": page.membership_groups,
            "attended_year": attended_year,
            "attendees": attendees,
            "successors": page.successors,
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
