import calendar
import datetime
from itertools import groupby

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from foundation.page_cache import cache_until, next_midnight, partnership_page, shows_no_wording
from foundation.paging import CappedPaginator
from partnerships.models import Partnership, partnership_choices

from .documents import TYPES, extension_of
from .listing import (
    PAGE_SIZE,
    UPCOMING_MEETINGS,
    Filters,
    listed_municipal_year,
    meeting_states,
    municipal_years,
    public_declarations,
    public_meetings,
    public_resolutions,
    recent_meetings,
    upcoming_meetings,
)
from .models import Document, Meeting
from .page_content import (
    load_meeting_page,
    load_minute_page,
    meeting_after,
    meeting_at,
    minute_at,
    only_or_404,
)
from .work_programme import planned_for_meeting

# The decisions offered in pages, newest first, before the list says "more
# than" and its filters find the older ones (foundation.paging).
MOST_DECISIONS = 1000
# Newest meeting first, each meeting's decisions together in the order of its
# minutes (two partnerships often meet on the same day), and a total order,
# so that no decision falls between two pages or shows on both. The meetings
# are read in (date, id) order from their index (meeting_date_id), so a page
# reads its own meetings' resolutions rather than every one of its newest day.
DECISIONS_ORDER = (
    "-item__meeting__date",
    "-item__meeting_id",
    "item__minute_number",
    "item__order",
    "item_id",
    "number",
)


@shows_no_wording
def index(request):
    today = timezone.localdate()
    # Every partnership is listed twice (the filter and the links to their
    # meetings), as light rows, so that the page costs little more with 300.
    partnerships = partnership_choices()
    states = meeting_states()
    filters = Filters.read(request.GET, partnerships, "meetings", states)
    context = {
        "partnerships": partnerships,
        "filters": filters,
        "errors": filters.errors,
        "years": municipal_years(public_meetings()),
        "states": states,
    }
    if filters.any:
        found = filters.apply(public_meetings()).listed().order_by("-date", "-start_time")
        page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(page=page, found=list(page.object_list))
    else:
        context.update(
            upcoming=upcoming_meetings(today),
            upcoming_limit=UPCOMING_MEETINGS,
            recent=recent_meetings(today),
        )
    response = render(request, "meetings/index.html", context)
    return cache_until(response, next_midnight())  # "upcoming" is as of today


def decisions(request):
    """Every public resolution, newest meeting first, each linking to its minute."""
    partnerships = partnership_choices()
    filters = Filters.read(request.GET, partnerships, "decisions", words=True)
    found = (
        filters.apply(public_resolutions(), "item__meeting__")
        .select_related("item__meeting__partnership")
        .order_by(*DECISIONS_ORDER)
    )
    page = CappedPaginator(found, PAGE_SIZE, most=MOST_DECISIONS).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/decisions.html",
        {
            "partnerships": partnerships,
            "filters": filters,
            "errors": filters.errors,
            "years": municipal_years(public_meetings()),
            "page": page,
            "resolutions": list(page.object_list),
        },
    )


def declarations(request):
    """The register of declarations of interest, newest meeting first, each
    linking to the minute (or the meeting) that records it."""
    partnerships = partnership_choices()
    filters = Filters.read(request.GET, partnerships, "declarations")
    found = (
        filters.apply(public_declarations(), "meeting__")
        .select_related("meeting__partnership", "person", "item")
        .order_by("-meeting__date", "meeting__pk", "item__minute_number", "pk")
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/declarations.html",
        {
            "partnerships": partnerships,
            "filters": filters,
            "errors": filters.errors,
            "years": municipal_years(public_meetings()),
            "page": page,
            "declarations": list(page.object_list),
        },
    )


# The months a calendar page may show: wide enough for any record, narrow
# enough that a crawler following "next month" soon meets a 404.
CALENDAR_YEARS = range(1990, 2100)


def calendar_now(request):
    today = timezone.localdate()
    response = redirect("meetings:calendar", year=f"{today.year:04d}", month=f"{today.month:02d}")
    return cache_until(response, next_midnight())


def month_page(year, month):
    if year not in CALENDAR_YEARS or not 1 <= month <= 12:
        raise Http404("There is no such month.")
    return datetime.date(year, month, 1)


@shows_no_wording
def calendar_month(request, year, month):
    """A month of meetings as a table, a week a row."""
    first = month_page(int(year), int(month))
    following = (first + datetime.timedelta(days=31)).replace(day=1)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    meetings = list(
        public_meetings()
        .filter(date__gte=first, date__lt=following)
        .select_related("partnership")
        .order_by("date", "start_time", "partnership__name")
    )
    by_day = {day: list(group) for day, group in groupby(meetings, key=lambda meeting: meeting.date)}
    weeks = [
        [(day, by_day.get(day, [])) if day.month == first.month else (None, []) for day in week]
        for week in calendar.Calendar().monthdatescalendar(first.year, first.month)
    ]
    return render(
        request,
        "meetings/calendar.html",
        {
            "month": first,
            "weeks": weeks,
            "weekdays": list(calendar.day_name),
            "meetings": meetings,
            "previous": previous if previous.year in CALENDAR_YEARS else None,
            "next": following if following.year in CALENDAR_YEARS else None,
        },
    )


@partnership_page()
def partnership_meetings(request, slug):
    partnership = get_object_or_404(Partnership, slug=slug)
    meetings = list(
        Meeting.objects.public().filter(partnership=partnership).listed().order_by("-date", "-start_time")
    )
    years = [(year, list(group)) for year, group in groupby(meetings, key=listed_municipal_year)]
    response = render(
        request,
        "meetings/partnership_meetings.html",
        {"partnership": partnership, "years": years, "today": timezone.localdate()},
    )
    return cache_until(response, next_midnight())


@partnership_page(day="day")
def meeting_detail(request, slug, day):
    meeting = only_or_404(meeting_at(slug, day))
    load_meeting_page(meeting, request)
    next_meeting = next(iter(meeting_after(meeting.partnership_id, meeting.date)), None)
    if next_meeting:
        next_meeting.partnership = meeting.partnership  # the same one: no query for its address
    # A meeting to come shows what the work programme plans for it (a
    # query only for those: a past meeting's agenda says what it discussed).
    upcoming = meeting.date >= timezone.localdate() and not (meeting.is_cancelled or meeting.is_postponed)
    planned_items = planned_for_meeting(meeting) if upcoming else []
    response = render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "partnership": meeting.partnership,
            "items": meeting.page_items,
            # Its attendance, declarations and papers of no item, rendered.
            "parts": meeting.page_parts,
            "next_meeting": next_meeting,
            "planned_items": planned_items,
        },
    )
    # Once its day has passed, the plans are no longer shown.
    return cache_until(response, next_midnight()) if planned_items else response


@partnership_page(day="day")
def minute_detail(request, slug, day, number):
    item = only_or_404(minute_at(slug, day, number))
    load_minute_page(item, request)
    return render(
        request,
        "meetings/minute_detail.html",
        {"item": item, "meeting": item.meeting, "partnership": item.meeting.partnership},
    )


def document(request, pk, filename):
    # Exempt items' papers are confidential; a document with no file is
    # listed as not available online, and has no page.
    document = get_object_or_404(Document.objects.downloadable(), pk=pk)
    if filename != document.filename:
        return redirect(document.get_absolute_url(), permanent=True)
    content_type = TYPES.get(extension_of(document.filename), (None, "application/octet-stream"))[1]
    storage = document.file.storage
    if hasattr(storage, "download_url"):
        # In the shared object store: the browser fetches it from there,
        # not through the app server's few threads, by an address that
        # expires within a minute (so it is never worth sharing or caching).
        response = redirect(storage.download_url(document.file.name, document.filename, content_type))
        add_never_cache_headers(response)
        return response
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The file is missing.") from error
    # Always a download, never rendered in the site's origin, and the
    # browser must not guess another type.
    response = FileResponse(handle, as_attachment=True, filename=document.filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
