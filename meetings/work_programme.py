"""
A partnership's work programme: the subjects planned for its future
meetings (a standing item of council committees), each with the meeting or
the month it is planned for and who leads it. The clerk keeps it in the
admin; when the agenda of a meeting is prepared, the items planned for it
are moved onto the agenda with one action (`WorkProgrammeItem.move_to_agenda`),
which adds each as an agenda item and keeps the link between them.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from simple_history.models import HistoricalRecords

from foundation.fixed_queries import fixed_query

from .states import Status


class WorkProgrammeItemQuerySet(models.QuerySet):
    def public(self):
        """What the public sees: items of a partnership still planned (not
        yet on an agenda), for a public meeting or for a month. An item
        planned for a draft meeting shows by its month until the meeting is
        public."""
        return self.filter(agenda_item__isnull=True)

    def planned_from(self, today, month=None):
        """Still ahead: for a meeting on or after today, or for this month
        (`month`, its first day) or later."""
        month = month or today.replace(day=1)
        return self.filter(
            models.Q(planned_meeting__date__gte=today)
            | models.Q(planned_meeting__isnull=True, planned_month__gte=month)
        )


class WorkProgrammeItem(models.Model):
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="work_programme"
    )
    title = models.CharField(max_length=300, help_text="The subject, as the agenda will name it.")
    description = models.TextField(blank=True, help_text="What the item will cover, if the plan says.")
    planned_meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="planned_items",
        help_text="The meeting it is planned for, once the date is set.",
    )
    planned_month = models.DateField(
        null=True,
        blank=True,
        help_text="Or the month it is planned for (any day of the month), when no meeting is set.",
    )
    lead = models.ForeignKey(
        "partnerships.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="work_programme_items",
        help_text="Who leads the item, if they are on the site.",
    )
    lead_name = models.CharField(
        max_length=200, blank=True, help_text="Or the lead's name or role, as the plan gives it."
    )
    order = models.PositiveSmallIntegerField(default=0)
    agenda_item = models.OneToOneField(
        "meetings.AgendaItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="work_programme_item",
        editable=False,
        help_text="The agenda item it became.",
    )

    objects = WorkProgrammeItemQuerySet.as_manager()
    change_history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "planned_month", "order", "pk"]
        verbose_name = "work programme item"

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # The month of the planned meeting, so that lists order and filter
        # by one field whichever the clerk gave.
        if self.planned_meeting_id:
            self.planned_month = self.planned_meeting.date.replace(day=1)
        elif self.planned_month:
            self.planned_month = self.planned_month.replace(day=1)
        super().save(*args, **kwargs)

    def clean(self):
        if not (self.planned_meeting_id or self.planned_month):
            raise ValidationError("Say when it is planned: choose the meeting or give the month.")
        if (
            self.planned_meeting_id
            and self.partnership_id
            and self.planned_meeting.partnership_id != self.partnership_id
        ):
            raise ValidationError({"planned_meeting": "Choose a meeting of the same partnership."})

    @property
    def lead_display(self):
        return self.lead_name or (self.lead.full_name if self.lead else "")

    @property
    def is_on_agenda(self):
        return self.agenda_item_id is not None

    @property
    def when_display(self):
        """ "At the meeting of 12 March 2027" or "March 2027"."""
        if self.planned_meeting_id and self.planned_meeting.is_public:
            return f"{self.planned_meeting.date:%-d %B %Y}"
        return f"{self.planned_month:%B %Y}" if self.planned_month else ""

    def check_move_to_agenda(self):
        if self.agenda_item_id:
            raise ValidationError(f"“{self.title}” is already on the agenda.")
        if not self.planned_meeting_id:
            raise ValidationError(
                f"“{self.title}” is planned for a month, not a meeting: choose its meeting first."
            )
        meeting = self.planned_meeting
        if meeting.status not in (Status.DRAFT, Status.AGENDA_PUBLISHED):
            raise ValidationError(
                f"“{self.title}”: the meeting of {meeting.date:%-d %B %Y} is {meeting.get_status_display().lower()}; "
                "items are moved onto the agenda of a meeting yet to be held."
            )

    @transaction.atomic
    def move_to_agenda(self, *, save):
        """Add the item to its planned meeting's agenda, after the items
        already there, and keep the link (its minute number is given as the
        minutes are written, as for any item). `save` is the meeting's
        operation's (publishing.operations): adding to an agenda is a write
        of the meeting. Returns the new agenda item."""
        from .models import AgendaItem

        self.check_move_to_agenda()
        meeting = self.planned_meeting
        last_order = meeting.items.aggregate(models.Max("order"))["order__max"]
        item = AgendaItem(
            meeting=meeting,
            order=(last_order or 0) + 1,
            title=self.title,
            presenter=self.lead,
            presenter_name=self.lead_name,
            agenda_text=self.description,
        )
        save(item)
        self.agenda_item = item
        self.save(update_fields=["agenda_item"])
        return item


# How many of the subjects ahead a partnership's page lists; its work
# programme page lists them all.
NEXT_PLANNED = 5


def upcoming_items(partnership, today):
    """The partnership's work programme still ahead, soonest first: one query."""
    return work_programme_ahead(partnership.pk, today, today.replace(day=1))


def next_planned_items(partnership, today):
    """The first NEXT_PLANNED of upcoming_items: one query."""
    return work_programme_next(partnership.pk, today, today.replace(day=1))


def ahead(partnership_id, today, month):
    return (
        WorkProgrammeItem.objects.public()
        .planned_from(today, month)
        .filter(partnership_id=partnership_id)
        .select_related("planned_meeting__partnership", "lead")
        .order_by("planned_month", "planned_meeting__date", "order", "pk")
    )


# Compiled once (foundation.fixed_queries): a partnership's page, built at
# each miss of the page cache, spent longer making this query's SQL than
# running it. The month is an argument of its own, as a value worked out
# from an argument cannot be.
@fixed_query
def work_programme_ahead(partnership_id, today, month):
    return ahead(partnership_id, today, month)


@fixed_query
def work_programme_next(partnership_id, today, month):
    return ahead(partnership_id, today, month)[:NEXT_PLANNED]


def planned_for_meeting(meeting):
    """What the work programme plans for `meeting` and is not on its agenda yet: one query."""
    items = list(
        WorkProgrammeItem.objects.public()
        .filter(planned_meeting=meeting)
        .select_related("lead")
        .order_by("order", "pk")
    )
    for item in items:
        item.planned_meeting = meeting
    return items
