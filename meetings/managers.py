import datetime

from django.db import models
from django.db.models import Prefetch
from django.utils import timezone

from .states import PUBLIC_MINUTES, Status


def item_link_fields(path):
    """The columns a link to the agenda item at `path` shows (its address,
    number and title): pages list many such links, and loading only these
    makes their queries and instances several times smaller."""
    return [
        f"{path}minute_number",
        f"{path}title",
        f"{path}meeting__date",
        f"{path}meeting__partnership__slug",
    ]


# The texts of the item (and its meeting) that confirmed a meeting's minutes,
# which a page showing that meeting links to but never prints.
CONFIRMING_TEXT = [
    "confirmed_by__agenda_text",
    "confirmed_by__minutes",
    "confirmed_by__meeting__notes",
    "confirmed_by__meeting__status_reason",
]


class PublicQuerySet(models.QuerySet):
    """`public()`: only the rows the public may see, decided by the state of
    the meeting they belong to (a draft meeting shows nothing). Each model
    names the path from itself to its meeting."""

    meeting_path = "meeting__"

    def public(self):
        return self.exclude(**{f"{self.meeting_path}status": Status.DRAFT})


class MeetingQuerySet(PublicQuerySet):
    meeting_path = ""

    def upcoming(self, today=None):
        today = today or timezone.localdate()
        return self.filter(date__gte=today).select_related("partnership").order_by("date", "start_time")

    def recent(self, today=None):
        today = today or timezone.localdate()
        return self.filter(date__lt=today).select_related("partnership").order_by("-date", "-start_time")

    def with_public_minutes(self):
        return self.filter(minutes_status__in=PUBLIC_MINUTES)

    def with_page_content(self):
        """Everything the meeting page shows, in a fixed number of queries
        however many items, resolutions, attendees and documents it has:
        meeting.page_items (see AgendaItemQuerySet.with_page_content),
        page_attendances, page_declarations and page_documents."""
        from .models import AgendaItem, Attendance, Declaration, Document

        # Lists (to_attr) rather than related managers, which would clone a
        # queryset for every row they hold; each ordered by its parent's id
        # rather than by the model's default ordering, which reaches through
        # the meeting to its date: the same order for one meeting's rows, with
        # no joins to build or run.
        return (
            self.select_related("partnership", "confirmed_by__meeting__partnership")
            # Of the item and meeting that confirmed these minutes the page
            # shows a link, never their text.
            .defer(*CONFIRMING_TEXT)
            .prefetch_related(
                Prefetch(
                    "items",
                    queryset=AgendaItem.objects.with_page_content().order_by("order", "minute_number", "pk"),
                    to_attr="page_items",
                ),
                Prefetch(
                    "attendances",
                    queryset=Attendance.objects.select_related("person").order_by(
                        "meeting_id", "order", "pk"
                    ),
                    to_attr="page_attendances",
                ),
                Prefetch(
                    "declarations",
                    queryset=Declaration.objects.select_related("person", "item")
                    .defer("item__agenda_text", "item__minutes")
                    .order_by("meeting_id", "pk"),
                    to_attr="page_declarations",
                ),
                # All the meeting's documents in one query; the view hands each
                # item its own.
                Prefetch(
                    "documents",
                    queryset=Document.objects.order_by("meeting_id", "order", "pk"),
                    to_attr="page_documents",
                ),
            )
        )


class AgendaItemQuerySet(PublicQuerySet):
    def with_page_content(self):
        """An item with its resolutions (each with its actions,
        resolution.page_actions), cross-references and the meetings whose
        minutes it confirmed, in a fixed number of queries, as lists:
        item.page_resolutions, page_references, page_cited_by and
        page_confirmed_meetings. (Documents are prefetched per meeting, or
        per item on a minute page.)"""
        from .models import Action, ItemReference, Meeting, Resolution

        # Lists and orderings as in MeetingQuerySet.with_page_content.
        return self.select_related("presenter").prefetch_related(
            Prefetch(
                "resolutions",
                queryset=Resolution.objects.order_by("item_id", "number").prefetch_related(
                    Prefetch(
                        "actions",
                        queryset=Action.objects.select_related("owner").order_by("resolution_id", "pk"),
                        to_attr="page_actions",
                    )
                ),
                to_attr="page_resolutions",
            ),
            Prefetch(
                "references",
                queryset=ItemReference.objects.select_related("to_item__meeting__partnership")
                .only("text", "from_item", *item_link_fields("to_item__"))
                .order_by("from_item_id", "pk"),
                to_attr="page_references",
            ),
            Prefetch(
                "cited_by",
                queryset=ItemReference.objects.select_related("from_item__meeting__partnership")
                .only("to_item", *item_link_fields("from_item__"))
                .order_by("from_item__meeting__date", "from_item__minute_number"),
                to_attr="page_cited_by",
            ),
            Prefetch(
                "confirmed_meetings",
                queryset=Meeting.objects.select_related("partnership")
                .only("date", "confirmed_by", "partnership__slug")
                .order_by("date"),
                to_attr="page_confirmed_meetings",
            ),
        )

    def in_municipal_year(self, partnership, day):
        start = partnership.municipal_year_of(day)
        end = datetime.date(start.year + 1, start.month, 1)
        return self.filter(meeting__partnership=partnership, meeting__date__gte=start, meeting__date__lt=end)


class DeclarationQuerySet(PublicQuerySet):
    """Declarations are part of the minutes: public once the minutes are."""

    def public(self):
        return super().public().filter(meeting__minutes_status__in=PUBLIC_MINUTES)


class ResolutionQuerySet(PublicQuerySet):
    """Resolutions are part of the minutes: public once the minutes are,
    never of an exempt item."""

    meeting_path = "item__meeting__"

    def public(self):
        return (
            super().public().filter(item__meeting__minutes_status__in=PUBLIC_MINUTES, item__is_exempt=False)
        )
