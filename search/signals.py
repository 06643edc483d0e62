"""
The index follows every save and delete of the texts it covers (agenda
items, resolutions, documents, partnerships), in the same transaction as the
change, so a rolled-back save leaves the index as it was. What the public
may see of them depends on their meeting's state, which changes only through
smp_site.lifecycle: that module re-indexes a meeting when its state or its
details change, explicitly, not here.

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
    stored = (
        SearchEntry.objects.filter(kind=Kind.PARTNERSHIP, object_id=instance.pk)
        .values("title", "url")
        .first()
    )
    indexing.reindex_partnership(instance)
    # Its meetings' entries show its name and its address (the slug); they
    # are written again only when one of those changed (the stored entry of
    # the partnership says what they were), not on every save.
    shown = {"title": indexing.clean(instance.name)[:400], "url": instance.get_absolute_url()}
    if stored is not None and stored != shown:
        for meeting in Meeting.objects.public().filter(partnership=instance).select_related("partnership"):
            indexing.reindex_meeting(meeting)


def partnership_part_changed(sender, instance, raw=False, **kwargs):
    """A priority, objective, seat, history event or achievement is part of
    its partnership's entry."""
    if raw:
        return
    partnership = Partnership.objects.filter(pk=instance.partnership_id).first()
    if partnership is not None:  # gone when the partnership itself is deleted
        indexing.reindex_partnership(partnership)


def item_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.reindex_item(instance)


def resolution_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.reindex_item(instance.item, documents=False)


def document_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.index_document_now(instance)


def deleted(kind):
    def handler(sender, instance, **kwargs):
        indexing.remove(kind, instance.pk)

    return handler


SAVED = [
    (Partnership, partnership_saved),
    (AgendaItem, item_saved),
    (Resolution, resolution_saved),
    (Document, document_saved),
]
DELETED = [
    (Partnership, Kind.PARTNERSHIP),
    (Meeting, Kind.MEETING),
    (AgendaItem, Kind.MINUTE),
    (Resolution, Kind.RESOLUTION),
    (Document, Kind.DOCUMENT),
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
    for model, on_save in SAVED:
        post_save.connect(on_save, sender=model, dispatch_uid=f"search-save-{model.__name__}")
    for model, kind in DELETED:
        post_delete.connect(
            deleted(kind), sender=model, dispatch_uid=f"search-delete-{model.__name__}", weak=False
        )
