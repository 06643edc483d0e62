"""
Saving a ParsedMeeting into the models, as a clerk's form would: each record
is validated (full_clean) and saved through its own save(), so cross-
references are recorded and the history is kept.

Running it again on the same source updates what it made and duplicates
nothing: the meeting is found by partnership and date, items by minute number
(or title), resolutions by number, documents by title or source address,
attendance by person or printed name. A record that has not changed is not
saved again, so a second import adds nothing to the history.
"""

import dataclasses
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from meetings.models import AgendaItem, Attendance, Declaration, Document, Meeting, Resolution
from partnerships.models import Person
from smp_site import lifecycle

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


def update(obj, values, report, label):
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
    obj.save()
    (report.created if is_new else report.changed).append(label)
    return True


@transaction.atomic
def save_meeting(parsed, partnership, publish_minutes=None, user=None):
    """Write `parsed` into `partnership`'s meeting on that date, making it
    (as a draft) if need be, then bring it to the state the source gives
    through the lifecycle; returns what was made and changed.

    `publish_minutes`: whether the minutes are to be published; by default
    as the source says (ModernGov's `minutepublished`), else not."""
    if parsed.date is None:
        raise ValueError("The minutes give no date for the meeting.")
    meeting = Meeting.objects.filter(partnership=partnership, date=parsed.date).first()
    report = SaveReport(meeting=meeting)
    values = {}
    if parsed.start_time:
        values["start_time"] = parsed.start_time
    if parsed.venue:
        values["venue"] = parsed.venue
    if meeting is None:
        meeting = Meeting(partnership=partnership, date=parsed.date)
    report.meeting = meeting
    update(meeting, values, report, f"meeting of {parsed.date:%-d %B %Y}")

    people = PersonMatcher()
    items = save_items(meeting, parsed, people, report)
    save_documents(meeting, parsed, items, report)
    save_attendance(meeting, parsed, people, report)
    save_declarations(meeting, parsed, items, people, report)
    if publish_minutes is None:
        publish_minutes = bool(parsed.minutes_published)
    for transition, arguments in transitions_to(meeting, parsed, publish_minutes):
        # A past meeting brought in is an archive, not news: no feed entry,
        # no alert, no agenda pack.
        lifecycle.apply(
            meeting,
            transition,
            *arguments,
            user=user,
            reason="Imported",
            archive=meeting.date < timezone.localdate(),
        )
        report.changed.append(Meeting.TRANSITIONS[transition].lower())
    return report


def transitions_to(meeting, parsed, publish_minutes):
    """The lifecycle transitions that take `meeting` as it stands to the
    state the source gives, never back: a second import of the same source
    finds it there already and runs none. [(name, arguments)]"""
    Status, MinutesStatus = Meeting.Status, Meeting.MinutesStatus
    past = meeting.date <= timezone.localdate()
    yet_to_be_held = meeting.status in (Status.DRAFT, Status.AGENDA_PUBLISHED)
    called_off = meeting.status in (Status.CANCELLED, Status.POSTPONED)
    if parsed.status in (Status.CANCELLED, Status.POSTPONED):
        if yet_to_be_held and meeting.minutes_status == MinutesStatus.NONE:
            name = "cancel" if parsed.status == Status.CANCELLED else "postpone"
            return [(name, [Meeting.Status(parsed.status).label])]
        return []
    if called_off:
        return []
    if publish_minutes:
        if meeting.minutes_status in (MinutesStatus.NONE, MinutesStatus.NOT_ONLINE) and past:
            return [("publish_minutes", [])]
        return []
    if past and yet_to_be_held:
        return [("mark_held", [])]
    if meeting.status == Status.DRAFT and parsed.agenda_published:
        return [("publish_agenda", [])]
    return []


def save_items(meeting, parsed, people, report):
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
        update(item, values, report, f"item {label}")
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
            )
        for surplus in resolutions.values():
            surplus.delete()
            report.changed.append(f"resolution ({surplus.number}) of {label} removed")
        saved.append((parsed_item, item))
    return saved


def save_documents(meeting, parsed, items, report):
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
        update(document, values, report, f"document {parsed_document.title}")


def save_attendance(meeting, parsed, people, report):
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
        update(row, values, report, f"attendance of {attendee.name}")


def save_declarations(meeting, parsed, items, people, report):
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
        update(row, values, report, f"declaration by {declaration.name}")
