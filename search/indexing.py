"""
What the public may find, and only that. This is the one place that decides:

- partnerships: their name and public texts;
- meetings: date, venue and notes;
- agenda items (minutes): the title always (it is on the public agenda); the
  agenda text unless the item is exempt; the minutes only once the meeting's
  minutes are public (published or confirmed), never drafts, never exempt;
- resolutions: only of non-exempt items of meetings with public minutes;
- documents: title and extracted text, unless they belong to an exempt item
  (whose papers the site refuses to serve).

Each `entries_for_*` function returns the entries an object should have now
(none if nothing is public); `reindex_*` replaces the stored ones with them.
"""

from django.db import transaction

from meetings.models import AgendaItem, Document, Meeting, Resolution

from .extract import document_text
from .managers import START, STOP
from .models import SearchEntry

Kind = SearchEntry.Kind


def clean(text):
    return (text or "").replace(START, "").replace(STOP, "").replace("\x00", " ")


def join(*parts):
    return clean("\n\n".join(part for part in parts if part))


def meeting_context(meeting):
    return f"{meeting.partnership.name}, meeting of {meeting.date:%-d %B %Y}"


def entry(kind, obj, partnership, meeting, title, body, url, context=""):
    return SearchEntry(
        kind=kind,
        object_id=obj.pk,
        partnership=partnership,
        municipal_year=meeting.municipal_year if meeting else "",
        date=meeting.date if meeting else None,
        title=clean(title)[:400],
        context=context[:400],
        body=body,
        url=url,
    )


def entries_for_partnership(partnership):
    body = join(
        partnership.short_name,
        partnership.summary,
        partnership.purpose,
        partnership.background,
        partnership.priorities_note,
        partnership.status_reason,
    )
    return [
        entry(
            Kind.PARTNERSHIP,
            partnership,
            partnership,
            None,
            partnership.name,
            body,
            partnership.get_absolute_url(),
            "Partnership",
        )
    ]


def entries_for_meeting(meeting):
    title = f"Meeting of the {meeting.partnership.name}, {meeting.date:%-d %B %Y}"
    if meeting.status in (Meeting.Status.CANCELLED, Meeting.Status.POSTPONED):
        title += f" ({meeting.get_status_display().lower()})"
    return [
        entry(
            Kind.MEETING,
            meeting,
            meeting.partnership,
            meeting,
            title,
            join(meeting.venue, meeting.notes),
            meeting.get_absolute_url(),
            meeting.page_title,
        )
    ]


def entries_for_item(item):
    """The item's entry and its resolutions'. `item.meeting.partnership`
    must be loaded; `item.resolutions.all()` may be prefetched."""
    meeting = item.meeting
    if item.is_exempt:
        body = join(f"Exempt: {item.exempt_reason}" if item.exempt_reason else "")
    else:
        body = join(item.agenda_text, item.minutes if meeting.minutes_are_public else "")
    title = f"{item.minute_number}. {item.title}" if item.minute_number else item.title
    entries = [
        entry(
            Kind.MINUTE,
            item,
            meeting.partnership,
            meeting,
            title,
            body,
            item.get_absolute_url(),
            meeting_context(meeting),
        )
    ]
    if not item.is_exempt and meeting.minutes_are_public:
        for resolution in item.resolutions.all():
            resolution.item = item  # already loaded: no query for its address
            entries.append(
                entry(
                    Kind.RESOLUTION,
                    resolution,
                    meeting.partnership,
                    meeting,
                    f"{resolution.citation}: {item.title}",
                    join(resolution.text),
                    resolution.get_absolute_url(),
                    meeting_context(meeting),
                )
            )
    return entries


def document_is_public(document):
    return bool(document.file) and not (document.item_id and document.item.is_exempt)


def entries_for_document(document, text=None):
    if not document_is_public(document):
        return []
    meeting = document.meeting
    body = join(text if text is not None else document_text(document.file))
    return [
        entry(
            Kind.DOCUMENT,
            document,
            meeting.partnership,
            meeting,
            document.title,
            body,
            document.get_absolute_url(),
            f"{document.format_display}, {meeting_context(meeting)}",
        )
    ]


def replace(kinds_and_ids, entries):
    """Delete the stored entries of these objects and store `entries`."""
    with transaction.atomic():
        for kind, ids in kinds_and_ids.items():
            if ids:
                SearchEntry.objects.filter(kind=kind, object_id__in=ids).delete()
        SearchEntry.objects.bulk_create(entries)


def reindex_partnership(partnership):
    replace({Kind.PARTNERSHIP: [partnership.pk]}, entries_for_partnership(partnership))


def reindex_meeting(meeting):
    """The meeting, and its items and resolutions: whether minutes are public
    and the date and partnership all come from the meeting."""
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("meeting__partnership")
        .prefetch_related("resolutions")
    )
    entries = entries_for_meeting(meeting)
    for item in items:
        item.meeting = meeting
        entries += entries_for_item(item)
    resolution_ids = [r.pk for item in items for r in item.resolutions.all()]
    replace(
        {
            Kind.MEETING: [meeting.pk],
            Kind.MINUTE: [item.pk for item in items],
            Kind.RESOLUTION: resolution_ids,
        },
        entries,
    )
    # Documents keep their text; only where and when they belong changes.
    SearchEntry.objects.filter(kind=Kind.DOCUMENT, object_id__in=meeting.documents.values("pk")).update(
        partnership=meeting.partnership, date=meeting.date, municipal_year=meeting.municipal_year
    )


def reindex_item(item, documents=True):
    item = (
        AgendaItem.objects.select_related("meeting__partnership")
        .prefetch_related("resolutions")
        .get(pk=item.pk)
    )
    resolution_ids = list(Resolution.objects.filter(item=item).values_list("pk", flat=True))
    replace({Kind.MINUTE: [item.pk], Kind.RESOLUTION: resolution_ids}, entries_for_item(item))
    if documents:
        # Becoming exempt (or no longer) hides (or shows) the item's papers.
        for document in Document.objects.filter(item=item).select_related("meeting__partnership", "item"):
            indexed = SearchEntry.objects.filter(kind=Kind.DOCUMENT, object_id=document.pk).exists()
            if document_is_public(document) != indexed:
                reindex_document(document)


def reindex_document(document):
    replace({Kind.DOCUMENT: [document.pk]}, entries_for_document(document))


def remove(kind, pk):
    SearchEntry.objects.filter(kind=kind, object_id=pk).delete()
