"""The minutes editor's forms: the meeting's details, each item, the tick list
of members, other attendees and declarations, drawn with GOV.UK Frontend's
classes (govuk_widgets)."""

import re

from django import forms

from partnerships.models import Partnership

from ..documents import ACCEPTED, max_bytes, size_display, validate_document
from ..models import (
    AgendaItem,
)

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
# A new meeting starts with this many blank items: a short meeting's whole
# agenda, so that it is entered without asking for more (the page's script
# adds more without a round trip; "Add items" does without it).
NEW_MEETING_ITEMS = 4

# A person field's choices beside the people: none, or a new person made from
# the name typed beside it.
NOT_LINKED = ""
NEW_PERSON = "new"

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
    ("chair", "In the chair"),
    ("apologies", "Apologies"),
    ("absent", "Absent"),
]


def plain(text):
    """Text as typed, with the line breaks browsers send (CR LF) made plain,
    so an unchanged text compares equal to the one saved."""
    return (text or "").replace("\r\n", "\n").strip()


def unknown_start_message(partnership, day):
    year = partnership.municipal_year_of(day).year
    return (
        f"No earlier minute of the {year}/{str(year + 1)[2:]} municipal year is on the site, so it cannot "
        "tell where these minutes start: give the first minute number, as the minutes print it (1 for the "
        "year’s first meeting). The items are numbered on from it."
    )


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


class PersonField(forms.TypedChoiceField):
    """Links a row of the minutes to a person on the site: a select of every
    person (the partnership's own first), which the page's script turns into
    an accessible autocomplete; or "Add as a new person", who is made from
    the name typed beside it when the meeting is saved. Cleans to a person's
    id, NEW_PERSON or None."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Person on the site")
        super().__init__(required=False, coerce=self.to_value, empty_value=None, **kwargs)

    @staticmethod
    def to_value(value):
        return value if value == NEW_PERSON else int(value)

    def set_people(self, people_choices, new_label):
        self.choices = [(NOT_LINKED, "Not linked"), (NEW_PERSON, new_label), *people_choices]


LIST_HINT = (
    "Paste or type the names as the minutes print them, for example “Councillors Hardy and Shaw, Sue "
    "Holden”. Each becomes a row of the attendance, linked to the person on the site whose name it is."
)


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
    first_minute_number = forms.IntegerField(
        required=False,
        min_value=1,
        label="First minute number",
        help_text="Items left without a number are numbered on from it when you save.",
    )
    present_list = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Present", help_text=LIST_HINT
    )
    also_present_list = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Also present"
    )
    apologies_list = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Apologies"
    )
    add_count = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ADDED_ITEMS,
        initial=1,
        label="How many blank items to add",
        help_text="“Add items” adds this many blank items at the end.",
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
    presenter = PersonField(label="Presenter on the site (optional)")
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
        self.fields["presenter"].set_people(people_choices, "Add the presenter as a new person")

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
        if cleaned.get("presenter") == NEW_PERSON and not (cleaned.get("presenter_name") or "").strip():
            self.add_error("presenter_name", "Give the name of the new person, as the minutes print it.")
        return cleaned


class MemberForm(forms.Form):
    attendance = forms.ChoiceField(required=False, choices=ATTENDANCE_CHOICES, widget=forms.RadioSelect)
    name = forms.CharField(
        required=False, max_length=200, label="Name as the minutes print it", help_text="If it differs."
    )


class OtherAttendeeForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(
        required=False,
        max_length=200,
        help_text="As the minutes print it. Blank for a person on the site prints their name.",
    )
    person = PersonField()
    role = forms.ChoiceField(choices=OTHER_ROLE_CHOICES, initial="also_present")

    def __init__(self, *args, people_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].set_people(people_choices, "Add as a new person")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("person") == NEW_PERSON and not (cleaned.get("name") or "").strip():
            self.add_error("name", "Give the name of the new person, as the minutes print it.")
        return cleaned


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
    "first_minute_number": "govuk-input--width-4",
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
