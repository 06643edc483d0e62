"""
The index follows every save and delete of the texts it covers (agenda
items, resolutions, documents, partnerships, people and the seats they hold,
organisations, glossary terms), in the same transaction as the
change, so a rolled-back save leaves the index as it was. What the public
may see of them depends on their meeting's state, which changes only through
publishing.operations: its effects re-index a meeting when its state or its
details change, explicitly, not here. Which rows have entries of their own,
and of which kind, the registry of content says (smp_site/content.py).

The partnerships and glossary apps import no other app (docs/architecture.md),
so their admin cannot call the index itself: the search app follows their
saves here, as it does the meetings app's.

Bulk writes (bulk_create, update) send no signals: run
`manage.py rebuild_search_index` after them.
"""

from django.db.models.signals import post_delete, post_save, pre_delete

from glossary.models import Term
from meetings.models import AgendaItem, Document, Meeting, Resolution
from partnerships.models import (
    Achievement,
    HistoryEvent,
    Membership,
    Objective,
    Organisation,
    Partnership,
    Person,
    Priority,
    Seat,
)
from smp_site import content

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
        # The people who hold or held its seats: their entries name it.
        indexing.reindex_people(
            Membership.objects.filter(seat__partnership=instance)
            .values_list("person_id", flat=True)
            .distinct()
        )


def partnership_part_changed(sender, instance, raw=False, **kwargs):
    """A priority, objective, seat, history event or achievement is part of
    its partnership's entry."""
    if raw:
        return
    partnership = Partnership.objects.filter(pk=instance.partnership_id).first()
    if partnership is not None:  # gone when the partnership itself is deleted
        indexing.reindex_partnership(partnership)


def seat_saved(sender, instance, raw=False, **kwargs):
    """Its holders' entries give its title and role. (Its partnership's
    entry follows through partnership_part_changed.)"""
    if not raw:
        indexing.reindex_people(instance.memberships.values_list("person_id", flat=True).distinct())


def membership_changed(sender, instance, raw=False, **kwargs):
    """A seat taken or left is one of the person's roles."""
    if not raw:
        indexing.reindex_person(instance.person_id)


def person_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.reindex_person(instance.pk)


def organisation_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.reindex_organisation(instance)


def organisation_deleting(sender, instance, **kwargs):
    """Its people are detached from it (SET_NULL) by an UPDATE that sends no
    signal: note them now, while they still point at it."""
    instance.search_people_ids = list(instance.people.values_list("pk", flat=True))


def organisation_deleted(sender, instance, **kwargs):
    indexing.remove(Kind.ORGANISATION, instance.pk)
    indexing.reindex_people(getattr(instance, "search_people_ids", []))


def term_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.reindex_term(instance)


def item_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.reindex_item(instance)


def resolution_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.reindex_item(instance.item, documents=False)


def document_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.index_document_now(instance)


def deleted(sender, instance, **kwargs):
    """A row with entries of its own (smp_site/content.py says which, and
    their kind) takes them with it."""
    entry = content.content_of(sender)
    if entry is not None and entry.search_kind:
        indexing.remove(entry.search_kind, instance.pk)


SAVED = [
    (Partnership, partnership_saved),
    (AgendaItem, item_saved),
    (Resolution, resolution_saved),
    (Document, document_saved),
    (Person, person_saved),
    (Organisation, organisation_saved),
    (Membership, membership_changed),
    (Term, term_saved),
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
    # Seats are partnership parts too: a second receiver for their holders.
    post_save.connect(seat_saved, sender=Seat, dispatch_uid="search-save-Seat-holders")
    post_delete.connect(membership_changed, sender=Membership, dispatch_uid="search-delete-Membership")
    pre_delete.connect(
        organisation_deleting, sender=Organisation, dispatch_uid="search-deleting-Organisation"
    )
    post_delete.connect(organisation_deleted, sender=Organisation, dispatch_uid="search-delete-Organisation")
    post_delete.connect(deleted, dispatch_uid="search-delete-content")
