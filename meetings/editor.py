"""
The minutes editor: a whole meeting on one screen, for clerks.

The meeting's details, its items (minute numbers, presenters, agenda text,
minutes, resolutions, a document each, exempt paragraph), attendance as a
tick list of the partnership's members plus rows for anyone else, the
declarations of interest and the date of the next meeting. It is an admin
view (staff only, scoped to the clerk's partnerships as the rest of the
admin: partnerships/admin_scope.py) drawn with GOV.UK Frontend, and needs no
JavaScript: "Add items", "Add the standing items", "Move up", "Move down"
and "Remove" post the whole form and show it again, rearranged, with
everything typed kept (a chosen file excepted: browsers never keep one).

Only "Save" writes: one operation of publishing.operations, in one
transaction, each record checked by its model's full_clean(), so the rules
and effects are those of every other path (the admin's pages, the imports).
Rows that did not change are not written again. The publishing buttons save
and run the transition the meeting's state allows in the same operation;
confirming, cancelling and postponing are on the meeting's admin page.

The screen can be filled from plain data (meetings/editor_data.py), which is
how an importer's draft reaches the clerk for review.
"""

import re
from dataclasses import asdict
from functools import partial

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse

from partnerships.admin_scope import clerked_partnership_ids, restrict, sees_every_partnership
from partnerships.models import Membership, Partnership
from publishing.operations import AmendmentRefused, write_meeting

from .agenda_pack import render_minutes
from .documents import ACCEPTED, max_bytes, size_display, validate_document
from .editor_data import EditorAttendee, EditorDeclaration, EditorItem, EditorMeeting
from .models import (
    AgendaItem,
    Attendance,
    Declaration,
    Document,
    Meeting,
    Resolution,
    TransitionRefused,
    is_backlog,
)

# Items the agenda of almost every meeting opens with, found on the
# partnership's last meeting by their titles.
STANDING_TITLE = re.compile(
    r"apolog|declarations? of interest|minutes of (the )?(previous|last) meeting", re.I
)
MINUTES_OF_PREVIOUS = re.compile(r"minutes of (the )?(previous|last) meeting", re.I)
# "(1)", "1.", "(a)" typed at the start of a resolution: the site numbers them.
TYPED_NUMBER = re.compile(r"^\s*(\(\s*\w{1,3}\s*\)|\d{1,3}[.)])\s*")
BLANK_LINE = re.compile(r"\n\s*\n")

# The lifecycle transitions the editor offers (the others need a reason or a
# confirming minute, and are on the meeting's admin page), with their buttons.
SAVE_AND = "save-and-"
EDITOR_TRANSITIONS = {
    "publish_agenda": "Save and publish the agenda",
    "mark_held": "Save and mark as held",
    "publish_minutes": "Save and publish the minutes",
    "withdraw": "Save and withdraw from the public site",
}

FREE_ROWS = 2  # blank rows offered for attendees who are not members
BLANK_DECLARATIONS = 1
MAX_ADDED_ITEMS = 40

ATTENDANCE_CHOICES = [
    ("", "Not recorded"),
    ("present", "Present"),
    ("chair", "In the chair"),
    ("apologies", "Apologies"),
    ("absent", "Absent"),
]
OTHER_ROLE_CHOICES = [
    ("also_present", "Also present"),
    ("present", "Present"),
    ("apologies", "Apologies"),
    ("absent", "Absent"),
]


def plain(text):
    """Text as typed, with the line breaks browsers send (CR LF) made plain,
    so an unchanged text compares equal to the one saved."""
    return (text or "").replace("\r\n", "\n").strip()


def split_resolutions(text):
    """One resolution a paragraph (blank lines between them), as typed,
    without any number the clerk typed in front."""
    blocks = [block.strip() for block in BLANK_LINE.split((text or "").replace("\r\n", "\n"))]
    return [TYPED_NUMBER.sub("", block, count=1).strip() for block in blocks if block]


def join_resolutions(texts):
    return "\n\n".join(texts)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]


class DetailsForm(forms.Form):
    partnership = forms.ModelChoiceField(queryset=Partnership.objects.none(), empty_label="Choose")
    date = forms.DateField(input_formats=DATE_FORMATS, widget=DateInput)
    start_time = forms.TimeField(required=False, widget=TimeInput, help_text="For example 10:00.")
    venue = forms.CharField(required=False, max_length=300)
    next_meeting_date = forms.DateField(
        required=False,
        input_formats=DATE_FORMATS,
        widget=DateInput,
        label="Date of the next meeting",
        help_text="Added to the partnership's meetings if it is not there yet.",
    )
    archive = forms.BooleanField(
        required=False,
        label="From the archive: publish it without alerts or feed news",
        help_text="For a past meeting entered now (the backlog). Proposed for meetings held more than "
        "eight weeks ago.",
    )
    add_count = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ADDED_ITEMS,
        initial=1,
        label="How many blank items to add",
        help_text="Both buttons add this many blank items at the end.",
    )

    def __init__(self, *args, partnerships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships

    def clean(self):
        cleaned = super().clean()
        day, next_day = cleaned.get("date"), cleaned.get("next_meeting_date")
        if day and next_day and next_day <= day:
            self.add_error("next_meeting_date", "The next meeting is after this one.")
        return cleaned


class ItemForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    minute_number = forms.IntegerField(required=False, min_value=1, label="Minute No.")
    title = forms.CharField(required=False, max_length=300)
    presenter_name = forms.CharField(
        required=False, max_length=200, label="Presenter", help_text="The name as the minutes print it."
    )
    presenter = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label="Presenter's page on the site (optional)"
    )
    agenda_text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Leave a blank line between paragraphs.",
    )
    resolutions = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One resolution a paragraph, with a blank line between them; they are numbered (1), (2)... "
        "for you.",
    )
    is_exempt = forms.BooleanField(required=False, label="Exempt (confidential)")
    exempt_paragraph = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Not exempt"), *AgendaItem.ExemptParagraph.choices],
        label="Paragraph of Schedule 12A",
    )
    exempt_reason = forms.CharField(required=False, max_length=300, label="Reason the public sees")
    document_title = forms.CharField(required=False, max_length=300, label="Document title")
    document_file = forms.FileField(
        required=False,
        validators=[validate_document],
        label="Document file",
        help_text=f"PDF, Word, Excel, PowerPoint, OpenDocument or an image ({ACCEPTED}), up to "
        f"{size_display(max_bytes())}. If the page comes back with an error, choose the file again: "
        "browsers never keep a chosen file.",
    )

    TEXT_FIELDS = ["title", "presenter_name", "agenda_text", "minutes", "resolutions", "document_title"]

    def __init__(self, *args, people_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].choices = [("", "None"), *people_choices]

    def is_blank(self):
        data = self.cleaned_data
        return not (
            data.get("id")
            or data.get("document_file")
            or data.get("is_exempt")
            or any((data.get(name) or "").strip() for name in self.TEXT_FIELDS)
        )

    def clean(self):
        cleaned = super().clean()
        if not self.is_blank() and not (cleaned.get("title") or "").strip():
            self.add_error("title", "Give the item its title, as the agenda prints it.")
        if cleaned.get("document_file") and not (cleaned.get("title") or "").strip():
            pass  # reported on the title already
        return cleaned


class MemberForm(forms.Form):
    attendance = forms.ChoiceField(required=False, choices=ATTENDANCE_CHOICES, widget=forms.RadioSelect)
    name = forms.CharField(
        required=False, max_length=200, label="Name as the minutes print it", help_text="If it differs."
    )


class OtherAttendeeForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    person = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(required=False, max_length=200, help_text="As the minutes print it.")
    role = forms.ChoiceField(choices=OTHER_ROLE_CHOICES, initial="also_present")


class DeclarationForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    person = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(required=False, max_length=200, label="Who declared it")
    minute_number = forms.IntegerField(required=False, min_value=1, label="On Minute No. (optional)")
    interest = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Interest declared"
    )

    def clean(self):
        cleaned = super().clean()
        name, interest = (cleaned.get("name") or "").strip(), (cleaned.get("interest") or "").strip()
        if (name or cleaned.get("person")) and not interest:
            self.add_error("interest", "Say what was declared, as the minutes record it.")
        if interest and not (name or cleaned.get("person")):
            self.add_error("name", "Say who declared the interest.")
        return cleaned


ItemFormSet = forms.formset_factory(ItemForm, extra=0)
OtherFormSet = forms.formset_factory(OtherAttendeeForm, extra=0)
DeclarationFormSet = forms.formset_factory(DeclarationForm, extra=0)


# What the clerk typed, as text, for showing again: plain dicts of each
# form's raw values, so that nothing half-typed is lost or reformatted.


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
        "others": [
            {"name": attendee.name, "role": attendee.role, "person": attendee.person_id, "id": attendee.id}
            for attendee in data.attendance
            if not attendee.person_id
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
        this meeting, leaving out this meeting's own items."""
        if partnership is None or not day:
            return None
        items = AgendaItem.objects.in_municipal_year(partnership, day).filter(meeting__date__lte=day)
        if self.meeting is not None:
            items = items.exclude(meeting_id=self.meeting.pk)
        return (items.aggregate(Max("minute_number"))["minute_number__max"] or 0) + 1

    def last_meeting(self, partnership, day):
        if partnership is None:
            return None
        meetings = Meeting.objects.filter(partnership=partnership, items__isnull=False)
        if day:
            meetings = meetings.filter(date__lt=day)
        if self.meeting is not None:
            meetings = meetings.exclude(pk=self.meeting.pk)
        return meetings.order_by("-date").distinct().first()

    # Rearranging what was typed.

    def state_from_post(self):
        post, files = self.request.POST, self.request.FILES
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
            items[0:0] = standing
        if verb in ("standing", "add"):
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
            raw_values(DetailsForm(self.request.POST, partnerships=self.partnerships))
            if bound
            else state["details"]
        )
        members = self.members(partnership, day)
        member_ids = {person.pk for person, _ in members}
        people_choices = [(person.pk, person.full_name) for person, _ in members]
        if self.meeting is not None:
            extra_people = {
                item.presenter_id: item.presenter for item in self.meeting.items.all() if item.presenter_id
            }
            people_choices += [(pk, p.full_name) for pk, p in extra_people.items() if pk not in member_ids]
        kwargs = {"people_choices": people_choices}
        if bound:
            post, files = self.request.POST, self.request.FILES
            details = DetailsForm(post, partnerships=self.partnerships)
            items = ItemFormSet(post, files, prefix="items", form_kwargs=kwargs)
            others = OtherFormSet(post, prefix="others")
            declarations = DeclarationFormSet(post, prefix="declarations")
            member_forms = [(p, s, MemberForm(post, prefix=f"member-{p.pk}")) for p, s in members]
        else:
            details = DetailsForm(initial=state["details"], partnerships=self.partnerships)
            items = ItemFormSet(initial=state["items"], prefix="items", form_kwargs=kwargs)
            typed_members = state["members"]
            others_initial = list(state["others"])
            # Anyone ticked before who is not a member on this date stays, as
            # a free row.
            for person_id, values in typed_members.items():
                if person_id not in member_ids and values.get("attendance"):
                    attendance = values["attendance"]
                    others_initial.append(
                        {
                            "person": person_id,
                            "name": values.get("name") or "",
                            "role": "present" if attendance == "chair" else attendance,
                        }
                    )
            others_initial += [{"role": "also_present"} for _ in range(FREE_ROWS)]
            others = OtherFormSet(initial=others_initial, prefix="others")
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


def editor_urls(model_admin):
    """The editor's addresses, under the meeting admin's."""
    wrap = model_admin.admin_site.admin_view
    return [
        path(
            "editor/", wrap(partial(editor_view, model_admin=model_admin)), name="meetings_meeting_editor_add"
        ),
        path(
            "<path:object_id>/editor/",
            wrap(partial(editor_view, model_admin=model_admin)),
            name="meetings_meeting_editor",
        ),
        path(
            "<path:object_id>/editor/minutes.pdf",
            wrap(partial(minutes_pdf_view, model_admin=model_admin)),
            name="meetings_meeting_minutes_pdf",
        ),
    ]


def minutes_pdf_view(request, object_id, *, model_admin):
    """The minutes as a PDF for the chair to sign: staff only, made when asked."""
    meeting = model_admin.get_queryset(request).filter(pk=as_int(object_id) or 0).first()
    if meeting is None:
        return model_admin._get_obj_does_not_exist_redirect(request, model_admin.opts, object_id)
    if not model_admin.has_view_permission(request, meeting):
        raise PermissionDenied
    response = HttpResponse(render_minutes(meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="minutes-{meeting.date:%Y-%m-%d}.pdf"'
    return response


def editor_view(request, object_id=None, *, model_admin, draft=None):
    meeting = None
    if object_id is not None:
        meeting = (
            model_admin.get_queryset(request)
            .filter(pk=as_int(object_id) or 0)
            .select_related("partnership")
            .prefetch_related(
                "items__resolutions",
                "items__presenter",
                "items__documents",
                "attendances",
                "declarations__item",
            )
            .first()
        )
        if meeting is None:
            # Another partnership's meeting is answered as an unknown id.
            return model_admin._get_obj_does_not_exist_redirect(request, model_admin.opts, object_id)
        if not model_admin.has_change_permission(request, meeting):
            raise PermissionDenied
        if meeting.minutes_are_locked:
            messages.warning(
                request,
                "These minutes are confirmed: they are the legal record. A site administrator amends them on "
                "this page, giving the reason.",
            )
            return redirect(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    elif not model_admin.has_add_permission(request):
        raise PermissionDenied

    editor = Editor(request, model_admin, meeting)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "save" or action.startswith(SAVE_AND):
        transition = action.removeprefix(SAVE_AND) if action != "save" else None
        if transition is not None and transition not in EDITOR_TRANSITIONS:
            raise PermissionDenied("The editor offers no such transition.")
        editor.build_forms(bound=True)
        if editor.all_valid():
            saved = save(editor, transition)
            if saved is not None:
                done = f"Saved the meeting of {saved.date:%-d %B %Y}"
                if transition is not None:
                    done += f" and {EDITOR_TRANSITIONS[transition].removeprefix('Save and ')}"
                messages.success(request, done + ".")
                return redirect(reverse("admin:meetings_meeting_editor", args=[saved.pk]))
    else:
        if action:
            state = editor.state_from_post()
            editor.apply(action, state)
        else:
            state = state_from_data(draft or initial_data(editor, meeting))
        editor.build_forms(state)
    # What an importer could not place stays on the screen until saved.
    editor.unplaced = draft.unplaced if draft else request.POST.getlist("unplaced")
    # As the admin's own forms: the page with its errors is a 200.
    return render(request, "meetings/editor/editor.html", context(editor))


def transition_buttons(meeting):
    """The publishing buttons the meeting's state allows (a new meeting is
    a draft), from the meeting's one table of transitions: each saves the
    form and runs its transition in one operation. The guards that depend
    on what is typed, such as the date, answer when pressed."""
    meeting = meeting or Meeting()
    return [(SAVE_AND + name, label) for name, label in EDITOR_TRANSITIONS.items() if meeting.may_run(name)]


def initial_data(editor, meeting):
    if meeting is None:
        partnerships = list(editor.partnerships[:2])
        # A clerk of one partnership need not choose it.
        return EditorMeeting(partnership_id=partnerships[0].pk if len(partnerships) == 1 else None)
    next_meeting = (
        Meeting.objects.filter(partnership_id=meeting.partnership_id, date__gt=meeting.date)
        .order_by("date")
        .first()
    )
    return data_from_meeting(meeting, next_meeting)


WIDGET_CLASSES = {
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
    "radioselect": "govuk-radios__input",
}
NARROW = {
    "minute_number": "govuk-input--width-4",
    "start_time": "govuk-input--width-5",
    "add_count": "govuk-input--width-3",
}


def govuk_widgets(form):
    """GOV.UK Frontend's classes on each widget, and its hint and error
    tied to the field for screen readers."""
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.HiddenInput):
            continue
        bound = form[name]
        kind = bound.widget_type
        classes = WIDGET_CLASSES.get(kind, "govuk-input")
        if classes == "govuk-input" and name in NARROW:
            classes += " " + NARROW[name]
        if form.is_bound and bound.errors and kind not in ("checkbox", "radioselect"):
            classes += " " + classes.split()[0] + "--error"
        described = []
        if field.help_text:
            described.append(f"{bound.auto_id}-hint")
        if form.is_bound and bound.errors:
            described.append(f"{bound.auto_id}-error")
        field.widget.attrs["class"] = classes
        if described:
            field.widget.attrs["aria-describedby"] = " ".join(described)


def context(editor):
    forms_ = editor.forms
    for form in [
        forms_["details"],
        *forms_["items"].forms,
        *forms_["others"].forms,
        *forms_["declarations"].forms,
        *(form for _, _, form in forms_["members"]),
    ]:
        govuk_widgets(form)
    meeting = editor.meeting
    documents = {}
    if meeting is not None:
        for item in meeting.items.all():
            documents[item.pk] = list(item.documents.all())
    item_rows = []
    for index, form in enumerate(forms_["items"].forms):
        item_id = as_int(form["id"].value())
        item_rows.append({"index": index, "form": form, "documents": documents.get(item_id, [])})
    last = editor.last_meeting(editor.partnership, editor.day)
    return {
        "title": "Minutes editor",
        "meeting": meeting,
        "details": forms_["details"],
        "items_formset": forms_["items"],
        "item_rows": item_rows,
        "members": forms_["members"],
        "others": forms_["others"],
        "declarations": forms_["declarations"],
        "errors": editor.error_list(),
        "partnership": editor.partnership,
        "last_meeting": last,
        "admin_change_url": reverse("admin:meetings_meeting_change", args=[meeting.pk]) if meeting else None,
        # The form posts to the editor's own address, also when an importer
        # showed it (from the "Import minutes" page).
        "form_action": reverse("admin:meetings_meeting_editor", args=[meeting.pk])
        if meeting
        else reverse("admin:meetings_meeting_editor_add"),
        "transition_buttons": transition_buttons(meeting),
        "unplaced": editor.unplaced,
    }


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
            "presenter_id": cleaned.get("presenter"),
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

    write_attendance(editor, operation)
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


def write_attendance(editor, operation):
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
        row = by_id.get(cleaned.get("id")) or (by_person.get(person_id) if person_id else None)
        wanted.append(
            (row, {"person_id": person_id, "name": name, "role": cleaned["role"], "is_chair": False})
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
