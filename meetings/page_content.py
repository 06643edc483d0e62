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

import hashlib
from types import SimpleNamespace

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from foundation import page_cache
from foundation.fixed_queries import fixed_query
from glossary.markup import DeferredMarks, first_uses

from .accessible_papers import AccessibleVersion
from .action_log import ActionUpdate, public_updates
from .item_body import render_item_body
from .managers import PERSON_LINK_FIELDS, item_link_fields
from .meeting_parts import attendance_html, declarations_html, papers_html
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
    page_confirmed_meetings; each action's public reports at later minutes
    (action.page_updates), each resolution's later minutes reporting on it
    (resolution.page_followups) and the actions each item reports on
    (item.page_action_reports). Four queries, and one for the actions if
    there are resolutions."""
    ids = [item.pk for item in items]
    wanted = set(ids)
    resolutions = resolutions_of(ids)
    actions = by_parent(actions_of([resolution.pk for resolution in resolutions]), "resolution_id")
    reports = follow_through(ids, [action.pk for rows in actions.values() for action in rows])
    for resolution in resolutions:
        resolution.page_actions = actions.get(resolution.pk, [])
        followups = {}
        for action in resolution.page_actions:
            action.page_updates = reports["of_action"].get(action.pk, [])
            for update in action.page_updates:
                followups.setdefault(update.item_id, update.item)
        resolution.page_followups = list(followups.values())
    resolutions = by_parent(resolutions, "item_id")
    # The references both ways in one query, each end loading only what a
    # link to it shows: each item's own, in the order it made them, and the
    # later minutes that cite it, oldest first (a minute without a number
    # last, as PostgreSQL orders them).
    links = references_of(ids)
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
    confirmed = by_parent(meetings_confirmed_by(ids), "confirmed_by_id")
    for item in items:
        item.page_resolutions = resolutions.get(item.pk, [])
        for resolution in item.page_resolutions:
            resolution.item = item  # its anchor and address are the item's
        item.page_references = references.get(item.pk, [])
        item.page_cited_by = cited_by.get(item.pk, [])
        item.page_confirmed_meetings = confirmed.get(item.pk, [])
        item.page_action_reports = reports["at_item"].get(item.pk, [])


def follow_through(item_ids, action_ids):
    """The public reports on actions made at the given items, and those on
    the given actions, in one query: {"at_item": {item id: [reports]},
    "of_action": {action id: [reports]}}, oldest meeting first."""
    if not item_ids and not action_ids:
        return {"at_item": {}, "of_action": {}}
    rows = reports_on(item_ids, action_ids) if action_ids else reports_at(item_ids)
    return {"at_item": by_parent(rows, "item_id"), "of_action": by_parent(rows, "action_id")}


# The queries of load_items_content, each of one shape, built and compiled
# once (foundation.fixed_queries): a page-cache miss runs them again and
# again with new ids.


@fixed_query
def resolutions_of(item_ids):
    return Resolution.objects.filter(item_id__in=item_ids).order_by("item_id", "number")


@fixed_query
def actions_of(resolution_ids):
    return (
        Action.objects.filter(resolution_id__in=resolution_ids)
        .select_related("owner")
        .order_by("resolution_id", "pk")
    )


@fixed_query
def references_of(item_ids):
    """The references both ways, each end loading only what a link to it shows."""
    return (
        ItemReference.objects.filter(Q(from_item_id__in=item_ids) | Q(to_item_id__in=item_ids))
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


@fixed_query
def meetings_confirmed_by(item_ids):
    return (
        Meeting.objects.filter(confirmed_by_id__in=item_ids)
        .select_related("partnership")
        .only("date", "confirmed_by", "partnership__slug")
        .order_by("date")
    )


def reports(condition):
    return (
        public_updates()
        .filter(condition)
        .select_related(
            "item__meeting__partnership", "action__owner", "action__resolution__item__meeting__partnership"
        )
        .order_by("item__meeting__date", "item__minute_number", "pk")
    )


@fixed_query
def reports_on(item_ids, action_ids):
    return reports(Q(item_id__in=item_ids) | Q(action_id__in=action_ids))


@fixed_query
def reports_at(item_ids):
    return reports(Q(item_id__in=item_ids))


def meetings_showing(rows):
    """(partnership id, date, id) of each meeting whose pages show any of
    `rows` ({"items": ids, "resolutions": ids, "actions": ids}) besides the
    row's own meeting, as load_items_content loads them: both ends of a
    cross-reference (what it cites shows its number and title, what cites
    it shows in "Later minutes on this"), both ends of a report on an action
    (its resolution's citation, the later minute's number and title), and
    the meetings whose minutes an item confirmed (their pages name it).
    Three queries at most, however many rows."""
    items = list(rows.get("items", ()))
    resolutions = list(rows.get("resolutions", ()))
    actions = list(rows.get("actions", ()))
    ends = ("meeting_id", "meeting__partnership_id", "meeting__date")
    found = set()
    if items:
        for row in ItemReference.objects.filter(
            Q(from_item_id__in=items) | Q(to_item_id__in=items)
        ).values_list(*(f"from_item__{end}" for end in ends), *(f"to_item__{end}" for end in ends)):
            found |= {row[:3], row[3:]}
        found |= set(
            Meeting.objects.filter(confirmed_by_id__in=items).values_list("pk", "partnership_id", "date")
        )
    reported = Q(item_id__in=items) | Q(action__resolution__item_id__in=items) if items else Q(pk__in=[])
    if resolutions:
        reported |= Q(action__resolution_id__in=resolutions)
    if actions:
        reported |= Q(action_id__in=actions)
    if items or resolutions or actions:
        for row in ActionUpdate.objects.filter(reported).values_list(
            *(f"item__{end}" for end in ends), *(f"action__resolution__item__{end}" for end in ends)
        ):
            found |= {row[:3], row[3:]}
    return sorted((partnership_id, day, pk) for pk, partnership_id, day in found if pk is not None)


def linkable(item):
    return item is not None and item.meeting.is_public


# The pages' own rows, by their address.


@fixed_query
def meeting_at(slug, day):
    """The public meeting of the partnership `slug` on `day`, as its page
    shows it (MeetingQuerySet.for_page): a list of one, or none."""
    return Meeting.objects.public().for_page().filter(partnership__slug=slug, date=day)


@fixed_query
def minute_at(slug, day, number):
    """The public item with minute `number` of that meeting, as its page
    shows it (AgendaItemQuerySet.for_page)."""
    return (
        AgendaItem.objects.public()
        .for_page()
        .filter(meeting__partnership__slug=slug, meeting__date=day, minute_number=number)
    )


@fixed_query
def meeting_after(partnership_id, day):
    """The partnership's next public meeting after `day`, as the meeting
    page's link to it shows it (a list of one, or none)."""
    return (
        Meeting.objects.public()
        .filter(partnership_id=partnership_id, date__gt=day)
        .only("partnership", "date", "start_time", "venue", "status")
        .order_by("date")[:1]
    )


def only_or_404(rows):
    """The one row of `rows`, or a 404 if there is none (an address names
    one meeting or minute: a partnership meets once a day at most)."""
    if not rows:
        raise Http404("No such meeting or minute.")
    (row,) = rows
    return row


def load_meeting_page(meeting, request):
    """Everything the meeting page shows of `meeting` (fetched with
    MeetingQuerySet.for_page): meeting.page_items, each with its rendered
    body (item.page_body), and meeting.page_parts, its attendance,
    declarations and the papers that belong to no item, rendered
    (meetings/_meeting_*.html), with whether it has any attendance and such
    papers (for the contents). Both are kept with the bodies
    (load_item_bodies): a page built again after a change elsewhere in the
    partnership, or to the wording of one item, queries and renders none of
    them."""
    items = items_of(meeting.pk)
    for item in items:
        item.meeting = meeting  # every item's address is built from the meeting's

    # The papers, in one query for the parts and the bodies when both are
    # built, else for those built.
    papers = {}

    def parts(meeting, items):
        papers["by item"] = by_parent(papers_of_meeting(meeting.pk), "item_id")
        return render_meeting_parts(meeting, items, papers["by item"].get(None, []))

    def load(missing):
        documents = (
            papers["by item"]
            if "by item" in papers
            else by_parent(papers_of_items([item.pk for item in missing]), "item_id")
        )
        for item in missing:
            item.item_documents = documents.get(item.pk, [])
        load_items_content(missing)

    meeting.page_items = items
    load_item_bodies(meeting, items, request, load, parts=parts)


def render_meeting_parts(meeting, items, documents):
    """The meeting page's attendance, declarations and `documents` (its
    papers of no item), rendered, in two queries."""
    attendances = attendance_at(meeting.pk)
    groups = [(label, [a for a in attendances if a.role == role]) for role, label in Attendance.Role.choices]
    return {
        "attendance": attendance_html(meeting, groups),
        "declarations": declarations_html(meeting, declarations_at(meeting.pk), bool(items)),
        "documents": papers_html(meeting, documents),
        "has_attendance": bool(attendances),
        "has_documents": bool(documents),
    }


def load_minute_page(item, request):
    """Everything the minute page shows of `item` (fetched with
    AgendaItemQuerySet.for_page): its rendered body (item.page_body)."""

    def load(items):
        load_items_content(items)
        item.item_documents = papers_of_items([item.pk])

    load_item_bodies(item.meeting, [item], request, load)


# An item's body is rendered apart from its page, with this in place of the
# level of its headings (each page puts in its own: `{% item_body %}`).
HEADING_LEVEL = "\x02"


def load_item_bodies(meeting, items, request, load_content, parts=None):
    """Each item's body (meetings.item_body) rendered, as
    item.page_body, from the meeting's cached bodies where they are current,
    else from its content, loaded by `load_content(items)` for those items
    only (a fixed number of queries, none when every body is cached).

    The rendered bodies of a meeting's items are one fragment of the page
    cache, kept with the versions of the site, of the meeting's partnership
    and of the bodies themselves (page_cache.bodies_scope): any change the
    bodies show but their own item's row (a resolution, an action, a
    reference, a paper, a person, the meeting's state, a glossary term, the
    title of a minute one of them cites) makes one of those stale. Each body is also kept with a digest of its item's row, so
    a correction of one item's wording (which leaves the partnership's
    version alone) rebuilds that body only. Bodies are rendered with the
    glossary's terms left as placeholders, filled when the page is put
    together in order, so that each term is still marked at its first use on
    the page (glossary.markup.DeferredMarks).

    With `parts` (render_meeting_parts), the meeting's own parts of its page
    are kept in the same fragment, under "meeting", with a digest of what
    they show of the meeting's row and whether it has items; they are
    rendered again when stale, and handed over as meeting.page_parts."""
    name = f"item-bodies:{meeting.pk}"
    cached, versions = page_cache.read_fragment(
        name,
        [
            page_cache.partnership_scope(meeting.partnership_id),
            page_cache.bodies_scope(meeting.partnership_id, meeting.pk),
        ],
    )
    bodies = dict(cached or {})
    stale = False
    if parts is not None:
        digest = meeting_digest(meeting, items)
        if bodies.get("meeting", (None, None))[0] != digest:
            bodies["meeting"] = (digest, parts(meeting, items))
            stale = True
        meeting.page_parts = bodies["meeting"][1]
    digests = {item.pk: item_digest(item) for item in items}
    missing = [item for item in items if bodies.get(item.pk, (None, None))[0] != digests[item.pk]]
    if missing:
        load_content(missing)
        expansions = first_uses(SimpleNamespace(request=request)).expansions
        for item in missing:
            body = render_item_body(item, meeting, DeferredMarks(expansions), HEADING_LEVEL)
            bodies[item.pk] = (digests[item.pk], body)
    if missing or stale:
        page_cache.store_fragment(name, versions, bodies)
    for item in items:
        item.page_body = bodies[item.pk][1]


# What an item's body shows of the item's own row.
BODY_FIELDS = (
    "pk",
    "meeting_id",
    "minute_number",
    "title",
    "presenter_id",
    "presenter_name",
    "agenda_text",
    "minutes",
    "resolution_preamble",
    "is_exempt",
    "exempt_paragraph",
    "exempt_reason",
)

# What it shows of its meeting (the state, and the address of every link)
# and of its partnership (addresses, and whom to ask for a paper not online).
MEETING_BODY_FIELDS = ("pk", "partnership_id", "date", "status", "minutes_status")
PARTNERSHIP_BODY_FIELDS = ("slug", "name", "contact_name", "contact_email", "contact_phone")


def item_digest(item):
    """A digest of what the body shows from the rows loaded before the
    fragment's versions were read: the item's own, its presenter's name, and
    what it shows of its meeting and partnership (a change to one of those that
    commits between their loading and the versions' reading replaces a
    version the body is then stored with, yet the body was built from the
    old row: the digest tells it apart). Rows loaded after the versions
    were read (resolutions, references, papers...) need no digest."""
    meeting = item.meeting
    values = (
        tuple(getattr(item, name) for name in BODY_FIELDS),
        tuple(getattr(item.presenter, name) for name in PERSON_LINK_FIELDS) if item.presenter_id else None,
        tuple(getattr(meeting, name) for name in MEETING_BODY_FIELDS),
        tuple(getattr(meeting.partnership, name) for name in PARTNERSHIP_BODY_FIELDS),
    )
    return hashlib.blake2b(repr(values).encode(), digest_size=16).hexdigest()


def meeting_digest(meeting, items):
    """A digest of what the meeting's parts show of rows loaded before the
    fragment's versions were read (item_digest says why): its row, and
    whether it has items (declarations are listed only then)."""
    values = (
        tuple(getattr(meeting, name) for name in MEETING_BODY_FIELDS),
        tuple(getattr(meeting.partnership, name) for name in PARTNERSHIP_BODY_FIELDS),
        bool(items),
    )
    return hashlib.blake2b(repr(values).encode(), digest_size=16).hexdigest()


@fixed_query
def items_of(meeting_id):
    return (
        AgendaItem.objects.filter(meeting_id=meeting_id)
        .select_related("presenter")
        .order_by("order", "minute_number", "pk")
    )


@fixed_query
def papers_of_meeting(meeting_id):
    return with_reading_copies(Document.objects.filter(meeting_id=meeting_id))


@fixed_query
def papers_of_items(item_ids):
    return with_reading_copies(Document.objects.filter(item_id__in=item_ids))


@fixed_query
def attendance_at(meeting_id):
    return Attendance.objects.filter(meeting_id=meeting_id).select_related("person").order_by("order", "pk")


@fixed_query
def declarations_at(meeting_id):
    return (
        Declaration.objects.filter(meeting_id=meeting_id)
        .select_related("person", "item")
        .defer("item__agenda_text", "item__minutes")
        .order_by("pk")
    )


def with_reading_copies(documents):
    """The documents in their order, each saying whether it has a reading
    copy (`has_reading_copy`: the "Read online" link), in the same query."""
    return documents.annotate(
        has_reading_copy=Exists(
            AccessibleVersion.objects.filter(document_id=OuterRef("pk"), built_from=OuterRef("file"))
        )
    ).order_by("order", "pk")
