from itertools import groupby

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from partnerships.models import Partnership
from smp_site.page_cache import cache_until, next_midnight, partnership_page

from .documents import TYPES, extension_of
from .models import AgendaItem, Attendance, Document, Meeting

RECENT_MEETINGS = 10
# Each partnership's page lists all its meetings; this page is a digest.
UPCOMING_MEETINGS = 20


def index(request):
    today = timezone.localdate()
    response = render(
        request,
        "meetings/index.html",
        {
            "upcoming": list(Meeting.objects.upcoming(today)[:UPCOMING_MEETINGS]),
            "upcoming_limit": UPCOMING_MEETINGS,
            "recent": list(Meeting.objects.recent(today)[:RECENT_MEETINGS]),
            "partnerships": list(Partnership.objects.all()),
        },
    )
    return cache_until(response, next_midnight())  # "upcoming" is as of today


@partnership_page()
def partnership_meetings(request, slug):
    partnership = get_object_or_404(Partnership, slug=slug)
    meetings = list(Meeting.objects.filter(partnership=partnership).order_by("-date", "-start_time"))
    for meeting in meetings:
        meeting.partnership = partnership  # already fetched: no query per meeting
    years = [(year, list(group)) for year, group in groupby(meetings, key=lambda m: m.municipal_year)]
    response = render(
        request,
        "meetings/partnership_meetings.html",
        {"partnership": partnership, "years": years, "today": timezone.localdate()},
    )
    return cache_until(response, next_midnight())


def attach_documents(items, documents):
    """Hand each item its own documents from the meeting's, which were
    fetched in one query; return the meeting's own."""
    by_item = {}
    for document in documents:
        by_item.setdefault(document.item_id, []).append(document)
    for item in items:
        item.item_documents = by_item.get(item.pk, [])
    return by_item.get(None, [])


@partnership_page()
def meeting_detail(request, slug, day):
    meeting = get_object_or_404(Meeting.objects.with_page_content(), partnership__slug=slug, date=day)
    items = list(meeting.items.all())
    attendances = list(meeting.attendances.all())
    roles = {role: [a for a in attendances if a.role == role] for role in Attendance.Role.values}
    next_meeting = (
        Meeting.objects.filter(partnership_id=meeting.partnership_id, date__gt=meeting.date)
        .order_by("date")
        .first()
    )
    if next_meeting:
        next_meeting.partnership = meeting.partnership  # the same one: no query for its address
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "partnership": meeting.partnership,
            "items": items,
            "meeting_documents": attach_documents(items, meeting.documents.all()),
            "present": roles["present"],
            "also_present": roles["also_present"],
            "apologies": roles["apologies"],
            "absent": roles["absent"],
            "declarations": list(meeting.declarations.all()),
            "next_meeting": next_meeting,
            # Minutes published on a previous website but not held here.
            "minutes_offline": meeting.minutes_are_public and not items,
        },
    )


@partnership_page()
def minute_detail(request, slug, day, number):
    item = get_object_or_404(
        AgendaItem.objects.with_page_content()
        .select_related("meeting__partnership", "meeting__confirmed_by__meeting__partnership")
        .prefetch_related("documents"),
        meeting__partnership__slug=slug,
        meeting__date=day,
        minute_number=number,
    )
    item.item_documents = list(item.documents.all())
    return render(
        request,
        "meetings/minute_detail.html",
        {"item": item, "meeting": item.meeting, "partnership": item.meeting.partnership},
    )


def document(request, pk, filename):
    document = get_object_or_404(Document.objects.select_related("item"), pk=pk)
    # Exempt items' papers are confidential; a document with no file is
    # listed as not available online.
    if not document.file or (document.item and document.item.is_exempt):
        raise Http404("No such document.")
    if filename != document.filename:
        return redirect(document.get_absolute_url(), permanent=True)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The file is missing.") from error
    content_type = TYPES.get(extension_of(document.filename), (None, "application/octet-stream"))[1]
    # Always a download, never rendered in the site's origin, and the
    # browser must not guess another type.
    response = FileResponse(handle, as_attachment=True, filename=document.filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
