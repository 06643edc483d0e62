"""
The API's follow-through: actions (with what later minutes reported on
them), attendance summaries (per partnership and municipal year, by the
rule the site prints) and the work programme. Resources as the rest
(api/resources.py, which lists them in RESOURCES and is the module to
import), each page in a fixed number of queries; their items' shapes are
in api/follow_through_serializers.py.
"""

import re

from django.urls import reverse
from django.utils import timezone

from meetings.action_log import LogStatus, attach_updates, log_status, public_actions, status_filter
from meetings.attendance_summary import RULE, all_years, build_summaries, year_slug
from meetings.listing import year_label
from meetings.work_programme import WorkProgrammeItem
from partnerships.models import Partnership

from .resources import ID_DIGITS, Resource, absolute, choice_filter, id_filter, sources


def minute_identifier(item):
    return f"Minute No. {item.minute_number}" if item.minute_number else item.title


class ActionResource(Resource):
    """Actions of published minutes, due first, with the later minutes
    reporting on each."""

    collection = "actions"
    type = "action"
    description = (
        "Actions agreed in published minutes (owner, due date, status as of today), each with the later "
        "minutes that report on it; soonest due first."
    )
    filters = {
        "organization_id": id_filter(
            "Only the actions of this partnership.",
            "partnership",
            "resolution__item__meeting__partnership_id",
        ),
        "status": choice_filter(
            "Only actions in this place of the log, as of today: overdue (past its due date, not done), "
            "open, done or not_recorded (the minutes do not say).",
            {value: {"status": value} for value in LogStatus.values},
        ),
    }

    def queryset(self):
        return (
            public_actions()
            .select_related("owner", "resolution__item__meeting__partnership")
            .order_by("due_on", "-resolution__item__meeting__date", "resolution__item__minute_number", "pk")
        )

    def filtered(self, params):
        actions = self.queryset()
        for name, value in params.items():
            parsed = self.filters[name].parse(value)
            actions = (
                actions.filter(status_filter(parsed["status"], timezone.localdate()))
                if name == "status"
                else actions.filter(**parsed)
            )
        return actions

    def page(self, params, start, stop):
        actions = list(self.filtered(params)[start:stop])
        attach_updates(actions)
        return [self.serialize(action) for action in actions]

    def get(self, item_id):
        pk = self.parse_id(item_id)
        action = None if pk is None else self.queryset().filter(pk=pk).first()
        if action is None:
            return None
        attach_updates([action])
        return self.serialize(action)

    def serialize(self, action):
        resolution = action.resolution
        item = resolution.item
        meeting = item.meeting
        html_url = absolute(
            f"{reverse('meetings:actions', args=[meeting.partnership.slug])}#action-{action.pk}"
        )
        base = self.base(action, html_url=html_url)
        return {
            **base,
            "organization_id": f"partnership-{meeting.partnership_id}",
            "description": action.description,
            "owner": {
                "name": action.owner_display,
                "person_id": f"person-{action.owner_id}" if action.owner_id else None,
            },
            "due_date": action.due_on.isoformat() if action.due_on else None,
            "status": log_status(action, timezone.localdate()).value,
            "resolution_id": f"resolution-{resolution.pk}",
            "agreed_at": {
                "event_id": f"event-{meeting.pk}",
                "meeting_date": meeting.date.isoformat(),
                "identifier": f"{resolution.citation}",
                "html_url": absolute(resolution.get_absolute_url()),
            },
            "reports": [
                {
                    "status": update.status,
                    "note": update.note,
                    "event_id": f"event-{update.item.meeting_id}",
                    "meeting_date": update.item.meeting.date.isoformat(),
                    "identifier": minute_identifier(update.item),
                    "html_url": absolute(update.item.get_absolute_url()),
                }
                for update in action.page_updates
            ],
            "sources": sources(html_url, "the partnership's action log"),
        }


class AttendanceSummaryResource(Resource):
    """One item per partnership and municipal year with counted meetings."""

    collection = "attendance-summaries"
    type = "attendance-summary"
    description = (
        "Each member's attendance per partnership and municipal year: meetings expected, present, "
        "apologies, absent (the rule is in each item)."
    )
    filters = {
        "organization_id": id_filter("Only this partnership's summaries.", "partnership", "partnership_id")
    }

    @property
    def example_id(self):
        return f"{self.type}-1-2019"

    def _years(self, params):
        years = all_years()
        wanted = params.get("organization_id")
        if wanted:
            partnership_id = self.filters["organization_id"].parse(wanted)["partnership_id"]
            years = [pair for pair in years if pair[0] == partnership_id]
        return years

    def listing(self, params, start, stop):
        # The count and the page from one reading of the years: finding them
        # reads every meeting's attendance (300,000 rows nationally).
        years = self._years(params)
        return len(years), self._serialize_years(years[start:stop])

    def _serialize_years(self, years):
        partnerships = Partnership.objects.in_bulk([partnership_id for partnership_id, _ in years])
        return [
            self.serialize(summary)
            for summary in build_summaries([(partnerships[pk], start) for pk, start in years])
        ]

    def item_id(self, summary):
        return f"{self.type}-{summary.partnership.pk}-{summary.start.year}"

    def get(self, item_id):
        match = re.fullmatch(rf"{re.escape(self.type)}-([0-9]{{1,{ID_DIGITS}}})-([0-9]{{4}})", item_id)
        if not match:
            return None
        wanted = (int(match.group(1)), int(match.group(2)))
        years = [pair for pair in all_years() if (pair[0], pair[1].year) == wanted]
        return self._serialize_years(years)[0] if years else None

    def serialize(self, summary):
        partnership = summary.partnership
        html_url = absolute(
            reverse("meetings:attendance", args=[partnership.slug, year_slug(summary.start.year)])
        )
        return {
            **self.base(summary, html_url=html_url),
            "organization_id": f"partnership-{partnership.pk}",
            "municipal_year": year_label(summary.start.year),
            "start_date": summary.start.isoformat(),
            "csv_url": absolute(
                reverse("meetings:attendance_csv", args=[partnership.slug, year_slug(summary.start.year)])
            ),
            "event_ids": [f"event-{meeting.pk}" for meeting in summary.meetings],
            "seats_recorded": summary.has_seats,
            "rule": RULE,
            "members": [
                {
                    "person_id": f"person-{row.person.pk}",
                    "name": row.person.full_name,
                    "seats": list(dict.fromkeys(row.seats)),
                    "expected": row.expected,
                    "present": row.present,
                    "apologies": row.apologies,
                    "absent": row.absent,
                }
                for row in summary.rows
            ],
            "sources": sources(html_url, "the attendance summary"),
        }


class WorkProgrammeResource(Resource):
    """Subjects planned for coming meetings, soonest first."""

    collection = "work-programme-items"
    type = "work-programme-item"
    description = (
        "Subjects partnerships plan to discuss at coming meetings (the work programme), soonest first."
    )
    filters = {
        "organization_id": id_filter("Only this partnership's plans.", "partnership", "partnership_id")
    }

    def queryset(self):
        return (
            WorkProgrammeItem.objects.public()
            .planned_from(timezone.localdate())
            .select_related("partnership", "planned_meeting__partnership", "lead")
            .order_by("planned_month", "planned_meeting__date", "partnership_id", "order", "pk")
        )

    def serialize(self, item):
        html_url = absolute(reverse("meetings:work_programme", args=[item.partnership.slug]))
        meeting = item.planned_meeting if item.planned_meeting_id and item.planned_meeting.is_public else None
        return {
            **self.base(item, html_url=html_url),
            "organization_id": f"partnership-{item.partnership_id}",
            "title": item.title,
            "description": item.description,
            "event_id": f"event-{meeting.pk}" if meeting else None,
            "meeting_date": meeting.date.isoformat() if meeting else None,
            "planned_month": f"{item.planned_month:%Y-%m}" if item.planned_month else None,
            "lead": {
                "name": item.lead_display,
                "person_id": f"person-{item.lead_id}" if item.lead_id else None,
            },
            "sources": sources(html_url, "the partnership's work programme"),
        }


RESOURCES = [ActionResource(), AttendanceSummaryResource(), WorkProgrammeResource()]
