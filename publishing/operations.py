"""
The write operations of a meeting: one way to write it, whatever path the
clerk takes.

    with write_meeting(meeting, "edit", user=request.user) as write:
        write.save_meeting()          # its details, as set on `write.meeting`
        write.save(item)              # an item, resolution, action, attendance
        write.delete(resolution)      # row, declaration or document
        write.transition("publish_minutes")

    transition(meeting, "publish_agenda", user=request.user)   # a state change alone

An operation runs in one transaction with the meeting's row locked. It
refuses, changing nothing:
- a transition its guards refuse (`meetings.models.TransitionRefused`);
- any change to confirmed minutes, unless a site administrator (or a
  command, which names no user) gives the reason (`AmendmentRefused`).

When it is done it writes the meeting's history once: one row naming the
operation and its reason, whatever it saved (each item, resolution... keeps
its own rows with the same reason, for what exactly changed). It notes an
amendment of public minutes for the public notice, and hands what changed to
`publishing.effects.apply()` once the transaction commits.

An operation that changed nothing writes nothing, so importing the same
file twice leaves no trace the second time.
"""

import contextlib
import dataclasses

from django.core.exceptions import ValidationError
from django.db import transaction

from meetings.models import (
    Action,
    ActionUpdate,
    AgendaItem,
    Attendance,
    Declaration,
    Document,
    Meeting,
    Resolution,
    StateChange,
    TransitionRefused,
    is_backlog,
)
from partnerships.admin_scope import sees_every_partnership

from . import effects

# What each operation is called in the meeting's history (the admin's
# "History" list and the records' change reasons).
OPERATIONS = {
    "create": "Entered",
    "edit": "Edited",
    "edit_in_editor": "Edited in the minutes editor",
    "import": "Imported",
    "delete_record": "Removed a record of the minutes",
    **Meeting.TRANSITIONS,
}

# The records a meeting's minutes are made of: saving or deleting one of
# them changes the minutes.
MINUTES_RECORDS = (AgendaItem, Resolution, Action, Attendance, Declaration, Document, ActionUpdate)


class AmendmentRefused(ValidationError):
    """A change to confirmed minutes by someone who may not make it, or
    without the reason the record keeps."""


@dataclasses.dataclass
class Changes:
    """What one operation changed, for its effects (publishing.effects)."""

    meeting_id: int
    # Every partnership whose pages show the change (two when the meeting
    # moved from one to another).
    partnership_ids: set = dataclasses.field(default_factory=set)
    details: bool = False
    # Its date or partnership changed, which every one of its entries carries.
    moved: bool = False
    records: bool = False
    documents: bool = False
    transitions: list = dataclasses.field(default_factory=list)
    # A past meeting brought in (the clerk's backlog): public as it was,
    # but not news.
    archive: bool = False

    @property
    def anything(self):
        return self.details or self.records or bool(self.transitions)


class MeetingWrite:
    """One operation on one meeting (see the module's docstring)."""

    def __init__(self, meeting, operation, *, user=None, reason="", archive=None, stored=None):
        if operation not in OPERATIONS:
            raise ValueError(f"No such operation: {operation}")
        self.meeting = meeting
        self.operation = operation
        self.user = user
        self.reason = (reason or "").strip()
        self.created = meeting.pk is None
        self.was_confirmed = not self.created and meeting.minutes_are_confirmed
        self.minutes_were_public = not self.created and meeting.minutes_are_public
        # A past meeting entered long after it was held is the clerk's
        # backlog: not news, whichever path brings it (a path may ask).
        archive = is_backlog(meeting.date) if archive is None else archive
        self.changes = Changes(meeting_id=meeting.pk, archive=archive)
        # Where the meeting stands in the database (`stored`, its row as
        # begin() read it): the admin's form has already set the new date
        # and partnership on the caller's copy when the operation begins.
        stored = stored or meeting
        self._place = (stored.partnership_id, stored.date)
        self.changes.partnership_ids.update(
            pk for pk in (stored.partnership_id, meeting.partnership_id) if pk
        )

    @property
    def history_reason(self):
        """The operation, the transitions it ran when it is more than a
        transition ("Edited in the minutes editor; Publish the agenda"), and
        the reason given."""
        label = OPERATIONS[self.operation]
        ran = [
            Meeting.TRANSITIONS[c.transition]
            for c in self.changes.transitions
            if c.transition != self.operation
        ]
        label = "; ".join([label, *ran])
        return f"{label}: {self.reason}" if self.reason else label

    def _stamp(self, obj):
        obj._change_reason = self.history_reason
        if self.user is not None:
            obj._history_user = self.user

    def _guard_minutes_change(self):
        """Confirmed minutes are the legal record: only a site administrator
        changes them, and only with a reason (kept as a MinutesAmendment,
        shown on the public page)."""
        if not self.was_confirmed:
            return
        if not self.reason:
            raise AmendmentRefused(
                "These minutes are confirmed as a correct record: say why you are amending them."
            )
        if self.user is not None and not sees_every_partnership(self.user):
            raise AmendmentRefused(
                "Confirmed minutes are amended only by a site administrator, with a reason."
            )

    # --- Saving and deleting ------------------------------------------------

    def save_meeting(self, full_clean=False):
        """Save the meeting's details as set on `self.meeting` (its one
        history row is written when the operation ends)."""
        meeting = self.meeting
        if full_clean:
            meeting.full_clean()
        if not self.created:
            self._guard_minutes_change()
        meeting.save_without_historical_record()
        self.changes.meeting_id = meeting.pk
        self.changes.details = True
        self.changes.partnership_ids.add(meeting.partnership_id)
        if not self.created and (meeting.partnership_id, meeting.date) != self._place:
            self.changes.moved = True

    def save(self, obj):
        """Save a record of the meeting's minutes (already validated)."""
        self._record_change(obj)
        self._stamp(obj)
        obj.save()

    def delete(self, obj):
        """Delete a record of the meeting's minutes."""
        self._record_change(obj)
        self._stamp(obj)
        obj.delete()

    def _record_change(self, obj):
        if not isinstance(obj, MINUTES_RECORDS):
            raise TypeError(f"{type(obj).__name__} is not a record of a meeting's minutes.")
        self._guard_minutes_change()
        self.changes.records = True
        if isinstance(obj, Document):
            self.changes.documents = True

    def transition(self, name, *args):
        """Run a lifecycle transition (a name in Meeting.TRANSITIONS) on the
        meeting; its guards refuse with TransitionRefused."""
        if name not in Meeting.TRANSITIONS:
            raise ValueError(f"No such transition: {name}")
        meeting = self.meeting
        label, status = meeting.label, meeting.status
        change = getattr(meeting, name)(*args)
        change.label_changed = (label, status) != (meeting.label, meeting.status)
        meeting.save_without_historical_record(update_fields=STATE_FIELDS)
        self.changes.transitions.append(change)
        self.changes.partnership_ids.add(meeting.partnership_id)
        return change

    # --- The end of the operation ------------------------------------------

    def finish(self):
        changes = self.changes
        if not changes.anything:
            return changes
        meeting = self.meeting
        changed_minutes = changes.records or (changes.details and not self.created)
        if changed_minutes and self.minutes_were_public:
            # The public notice; for confirmed minutes, who and why too.
            meeting.record_amendment(self.user, self.reason if self.was_confirmed else "")
        Meeting.change_history.bulk_history_create(
            [meeting],
            update=not self.created,
            default_user=self.user,
            default_change_reason=self.history_reason,
        )
        transaction.on_commit(lambda: effects.apply(changes))
        return changes


# The fields a transition may change: saved, and nothing else, by one.
STATE_FIELDS = [
    "status",
    "minutes_status",
    "confirmed_by",
    "status_reason",
    "postponed_to",
    "agenda_published_at",
]


def begin(meeting, operation, *, user=None, reason="", archive=None):
    """Start an operation on `meeting` (a new, unsaved one too) inside the
    caller's transaction, locking the meeting's row; the caller ends it
    with `finish()`. For the admin's change form, which saves in steps
    (the meeting, then each inline); everything else uses write_meeting."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("An operation on a meeting runs inside a transaction.")
    locked = None
    if meeting.pk is not None:
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        # The caller's copy carries what it set (details to save); the
        # locked row says where the meeting stands now.
        for name in (*STATE_FIELDS, "amended_at", "amended_because"):
            setattr(meeting, name, getattr(locked, name))
    return MeetingWrite(meeting, operation, user=user, reason=reason, archive=archive, stored=locked)


@contextlib.contextmanager
def write_meeting(meeting, operation, *, user=None, reason="", archive=None):
    """One operation on `meeting` (a new, unsaved one too): yields a
    MeetingWrite, in a transaction with the meeting's row locked, and ends
    it when the block ends. A ValidationError (TransitionRefused,
    AmendmentRefused or a record's own) rolls everything back."""
    with transaction.atomic():
        write = begin(meeting, operation, user=user, reason=reason, archive=archive)
        yield write
        write.finish()


def transition(meeting, name, *args, user=None, reason="", archive=None):
    """A change of state alone, as an operation of its own. Returns the
    StateChange; raises TransitionRefused, changing nothing."""
    with write_meeting(meeting, name, user=user, reason=reason, archive=archive) as write:
        return write.transition(name, *args)


def delete_record(record, *, user=None, reason=""):
    """Remove one record of a meeting's minutes (an item, a resolution...)
    as an operation of its own, by the same rules as any other change."""
    with write_meeting(record.meeting, "delete_record", user=user, reason=reason) as write:
        write.delete(record)


__all__ = [
    "AmendmentRefused",
    "Changes",
    "MeetingWrite",
    "begin",
    "StateChange",
    "TransitionRefused",
    "delete_record",
    "transition",
    "write_meeting",
]
