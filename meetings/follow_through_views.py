"""
The public pages that follow a partnership's business through: a paper's
reading copy, the action log, the attendance summary and the work
programme. Each is one partnership's page in the page cache (dropped when
that partnership's content changes), and runs a fixed number of queries.
"""

import csv

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from foundation.page_cache import cache_until, next_midnight, partnership_page
from partnerships.models import Partnership

from .accessible_papers import AccessibleVersion
from .action_log import LogStatus, action_log, log_counts
from .attendance_summary import RULE, attendance_summary, start_of_year, year_slug, years_with_meetings
from .listing import year_label
from .models import Document
from .work_programme import upcoming_items


@partnership_page(day="day")
def paper(request, slug, day, pk):
    """A paper's reading copy, while the paper itself is public."""
    document = get_object_or_404(
        Document.objects.public().select_related("meeting__partnership", "item"),
        pk=pk,
        meeting__partnership__slug=slug,
        meeting__date=day,
    )
    if not document.file or (document.item_id and document.item.is_exempt):
        raise Http404("No such paper.")
    version = AccessibleVersion.objects.filter(document=document, built_from=document.file.name).first()
    if version is None:
        raise Http404("This paper has no version to read online yet.")
    meeting = document.meeting
    return render(
        request,
        "meetings/paper.html",
        {"document": document, "version": version, "meeting": meeting, "partnership": meeting.partnership},
    )


@partnership_page()
def actions(request, slug):
    """The partnership's action log: every action of its public minutes,
    open, overdue (past its due date and not done) or done."""
    partnership = get_object_or_404(Partnership, slug=slug)
    status = request.GET.get("status", "")
    error = ""
    if status not in LogStatus.values:
        if status:
            error = "Choose open, overdue, done or not recorded."
        status = ""
    today = timezone.localdate()
    response = render(
        request,
        "meetings/actions.html",
        {
            "partnership": partnership,
            "actions": action_log(partnership, status, today),
            "counts": log_counts(partnership, today),
            "status": status,
            "statuses": LogStatus.choices,
            "errors": [("status-filter", error)] if error else [],
            "today": today,
        },
        status=400 if error else 200,
    )
    return cache_until(response, next_midnight())  # "overdue" is as of today


@partnership_page()
def attendance_years(request, slug):
    """The municipal years with an attendance summary; the latest is the
    one a reader most likely wants."""
    partnership = get_object_or_404(Partnership, slug=slug)
    years = years_with_meetings(partnership)
    response = render(
        request,
        "meetings/attendance_years.html",
        {
            "partnership": partnership,
            "years": [(year_slug(start.year), year_label(start.year)) for start in years],
            "rule": RULE,
        },
    )
    return cache_until(response, next_midnight())


def _summary(slug, year):
    partnership = get_object_or_404(Partnership, slug=slug)
    start = start_of_year(partnership, year)
    if start is None:
        raise Http404("No such municipal year.")
    return attendance_summary(partnership, start)


@partnership_page()
def attendance(request, slug, year):
    summary = _summary(slug, year)
    response = render(
        request,
        "meetings/attendance_summary.html",
        {"partnership": summary.partnership, "summary": summary, "rule": RULE},
    )
    return cache_until(response, next_midnight())


CSV_HEADER = ["Member", "Seats", "Municipal year", "Expected", "Present", "Apologies", "Absent"]


@partnership_page()
def attendance_csv(request, slug, year):
    summary = _summary(slug, year)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"attendance-{summary.partnership.slug}-{summary.slug}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for row in summary.rows:
        writer.writerow(
            [
                row.person.full_name,
                row.seat_titles,
                summary.label,
                row.expected,
                row.present,
                row.apologies,
                row.absent,
            ]
        )
    return cache_until(response, next_midnight())


@partnership_page()
def work_programme(request, slug):
    """The subjects the partnership plans to discuss, by meeting or month."""
    partnership = get_object_or_404(Partnership, slug=slug)
    today = timezone.localdate()
    items = upcoming_items(partnership, today)
    response = render(
        request, "meetings/work_programme.html", {"partnership": partnership, "items": items, "today": today}
    )
    return cache_until(response, next_midnight())
