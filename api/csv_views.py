"""
CSV downloads of a partnership's public record: every resolution, and the
attendance at every meeting. UTF-8 with a byte-order mark (so Excel reads it
as UTF-8), and cells a spreadsheet would run as a formula neutralised, as in
the consultation export. Two queries each, whatever the size.
"""

import csv
import io

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from consultation.export import BOM, neutralise
from meetings.models import Attendance, Resolution
from partnerships.models import Partnership

from .resources import absolute


def csv_response(filename, headings, rows):
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow(headings)
    for row in rows:
        writer.writerow([neutralise(value) for value in row])
    response = HttpResponse(buffer.getvalue().encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def resolutions_csv(request, slug):
    partnership = get_object_or_404(Partnership, slug=slug)
    resolutions = (
        Resolution.objects.public()
        .filter(item__meeting__partnership=partnership)
        .select_related("item__meeting")
        .order_by("item__meeting__date", "item__minute_number", "item__order", "number")
    )

    def rows():
        for resolution in resolutions.iterator(chunk_size=2000):
            item = resolution.item
            item.meeting.partnership = partnership  # for its address, without a query
            yield [
                item.meeting.date.isoformat(),
                item.minute_number,
                item.title,
                resolution.number,
                resolution.citation,
                resolution.text,
                item.meeting.minutes_status,
                absolute(resolution.get_absolute_url()),
            ]

    return csv_response(
        f"{partnership.slug}-resolutions.csv",
        [
            "meeting_date",
            "minute_number",
            "item_title",
            "resolution_number",
            "citation",
            "text",
            "minutes_status",
            "url",
        ],
        rows(),
    )


@require_safe
def attendance_csv(request, slug):
    partnership = get_object_or_404(Partnership, slug=slug)
    attendances = (
        Attendance.objects.public()
        .filter(meeting__partnership=partnership)
        .select_related("meeting", "person")
        .order_by("meeting__date", "order", "pk")
    )

    def rows():
        for attendance in attendances.iterator(chunk_size=2000):
            attendance.meeting.partnership = partnership
            yield [
                attendance.meeting.date.isoformat(),
                attendance.display_name,
                f"person-{attendance.person_id}" if attendance.person_id else "",
                attendance.get_role_display(),
                "yes" if attendance.is_chair else "",
                absolute(attendance.meeting.get_absolute_url()),
            ]

    return csv_response(
        f"{partnership.slug}-attendance.csv",
        ["meeting_date", "name", "person_id", "role", "in_the_chair", "meeting_url"],
        rows(),
    )
