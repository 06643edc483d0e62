"""
What the meeting page and the minute page show beyond the meeting or item
itself, loaded in a fixed number of queries however many items,
resolutions, attendees and documents a meeting has, and handed to their
parents as lists: meeting.page_items, item.page_resolutions,
resolution.page_actions...

Each list is one query filtered by its parents' ids and ordered by them
(never by the model's default ordering, which reaches through the meeting to
its date), its rows shared out here. prefetch_related would run the same
queries, but its general machinery (model instances as filter values, a
clone and a lookup per level, the parent set on every row) added about a
third of a millisecond of Python to each list, most of what a small query
costs, on pages built at every page-cache miss (docs/caching.md).
"""

from django.db.models import Q

from .managers import item_link_fields
from .models import Action, AgendaItem, Attendance, Declaration, Document, ItemReference, Meeting, Resolution


def by_parent(rows, parent_id):
    """{parent's id: [its rows]}, each list in the rows' order."""
    grouped = {}
    for row in rows:
        grouped.setdefault(getattr(row, parent_id), []).append(row)
    return grouped


def load_items_content(items):
    """Hand each of `items` its resolutions (each with its actions, as
    resolution.page_actions), its references to other minutes, the later
    minutes that cite it and the meetings whose minutes it confirmed, as
    item.page_resolutions, page_references, page_cited_by and
    page_confirmed_meetings. Three queries, and one for the actions if
    there are resolutions."""
    ids = [item.pk for item in items]
    wanted = set(ids)
    resolutions = list(Resolution.objects.filter(item_id__in=ids).order_by("item_id", "number"))
    actions = by_parent(
        Action.objects.filter(resolution_id__in=[resolution.pk for resolution in resolutions])
        .select_related("owner")
        .order_by("resolution_id", "pk"),
        "resolution_id",
    )
    for resolution in resolutions:
        resolution.page_actions = actions.get(resolution.pk, [])
    resolutions = by_parent(resolutions, "item_id")
    # The references both ways in one query, each end loading only what a
    # link to it shows: each item's own, in the order it made them, and the
    # later minutes that cite it, oldest first (a minute without a number
    # last, as PostgreSQL orders them).
    links = list(
        ItemReference.objects.filter(Q(from_item_id__in=ids) | Q(to_item_id__in=ids))
        .select_related("to_item__meeting__partnership", "from_item__meeting__partnership")
        .only(
            "text",
            "from_item",
            "to_item",
            "to_item__meeting__status",
            "from_item__meeting__status",
            *item_link_fields("to_item__"),
            *item_link_fields("from_item__"),
        )
        .order_by("pk")
    )
    # A public page links only to public ones: a reference to (or from) a
    # meeting still a draft is printed as typed, with no link.
    references = by_parent(
        (link for link in links if link.from_item_id in wanted and linkable(link.to_item)), "from_item_id"
    )
    cited_by = by_parent(
        sorted(
            (link for link in links if link.to_item_id in wanted and linkable(link.from_item)),
            key=lambda link: (
                link.from_item.meeting.date,
                link.from_item.minute_number is None,
                link.from_item.minute_number or 0,
            ),
        ),
        "to_item_id",
    )
    confirmed = by_parent(
        Meeting.objects.filter(confirmed_by_id__in=ids)
        .select_related("partnership")
        .only("date", "confirmed_by", "partnership__slug")
        .order_by("date"),
        "confirmed_by_id",
    )
    for item in items:
        item.page_resolutions = resolutions.get(item.pk, [])
        for resolution in item.page_resolutions:
            resolution.item = item  # its anchor and address are the item's
        item.page_references = references.get(item.pk, [])
        item.page_cited_by = cited_by.get(item.pk, [])
        item.page_confirmed_meetings = confirmed.get(item.pk, [])


def linkable(item):
    return item is not None and item.meeting.is_public


def load_meeting_page(meeting):
    """Everything the meeting page shows of `meeting` (fetched with
    MeetingQuerySet.for_page): meeting.page_items, each with its content
    (load_items_content) and its documents (item.item_documents);
    page_attendances, page_declarations, and page_documents, the
    meeting's documents that belong to no item."""
    items = list(
        AgendaItem.objects.filter(meeting_id=meeting.pk)
        .select_related("presenter")
        .order_by("order", "minute_number", "pk")
    )
    for item in items:
        item.meeting = meeting  # every item's address is built from the meeting's
    load_items_content(items)
    meeting.page_items = items
    meeting.page_attendances = list(
        Attendance.objects.filter(meeting_id=meeting.pk).select_related("person").order_by("order", "pk")
    )
    meeting.page_declarations = list(
        Declaration.objects.filter(meeting_id=meeting.pk)
        .select_related("person", "item")
        .defer("item__agenda_text", "item__minutes")
        .order_by("pk")
    )
    documents = by_parent(Document.objects.filter(meeting_id=meeting.pk).order_by("order", "pk"), "item_id")
    for item in items:
        item.item_documents = documents.get(item.pk, [])
    meeting.page_documents = documents.get(None, [])


def load_minute_page(item):
    """Everything the minute page shows of `item` (fetched with
    AgendaItemQuerySet.for_page): its content (load_items_content) and its
    documents (item.item_documents)."""
    load_items_content([item])
    item.item_documents = list(Document.objects.filter(item_id=item.pk).order_by("order", "pk"))
