"""
The background jobs of meetings (Celery; see smp_site/celery.py), queued by
the effects of an operation on a meeting (publishing/effects.py) once its
transaction commits.
"""

from celery import shared_task

from . import agenda_pack
from .models import Meeting


@shared_task
def build_agenda_pack(meeting_id):
    """Build (or build again) the agenda pack of a public meeting with an
    agenda. A meeting withdrawn, called off or emptied meanwhile gets none."""
    meeting = Meeting.objects.select_related("partnership").filter(pk=meeting_id).first()
    if (
        meeting is None
        or not meeting.is_public
        or meeting.status
        not in (
            Meeting.Status.AGENDA_PUBLISHED,
            Meeting.Status.HELD,
        )
    ):
        return None
    if not meeting.items.exists():
        return None  # nothing to put in a pack
    document = agenda_pack.build_agenda_pack(meeting)
    return document.pk if document else None
