"""
The one path for every change of a meeting's state, and its effects.

The transitions themselves (their guards, what they change) are methods of
meetings.models.Meeting; this module runs them and applies what follows
from them across the apps, which the meetings app may not import (search
and follow depend on meetings, never the reverse). The admin, management
commands, the initial content and imports call `apply()`; nothing changes a
meeting's state any other way (never QuerySet.update()).

`apply()` runs the transition in a transaction, locking the meeting's row,
and saves it (simple-history writes the history row, with the user and
reason given). Once the transaction commits, `apply_effects()` re-indexes
the search entries whose public text changed, drops the cached pages that
show the meeting and records the publication for the feeds and alerts.
docs/lifecycle.md has the table of states, transitions, guards and effects.
"""

from django.db import transaction

from follow.models import Publication
from meetings.models import Meeting
from meetings.tasks import build_agenda_pack
from search import indexing

from . import page_cache
from .jobs import queue_after_commit, queue_now

# Publishing the agenda or the minutes builds the meeting's agenda pack (a
# background job: the PDFs take seconds, never a visitor's or clerk's wait).
PACK_TRANSITIONS = {"publish_agenda", "mark_held", "publish_minutes"}
PACK_STATUSES = {Meeting.Status.AGENDA_PUBLISHED, Meeting.Status.HELD}

# The fields a transition may change: saved, and nothing else, by apply().
STATE_FIELDS = [
    "status",
    "minutes_status",
    "confirmed_by",
    "status_reason",
    "postponed_to",
    "agenda_published_at",
]


def apply(meeting, transition, *args, user=None, reason="", archive=False, **kwargs):
    """Run `transition` (a name in Meeting.TRANSITIONS) on `meeting`, with
    its arguments. Raises meetings.models.TransitionRefused, changing
    nothing, when its guards refuse. Returns the StateChange.

    `archive`: the meeting is brought in from an archive (an import of a past
    meeting), not published now, so its effects record no Publication (no
    feed entry, no alert) and build no agenda pack."""
    if transition not in Meeting.TRANSITIONS:
        raise ValueError(f"No such transition: {transition}")
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().select_related("partnership").get(pk=meeting.pk)
        label, status = locked.label, locked.status
        change = getattr(locked, transition)(*args, **kwargs)
        change.label_changed = (label, status) != (locked.label, locked.status)
        change.archive = archive
        if user is not None:
            locked._history_user = user
        locked._change_reason = reason or None
        locked.save(update_fields=STATE_FIELDS)
        transaction.on_commit(lambda: apply_effects(change))
    for name in STATE_FIELDS:
        setattr(meeting, name, getattr(locked, name))
    return change


def apply_effects(change):
    """What follows from a change of state, in one place (see the module's
    docstring); run once the transaction that made it has committed."""
    meeting = Meeting.objects.select_related("partnership").get(pk=change.meeting.pk)
    with transaction.atomic():
        if change.visibility_changed:
            # Public or no longer: everything of the meeting appears or goes.
            indexing.reindex_meeting(meeting)
            indexing.reindex_meeting_documents(meeting)
        elif change.minutes_published:
            indexing.reindex_meeting(meeting)
        elif change.label_changed:
            indexing.reindex_meeting_entry(meeting)
        kinds = []
        if change.meeting_published and not change.archive:
            kinds.append(Publication.Kind.MEETING)
        if change.minutes_published and not change.archive:
            kinds.append(Publication.Kind.MINUTES)
        for kind in kinds:
            # The first publication is the news; publishing again after a
            # withdrawal is not.
            Publication.objects.get_or_create(
                kind=kind, meeting=meeting, defaults={"partnership_id": meeting.partnership_id}
            )
    # Every meeting a transition touches (the one confirming, the one taking
    # a postponed meeting's place) is of the same partnership.
    page_cache.content_changed(partnerships=[meeting.partnership_id])
    if change.transition in PACK_TRANSITIONS and not change.archive:
        queue_now(build_agenda_pack, meeting.pk)


def documents_changed(meeting):
    """A clerk added, replaced or removed a paper of a meeting: its agenda
    pack, once it has one (its agenda is public), is built again after the
    transaction commits, by a background job."""
    if meeting.is_public and meeting.status in PACK_STATUSES:
        queue_after_commit(build_agenda_pack, meeting.pk)


def meeting_edited(meeting, moved=False):
    """A clerk changed a meeting's details (not its state) and perhaps its
    items: index its public entries again and drop its pages. `moved`: its
    date or partnership changed, which every item's entry carries."""

    def effects():
        fresh = Meeting.objects.select_related("partnership").get(pk=meeting.pk)
        if moved:
            indexing.reindex_meeting(fresh)
        else:
            indexing.reindex_meeting_entry(fresh)
        page_cache.content_changed(partnerships=[fresh.partnership_id])

    if meeting.is_public:
        transaction.on_commit(effects)
