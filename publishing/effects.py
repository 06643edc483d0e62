"""
What follows from an operation on a meeting, in one place, once its
transaction has committed (publishing.operations hands it the Changes):

| What changed | Search | Page cache | Feeds and alerts | Agenda pack |
| --- | --- | --- | --- | --- |
| it became public or private | the meeting, its items, resolutions, documents | its partnership's pages and every list | "new meeting" (not for an archive) | built (not for an archive) |
| its minutes became public | the meeting, items, resolutions | same | "minutes published" (not for an archive) | built |
| its label (state) changed | its own entry | same | nothing | on publishing the agenda, marking held |
| its date or partnership | every entry of it | both partnerships' | nothing | nothing |
| its other details | its own entry | same | nothing | nothing |
| its papers | (each document's entry, as saved) | same | nothing | built again, once public |

Items, resolutions and documents are indexed as they are saved, in the same
transaction (search/signals.py), from what their meeting's state allows;
the rest is here.
"""

from django.db import transaction

from follow.models import Publication
from meetings.models import Meeting
from meetings.tasks import build_agenda_pack
from search import indexing
from smp_site import page_cache
from smp_site.jobs import queue_now

# Publishing the agenda or the minutes builds the meeting's agenda pack (a
# background job: the PDFs take seconds, never a visitor's or clerk's wait).
PACK_TRANSITIONS = {"publish_agenda", "mark_held", "publish_minutes"}
PACK_STATUSES = {Meeting.Status.AGENDA_PUBLISHED, Meeting.Status.HELD}


def apply(changes):
    meeting = Meeting.objects.select_related("partnership").filter(pk=changes.meeting_id).first()
    if meeting is None:  # deleted since (a draft removed in the same request)
        page_cache.content_changed(partnerships=sorted(changes.partnership_ids))
        return
    transitions = changes.transitions
    with transaction.atomic():
        if any(change.visibility_changed for change in transitions):
            # Public or no longer: everything of the meeting appears or goes.
            indexing.reindex_meeting(meeting)
            indexing.reindex_meeting_documents(meeting)
        elif meeting.is_public and (changes.moved or any(c.minutes_published for c in transitions)):
            indexing.reindex_meeting(meeting)
        elif meeting.is_public and (changes.details or any(c.label_changed for c in transitions)):
            indexing.reindex_meeting_entry(meeting)
        if not changes.archive:
            kinds = []
            if any(change.meeting_published for change in transitions):
                kinds.append(Publication.Kind.MEETING)
            if any(change.minutes_published for change in transitions):
                kinds.append(Publication.Kind.MINUTES)
            for kind in kinds:
                # The first publication is the news; publishing again after a
                # withdrawal is not.
                Publication.objects.get_or_create(
                    kind=kind, meeting=meeting, defaults={"partnership_id": meeting.partnership_id}
                )
    if changes.details or transitions:
        # Every meeting a transition touches (the one confirming, the one
        # taking a postponed meeting's place) is of the same partnership.
        # Records alone (an item's wording, say) were already named, each
        # with the narrowest scope that shows it, as they were saved
        # (smp_site/page_cache.py).
        page_cache.content_changed(partnerships=sorted(changes.partnership_ids))
    packed = any(change.transition in PACK_TRANSITIONS for change in transitions)
    papers = changes.documents and meeting.is_public and meeting.status in PACK_STATUSES
    if (packed or papers) and not changes.archive:
        queue_now(build_agenda_pack, meeting.pk)
