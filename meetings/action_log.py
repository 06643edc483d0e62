"""
Actions followed through: what later minutes report on each action (still
open, or done), and a partnership's action log (open, done, overdue by due
date) built from them.

An action is recorded with its resolution (meetings.models.Action). A later
meeting of the same partnership reports on it; the clerk records that
report from that meeting's page of actions (meetings/action_log_admin.py),
through `ActionUpdate.record()`, the one write of an action's status from
the minutes, which keeps `Action.is_done` as the latest report says.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .states import PUBLIC_MINUTES, Status


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class ActionUpdate(models.Model):
    """A later minute's report on an action."""

    action = models.ForeignKey("meetings.Action", on_delete=models.CASCADE, related_name="updates")
    item = models.ForeignKey(
        "meetings.AgendaItem",
        on_delete=models.CASCADE,
        related_name="action_updates",
        verbose_name="reported at",
        help_text="The minute of the later meeting that reports on the action.",
    )
    status = models.CharField(max_length=10, choices=ActionStatus.choices)
    note = models.TextField(blank=True, help_text="What the minute reports, as the minutes print it.")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = models.Manager()
    change_history = HistoricalRecords()

    class Meta:
        ordering = ["action", "recorded_at", "pk"]
        verbose_name = "report on an action"
        constraints = [
            models.UniqueConstraint(
                fields=["action", "item"],
                name="unique_action_report_per_minute",
                violation_error_message="This minute already reports on the action.",
            )
        ]

    def __str__(self):
        return f"{self.get_status_display()}: {self.action}"

    @property
    def meeting(self):
        return self.item.meeting

    @staticmethod
    def check_report(action, item):
        """The report's minute must be of a later meeting of the action's
        partnership."""
        source = action.resolution.item.meeting
        reporting = item.meeting
        if reporting.partnership_id != source.partnership_id:
            raise ValidationError({"item": "An action is reported on at a meeting of its own partnership."})
        if reporting.date <= source.date:
            raise ValidationError(
                {
                    "item": f"An action is reported on at a later meeting than the one of {source.date:%-d %B %Y}."
                }
            )

    @classmethod
    @transaction.atomic
    def record(cls, action, item, status, note="", *, save):
        """Record (or correct) what `item` reports on `action`, and set the
        action's status to the latest report's. Returns the report, or None
        when it says what was already recorded."""
        cls.check_report(action, item)
        if status not in ActionStatus.values:
            raise ValidationError({"status": "Choose open or done."})
        note = (note or "").strip()
        update = cls.objects.filter(action=action, item=item).first()
        if update is not None and update.status == status and update.note == note:
            return None
        if update is None:
            update = cls(action=action, item=item)
        update.status, update.note, update.recorded_at = status, note, timezone.now()
        save(update)  # through the reporting meeting's operation (publishing.operations)
        cls._follow_latest(action)
        return update

    @classmethod
    @transaction.atomic
    def withdraw(cls, action, item, *, delete):
        """Remove what `item` reported on `action` (entered in error); the
        action's status follows the latest report left. Returns whether
        there was one."""
        reports = list(cls.objects.filter(action=action, item=item))
        for report in reports:
            delete(report)  # through the reporting meeting's operation
        if reports:
            cls._follow_latest(action)
        return bool(reports)

    @classmethod
    def _follow_latest(cls, action):
        """The action's status is its latest report's; with none left, as
        its own minutes recorded it (not done)."""
        latest = (
            cls.objects.filter(action=action)
            .order_by("-item__meeting__date", "-item__minute_number", "-recorded_at")
            .values_list("status", flat=True)
            .first()
        )
        done = latest == ActionStatus.DONE
        # Derived from the reports (the later minutes' records), not an
        # amendment of the minutes that agreed the action: saved as such.
        if action.is_done != done:
            action.is_done = done
            action.save(update_fields=["is_done"])


def public_minutes_filter(path):
    """The rule for what of the minutes is public (as Resolution.objects.public()):
    a public meeting's published or confirmed minutes, never an exempt item."""
    return {
        f"{path}meeting__minutes_status__in": PUBLIC_MINUTES,
        f"{path}is_exempt": False,
    }


def public_actions():
    from .models import Action

    return Action.objects.exclude(resolution__item__meeting__status=Status.DRAFT).filter(
        **public_minutes_filter("resolution__item__")
    )


def public_updates():
    return (
        ActionUpdate.objects.exclude(item__meeting__status=Status.DRAFT)
        .exclude(action__resolution__item__meeting__status=Status.DRAFT)
        .filter(**public_minutes_filter("item__"), **public_minutes_filter("action__resolution__item__"))
    )


class LogStatus(models.TextChoices):
    """An action's place in the log, as of a day."""

    OVERDUE = "overdue", "Overdue"
    OPEN = "open", "Open"
    DONE = "done", "Done"
    NOT_RECORDED = "not_recorded", "Not recorded"


def log_status(action, today):
    if action.is_done:
        return LogStatus.DONE
    if action.is_done is None:
        return LogStatus.NOT_RECORDED
    if action.due_on and action.due_on < today:
        return LogStatus.OVERDUE
    return LogStatus.OPEN


def status_filter(status, today):
    """The queryset filter for the log's status choices."""
    if status == LogStatus.DONE:
        return models.Q(is_done=True)
    if status == LogStatus.OVERDUE:
        return models.Q(is_done=False, due_on__lt=today)
    if status == LogStatus.OPEN:
        return models.Q(is_done=False) & (models.Q(due_on__gte=today) | models.Q(due_on__isnull=True))
    if status == LogStatus.NOT_RECORDED:
        return models.Q(is_done__isnull=True)
    return models.Q()


def action_log(partnership, status="", today=None):
    """The partnership's public actions (in `status`, if given), due first,
    each with its public reports (`action.page_updates`) and its place in the
    log (`action.log_status`). Two queries."""
    today = today or timezone.localdate()
    actions = list(
        public_actions()
        .filter(resolution__item__meeting__partnership=partnership)
        .filter(status_filter(status, today))
        .select_related("owner", "resolution__item__meeting__partnership")
        .order_by(
            models.F("due_on").asc(nulls_last=True),
            "-resolution__item__meeting__date",
            "resolution__item__minute_number",
            "pk",
        )
    )
    attach_updates(actions)
    for action in actions:
        action.log_status = log_status(action, today)
    return actions


def attach_updates(actions):
    """Each action's public reports, oldest first, as `action.page_updates`. One query."""
    by_action = {}
    if actions:
        for update in (
            public_updates()
            .filter(action_id__in=[action.pk for action in actions])
            .select_related("item__meeting__partnership")
            .order_by("item__meeting__date", "item__minute_number", "pk")
        ):
            by_action.setdefault(update.action_id, []).append(update)
    for action in actions:
        action.page_updates = by_action.get(action.pk, [])


def log_counts(partnership, today):
    """How many of the partnership's public actions are in each place of
    the log: one query."""
    counts = (
        public_actions()
        .filter(resolution__item__meeting__partnership=partnership)
        .aggregate(
            **{status: models.Count("pk", filter=status_filter(status, today)) for status in LogStatus.values}
        )
    )
    return [(status, label, counts[status]) for status, label in LogStatus.choices]
