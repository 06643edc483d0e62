"""Saving what the editor's valid forms give, as one operation of
publishing.operations (the rules and effects of every path)."""

from django.core.exceptions import PermissionDenied, ValidationError

from publishing.operations import AmendmentRefused, write_meeting

from ..models import (
    AgendaItem,
    Attendance,
    Declaration,
    Document,
    Meeting,
    Resolution,
    TransitionRefused,
)
from .forms import NEW_PERSON, plain, split_resolutions, unknown_start_message
from .people import new_person


def save(editor, transition=None):
    """Write the meeting as the valid forms give it, and run `transition`
    if one was pressed, as one operation. Returns the meeting, or None when
    something was refused (its message is then beside the field, or at the
    top of the page), having saved nothing."""
    details = editor.forms["details"]
    meeting = editor.meeting or Meeting()
    operation = "edit_in_editor" if editor.meeting else "create"
    try:
        with write_meeting(
            meeting,
            operation,
            user=editor.request.user,
            archive=details.cleaned_data.get("archive", False),
        ) as operation_:
            write(editor, operation_)
            if transition is not None:
                operation_.transition(transition)
        return operation_.meeting
    except (TransitionRefused, AmendmentRefused) as refused:
        details.add_error(None, refused.text if hasattr(refused, "text") else refused.messages[0])
        return None
    except ValidationError:
        return None


def refuse(form, error):
    """Put a model's ValidationError beside the matching field of `form`,
    then abandon the transaction."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
    raise ValidationError("refused")


def write(editor, operation):
    forms_ = editor.forms
    details = forms_["details"]
    data = details.cleaned_data
    meeting = operation.meeting

    before = (meeting.partnership_id, meeting.date, meeting.start_time, meeting.venue)
    meeting.partnership = data["partnership"]
    meeting.date = data["date"]
    meeting.start_time = data["start_time"]
    meeting.venue = data["venue"]
    moved = meeting.pk is not None and (meeting.partnership_id, meeting.date) != before[:2]
    if meeting.pk is None or before != (
        meeting.partnership_id,
        meeting.date,
        meeting.start_time,
        meeting.venue,
    ):
        try:
            meeting.full_clean()
        except ValidationError as error:
            if hasattr(error, "error_dict") and "__all__" in error.error_dict:
                error.error_dict["date"] = error.error_dict.pop("__all__")
            refuse(details, error)
        operation.save_meeting()

    # Items: the existing ones by id; an id not of this meeting is refused,
    # as the admin refuses a tampered inline row.
    existing = {item.pk: item for item in meeting.items.all()} if editor.meeting else {}
    rows = []
    for order, form in enumerate(forms_["items"].forms, start=1):
        if form.is_blank():
            continue
        rows.append((order, form))
    kept_ids = {form.cleaned_data["id"] for _, form in rows if form.cleaned_data.get("id")}
    if kept_ids - set(existing):
        raise PermissionDenied("The form names an item that is not part of this meeting.")

    number_items(editor, details, rows)
    new_people = NewPeople()
    numbers = {}
    for _, form in rows:
        number = form.cleaned_data.get("minute_number")
        if number in numbers:
            form.add_error("minute_number", f"Minute No. {number} is given to another item of this meeting.")
            raise ValidationError("refused")
        if number:
            numbers[number] = form

    removed = [item for pk, item in existing.items() if pk not in kept_ids]
    for item in removed:
        operation.delete(item)

    to_save = []
    for order, form in rows:
        cleaned = form.cleaned_data
        item = existing.get(cleaned.get("id")) or AgendaItem(meeting=meeting)
        values = {
            "minute_number": cleaned.get("minute_number"),
            "order": order,
            "title": cleaned["title"].strip(),
            "presenter_id": new_people.id_for(cleaned.get("presenter"), cleaned.get("presenter_name")),
            "presenter_name": cleaned.get("presenter_name", "").strip(),
            "agenda_text": plain(cleaned.get("agenda_text")),
            "minutes": plain(cleaned.get("minutes")),
            "is_exempt": cleaned.get("is_exempt", False),
            "exempt_paragraph": cleaned.get("exempt_paragraph"),
            "exempt_reason": cleaned.get("exempt_reason", "").strip(),
        }
        is_new = item.pk is None
        renumbered = not is_new and item.minute_number != values["minute_number"]
        item_changed = is_new or moved or any(getattr(item, key) != value for key, value in values.items())
        old_resolutions = [] if is_new else list(item.resolutions.all())
        for key, value in values.items():
            setattr(item, key, value)
        to_save.append((form, item, item_changed, renumbered, old_resolutions))

    # Numbers move between items (a swap, an insertion): clear the moving
    # ones first so that the unique number per meeting holds at each save.
    moving = [item.pk for _, item, _, renumbered, _ in to_save if renumbered]
    if moving:
        AgendaItem.objects.filter(pk__in=moving).update(minute_number=None)

    for form, item, item_changed, _, old_resolutions in to_save:
        if item_changed:
            try:
                item.full_clean(exclude=["meeting"], validate_unique=False)
            except ValidationError as error:
                refuse(form, error)
            operation.save(item)
        texts = split_resolutions(form.cleaned_data.get("resolutions"))
        if texts != [resolution.text for resolution in old_resolutions]:
            write_resolutions(operation, item, texts, old_resolutions)
        upload = form.cleaned_data.get("document_file")
        title = (form.cleaned_data.get("document_title") or "").strip()
        if upload or title:
            document = Document(
                meeting=meeting,
                item=item,
                title=title or upload.name.rsplit(".", 1)[0],
                file=upload,
                order=len(item.documents.all()) + 1 if item.pk in existing else 1,
            )
            try:
                document.full_clean(exclude=["meeting", "item"])
            except ValidationError as error:
                if hasattr(error, "error_dict") and "file" in error.error_dict:
                    error.error_dict["document_file"] = error.error_dict.pop("file")
                refuse(form, error)
            operation.save(document)

    write_attendance(editor, operation, new_people)
    by_number = {item.minute_number: item for _, item, *_ in to_save if item.minute_number}
    write_declarations(editor, operation, by_number)

    next_day = data.get("next_meeting_date")
    if next_day and not Meeting.objects.filter(partnership=meeting.partnership, date=next_day).exists():
        # A draft of its own, entered as an operation of its own.
        with write_meeting(
            Meeting(partnership=meeting.partnership, date=next_day), "create", user=operation.user
        ) as entering:
            entering.save_meeting()


def write_resolutions(operation, item, texts, old_resolutions):
    """Update resolutions in place by number, so each keeps its history and
    its search identity; add or remove the difference."""
    old = {resolution.number: resolution for resolution in old_resolutions}
    for number, text in enumerate(texts, start=1):
        resolution = old.pop(number, None) or Resolution(item=item, number=number)
        if resolution.text != text:
            resolution.text = text
            resolution.full_clean(exclude=["item"], validate_unique=False)
            operation.save(resolution)
    for resolution in old.values():
        operation.delete(resolution)


def number_items(editor, details, rows):
    """Give each item typed without a minute number the one after the item
    before it; the first, the first minute number typed, else one after the
    partnership's last minute of the municipal year. Where the site holds no
    earlier minute of that year, the clerk is asked for the first number,
    once, beside its field."""
    next_number = details.cleaned_data.get("first_minute_number")
    for _, form in rows:
        typed = form.cleaned_data.get("minute_number")
        if typed:
            next_number = typed + 1
            continue
        if next_number is None:
            partnership, day = details.cleaned_data["partnership"], details.cleaned_data["date"]
            last = editor.last_minute(partnership, day)
            if last is None:
                details.add_error("first_minute_number", unknown_start_message(partnership, day))
                raise ValidationError("refused")
            next_number = last.minute_number + 1
        form.cleaned_data["minute_number"] = next_number
        next_number += 1


class NewPeople:
    """The people a clerk adds from the screen ("Add as a new person"), each
    made once from the name typed beside it, inside the operation."""

    def __init__(self):
        self.made = {}

    def id_for(self, value, printed):
        if value != NEW_PERSON:
            return value
        key = " ".join((printed or "").split()).lower()
        if key not in self.made:
            person = new_person(printed.strip())
            person.full_clean()
            person.save()
            self.made[key] = person
        return self.made[key].pk


def write_attendance(editor, operation, new_people):
    meeting = operation.meeting
    forms_ = editor.forms
    existing = list(meeting.attendances.all()) if editor.meeting else []
    by_person = {a.person_id: a for a in existing if a.person_id}
    by_id = {a.pk: a for a in existing}
    wanted = []  # (existing row or None, values)
    for person, _, form in forms_["members"]:
        choice = form.cleaned_data.get("attendance")
        if not choice:
            continue
        wanted.append(
            (
                by_person.get(person.pk),
                {
                    "person_id": person.pk,
                    "name": form.cleaned_data.get("name", "").strip(),
                    "role": "present" if choice == "chair" else choice,
                    "is_chair": choice == "chair",
                },
            )
        )
    member_ids = {values["person_id"] for _, values in wanted}
    for form in forms_["others"].forms:
        cleaned = form.cleaned_data
        name = (cleaned.get("name") or "").strip()
        person_id = cleaned.get("person")
        if not (name or person_id) or person_id in member_ids:
            continue
        if person_id == NEW_PERSON:
            person_id = new_people.id_for(person_id, name)
            # The name is the new person's own: printed as it is.
            name = ""
        row = by_id.get(cleaned.get("id")) or (by_person.get(person_id) if person_id else None)
        role = cleaned["role"]
        wanted.append(
            (
                row,
                {
                    "person_id": person_id,
                    "name": name,
                    "role": "present" if role == "chair" else role,
                    "is_chair": role == "chair",
                },
            )
        )
    kept = set()
    for order, (row, values) in enumerate(wanted, start=1):
        values["order"] = order
        if row is not None and row.pk in kept:
            row = None
        if row is None:
            row = Attendance(meeting=meeting)
        elif all(getattr(row, key) == value for key, value in values.items()):
            kept.add(row.pk)
            continue
        for key, value in values.items():
            setattr(row, key, value)
        try:
            row.full_clean(exclude=["meeting"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            raise ValidationError("refused") from error
        operation.save(row)
        kept.add(row.pk)
    for row in existing:
        if row.pk not in kept:
            operation.delete(row)


def write_declarations(editor, operation, items_by_number):
    meeting = operation.meeting
    existing = {d.pk: d for d in meeting.declarations.all()} if editor.meeting else {}
    kept = set()
    for form in editor.forms["declarations"].forms:
        cleaned = form.cleaned_data
        interest = plain(cleaned.get("interest"))
        if not interest:
            continue
        number = cleaned.get("minute_number")
        item = items_by_number.get(number) if number else None
        if number and item is None:
            form.add_error("minute_number", f"No item of this meeting has Minute No. {number}.")
            raise ValidationError("refused")
        declaration = existing.get(cleaned.get("id")) or Declaration(meeting=meeting)
        values = {
            "person_id": cleaned.get("person"),
            "name": (cleaned.get("name") or "").strip(),
            "item_id": item.pk if item else None,
            "interest": interest,
        }
        if declaration.pk and all(getattr(declaration, key) == value for key, value in values.items()):
            kept.add(declaration.pk)
            continue
        for key, value in values.items():
            setattr(declaration, key, value)
        operation.save(declaration)
        kept.add(declaration.pk)
    for pk, declaration in existing.items():
        if pk not in kept:
            operation.delete(declaration)
