"""
The index follows every save and delete of what it covers, in the same
transaction as the change (so a rolled-back save leaves the index as it was).
Bulk writes (bulk_create, update) send no signals: run
`manage.py rebuild_search_index` after them.
"""

from django.db.models.signals import post_delete, post_save

from meetings.models import AgendaItem, Document, Meeting, Resolution
from partnerships.models import Achievement, HistoryEvent, Objective, Partnership, Priority, Seat

from . import indexing
from .models import SearchEntry

Kind = SearchEntry.Kind


def partnership_saved(sender, instance, raw=False, **kwargs):
    if raw:  # loading fixtures
        return
    indexing.reindex_partnership(instance)
    # Its name is in every title and its slug in every address.
    if SearchEntry.objects.filter(partnership=instance).exclude(kind=Kind.PARTNERSHIP).exists():
        for meeting in Meeting.objects.filter(partnership=instance).select_related("partnership"):
            indexing.reindex_meeting(meeting)


def partnership_part_changed(sender, instance, raw=False, **kwargs):
    """A priority, objective, seat, history event or achievement is part of
    its partnership's entry."""
    if raw:
        return
    partnership = Partnership.objects.filter(pk=instance.partnership_id).first()
    if partnership is not None:  # gone when the partnership itself is deleted
        indexing.reindex_partnership(partnership)


def meeting_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.reindex_meeting(instance)


def item_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.reindex_item(instance)


def resolution_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.reindex_item(instance.item, documents=False)


def document_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.reindex_document(instance)


def deleted(kind):
    def handler(sender, instance, **kwargs):
        indexing.remove(kind, instance.pk)

    return handler


HANDLERS = [
    (Partnership, partnership_saved, Kind.PARTNERSHIP),
    (Meeting, meeting_saved, Kind.MEETING),
    (AgendaItem, item_saved, Kind.MINUTE),
    (Resolution, resolution_saved, Kind.RESOLUTION),
    (Document, document_saved, Kind.DOCUMENT),
]


PARTNERSHIP_PARTS = [Priority, Objective, Seat, HistoryEvent, Achievement]


def connect():
    for model in PARTNERSHIP_PARTS:
        post_save.connect(
            partnership_part_changed, sender=model, dispatch_uid=f"search-save-{model.__name__}"
        )
        post_delete.connect(
            partnership_part_changed, sender=model, dispatch_uid=f"search-delete-{model.__name__}"
        )
    for model, on_save, kind in HANDLERS:
        post_save.connect(on_save, sender=model, dispatch_uid=f"search-save-{model.__name__}")
        post_delete.connect(
            deleted(kind), sender=model, dispatch_uid=f"search-delete-{model.__name__}", weak=False
        )
