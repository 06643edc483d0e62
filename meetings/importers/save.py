"""
Saving a ParsedMeeting into the models, as a clerk's form would: each record
is validated (full_clean) and saved in one operation of
publishing.operations, so the rules and effects are every other path's.

Running it again on the same source updates what it made and duplicates
nothing: the meeting is found by partnership and date, items by minute number
(or title), resolutions by number, documents by title or source address,
attendance by person or printed name. A record that has not changed is not
saved again, so a second import adds nothing to the history.
"""

import dataclasses
import re

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from meetings.models import AgendaItem, Attendance, Declaration, Document, Meeting, Resolution
from partnerships.models import Person
from publishing.operations import write_meeting

from .text import TITLES


@dataclasses.dataclass
class SaveReport:
    meeting: Meeting
    created: list = dataclasses.field(default_factory=list)
    changed: list = dataclasses.field(default_factory=list)
    unmatched_people: list = dataclasses.field(default_factory=list)


def normalise(name):
    return re.sub(r"\s+", " ", name.replace("’", "'").replace("‘", "'")).strip().lower()


def without_title(name):
    return re.sub(rf"^(?:{TITLES}\s+)+", "", name.strip())


class PersonMatcher:
    """The site's person for a name as the minutes print it, where the
    name is that person's own (with or without their title). None when no
    one, or more than one, has it."""

    def __init__(self):
        self.cache = {}

    def __call__(self, printed):
        key = normalise(printed)
        if key not in self.cache:
            self.cache[key] = self.find(printed)
        return self.cache[key]

    def find(self, printed):
        bare = without_title(printed)
        words = bare.split()
        if not words:
            return None
        surname = words[-1]
        spellings = {surname, surname.replace("’", "'"), surname.replace("'", "’")}
        query = Q()
        for spelling in spellings:
            query |= Q(name__iendswith=spelling)
        candidates = [
            p
            for p in Person.objects.filter(query)
            if normalise((p.name.split() or [""])[-1]) == normalise(surname)
        ]
        for exact in (normalise(printed), normalise(bare)):
            found = [p for p in candidates if exact in (normalise(p.full_name), normalise(p.name))]
            if len(found) == 1:
                return found[0]
        # Another spelling ("Stephen" for Steve) is kept as printed and left
        # unlinked: only a clerk links a name to a person it does not match.
        return None


def as_printed(printed, person):
    """The name is kept as printed only where it differs from the person's,
    to the letter (a curly apostrophe included)."""
    if person and printed.strip() == person.full_name:
        return ""
    return printed


def update(obj, values, report, label, operation):
    """Set what differs, validate, save; nothing at all when nothing differs."""
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    is_new = obj.pk is None
    if not changed and not is_new:
        return False
    for field in changed:
        setattr(obj, field, values[field])
    try:
        obj.full_clean()
    except ValidationError as error:
        # Say which record of the minutes it was; the transaction keeps nothing.
        raise ValidationError(f"{label}: {'; '.join(error.messages)}") from error
    if obj is operation.meeting:
        operation.save_meeting()
    else:
        operation.save(obj)
    (report.created if is_new else report.changed).append(label)
    return True


def save_meeting(parsed, partnership, publish=False, user=None, archive=None):
    """Write `parsed` into `partnership`'s meeting on that date, making it
    (as a draft) if need be, as one operation; returns what was made and
    changed.

    `publish`: bring the meeting to the state the source gives (held, its
    minutes published, cancelled...) through the lifecycle's transitions;
    otherwise it stays as it is (a new one a draft, for the clerk to review
    in the minutes editor, as the "Import minutes" page leaves it).
    `archive`: whether it is the clerk's backlog, not news (no alert, no
    feed entry, no agenda pack); by default by its date, as every
    operation decides (meetings.models.is_backlog)."""
    if parsed.date is None:
        raise ValueError("The minutes give no date for the meeting.")
    meeting = Meeting.objects.filter(partnership=partnership, date=parsed.date).first()
    if meeting is None:
        meeting = Meeting(partnership=partnership, date=parsed.date)
    report = SaveReport(meeting=meeting)
    values = {}
    if parsed.start_time:
        values["start_time"] = parsed.start_time
    if parsed.venue:
        values["venue"] = parsed.venue
    with write_meeting(meeting, "import", user=user, archive=archive) as operation:
        update(meeting, values, report, f"meeting of {parsed.date:%-d %B %Y}", operation)
        people = PersonMatcher()
        items = save_items(operation, parsed, people, report)
        save_documents(operation, parsed, items, report)
        save_attendance(operation, parsed, people, report)
        save_declarations(operation, parsed, items, people, report)
        for transition, arguments in transitions_to(meeting, parsed, publish) if publish else []:
            operation.transition(transition, *arguments)
            report.changed.append(Meeting.TRANSITIONS[transition].lower())
    return report


def transitions_to(meeting, parsed, publish_minutes):
    """The transitions that take `meeting` as it stands to the state the
    source gives, never back, as the meeting's table of transitions allows
    them: a second import of the same source finds it there already and
    runs none. [(name, arguments)]"""
    Status = Meeting.Status
    if parsed.status in (Status.CANCELLED, Status.POSTPONED):
        wanted = [
            ("cancel" if parsed.status == Status.CANCELLED else "postpone", [Status(parsed.status).label])
        ]
    elif parsed.date > timezone.localdate():
        wanted = [("publish_agenda", [])]
    elif publish_minutes or parsed.minutes_published:
        wanted = [("publish_minutes", [])]
    else:
        wanted = [("mark_held", [])]
    return [(name, arguments) for name, arguments in wanted if meeting.may_run(name)]


def save_items(operation, parsed, people, report):
    meeting = operation.meeting
    existing = list(meeting.items.all())
    by_number = {item.minute_number: item for item in existing if item.minute_number}
    by_title = {item.title: item for item in existing if not item.minute_number}
    saved = []
    for order, parsed_item in enumerate(parsed.items, start=1):
        if parsed_item.minute_number:
            item = by_number.get(parsed_item.minute_number)
        else:
            item = by_title.get(parsed_item.title)
        item = item or AgendaItem(meeting=meeting)
        presenter = people(parsed_item.presenter) if parsed_item.presenter else None
        if parsed_item.presenter and presenter is None:
            report.unmatched_people.append(parsed_item.presenter)
        values = {
            "minute_number": parsed_item.minute_number,
            "order": order,
            "title": parsed_item.title[:300],
            "presenter": presenter,
            "presenter_name": as_printed(parsed_item.presenter, presenter)[:200],
            "agenda_text": parsed_item.agenda_text,
            "minutes": parsed_item.minutes,
            "is_exempt": parsed_item.is_exempt,
            "exempt_paragraph": parsed_item.exempt_paragraph,
            "exempt_reason": parsed_item.exempt_reason[:300],
        }
        label = f"Minute No. {parsed_item.minute_number}" if parsed_item.minute_number else parsed_item.title
        update(item, values, report, f"item {label}", operation)
        resolutions = {resolution.number: resolution for resolution in item.resolutions.all()}
        for parsed_resolution in parsed_item.resolutions:
            resolution = resolutions.pop(parsed_resolution.number, None) or Resolution(
                item=item, number=parsed_resolution.number
            )
            update(
                resolution,
                {"text": parsed_resolution.text},
                report,
                f"resolution ({parsed_resolution.number}) of {label}",
                operation,
            )
        for surplus in resolutions.values():
            operation.delete(surplus)
            report.changed.append(f"resolution ({surplus.number}) of {label} removed")
        saved.append((parsed_item, item))
    return saved


def save_documents(operation, parsed, items, report):
    meeting = operation.meeting
    existing = list(meeting.documents.all())
    wanted = [(None, document) for document in parsed.documents]
    wanted += [(item, document) for parsed_item, item in items for document in parsed_item.documents]
    for order, (item, parsed_document) in enumerate(wanted):
        match = next(
            (
                document
                for document in existing
                if (parsed_document.url and document.source_url == parsed_document.url)
                or (
                    not parsed_document.url
                    and document.item_id == (item.pk if item else None)
                    and document.title == parsed_document.title
                )
            ),
            None,
        )
        document = match or Document(meeting=meeting)
        values = {
            "item": item,
            "title": parsed_document.title[:300],
            "order": order,
            "source_url": parsed_document.url,
            "published_on": parsed_document.published_on,
        }
        if not document.file:
            if parsed_document.file_type:
                values["file_type"] = parsed_document.file_type
            if parsed_document.size_kb is not None:
                values["size_bytes"] = parsed_document.size_kb * 1024
        update(document, values, report, f"document {parsed_document.title}", operation)


def save_attendance(operation, parsed, people, report):
    meeting = operation.meeting
    existing = list(meeting.attendances.all())
    for order, attendee in enumerate(parsed.attendees, start=1):
        person = people(attendee.name)
        if person is None:
            report.unmatched_people.append(attendee.name)
        match = next(
            (
                row
                for row in existing
                if (person and row.person_id == person.pk)
                or (not person and not row.person_id and normalise(row.name) == normalise(attendee.name))
            ),
            None,
        )
        row = match or Attendance(meeting=meeting)
        values = {
            "person": person,
            "name": as_printed(attendee.name, person)[:200],
            "role": attendee.role,
            "is_chair": attendee.is_chair,
            "order": order,
        }
        update(row, values, report, f"attendance of {attendee.name}", operation)


def save_declarations(operation, parsed, items, people, report):
    meeting = operation.meeting
    existing = list(meeting.declarations.all())
    by_number = {item.minute_number: item for _, item in items if item.minute_number}
    for declaration in parsed.declarations:
        person = people(declaration.name)
        match = next((row for row in existing if row.interest == declaration.interest), None)
        row = match or Declaration(meeting=meeting)
        values = {
            "person": person,
            "name": as_printed(declaration.name, person)[:200],
            "item": by_number.get(declaration.minute_number),
            "interest": declaration.interest,
        }
        update(row, values, report, f"declaration by {declaration.name}", operation)
