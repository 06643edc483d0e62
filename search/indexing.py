"""
What the public may find, and only that. This is the one place that decides:

- partnerships: their name and everything on their page (purpose,
  priorities, objectives, seats, history, achievements);
- meetings: date, venue and notes;
- agenda items (minutes): the title always (it is on the public agenda); the
  agenda text unless the item is exempt; the minutes only once the meeting's
  minutes are public (published or confirmed), never drafts, never exempt;
- resolutions: only of non-exempt items of meetings with public minutes;
- documents: title and extracted text (extracted in the background,
  search.tasks), unless they belong to an exempt item
  (whose papers the site refuses to serve);
- people: their name and title, organisation and the seats they hold or
  held (role and partnership), as their page shows them;
- organisations: their name, kind and description;
- glossary terms: the abbreviation, what it stands for and its explanation,
  linked to the term on the glossary page.

People, organisations and glossary terms belong to no one partnership and
have no date: they have no partnership or municipal year in the index.

Each `entries_for_*` function returns the entries an object should have now
(none if nothing is public); `reindex_*` replaces the stored ones with them.
"""

import collections

from django.db import connection, transaction
from django.db.models import Prefetch

from meetings.accessible_papers import build_accessible_version
from meetings.models import AgendaItem, Document, Meeting, Resolution
from partnerships.models import Membership, Person

from .extract import document_text
from .managers import START, STOP
from .models import ResolutionCount, SearchEntry

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


# What of a partnership's page is indexed beside the partnership itself.
PARTNERSHIP_PARTS = ["priorities", "objectives", "seats", "history", "achievements"]


def entries_for_partnership(partnership):
    """Everything on the partnership's page: its texts, priorities,
    objectives, seats, history and achievements (prefetch them when
    indexing many)."""
    body = join(
        partnership.short_name,
        partnership.summary,
        partnership.purpose,
        partnership.background,
        *(priority.text for priority in partnership.priorities.all()),
        partnership.priorities_note,
        *(objective.text for objective in partnership.objectives.all()),
        partnership.membership_note,
        *(join(seat.title, seat.note) for seat in partnership.seats.all()),
        *(event.description for event in partnership.history.all()),
        *(f"Notable achievements from {a.year}\n\n{a.text}" for a in partnership.achievements.all()),
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
    if not meeting.is_public:
        return []
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
    if not meeting.is_public:
        return []
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


def entries_for_document(document, text=None):
    if not document.is_downloadable:
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


# What a person's entry needs loaded (indexing many at once).
PERSON_RELATED = ["organisation"]
PERSON_PREFETCH = [
    Prefetch(
        "memberships",
        queryset=Membership.objects.select_related("seat__partnership").order_by("-started_on", "pk"),
    )
]


def person_roles(person):
    """Each seat the person holds or held, as their page lists it."""
    return [
        f"{m.seat.title} ({m.seat.get_role_display()}), {m.seat.partnership.name}"
        for m in person.memberships.all()
    ]


def entries_for_person(person):
    """Organisation and memberships loaded (PERSON_RELATED, PERSON_PREFETCH)."""
    organisation = person.organisation.name if person.organisation else ""
    roles = person_roles(person)
    return [
        SearchEntry(
            kind=Kind.PERSON,
            object_id=person.pk,
            partnership=None,
            title=clean(person.full_name)[:400],
            context=clean("; ".join(part for part in [organisation, *roles] if part))[:400],
            body=join(person.name, organisation, *roles),
            url=person.get_absolute_url(),
        )
    ]


def entries_for_organisation(organisation):
    return [
        SearchEntry(
            kind=Kind.ORGANISATION,
            object_id=organisation.pk,
            partnership=None,
            title=clean(organisation.name)[:400],
            context=organisation.get_kind_display(),
            body=join(organisation.get_kind_display(), organisation.description),
            url=organisation.get_absolute_url(),
        )
    ]


def entries_for_term(term):
    return [
        SearchEntry(
            kind=Kind.TERM,
            object_id=term.pk,
            partnership=None,
            title=clean(f"{term.abbreviation}: {term.expansion}")[:400],
            context="Glossary",
            body=join(term.expansion, term.description),
            url=term.get_absolute_url(),
        )
    ]


# What replace() rewrites in an entry it keeps (the vector follows by itself).
UPDATED_FIELDS = ["partnership", "municipal_year", "date", "title", "context", "body", "url"]


def replace(kinds_and_ids, entries):
    """Make the stored entries of these objects `entries`. An object that
    already had an entry keeps its row and id, rewritten in place: saved-
    search alerts report entries with ids above the last they told of, so an
    edit to something already public is not sent again as new."""
    with transaction.atomic():
        stored, counted = {}, collections.Counter()
        for kind, ids in kinds_and_ids.items():
            if ids:
                rows = SearchEntry.objects.filter(kind=kind, object_id__in=ids).values_list(
                    "object_id", "pk", "partnership_id"
                )
                stored.update(
                    {(kind, object_id): (pk, partnership_id) for object_id, pk, partnership_id in rows}
                )
        for new in entries:
            new.pk, partnership_id = stored.pop((new.kind, new.object_id), (None, None))
            if new.kind == Kind.RESOLUTION and new.partnership_id != partnership_id:
                # New, or moved with its meeting to another partnership.
                counted[new.partnership_id] += 1
                counted[partnership_id] -= 1
        if stored:  # entries no longer public
            SearchEntry.objects.filter(pk__in=[pk for pk, _ in stored.values()]).delete()
            counted.subtract(
                partnership_id for (kind, _), (_, partnership_id) in stored.items() if kind == Kind.RESOLUTION
            )
        SearchEntry.objects.bulk_update([e for e in entries if e.pk], UPDATED_FIELDS)
        SearchEntry.objects.bulk_create([e for e in entries if e.pk is None])
        count_resolutions(counted)


def count_resolutions(changes):
    """Add `changes` ({partnership id: how many more resolution entries it
    has}) to ResolutionCount, in the caller's transaction: one statement a
    partnership, which adds to the stored count (so two transactions adding
    to it at once both count) and holds the row until the transaction ends:
    a second operation on the same partnership's resolutions waits for the
    first to commit. In the order of the partnerships' ids: two operations
    moving meetings between the same two partnerships take the two rows in
    the same order rather than each holding one and waiting for the other."""
    changes = sorted((pk, n) for pk, n in changes.items() if pk is not None and n)
    if not changes:
        return
    table = connection.ops.quote_name(ResolutionCount._meta.db_table)
    with connection.cursor() as cursor:
        for partnership_id, n in changes:
            cursor.execute(
                f"INSERT INTO {table} (partnership_id, resolutions) VALUES (%s, %s)"  # noqa: S608 (our table's name; values as parameters)
                f" ON CONFLICT (partnership_id) DO UPDATE SET resolutions = {table}.resolutions + EXCLUDED.resolutions",
                [partnership_id, n],
            )


def recount_resolutions():
    """ResolutionCount from the entries themselves (rebuild_search_index)."""
    table = connection.ops.quote_name(ResolutionCount._meta.db_table)
    entries = connection.ops.quote_name(SearchEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (our tables' names)
        cursor.execute(
            f"INSERT INTO {table} (partnership_id, resolutions) SELECT partnership_id, count(*) FROM {entries}"  # noqa: S608
            " WHERE kind = %s AND partnership_id IS NOT NULL GROUP BY partnership_id",
            [Kind.RESOLUTION],
        )


def reindex_partnership(partnership):
    replace({Kind.PARTNERSHIP: [partnership.pk]}, entries_for_partnership(partnership))


def reindex_people(ids):
    """The entries of the people with these ids, as they are now (those
    deleted meanwhile lose theirs)."""
    ids = list(ids)
    found = (
        Person.objects.filter(pk__in=ids).select_related(*PERSON_RELATED).prefetch_related(*PERSON_PREFETCH)
    )
    replace({Kind.PERSON: ids}, [e for person in found for e in entries_for_person(person)])


def reindex_person(person_id):
    reindex_people([person_id])


def reindex_organisation(organisation):
    """The organisation, and its people (whose entries name it)."""
    replace({Kind.ORGANISATION: [organisation.pk]}, entries_for_organisation(organisation))
    reindex_people(Person.objects.filter(organisation=organisation).values_list("pk", flat=True))


def reindex_term(term):
    replace({Kind.TERM: [term.pk]}, entries_for_term(term))


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


def reindex_meeting_entry(meeting):
    """The meeting's own entry alone (its title, place and label)."""
    replace({Kind.MEETING: [meeting.pk]}, entries_for_meeting(meeting))


def reindex_meeting_documents(meeting):
    """Its documents' entries, as the meeting becomes public or not."""
    for document in Document.objects.filter(meeting=meeting).select_related("item"):
        document.meeting = meeting
        reindex_document(document)


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
            if document.is_downloadable != indexed:
                index_document_now(document)


def reindex_document(document):
    """With the text read from the file again: slow for a big report pack,
    so a background job (search.tasks.extract_document_text) does it. The
    paper's reading copy (meetings/accessible_papers.py) is built from the
    file at the same time, once the paper is public."""
    replace({Kind.DOCUMENT: [document.pk]}, entries_for_document(document))
    if document.is_downloadable:
        build_accessible_version(document)


def index_document_now(document):
    """During a clerk's save: the entry follows the document's title and
    visibility at once, with the text extracted before (or none yet), and
    the file's text is extracted again in the background once the save
    commits."""
    from foundation.jobs import queue_after_commit

    from .tasks import extract_document_text

    stored = SearchEntry.objects.filter(kind=Kind.DOCUMENT, object_id=document.pk).values_list(
        "body", flat=True
    )
    replace({Kind.DOCUMENT: [document.pk]}, entries_for_document(document, text=stored.first() or ""))
    if document.is_downloadable:
        queue_after_commit(extract_document_text, document.pk)


def remove(kind, pk):
    if kind != Kind.RESOLUTION:
        SearchEntry.objects.filter(kind=kind, object_id=pk).delete()
        return
    # One statement that says whose count it takes from; nothing else
    # follows an entry's deletion (no row points to an entry).
    entries = connection.ops.quote_name(SearchEntry._meta.db_table)
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {entries} WHERE kind = %s AND object_id = %s RETURNING partnership_id",  # noqa: S608 (our table's name)
            [kind, pk],
        )
        count_resolutions(dict.fromkeys((partnership_id for (partnership_id,) in cursor.fetchall()), -1))


# --- The whole index at once -------------------------------------------
#
# rebuild_search_index writes the entries of every minute and resolution with
# one INSERT ... SELECT per batch, because building a million model instances
# in Python takes minutes. The SQL below writes the same rows as
# entries_for_item() above, field for field: the rules that depend on the
# meeting (are its minutes public? its municipal year, address and context)
# still come from Python, once per meeting, through a temporary table; only
# the per-item and per-resolution wording is repeated here.
# tests/search/test_search.py::test_rebuild_makes_the_same_index_as_the_signals pins
# the two to each other on both databases; change them together.

MEETING_TABLE = "search_rebuild_meeting"


def meeting_row(meeting):
    """What a meeting gives its items' entries, as a row of MEETING_TABLE
    (`meeting.partnership` must be loaded)."""
    return (
        meeting.pk,
        meeting.partnership_id,
        meeting.date.isoformat(),
        meeting.municipal_year,
        meeting.get_absolute_url(),
        meeting_context(meeting)[:400],
        meeting.minutes_are_public,
    )


def create_meeting_table(cursor, rows):
    """A temporary table of meeting_row()s."""
    cursor.execute(f"DROP TABLE IF EXISTS {MEETING_TABLE}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {MEETING_TABLE} ("
        " meeting_id bigint PRIMARY KEY, partnership_id bigint NOT NULL, date date NOT NULL,"
        " municipal_year varchar(7) NOT NULL, url varchar(500) NOT NULL,"
        " context varchar(400) NOT NULL, minutes_public boolean NOT NULL)"
    )
    cursor.executemany(f"INSERT INTO {MEETING_TABLE} VALUES (%s, %s, %s, %s, %s, %s, %s)", rows)  # noqa: S608


def drop_meeting_table(cursor):
    cursor.execute(f"DROP TABLE IF EXISTS {MEETING_TABLE}")


def _clean_sql(expression, vendor):
    """clean() in SQL. PostgreSQL's text cannot hold NUL, so only SQLite's
    needs it replaced."""
    sql = f"REPLACE(REPLACE({expression}, %s, ''), %s, '')"
    if vendor == "sqlite":
        sql = f"REPLACE({sql}, CHAR(0), ' ')"
    return sql


def _text(column):
    return f"CAST({column} AS varchar)"


# An item's minute number, if it has one (none or 0 means unnumbered).
_NUMBERED = "COALESCE(i.minute_number, 0) <> 0"
# An item's address without the fragment: its minute page, or its meeting's.
_ITEM_PAGE = (
    f"CASE WHEN {_NUMBERED} THEN m.url || 'minute-' || {_text('i.minute_number')} || '/' ELSE m.url END"
)


def insert_item_entries(cursor, low, high):
    """The minute entries of items with low < id <= high; returns how many."""
    vendor = cursor.db.vendor
    title = f"CASE WHEN {_NUMBERED} THEN {_text('i.minute_number')} || '. ' || i.title ELSE i.title END"
    public_minutes = "m.minutes_public AND i.minutes <> ''"
    body = (
        "CASE WHEN i.is_exempt THEN"
        "  (CASE WHEN i.exempt_reason <> '' THEN 'Exempt: ' || i.exempt_reason ELSE '' END)"
        f" WHEN i.agenda_text <> '' AND {public_minutes} THEN i.agenda_text || %s || i.minutes"
        f" WHEN {public_minutes} THEN i.minutes"
        " ELSE i.agenda_text END"
    )
    url = f"CASE WHEN {_NUMBERED} THEN {_ITEM_PAGE} ELSE m.url || '#item-' || {_text('i.id')} END"
    cursor.execute(
        "INSERT INTO search_searchentry"  # noqa: S608 (constant SQL; values are parameters)
        " (kind, object_id, partnership_id, municipal_year, date, title, context, body, url)"
        f" SELECT %s, i.id, m.partnership_id, m.municipal_year, m.date,"
        f" SUBSTR({_clean_sql(title, vendor)}, 1, 400), m.context, {_clean_sql(body, vendor)}, {url}"
        f" FROM meetings_agendaitem i JOIN {MEETING_TABLE} m ON m.meeting_id = i.meeting_id"
        " WHERE i.id > %s AND i.id <= %s",
        [Kind.MINUTE, START, STOP, "\n\n", START, STOP, low, high],
    )
    return cursor.rowcount


def insert_resolution_entries(cursor, low, high):
    """The entries of the resolutions of items with low < id <= high (only of
    public minutes, never of exempt items); returns how many."""
    vendor = cursor.db.vendor
    number = _text("r.number")
    citation = (
        f"CASE WHEN {_NUMBERED} THEN 'Minute No. ' || {_text('i.minute_number')} || ' (Resolution ' || {number} || ')'"
        f" ELSE i.title || ' (Resolution ' || {number} || ')' END"
    )
    anchor = f"CASE WHEN {_NUMBERED} THEN 'minute-' || {_text('i.minute_number')} ELSE 'item-' || {_text('i.id')} END"
    cursor.execute(
        "INSERT INTO search_searchentry"  # noqa: S608 (constant SQL; values are parameters)
        " (kind, object_id, partnership_id, municipal_year, date, title, context, body, url)"
        f" SELECT %s, r.id, m.partnership_id, m.municipal_year, m.date,"
        f" SUBSTR({_clean_sql(f'{citation} || %s || i.title', vendor)}, 1, 400), m.context,"
        f" {_clean_sql('r.text', vendor)}, {_ITEM_PAGE} || '#' || {anchor} || '-resolution-' || {number}"
        " FROM meetings_resolution r JOIN meetings_agendaitem i ON i.id = r.item_id"
        f" JOIN {MEETING_TABLE} m ON m.meeting_id = i.meeting_id"
        " WHERE m.minutes_public AND NOT i.is_exempt AND i.id > %s AND i.id <= %s",
        [Kind.RESOLUTION, ": ", START, STOP, START, STOP, low, high],
    )
    return cursor.rowcount
