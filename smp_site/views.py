import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils import timezone

from consultation.models import Consultation
from foundation.fixed_queries import fixed_query
from foundation.page_cache import cache_until, next_midnight, shows_no_wording
from meetings.models import Meeting
from partnerships.models import Partnership, SiteContact
from partnerships.page_content import successors_of

from .logs import request_id

HOME_MEETINGS = 3
HOME_CONSULTATIONS = 3
# Partnerships of each kind (current, former) the home page lists before it
# points to the full list: Merseyside has three, a national site hundreds.
HOME_PARTNERSHIPS = 10
# How long a visitor is asked to wait when the database is unreachable: a
# restart or a fail-over takes well under a minute.
UNAVAILABLE_RETRY_SECONDS = 30


@shows_no_wording
def home(request):
    now = timezone.now()
    shown = partnerships_on_home()
    current = [p for p in shown if p.is_current]
    former = [p for p in shown if not p.is_current]
    count = shown[0].total if shown else 0
    response = render(
        request,
        "home.html",
        {
            "consultations_open": list(Consultation.objects.open_now(now)[:HOME_CONSULTATIONS]),
            "current_partnerships": current,
            "former_partnerships": former,
            "successors": successors_of([partnership.pk for partnership in shown]),
            "partnerships_not_shown": count - len(shown),
            "partnerships_count": count,
            "next_meetings": next_meetings(timezone.localdate(now)),
        },
    )
    # "Next meetings" changes at midnight, "Have your say" when a
    # consultation opens or closes.
    changes = [next_midnight(), Consultation.objects.next_change(now)]
    return cache_until(response, min(moment for moment in changes if moment))


# The home page's queries of a fixed shape, compiled once
# (foundation.fixed_queries): it is the page read most, and rebuilt when any
# list goes stale.
@fixed_query
def partnerships_on_home():
    return Partnership.objects.first_of_each_status(HOME_PARTNERSHIPS)


@fixed_query
def next_meetings(today):
    return Meeting.objects.public().upcoming(today).listed()[:HOME_MEETINGS]


def contact(request):
    return render(
        request,
        "pages/contact.html",
        {"partnerships": Partnership.objects.current(), "site_contact": SiteContact.objects.first()},
    )


def accessibility(request):
    # Names a real way to ask for another format or report a problem: the
    # site's contact, or each partnership's, where clerks have given them.
    return render(
        request,
        "pages/accessibility.html",
        {
            "site_contact": SiteContact.objects.first(),
            "partnerships": [p for p in Partnership.objects.current() if p.has_contact_details],
        },
    )


def server_error(request):
    """Django's handler for an uncaught exception, from a view or from any
    middleware. A database that cannot be reached (refused, dropped, timed
    out) is an outage, not a fault of ours: "unavailable, try again" (503 and
    Retry-After), which load balancers and crawlers understand. Both pages
    are rendered without context processors or the database (the help
    contacts come from settings); the request id lets a resident who reports
    the error point staff to its log lines."""
    error = sys.exc_info()[1]
    context = {
        "site_name": settings.SITE_NAME,
        "request_id": request_id.get(),
        "help_email": settings.SITE_HELP_EMAIL,
        "help_phone": settings.SITE_HELP_PHONE,
    }
    if isinstance(error, (OperationalError, InterfaceError)):
        response = HttpResponse(loader.render_to_string("503.html", context), status=503)
        response["Retry-After"] = str(UNAVAILABLE_RETRY_SECONDS)
        return response
    return HttpResponseServerError(loader.render_to_string("500.html", context))


def bench_baseline(request):
    """The benchmark's yardstick: the least a page can cost through the same
    middleware and server (see bench/ and the BENCH_BASELINE setting)."""
    response = HttpResponse("baseline\n", content_type="text/plain")
    if settings.BENCH_SERVER_TOKEN:
        response["X-Bench-Server"] = settings.BENCH_SERVER_TOKEN
    return response
