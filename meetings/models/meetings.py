"""A meeting: its details, its state and the transitions between states,
and the amendments of its confirmed minutes (docs/lifecycle.md)."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from foundation.addresses import Address
from partnerships.dates import municipal_year_of_day
from partnerships.models import Partnership

from ..managers import (
    MeetingQuerySet,
)
from ..states import PUBLIC_MINUTES, MinutesStatus, Status

# The legal minimum notice for a council committee in England (Local
# Government Act 1972, s.100B): five clear days between publishing the
# agenda and the meeting.
MINIMUM_CLEAR_DAYS = 5


def clear_days_between(published_on, meeting_on):
    """Working days strictly between publication and the meeting: "clear"
    days exclude both of those days, and councils count only weekdays.
    (Bank holidays are not subtracted; the warning may then be a day
    generous, which is the safe side for a warning to staff.)"""
    days = 0
    day = published_on + datetime.timedelta(days=1)
    while day < meeting_on:
        if day.weekday() < 5:
            days += 1
        day += datetime.timedelta(days=1)
    return days


# Minutes follow a meeting within weeks. A meeting entered or imported longer
# than this after its date is the clerk's backlog (an archive brought in):
# published as it was, never announced as news (no alert, no feed entry).
# Every path proposes archive entry by this one rule; the clerk may change it.
BACKLOG_AFTER = datetime.timedelta(weeks=8)


def is_backlog(day, today=None):
    today = today or timezone.localdate()
    return day is not None and day < today - BACKLOG_AFTER


def printed_or_full_name(printed, person):
    """Who a record names: the name as the minutes print it when one was
    typed, else the chosen person's full name (presenters, action owners,
    attendance and declarations all name people this way)."""
    return printed or (person.full_name if person else "")


class TransitionRefused(ValidationError):
    """A change of state the meeting's lifecycle does not allow; nothing was
    changed. `field` is the form field the message belongs beside, if any."""

    def __init__(self, message, field=None):
        super().__init__({field: [message]} if field else message)
        self.field = field
        self.text = message


@dataclass
class StateChange:
    """What a transition changed, for the effects that follow it once the
    transaction commits (publishing/effects.py)."""

    meeting: "Meeting"
    transition: str
    # The meeting first became public, or its minutes did: news for the
    # feeds and alerts.
    meeting_published: bool = False
    minutes_published: bool = False
    # Whether the public can see the meeting and its minutes changed, so its
    # items, resolutions and documents must be indexed again, not only the
    # meeting's own entry.
    visibility_changed: bool = False
    # Other meetings whose pages show this one (the postponed meeting's new
    # date, the meeting whose minute confirmed these minutes).
    related_meeting_ids: list = field(default_factory=list)
    # An archive brought in (a past meeting imported from Word or ModernGov):
    # it becomes public as it was, but it is not news, so no publication is
    # recorded for the feeds and alerts and no agenda pack is built.
    archive: bool = False


# A meeting's address from its partnership's slug and its date, reversed once
# per URLconf and script prefix: list pages link dozens of meetings.
meeting_address_of = Address("meetings:meeting", "slug-stand-in-0", "2000-01-01")


def meeting_label(status, minutes_status, day, postponed_to=None, today=None):
    """What a meeting's page offers, as council sites title it: the one
    wording of its state used by every page, list, feed and calendar.
    `postponed_to` is the date a postponed meeting moved to, if known."""
    if status == Status.CANCELLED:
        return "Cancelled"
    if status == Status.POSTPONED:
        if postponed_to:
            return f"Postponed to {postponed_to:%-d %B %Y}"
        return "Postponed"
    if minutes_status == MinutesStatus.CONFIRMED:
        return "Agenda and minutes"
    if minutes_status == MinutesStatus.PUBLISHED:
        return "Agenda and draft minutes"
    if minutes_status == MinutesStatus.NOT_ONLINE:
        return "Agenda (minutes not available online)"
    if day < (today or timezone.localdate()):
        return "Minutes to follow"
    return "Agenda"


def meeting_address(slug, day):
    """reverse("meetings:meeting", args=[slug, day.isoformat()])."""
    return meeting_address_of(slug, day.isoformat())


class Meeting(models.Model):
    Status = Status
    MinutesStatus = MinutesStatus

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True, help_text="For example 15:00.")
    venue = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False)
    agenda_published_at = models.DateTimeField(
        null=True, blank=True, help_text="When the agenda was published, if known."
    )
    webcast_url = models.URLField(blank=True, verbose_name="webcast or remote-joining link")
    minutes_status = models.CharField(
        max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.NONE, editable=False
    )
    confirmed_by = models.ForeignKey(
        "AgendaItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="confirmed_meetings",
        editable=False,
        help_text="The minute of a later meeting that confirmed these minutes as a correct record.",
    )
    status_reason = models.TextField(
        blank=True, editable=False, help_text="Why the meeting was cancelled or postponed."
    )
    postponed_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="postponed_from",
        editable=False,
        help_text="The meeting that takes the place of a postponed one.",
    )
    notes = models.TextField(
        blank=True,
        help_text="Shown at the top of the meeting page. Separate paragraphs with a blank line.",
    )
    # When public minutes last changed, for the notice on the public pages
    # ("These minutes were amended on ..."); set by record_amendment().
    amended_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Why confirmed minutes were last amended, shown beside that notice.
    amended_because = models.TextField(blank=True, editable=False)
    # The version of the meeting's calendar event (iCalendar SEQUENCE and
    # LAST-MODIFIED): save() moves both on when a SCHEDULE_FIELDS value
    # changes, so that calendar apps update a moved or cancelled meeting.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    schedule_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    SCHEDULE_FIELDS = ("date", "start_time", "venue", "status")

    objects = MeetingQuerySet.as_manager()
    change_history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-start_time"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "date"],
                name="unique_meeting_per_day",
                violation_error_message="This partnership already has a meeting on that date.",
            )
        ]
        indexes = [
            # Upcoming and recent meetings across every partnership (the home
            # page, the meetings list, the feeds): read in date order from
            # here rather than by sorting all of them.
            models.Index(fields=["date", "start_time"], name="meeting_date_time"),
            # The decisions of every partnership, newest meeting first
            # (meetings.views.DECISIONS_ORDER): a day's meetings one by one.
            models.Index(fields=["date", "id"], name="meeting_date_id"),
            # The drafts alone, a few rows however many meetings the site
            # holds: what public(without_meeting=True) looks up to leave out
            # (managers.PublicQuerySet.public).
            models.Index(fields=["id"], condition=models.Q(status=Status.DRAFT), name="meeting_drafts"),
        ]

    def __str__(self):
        return f"{self.partnership.short_name or self.partnership.name}, {self.date:%-d %B %Y}"

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_loaded_schedule", None)
        schedule = tuple(getattr(self, name) for name in self.SCHEDULE_FIELDS)
        if loaded is not None and schedule != loaded:
            self.sequence += 1
            self.schedule_changed_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "sequence", "schedule_changed_at"}
        moved = getattr(self, "_loaded_place", None) != (self.partnership_id, self.date)
        super().save(*args, **kwargs)
        self._loaded_schedule = schedule
        if moved:
            # A changed date or partnership changes which references point
            # here; nothing else does, so other saves skip this.
            from .references import ItemReference

            for item in self.items.all():
                ItemReference.relink_to(item, meeting=self)
        self._loaded_place = (self.partnership_id, self.date)

    def get_absolute_url(self):
        # Kept with the place it was made for: a meeting page links every
        # item and minute under this address (AgendaItem.get_absolute_url).
        place = (self.partnership.slug, self.date)
        if getattr(self, "_url", (None, None))[0] != place:
            self._url = (place, meeting_address(*place))
        return self._url[1]

    @classmethod
    def from_db(cls, db, field_names, values):
        # Keep what a calendar shows of the meeting as loaded, and where it
        # is, for save().
        meeting = super().from_db(db, field_names, values)
        loaded = dict(zip(field_names, values, strict=True))
        if all(name in loaded for name in cls.SCHEDULE_FIELDS):
            meeting._loaded_schedule = tuple(loaded[name] for name in cls.SCHEDULE_FIELDS)
        meeting._loaded_place = (meeting.__dict__.get("partnership_id"), meeting.__dict__.get("date"))
        return meeting

    # --- States -------------------------------------------------------

    @property
    def is_public(self):
        return self.status != Status.DRAFT

    @property
    def is_cancelled(self):
        return self.status == Status.CANCELLED

    @property
    def is_postponed(self):
        return self.status == Status.POSTPONED

    @property
    def minutes_are_public(self):
        return self.minutes_status in PUBLIC_MINUTES

    @property
    def minutes_are_confirmed(self):
        return self.minutes_status == MinutesStatus.CONFIRMED

    @property
    def minutes_are_draft(self):
        """Published, but subject to confirmation at a later meeting."""
        return self.minutes_status == MinutesStatus.PUBLISHED

    @property
    def minutes_not_online(self):
        return self.minutes_status == MinutesStatus.NOT_ONLINE

    @property
    def minutes_are_locked(self):
        """Confirmed minutes are the legal record: only a site administrator
        may amend them, giving a reason (meetings/admin.py)."""
        return self.minutes_are_confirmed

    @property
    def label(self):
        """What the meeting's page offers (meeting_label)."""
        postponed = self.status == Status.POSTPONED and self.postponed_to_id
        return meeting_label(
            self.status, self.minutes_status, self.date, self.postponed_to.date if postponed else None
        )

    page_title = label

    # --- Transitions ----------------------------------------------------
    #
    # Each checks its guards, changes the meeting in memory and returns a
    # StateChange; it saves nothing. publishing.operations runs it in a
    # transaction, saves the meeting and, once committed, applies the
    # effects. `check_<name>` methods are the guards alone, for forms.

    TRANSITIONS = {
        "publish_agenda": "Publish the agenda",
        "mark_held": "Mark as held",
        "publish_minutes": "Publish the minutes (subject to confirmation)",
        "confirm_minutes": "Mark the minutes confirmed",
        "mark_minutes_not_online": "Mark the minutes not available online",
        "cancel": "Cancel the meeting",
        "postpone": "Postpone the meeting",
        "withdraw": "Withdraw from the public site (back to draft)",
    }

    # From which states each transition may run: (statuses, minutes
    # statuses). The one table of where a meeting may go next: the guards
    # below, the editor's buttons, the admin's "What to do next" and the
    # importers all read it (`allowed_transitions()`). The guards add what
    # the state alone cannot tell (dates, arguments, other meetings).
    YET_TO_BE_HELD = (Status.DRAFT, Status.AGENDA_PUBLISHED)
    NOT_CALLED_OFF = (Status.DRAFT, Status.AGENDA_PUBLISHED, Status.HELD)
    PUBLIC_STATUSES = (Status.AGENDA_PUBLISHED, Status.HELD, Status.CANCELLED, Status.POSTPONED)
    FROM_STATES = {
        "publish_agenda": ((Status.DRAFT,), tuple(MinutesStatus)),
        "mark_held": (YET_TO_BE_HELD, tuple(MinutesStatus)),
        "publish_minutes": (NOT_CALLED_OFF, (MinutesStatus.NONE, MinutesStatus.NOT_ONLINE)),
        "confirm_minutes": (tuple(Status), (MinutesStatus.PUBLISHED, MinutesStatus.NOT_ONLINE)),
        "mark_minutes_not_online": (NOT_CALLED_OFF, (MinutesStatus.NONE,)),
        "cancel": (YET_TO_BE_HELD, (MinutesStatus.NONE,)),
        "postpone": (YET_TO_BE_HELD, (MinutesStatus.NONE,)),
        "withdraw": (PUBLIC_STATUSES, (MinutesStatus.NONE,)),
    }

    def may_run(self, transition):
        """Whether the meeting's state allows `transition` at all (its other
        guards may still refuse it)."""
        statuses, minutes_statuses = self.FROM_STATES[transition]
        return self.status in statuses and self.minutes_status in minutes_statuses

    def allowed_transitions(self):
        return [name for name in self.TRANSITIONS if self.may_run(name)]

    def _refuse(self, message, field=None):
        raise TransitionRefused(f"{self}: {message}", field)

    def _refuse_from_state(self, transition, message):
        """The state's part of a guard: refused with `message` when the
        table does not allow `transition` from here."""
        if not self.may_run(transition):
            self._refuse(message)

    def _today(self):
        return timezone.localdate()

    def _guard_not_called_off(self, what):
        if self.status == Status.CANCELLED:
            self._refuse(f"a cancelled meeting has no {what}.")
        if self.status == Status.POSTPONED:
            self._refuse(f"a postponed meeting has no {what}; give them to the meeting it was postponed to.")

    def check_publish_agenda(self):
        self._refuse_from_state(
            "publish_agenda",
            f"the agenda is already public (the meeting is {self.get_status_display().lower()}).",
        )

    def publish_agenda(self):
        self.check_publish_agenda()
        self.status = Status.AGENDA_PUBLISHED
        return StateChange(self, "publish_agenda", meeting_published=True, visibility_changed=True)

    def check_mark_held(self):
        self._guard_not_called_off("record of being held")
        self._refuse_from_state("mark_held", "it is already marked as held.")
        if self.date > self._today():
            self._refuse(f"a meeting cannot be held before its date ({self.date:%-d %B %Y}).")

    def mark_held(self):
        self.check_mark_held()
        was_public = self.is_public
        self.status = Status.HELD
        return StateChange(
            self, "mark_held", meeting_published=not was_public, visibility_changed=not was_public
        )

    def check_publish_minutes(self):
        self._guard_not_called_off("minutes")
        self._refuse_from_state("publish_minutes", "its minutes are already published.")
        if self.date > self._today():
            self._refuse(f"minutes cannot be published before the meeting's date ({self.date:%-d %B %Y}).")

    def publish_minutes(self):
        self.check_publish_minutes()
        was_public = self.is_public
        # Minutes say the meeting took place.
        self.status = Status.HELD
        self.minutes_status = MinutesStatus.PUBLISHED
        return StateChange(
            self,
            "publish_minutes",
            meeting_published=not was_public,
            minutes_published=True,
            visibility_changed=True,
        )

    def check_confirm_minutes(self, item):
        if self.minutes_are_confirmed:
            self._refuse("its minutes are already confirmed.")
        if not self.may_run("confirm_minutes"):
            self._refuse("only published minutes can be confirmed; publish them first.", "confirmed_by")
        if item is None:
            self._refuse("choose the minute of a later meeting that confirmed these minutes.", "confirmed_by")
        confirming = item.meeting
        if confirming.pk == self.pk:
            self._refuse("a meeting cannot confirm its own minutes.", "confirmed_by")
        if confirming.partnership_id != self.partnership_id:
            self._refuse("minutes are confirmed by a minute of the same partnership.", "confirmed_by")
        if confirming.date <= self.date:
            self._refuse(
                "minutes are confirmed by a later meeting; the minute chosen is from "
                f"{confirming.date:%-d %B %Y}.",
                "confirmed_by",
            )
        if not confirming.is_public:
            # The confirmed meeting's page links the confirming minute: a
            # draft's page does not exist for the public.
            self._refuse(
                f"the meeting of {confirming.date:%-d %B %Y} is still a draft: publish its agenda or "
                "minutes first, so that the minute confirming these can be linked.",
                "confirmed_by",
            )

    def confirm_minutes(self, item):
        self.check_confirm_minutes(item)
        # Minutes the site does not hold stay "not available online"; the
        # confirming minute is still recorded and linked.
        if self.minutes_status == MinutesStatus.PUBLISHED:
            self.minutes_status = MinutesStatus.CONFIRMED
        self.confirmed_by = item
        return StateChange(self, "confirm_minutes", related_meeting_ids=[item.meeting_id])

    def check_mark_minutes_not_online(self):
        self._guard_not_called_off("minutes")
        self._refuse_from_state(
            "mark_minutes_not_online", f"its minutes are {self.get_minutes_status_display().lower()}."
        )
        if self.date > self._today():
            self._refuse(f"a meeting dated {self.date:%-d %B %Y} has not been held yet.")

    def mark_minutes_not_online(self):
        self.check_mark_minutes_not_online()
        was_public = self.is_public
        self.status = Status.HELD
        self.minutes_status = MinutesStatus.NOT_ONLINE
        return StateChange(
            self,
            "mark_minutes_not_online",
            meeting_published=not was_public,
            visibility_changed=not was_public,
        )

    def _check_call_off(self, transition, reason):
        if self.status not in self.YET_TO_BE_HELD:
            self._refuse(
                f"only a meeting yet to be held can be called off; it is {self.get_status_display().lower()}."
            )
        self._refuse_from_state(transition, "a meeting with minutes cannot be called off.")
        if not (reason or "").strip():
            self._refuse("say why, for the public page.", "status_reason")

    def check_cancel(self, reason):
        self._check_call_off("cancel", reason)

    def cancel(self, reason):
        self.check_cancel(reason)
        was_public = self.is_public
        self.status = Status.CANCELLED
        self.status_reason = reason.strip()
        return StateChange(
            self, "cancel", meeting_published=not was_public, visibility_changed=not was_public
        )

    def check_postpone(self, reason, new_meeting):
        self._check_call_off("postpone", reason)
        if new_meeting is None:
            return  # the new date is not fixed yet
        if new_meeting.pk == self.pk or new_meeting.partnership_id != self.partnership_id:
            self._refuse("a meeting is postponed to another meeting of the same partnership.", "postponed_to")
        if new_meeting.date <= self.date:
            self._refuse("a meeting is postponed to a later date.", "postponed_to")
        if not new_meeting.is_public and self.is_public:
            # "Postponed to ..." links the new meeting's page.
            self._refuse(
                f"the meeting of {new_meeting.date:%-d %B %Y} is still a draft: publish its agenda first, "
                "so that the public page can link it.",
                "postponed_to",
            )

    def postpone(self, reason, new_meeting=None):
        self.check_postpone(reason, new_meeting)
        was_public = self.is_public
        self.status = Status.POSTPONED
        self.status_reason = reason.strip()
        self.postponed_to = new_meeting
        return StateChange(
            self,
            "postpone",
            meeting_published=not was_public,
            visibility_changed=not was_public,
            related_meeting_ids=[new_meeting.pk] if new_meeting else [],
        )

    def check_withdraw(self):
        if self.status == Status.DRAFT:
            self._refuse("it is not public.")
        self._refuse_from_state(
            "withdraw", "a meeting whose minutes are public or recorded stays on the public site."
        )
        referring = self.public_pages_linking_here()
        if referring:
            self._refuse(
                "other public pages link to it ("
                + "; ".join(referring)
                + "): change those first, or it would leave them pointing at a page that is gone."
            )

    def public_pages_linking_here(self):
        """What on other public pages links to this meeting or its minutes:
        a postponed meeting that names it as its new date, minutes it
        confirmed, minutes that cite one of its items."""
        found = [
            f"the meeting of {other.date:%-d %B %Y} is postponed to it"
            for other in Meeting.objects.public().filter(postponed_to=self).exclude(pk=self.pk)
        ]
        found += [
            f"it confirmed the minutes of {other.date:%-d %B %Y}"
            for other in Meeting.objects.public().filter(confirmed_by__meeting=self).exclude(pk=self.pk)
        ]
        from .references import ItemReference

        citing = (
            ItemReference.objects.filter(
                to_item__meeting=self, from_item__meeting__minutes_status__in=PUBLIC_MINUTES
            )
            .exclude(from_item__meeting=self)
            .select_related("from_item__meeting")
        )
        found += [
            f"{reference.text} is cited by the minutes of {reference.from_item.meeting.date:%-d %B %Y}"
            for reference in citing
        ]
        return found

    def withdraw(self):
        self.check_withdraw()
        self.status = Status.DRAFT
        return StateChange(self, "withdraw", visibility_changed=True)

    def record_amendment(self, user, reason=""):
        """Note that public minutes changed, for the public notice, and keep
        who changed confirmed minutes and why."""
        now = timezone.now()
        Meeting.objects.filter(pk=self.pk).update(amended_at=now, amended_because=reason)
        self.amended_at, self.amended_because = now, reason
        if reason:
            MinutesAmendment.objects.create(meeting=self, user=user, reason=reason, at=now)

    @property
    def municipal_year(self):
        return municipal_year_of_day(self.date, self.partnership.municipal_year_start_month)

    @property
    def agenda_clear_days(self):
        if not self.agenda_published_at:
            return None
        return clear_days_between(timezone.localtime(self.agenda_published_at).date(), self.date)

    @property
    def agenda_was_late(self):
        days = self.agenda_clear_days
        return days is not None and days < MINIMUM_CLEAR_DAYS

    def next_minute_number(self):
        """The number the next item of this meeting should take: one more than
        the highest so far in the partnership's municipal year, up to and
        including this meeting, passing over numbers that later meetings of
        the year already use (entered out of order); 1 at the start of a
        year. The proposal of the forms and the clash message both say it."""
        if not (self.partnership_id and self.date):
            return None
        from .items import AgendaItem

        numbers = list(
            AgendaItem.objects.in_municipal_year(self.partnership, self.date)
            .exclude(minute_number=None)
            .values_list("minute_number", "meeting__date")
        )
        highest = max((number for number, day in numbers if day <= self.date), default=0)
        used = {number for number, _ in numbers}
        proposed = highest + 1
        while proposed in used:
            proposed += 1
        return proposed


class MinutesAmendment(models.Model):
    """A site administrator's amendment of confirmed minutes, and why: the
    what is in the history of each record (simple-history), the why here."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="amendments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "-at"]
        verbose_name = "amendment of confirmed minutes"
        verbose_name_plural = "amendments of confirmed minutes"

    def __str__(self):
        return f"{self.meeting}: amended {timezone.localtime(self.at):%-d %B %Y %H:%M}"
