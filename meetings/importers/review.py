"""
An importer's ParsedMeeting as the minutes editor's plain data
(meetings/editor/data.py), so that a clerk reviews the whole draft on the
editor's screen and nothing is saved until they press "Save" there.

When the partnership already has a meeting on that date, the draft starts
from it: parsed items are matched to its items by minute number (or title),
attendance by person or printed name, declarations by their wording, and
take their ids, so saving updates them and duplicates nothing; anything a
clerk added by hand that the source lacks is kept.

Names are linked to people as names.py matches them: an exact match always;
the one person a name suggests only where the editor shows the link for the
clerk to keep or change (a member of the partnership on the day, whose
attendance is a row of radios). Every suggestion is listed on the import page
first; a name two people could fit is left unlinked.
"""

from meetings.editor import data_from_meeting
from meetings.editor.data import EditorAttendee, EditorDeclaration, EditorItem, EditorMeeting
from meetings.editor.state import Editor

from .names import SUGGESTED, Matcher
from .save import as_printed, normalise


def editor_draft(parsed, partnership, existing=None):
    matcher = Matcher()
    matcher.prefetch(
        [attendee.name for attendee in parsed.attendees]
        + [item.presenter for item in parsed.items if item.presenter]
        + [declaration.name for declaration in parsed.declarations]
    )

    # The editor's own rule for whom it lists as members (called without an
    # editor: it reads nothing of one).
    members = {person.pk for person, _ in Editor.members(None, partnership, parsed.date)}

    def people(printed, shown=False):
        match = matcher(printed)
        if match.kind == SUGGESTED and shown and match.person.pk in members:
            return match.person
        return match.linked

    if existing is not None:
        draft = data_from_meeting(existing)
    else:
        draft = EditorMeeting(partnership_id=partnership.pk, date=parsed.date)
    draft.start_time = parsed.start_time or draft.start_time
    draft.venue = parsed.venue or draft.venue
    if parsed.next_meeting and parsed.next_meeting.date:
        draft.next_meeting_date = parsed.next_meeting.date
    draft.unplaced = list(parsed.unplaced)

    old_items = list(draft.items)
    items = []
    for parsed_item in parsed.items:
        match = next(
            (
                item
                for item in old_items
                if (parsed_item.minute_number and item.minute_number == parsed_item.minute_number)
                or (
                    not parsed_item.minute_number
                    and not item.minute_number
                    and item.title == parsed_item.title
                )
            ),
            None,
        )
        if match is not None:
            old_items.remove(match)
        presenter = people(parsed_item.presenter) if parsed_item.presenter else None
        items.append(
            EditorItem(
                id=match.id if match else None,
                title=parsed_item.title[:300],
                minute_number=parsed_item.minute_number,
                presenter_name=as_printed(parsed_item.presenter, presenter)[:200],
                presenter_id=presenter.pk if presenter else None,
                agenda_text=parsed_item.agenda_text,
                minutes=parsed_item.minutes,
                resolutions=[resolution.text for resolution in parsed_item.resolutions],
                is_exempt=parsed_item.is_exempt,
                exempt_paragraph=parsed_item.exempt_paragraph,
                exempt_reason=parsed_item.exempt_reason[:300],
            )
        )
        # Papers the source lists (title, type, size) have no file to attach:
        # the clerk uploads each in the editor; say so rather than drop them.
        for document in parsed_item.documents:
            draft.unplaced.append(f"Paper of {parsed_item.title}: {document.title}")
    draft.items = items + old_items

    old_attendance = list(draft.attendance)
    attendance = []
    for attendee in parsed.attendees:
        person = people(attendee.name, shown=True)
        match = next(
            (
                row
                for row in old_attendance
                if (person and row.person_id == person.pk)
                or (not person and not row.person_id and normalise(row.name) == normalise(attendee.name))
            ),
            None,
        )
        if match is not None:
            old_attendance.remove(match)
        attendance.append(
            EditorAttendee(
                id=match.id if match else None,
                name=as_printed(attendee.name, person)[:200],
                person_id=person.pk if person else None,
                role=attendee.role,
                is_chair=attendee.is_chair,
            )
        )
    draft.attendance = attendance + old_attendance

    old_declarations = list(draft.declarations)
    declarations = []
    for declaration in parsed.declarations:
        match = next((row for row in old_declarations if row.interest == declaration.interest), None)
        if match is not None:
            old_declarations.remove(match)
        person = people(declaration.name)
        declarations.append(
            EditorDeclaration(
                id=match.id if match else None,
                name=as_printed(declaration.name, person)[:200],
                person_id=person.pk if person else None,
                minute_number=declaration.minute_number,
                interest=declaration.interest,
            )
        )
    draft.declarations = declarations + old_declarations
    return draft
