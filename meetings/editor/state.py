"""What the editor's screen holds, as plain values: filled from a saved
meeting, an importer's draft or what was posted, and rearranged (items added,
moved, removed, renumbered) without saving anything."""

import re
from dataclasses import asdict

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from partnerships.admin_scope import clerked_partnership_ids, restrict, sees_every_partnership
from partnerships.models import Membership, Partnership

from ..models import (
    AgendaItem,
    Meeting,
    is_backlog,
)
from .data import EditorAttendee, EditorDeclaration, EditorItem, EditorMeeting
from .forms import (
    BLANK_DECLARATIONS,
    FREE_ROWS,
    MAX_ADDED_ITEMS,
    MINUTES_OF_PREVIOUS,
    STANDING_TITLE,
    DeclarationFormSet,
    DetailsForm,
    ItemForm,
    ItemFormSet,
    MemberForm,
    OtherFormSet,
    join_resolutions,
    unknown_start_message,
)
from .people import LISTS, Filled, fill_from_lists, people_choices


def raw_values(form):
    return {
        name: field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        for name, field in form.fields.items()
        if not isinstance(field, forms.FileField)
    }


def state_from_data(data: EditorMeeting):
    return {
        "details": {
            "partnership": data.partnership_id,
            "date": data.date,
            "start_time": data.start_time,
            "venue": data.venue,
            "next_meeting_date": data.next_meeting_date,
            "archive": is_backlog(data.date) if data.archive is None else data.archive,
            "add_count": 1,
        },
        "items": [
            {
                **{
                    key: value
                    for key, value in asdict(item).items()
                    if key not in ("resolutions", "presenter_id")
                },
                "presenter": item.presenter_id,
                "resolutions": join_resolutions(item.resolutions),
            }
            for item in data.items
        ],
        "members": {
            attendee.person_id: {
                "attendance": "chair" if attendee.is_chair else attendee.role,
                "name": attendee.name,
            }
            for attendee in data.attendance
            if attendee.person_id
        },
        # Everyone in the order the minutes give them; those who are members
        # on the day show in the tick list instead (Editor.build_forms).
        "others": [
            {
                "name": attendee.name,
                "role": "chair" if attendee.is_chair else attendee.role,
                "person": str(attendee.person_id) if attendee.person_id else "",
                "id": attendee.id,
            }
            for attendee in data.attendance
        ],
        "declarations": [
            {
                "id": d.id,
                "name": d.name,
                "person": d.person_id,
                "minute_number": d.minute_number,
                "interest": d.interest,
            }
            for d in data.declarations
        ],
    }


def data_from_meeting(meeting, next_meeting=None):
    """The editor's data for a saved meeting (its items, resolutions and
    attendance prefetched)."""
    data = EditorMeeting(
        partnership_id=meeting.partnership_id,
        date=meeting.date,
        start_time=meeting.start_time,
        venue=meeting.venue,
        next_meeting_date=next_meeting.date if next_meeting else None,
    )
    for item in meeting.items.all():
        data.items.append(
            EditorItem(
                id=item.pk,
                minute_number=item.minute_number,
                title=item.title,
                presenter_name=item.presenter_name,
                presenter_id=item.presenter_id,
                agenda_text=item.agenda_text,
                minutes=item.minutes,
                resolutions=[resolution.text for resolution in item.resolutions.all()],
                is_exempt=item.is_exempt,
                exempt_paragraph=item.exempt_paragraph,
                exempt_reason=item.exempt_reason,
            )
        )
    for attendance in meeting.attendances.all():
        data.attendance.append(
            EditorAttendee(
                name=attendance.name,
                person_id=attendance.person_id,
                role=attendance.role,
                is_chair=attendance.is_chair,
                id=attendance.pk,
            )
        )
    for declaration in meeting.declarations.all():
        data.declarations.append(
            EditorDeclaration(
                name=declaration.name,
                person_id=declaration.person_id,
                minute_number=declaration.item.minute_number if declaration.item else None,
                interest=declaration.interest,
                id=declaration.pk,
            )
        )
    return data


def is_blank_row(item):
    """Whether an item's raw values hold nothing typed."""
    return (
        not item.get("id")
        and not any(str(item.get(name) or "").strip() for name in (*ItemForm.TEXT_FIELDS, "minute_number"))
        and item.get("is_exempt") in (None, False, "", "off")
    )


def as_int(value):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


class Editor:
    """One request's worth of the editor: the meeting (None until first
    saved), the forms, and what the screen needs to draw them."""

    def __init__(self, request, model_admin, meeting):
        self.request = request
        self.model_admin = model_admin
        self.meeting = meeting
        self.partnerships = restrict(request.user, Partnership.objects.all(), "pk")
        self.unplaced = []
        # What was posted, with any pasted lists of names made rows
        # (editor.people.fill_from_lists).
        self.data = request.POST

    # Context: the partnership and date the form currently names.

    def partnership_and_date(self, details):
        partnership_id = as_int(details.get("partnership"))
        partnership = None
        if partnership_id and (
            sees_every_partnership(self.request.user)
            or partnership_id in clerked_partnership_ids(self.request.user)
        ):
            partnership = Partnership.objects.filter(pk=partnership_id).first()
        day = details.get("date")
        if isinstance(day, str):
            try:
                day = DetailsForm.base_fields["date"].to_python(day)
            except ValidationError:
                day = None
        return partnership, day

    def members(self, partnership, day):
        """The partnership's members on the day of the meeting (today's if
        no date yet), one entry a person, in the order of their seats."""
        if partnership is None:
            return []
        memberships = Membership.objects.filter(seat__partnership=partnership, seat__ended_on__isnull=True)
        if day:
            memberships = memberships.filter(Q(started_on__isnull=True) | Q(started_on__lte=day)).filter(
                Q(ended_on__isnull=True) | Q(ended_on__gte=day)
            )
        else:
            memberships = memberships.filter(ended_on__isnull=True)
        seen, people = set(), []
        for membership in memberships.select_related("person", "seat").order_by(
            "seat__order", "seat__pk", "pk"
        ):
            if membership.person_id not in seen:
                seen.add(membership.person_id)
                people.append((membership.person, membership.seat))
        return people

    def proposed_first_number(self, partnership, day):
        """One more than the highest minute number in the municipal year up to
        this meeting, leaving out this meeting's own items (1 when the site
        has none of that year)."""
        last = self.last_minute(partnership, day)
        return (last.minute_number if last else 0) + 1 if partnership is not None and day else None

    def last_minute(self, partnership, day):
        """The partnership's highest-numbered minute of the municipal year up
        to this meeting, other than this meeting's own; None when the site
        holds no earlier minute of that year. One query."""
        if partnership is None or not day:
            return None
        items = AgendaItem.objects.in_municipal_year(partnership, day).filter(
            meeting__date__lte=day, minute_number__isnull=False
        )
        if self.meeting is not None:
            items = items.exclude(meeting_id=self.meeting.pk)
        return items.select_related("meeting").order_by("-minute_number").first()

    def last_meeting(self, partnership, day):
        if partnership is None:
            return None
        meetings = Meeting.objects.filter(partnership=partnership, items__isnull=False)
        if day:
            meetings = meetings.filter(date__lt=day)
        if self.meeting is not None:
            meetings = meetings.exclude(pk=self.meeting.pk)
        return meetings.order_by("-date").distinct().first()

    def fill_from_lists(self):
        """Make the names pasted into the lists rows of the attendance (see
        editor.people.fill_from_lists); returns what they gave."""
        if not any(self.data.get(name, "").strip() for name in LISTS):
            return Filled()
        partnership, day = self.partnership_and_date(
            raw_values(DetailsForm(self.data, partnerships=self.partnerships))
        )
        self.data, filled = fill_from_lists(self.data, self.members(partnership, day))
        return filled

    # Rearranging what was typed.

    def state_from_post(self):
        post, files = self.data, self.request.FILES
        details = raw_values(DetailsForm(post, partnerships=self.partnerships))
        items = [raw_values(form) for form in ItemFormSet(post, files, prefix="items").forms]
        others = [raw_values(form) for form in OtherFormSet(post, prefix="others").forms]
        declarations = [raw_values(form) for form in DeclarationFormSet(post, prefix="declarations").forms]
        members = {}
        for key in post:
            found = re.fullmatch(r"member-(\d+)-attendance", key)
            if found:
                person_id = int(found[1])
                members[person_id] = raw_values(MemberForm(post, prefix=f"member-{person_id}"))
        for key in post:
            found = re.fullmatch(r"member-(\d+)-name", key)
            if found and int(found[1]) not in members:
                members[int(found[1])] = raw_values(MemberForm(post, prefix=f"member-{found[1]}"))
        return {
            "details": details,
            "items": items,
            "members": members,
            "others": others,
            "declarations": declarations,
        }

    def renumber(self, state, start):
        if start is None:
            return
        for offset, item in enumerate(state["items"]):
            item["minute_number"] = start + offset

    def apply(self, action, state):
        """Add, move or remove items as the button pressed asks; renumber."""
        items = state["items"]
        typed_first = next(
            (as_int(item.get("minute_number")) for item in items if as_int(item.get("minute_number"))), None
        )
        first_position = next((i for i, item in enumerate(items) if as_int(item.get("minute_number"))), 0)
        partnership, day = self.partnership_and_date(state["details"])
        verb, _, index = action.partition(":")
        index = as_int(index)
        count = as_int(state["details"].get("add_count")) or 1
        count = max(1, min(count, MAX_ADDED_ITEMS))
        if verb == "standing":
            standing = self.standing_items(
                partnership, day, existing={i.get("title", "").strip().lower() for i in items}
            )
            # They take the places of blank items (a new meeting starts with
            # some), before the items typed.
            for _ in standing:
                blank = next((i for i, item in enumerate(items) if is_blank_row(item)), None)
                if blank is None:
                    break
                items.pop(blank)
            items[0:0] = standing
        elif verb == "add":
            items.extend({"title": "", "resolutions": ""} for _ in range(count))
        elif verb == "up" and index is not None and 0 < index < len(items):
            items[index - 1], items[index] = items[index], items[index - 1]
        elif verb == "down" and index is not None and 0 <= index < len(items) - 1:
            items[index], items[index + 1] = items[index + 1], items[index]
        elif verb == "remove" and index is not None and 0 <= index < len(items):
            items.pop(index)
        start = (
            (typed_first - first_position) if typed_first else self.proposed_first_number(partnership, day)
        )
        if start is not None and start < 1:
            start = self.proposed_first_number(partnership, day)
        self.renumber(state, start)

    def standing_items(self, partnership, day, existing):
        last = self.last_meeting(partnership, day)
        if last is None:
            return []
        added = []
        for item in last.items.all():
            if not STANDING_TITLE.search(item.title) or item.title.strip().lower() in existing:
                continue
            row = {"title": item.title, "agenda_text": item.agenda_text, "resolutions": ""}
            if MINUTES_OF_PREVIOUS.search(item.title):
                # The resolution such an item always takes, for the clerk to
                # keep or change: what the site says councils write.
                row["agenda_text"] = ""
                row["resolutions"] = (
                    f"That the Minutes of the meeting held on {last.date:%-d %B %Y} be confirmed as a correct record."
                )
            added.append(row)
        return added

    # Forms.

    def build_forms(self, state=None, bound=False):
        partnership, day = self.partnership_and_date(
            raw_values(DetailsForm(self.data, partnerships=self.partnerships)) if bound else state["details"]
        )
        members = self.members(partnership, day)
        member_ids = {person.pk for person, _ in members}
        kwargs = {"people_choices": people_choices(partnership)}
        if bound:
            post, files = self.data, self.request.FILES
            details = DetailsForm(post, partnerships=self.partnerships)
            items = ItemFormSet(post, files, prefix="items", form_kwargs=kwargs)
            others = OtherFormSet(post, prefix="others", form_kwargs=kwargs)
            declarations = DeclarationFormSet(post, prefix="declarations")
            member_forms = [(p, s, MemberForm(post, prefix=f"member-{p.pk}")) for p, s in members]
        else:
            details = DetailsForm(initial=state["details"], partnerships=self.partnerships)
            items = ItemFormSet(initial=state["items"], prefix="items", form_kwargs=kwargs)
            typed_members = state["members"]
            others_initial = [row for row in state["others"] if as_int(row.get("person")) not in member_ids]
            in_rows = {as_int(row.get("person")) for row in others_initial}
            # Anyone ticked before who is not a member on this date stays, as
            # a free row.
            for person_id, values in typed_members.items():
                if person_id not in member_ids and person_id not in in_rows and values.get("attendance"):
                    attendance = values["attendance"]
                    others_initial.append(
                        {
                            "person": person_id,
                            "name": values.get("name") or "",
                            "role": "present" if attendance == "chair" else attendance,
                        }
                    )
            others_initial += [{"role": "also_present"} for _ in range(FREE_ROWS)]
            others = OtherFormSet(initial=others_initial, prefix="others", form_kwargs=kwargs)
            declarations = DeclarationFormSet(
                initial=[*state["declarations"], *({} for _ in range(BLANK_DECLARATIONS))],
                prefix="declarations",
            )
            member_forms = [
                (p, s, MemberForm(initial=typed_members.get(p.pk, {}), prefix=f"member-{p.pk}"))
                for p, s in members
            ]
        self.forms = {
            "details": details,
            "items": items,
            "others": others,
            "declarations": declarations,
            "members": member_forms,
        }
        self.partnership, self.day = partnership, day
        return self.forms

    def error_list(self):
        """(field id, message) for the GOV.UK error summary."""
        errors = []

        def add(form):
            for name, messages_ in form.errors.items():
                field_id = form[name].id_for_label if name in form.fields else self.first_field_id(form)
                errors.extend((field_id, message) for message in messages_)

        forms_ = self.forms
        add(forms_["details"])
        for formset in (forms_["items"], forms_["others"], forms_["declarations"]):
            for message in formset.non_form_errors():
                errors.append((self.first_field_id(formset.forms[0]) if formset.forms else "", message))
            for form in formset.forms:
                add(form)
        for _, _, form in forms_["members"]:
            add(form)
        return errors

    @staticmethod
    def first_field_id(form):
        for name, field in form.fields.items():
            if not isinstance(field.widget, forms.HiddenInput):
                return form[name].id_for_label
        return ""

    def ask_for_the_first_number(self):
        """Where the items start without a number and the site holds no
        earlier minute of the municipal year, say so beside the first minute
        number with the other errors, so that the clerk is asked once."""
        details = self.forms["details"]
        if not details.is_valid() or details.cleaned_data.get("first_minute_number"):
            return
        rows = (raw_values(form) for form in self.forms["items"].forms)
        first = next((row for row in rows if not is_blank_row(row)), None)
        if first is None or as_int(first.get("minute_number")):
            return
        partnership, day = details.cleaned_data["partnership"], details.cleaned_data["date"]
        if self.last_minute(partnership, day) is None:
            details.add_error("first_minute_number", unknown_start_message(partnership, day))

    def all_valid(self):
        f = self.forms
        valid = [
            f["details"].is_valid(),
            f["items"].is_valid(),
            f["others"].is_valid(),
            f["declarations"].is_valid(),
        ]
        valid += [form.is_valid() for _, _, form in f["members"]]
        return all(valid)
