"""
The clerk's screens. A meeting is entered on one page: its details, who
attended, the items (with minutes) and the documents; each item's
resolutions (and their actions) on the item's own page, linked from it.
"""

import functools
import re
from collections import Counter

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from foundation.admin_mixins import RecordAdminMixin
from partnerships.admin_scope import PartnershipScopedAdmin, restrict, sees_every_partnership
from partnerships.models import Membership, Partnership
from publishing import operations

from .documents import ACCEPTED, max_bytes, size_display
from .editor import editor_urls
from .models import (
    MINIMUM_CLEAR_DAYS,
    Action,
    AgendaItem,
    Attendance,
    Declaration,
    Document,
    Meeting,
    MinutesAmendment,
    Resolution,
    TransitionRefused,
)
from .placeholders import placeholder_warnings
from .states import PUBLIC_MINUTES

CONFIRMED = Meeting.MinutesStatus.CONFIRMED
PUBLIC = PUBLIC_MINUTES


def only_partnership(request):
    """The partnership of a clerk who serves just one, else None."""
    partnerships = list(restrict(request.user, Partnership.objects.all(), "pk")[:2])
    return partnerships[0] if len(partnerships) == 1 else None


def meeting_of(obj):
    """The meeting a record of the minutes belongs to (each model but
    Meeting has a `meeting`: a field, or a property for resolutions and
    actions)."""
    return obj if isinstance(obj, Meeting) else obj.meeting


class MinutesAdmin(PartnershipScopedAdmin):
    """Every admin and inline of the meetings app: scoped to the clerk's
    partnerships, and with confirmed minutes locked.

    Confirmed minutes are the legal record. Only a site administrator may
    change them (or their items, resolutions, actions, attendance,
    declarations and documents), on the record's own page, which then asks
    for the reason; the reason is kept as a MinutesAmendment and as the
    history records' change reason. Nobody deletes a confirmed meeting or,
    from its own page or a list, a record of one; a site administrator
    removes a row on the meeting's (or item's) page, giving the reason.

    Any change to public (published or confirmed) minutes is noted on the
    meeting (Meeting.amended_at) for the "amended on" notice.
    """

    def _locked(self, obj):
        return obj is not None and meeting_of(obj).minutes_are_locked

    def _minutes_status_path(self):
        # "item__meeting__partnership" -> "item__meeting__minutes_status"
        return self.partnership_path.rsplit("partnership", 1)[0] + "minutes_status"

    def has_add_permission(self, request, *obj):
        # A ModelAdmin is asked with no record, an inline about its parent.
        if obj and self._locked(obj[0]) and not sees_every_partnership(request.user):
            return False
        return super().has_add_permission(request, *obj)

    def has_change_permission(self, request, obj=None):
        if self._locked(obj) and not sees_every_partnership(request.user):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self._locked(obj) and not (
            isinstance(self, InlineModelAdmin) and sees_every_partnership(request.user)
        ):
            return False
        return super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        if self._locked(obj):
            kwargs["form"] = type(
                "AmendConfirmedMinutesForm",
                (kwargs.get("form", self.form),),
                {
                    "amendment_reason": forms.CharField(
                        label="Why are you amending confirmed minutes?",
                        help_text="Kept with the record of the change.",
                        widget=forms.Textarea(attrs={"rows": 2}),
                    )
                },
            )
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        own_page = not isinstance(self, InlineModelAdmin)
        if own_page and self._locked(obj) and self.has_change_permission(request, obj):
            fieldsets = [("Amending confirmed minutes", {"fields": ["amendment_reason"]}), *fieldsets]
        return fieldsets

    # Each page's save is one operation of publishing.operations: the record
    # (or meeting) and its inline rows, with the rules and effects of every
    # other path, and one history row of the meeting naming it.

    def operation_name(self, form, change):
        return "edit" if change else "create"

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("amendment_reason", "") if hasattr(form, "cleaned_data") else ""
        meeting = meeting_of(obj)
        write = operations.begin(meeting, self.operation_name(form, change), user=request.user, reason=reason)
        request.meeting_write = write
        try:
            if isinstance(obj, Meeting):
                if not change or set(form.changed_data) - {
                    "amendment_reason",
                    *MeetingForm.TRANSITION_FIELDS,
                }:
                    write.save_meeting()
            else:
                write.save(obj)
        except operations.AmendmentRefused as refused:
            raise PermissionDenied(refused.messages[0]) from refused

    def save_formset(self, request, form, formset, change):
        write = request.meeting_write
        try:
            for obj in formset.save(commit=False):
                write.save(obj)
            for obj in formset.deleted_objects:
                write.delete(obj)
        except operations.AmendmentRefused as refused:
            raise PermissionDenied(refused.messages[0]) from refused
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.before_finishing(request, form)
        request.meeting_write.finish()

    def before_finishing(self, request, form):
        """The last step of the page's operation, before it ends (a
        transition chosen on the meeting's page)."""

    def delete_model(self, request, obj):
        if isinstance(obj, Meeting):
            super().delete_model(request, obj)
            return
        try:
            operations.delete_record(obj, user=request.user)
        except operations.AmendmentRefused as refused:
            raise PermissionDenied(refused.messages[0]) from refused

    def delete_queryset(self, request, queryset):
        if queryset.filter(**{self._minutes_status_path(): CONFIRMED}).exists():
            raise PermissionDenied("Confirmed minutes cannot be deleted.")
        if queryset.model is Meeting:
            super().delete_queryset(request, queryset)
            return
        for obj in queryset:
            operations.delete_record(obj, user=request.user)


class PlaceholderWarningsAdmin:
    """Warns the clerk, on opening and on saving a meeting or an item, of
    text that looks like an unfilled placeholder ("xxxxxx, xxxx 2012"),
    which the public pages leave out."""

    def warn_of_placeholders(self, request, obj):
        items = obj.items.all() if isinstance(obj, Meeting) else [obj]
        for warning in placeholder_warnings(items):
            messages.warning(request, warning)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                self.warn_of_placeholders(request, obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.warn_of_placeholders(request, form.instance)


class AgendaItemFormSet(BaseInlineFormSet):
    def clean(self):
        # Said plainly, before Django's generic "duplicate data" message.
        numbers = Counter(
            form.cleaned_data.get("minute_number")
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("minute_number")
        )
        repeated = sorted(number for number, count in numbers.items() if count > 1)
        if repeated:
            raise ValidationError(
                "Each item of a meeting needs its own minute number; "
                + ", ".join(f"Minute No. {number}" for number in repeated)
                + " is given to more than one item."
            )
        super().clean()


class AttendanceInline(MinutesAdmin, admin.StackedInline):
    model = Attendance
    partnership_path = "meeting__partnership"
    extra = 1
    fields = ["order", "person", "name", "role", "is_chair"]
    autocomplete_fields = ["person"]


class AgendaItemInline(MinutesAdmin, admin.StackedInline):
    model = AgendaItem
    partnership_path = "meeting__partnership"
    formset = AgendaItemFormSet
    extra = 1
    show_change_link = True  # resolutions and actions are entered on the item's page
    autocomplete_fields = ["presenter"]
    fields = [
        ("minute_number", "order"),
        "title",
        ("presenter", "presenter_name"),
        "agenda_text",
        "minutes",
        ("is_exempt", "exempt_paragraph"),
        "exempt_reason",
    ]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # Propose the next minute number of the municipal year (on the add
        # page, of the clerk's one partnership as of today).
        only = only_partnership(request) if obj is None else None
        if only is not None:
            obj = Meeting(partnership=only, date=timezone.localdate())
        if obj is not None:
            proposed = obj.next_minute_number()
            field = formset.form.base_fields["minute_number"]
            field.initial = proposed
            field.help_text = f"The next free number in this municipal year is {proposed}."
        return formset


class DeclarationInline(MinutesAdmin, admin.StackedInline):
    model = Declaration
    partnership_path = "meeting__partnership"
    extra = 0
    fields = ["person", "name", "item", "interest"]
    autocomplete_fields = ["person"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "item":
            kwargs["queryset"] = AgendaItem.objects.filter(
                meeting_id=request.resolver_match.kwargs.get("object_id")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class DocumentInline(MinutesAdmin, admin.StackedInline):
    model = Document
    partnership_path = "meeting__partnership"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    extra = 1
    fields = ["order", "title", "item", "file", "format"]
    readonly_fields = ["format"]

    @admin.display(description="Type and size")
    def format(self, document):
        return document.format_display or "-"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.base_fields["file"].help_text = (
            f"PDF, Word, Excel, PowerPoint, OpenDocument or an image ({ACCEPTED}), up to "
            f"{size_display(max_bytes())}. Leave empty when the document is not available online. If the page "
            "comes back with an error, choose the file again: browsers never keep a chosen file."
        )
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "item":
            kwargs["queryset"] = AgendaItem.objects.filter(
                meeting_id=request.resolver_match.kwargs.get("object_id")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MeetingForm(forms.ModelForm):
    """The meeting's details, and one change of state at a time ("What to do
    next"), checked by the same guards as the admin's actions."""

    # The model's names for a transition's arguments -> this form's fields.
    ARGUMENT_FIELDS = {
        "confirmed_by": "confirming_minute",
        "status_reason": "reason",
        "postponed_to": "new_meeting",
    }

    TRANSITION_FIELDS = {"next_step", *ARGUMENT_FIELDS.values()}

    next_step = forms.ChoiceField(
        label="What to do next",
        required=False,
        choices=[("", "Nothing: save the details only"), *Meeting.TRANSITIONS.items()],
        help_text="A draft is seen by staff only until its agenda is published.",
    )
    confirming_minute = forms.ModelChoiceField(
        queryset=AgendaItem.objects.none(),
        required=False,
        label="Confirmed by",
        help_text="To confirm the minutes: the minute of a later meeting that confirmed them.",
    )
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why it is cancelled or postponed",
        help_text="Shown on the public page.",
    )
    new_meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.none(),
        required=False,
        label="Postponed to",
        help_text="To postpone: the meeting that takes its place, if it is entered yet.",
    )

    class Meta:
        model = Meeting
        fields = ["partnership", "date", "start_time", "venue", "webcast_url", "notes", "agenda_published_at"]
        # A link typed without its scheme is taken as https (Django 6's default).
        field_classes = {"webcast_url": functools.partial(forms.URLField, assume_scheme="https")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The admin's date and time boxes share one label, which names
        # neither box: each is named for itself.
        published = self.fields.get("agenda_published_at")  # absent when read only (confirmed minutes)
        if published is not None:
            for box, part in zip(getattr(published.widget, "widgets", []), ["date", "time"], strict=False):
                box.attrs["aria-label"] = f"{published.label}: {part}"
        meeting = self.instance
        if meeting.pk:
            later = {"partnership_id": meeting.partnership_id, "date__gt": meeting.date}
            self.fields["confirming_minute"].queryset = (
                AgendaItem.objects.filter(**{f"meeting__{k}": v for k, v in later.items()})
                .select_related("meeting")
                .order_by("meeting__date", "minute_number", "pk")
            )
            self.fields["new_meeting"].queryset = Meeting.objects.filter(**later).select_related(
                "partnership"
            )

    def transition_arguments(self):
        step, data = self.cleaned_data.get("next_step"), self.cleaned_data
        return {
            "confirm_minutes": [data.get("confirming_minute")],
            "cancel": [data.get("reason", "")],
            "postpone": [data.get("reason", ""), data.get("new_meeting")],
        }.get(step, [])

    def clean(self):
        cleaned = super().clean()
        step = cleaned.get("next_step")
        if step:
            # The guards, on the meeting as it will be saved (a new date, say).
            probe = Meeting(
                **{f.attname: getattr(self.instance, f.attname) for f in Meeting._meta.concrete_fields}
            )
            for name in ("partnership", "date"):
                if cleaned.get(name) is not None:
                    setattr(probe, name, cleaned[name])
            try:
                getattr(probe, f"check_{step}")(*self.transition_arguments())
            except TransitionRefused as refused:
                self.add_error(self.ARGUMENT_FIELDS.get(refused.field, "next_step"), refused.text)
        return cleaned


CONFIRMED_PHRASE = "meeting held on {day}(?:st|nd|rd|th)?\\s+{month},?\\s+{year}"


@admin.register(Meeting)
class MeetingAdmin(PlaceholderWarningsAdmin, MinutesAdmin, SimpleHistoryAdmin):
    partnership_path = "partnership"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    form = MeetingForm
    list_display = ["date", "partnership", "status", "minutes_status", "in_the_editor"]
    list_filter = ["partnership", "status", "minutes_status"]
    list_select_related = ["partnership"]
    date_hierarchy = "date"
    search_fields = ["items__title", "venue"]
    readonly_fields = [
        "agenda_notice",
        "minutes_editor",
        "status",
        "minutes_status",
        "confirmed_by",
        "status_reason",
        "postponed_to",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "minutes_editor",
                    "partnership",
                    "date",
                    "start_time",
                    "venue",
                    "webcast_url",
                    "notes",
                ]
            },
        ),
        ("Agenda", {"fields": ["agenda_published_at", "agenda_notice"]}),
        (
            "Where the meeting stands",
            {
                "fields": [
                    ("status", "minutes_status"),
                    ("confirmed_by", "postponed_to"),
                    "status_reason",
                    "next_step",
                    "confirming_minute",
                    "reason",
                    "new_meeting",
                ]
            },
        ),
    ]
    inlines = [AttendanceInline, AgendaItemInline, DeclarationInline, DocumentInline]
    actions = [
        "publish_agenda",
        "mark_held",
        "publish_minutes",
        "mark_confirmed",
        "mark_minutes_not_online",
        "withdraw",
        "prefill_attendance",
    ]

    def view_on_site(self, obj):
        return obj.get_absolute_url()

    def get_urls(self):
        return editor_urls(self) + super().get_urls()

    @admin.display(description="Minutes editor")
    def minutes_editor(self, meeting):
        url = reverse("admin:meetings_meeting_editor", args=[meeting.pk]) if meeting.pk else None
        return format_html(
            '<a href="{}">Enter the whole meeting on one page</a>',
            url or reverse("admin:meetings_meeting_editor_add"),
        )

    @admin.display(description="Minutes editor")
    def in_the_editor(self, meeting):
        """Each meeting's way into the editor, from the list (confirmed
        minutes are amended on the meeting's admin page, with a reason)."""
        if meeting.minutes_are_locked:
            return "Confirmed"
        return format_html(
            '<a href="{}">Open<span class="visually-hidden"> {} in the minutes editor</span></a>',
            reverse("admin:meetings_meeting_editor", args=[meeting.pk]),
            meeting,
        )

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        only = only_partnership(request)
        if only is not None:
            initial.setdefault("partnership", only.pk)
        return initial

    @admin.display(description="Notice given")
    def agenda_notice(self, meeting):
        days = meeting.agenda_clear_days if meeting.pk else None
        if days is None:
            return "Give the agenda's publication time to check the notice given."
        if days < MINIMUM_CLEAR_DAYS:
            return format_html(
                "<strong>Warning: published {} clear working days before the meeting, fewer than the "
                "{} required for council committees in England.</strong>",
                days,
                MINIMUM_CLEAR_DAYS,
            )
        return f"{days} clear working days before the meeting."

    def operation_name(self, form, change):
        return form.cleaned_data.get("next_step") or super().operation_name(form, change)

    def before_finishing(self, request, form):
        step = form.cleaned_data.get("next_step")
        if not step:
            return
        # Checked by the form; checked again under the row's lock.
        try:
            request.meeting_write.transition(step, *form.transition_arguments())
        except TransitionRefused as refused:
            self.message_user(request, refused.text, messages.ERROR)
        else:
            self.message_user(
                request, f"{form.instance}: {Meeting.TRANSITIONS[step].lower()}: done.", messages.SUCCESS
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        meeting = form.instance
        if meeting.agenda_was_late:
            self.message_user(
                request,
                f"The agenda was published {meeting.agenda_clear_days} clear working days before the "
                f"meeting: fewer than the {MINIMUM_CLEAR_DAYS} the law requires of council committees.",
                messages.WARNING,
            )

    def has_delete_permission(self, request, obj=None):
        # Public records are never deleted by a click: a public meeting is
        # withdrawn (while nothing of its minutes is public) instead.
        if obj is not None and obj.is_public:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one draft at a time, from its page
        return actions

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.is_public:
            context["subtitle"] = (
                "This meeting is public, so it cannot be deleted. While none of its minutes are public, "
                "“Withdraw from the public site” takes it back to a draft."
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _transition_each(self, request, queryset, transition, *args_for):
        done = 0
        for meeting in queryset.select_related("partnership"):
            args = [f(meeting) for f in args_for]
            try:
                operations.transition(meeting, transition, *args, user=request.user)
            except TransitionRefused as refused:
                self.message_user(request, refused.text, messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request, f"{Meeting.TRANSITIONS[transition]}: done for {done} meeting(s).", messages.SUCCESS
            )

    @admin.action(description=Meeting.TRANSITIONS["publish_agenda"])
    def publish_agenda(self, request, queryset):
        self._transition_each(request, queryset, "publish_agenda")

    @admin.action(description=Meeting.TRANSITIONS["mark_held"])
    def mark_held(self, request, queryset):
        self._transition_each(request, queryset, "mark_held")

    @admin.action(description=Meeting.TRANSITIONS["publish_minutes"])
    def publish_minutes(self, request, queryset):
        self._transition_each(request, queryset, "publish_minutes")

    @admin.action(description="Mark the minutes confirmed (finds the confirming minute)")
    def mark_confirmed(self, request, queryset):
        self._transition_each(request, queryset, "confirm_minutes", find_confirming_item)

    @admin.action(description=Meeting.TRANSITIONS["mark_minutes_not_online"])
    def mark_minutes_not_online(self, request, queryset):
        self._transition_each(request, queryset, "mark_minutes_not_online")

    @admin.action(description=Meeting.TRANSITIONS["withdraw"])
    def withdraw(self, request, queryset):
        self._transition_each(request, queryset, "withdraw")

    @admin.action(description="Prefill attendance from the partnership's current members")
    def prefill_attendance(self, request, queryset):
        added = 0
        # Confirmed minutes are locked (MinutesAdmin): their attendance stays.
        for meeting in queryset.exclude(minutes_status=CONFIRMED):
            listed = set(meeting.attendances.exclude(person=None).values_list("person_id", flat=True))
            members = (
                Membership.objects.filter(seat__partnership_id=meeting.partnership_id)
                .filter(Q(started_on__isnull=True) | Q(started_on__lte=meeting.date))
                .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=meeting.date))
                .select_related("seat")
                .order_by("seat__order", "pk")
            )
            order = meeting.attendances.count()
            with operations.write_meeting(meeting, "edit", user=request.user) as write:
                for membership in members:
                    if membership.person_id in listed:
                        continue
                    listed.add(membership.person_id)
                    order += 1
                    write.save(
                        Attendance(
                            meeting=meeting,
                            person_id=membership.person_id,
                            role=Attendance.Role.PRESENT,
                            is_chair=membership.seat.role == "chair",
                            order=order,
                        )
                    )
                    added += 1
        self.message_user(
            request,
            f"Added {added} member(s) as present. Change those who sent apologies or were absent.",
            messages.SUCCESS,
        )


def find_confirming_item(meeting):
    """The first later minute of the partnership that confirms this
    meeting's minutes ("That the Minutes of the meeting held on 5 December
    2019 be confirmed as a correct record")."""
    phrase = re.compile(
        CONFIRMED_PHRASE.format(
            day=meeting.date.day, month=meeting.date.strftime("%B"), year=meeting.date.year
        ),
        re.IGNORECASE,
    )
    candidates = (
        AgendaItem.objects.filter(
            meeting__partnership_id=meeting.partnership_id, meeting__date__gt=meeting.date
        )
        .select_related("meeting")
        .prefetch_related("resolutions")
        .order_by("meeting__date", "minute_number")
    )
    for item in candidates:
        texts = [item.minutes, *(resolution.text for resolution in item.resolutions.all())]
        if any(phrase.search(text) and "confirmed" in text.lower() for text in texts):
            return item
    return None


class ResolutionInline(MinutesAdmin, admin.StackedInline):
    model = Resolution
    partnership_path = "item__meeting__partnership"
    extra = 1
    fields = ["number", "text"]
    show_change_link = True  # actions arising are entered on the resolution's page


@admin.register(AgendaItem)
class AgendaItemAdmin(PlaceholderWarningsAdmin, MinutesAdmin, SimpleHistoryAdmin):
    partnership_path = "meeting__partnership"
    list_display = ["__str__", "meeting"]
    list_filter = ["meeting__partnership"]
    list_select_related = ["meeting__partnership"]
    search_fields = ["title", "minutes", "=minute_number"]
    autocomplete_fields = ["meeting", "presenter"]
    inlines = [ResolutionInline]
    fields = [
        "meeting",
        ("minute_number", "order"),
        "title",
        ("presenter", "presenter_name"),
        "agenda_text",
        "minutes",
        "resolution_preamble",
        ("is_exempt", "exempt_paragraph"),
        "exempt_reason",
    ]

    def get_queryset(self, request):
        # Names in lists and the autocomplete include the meeting's date.
        return super().get_queryset(request).select_related("meeting__partnership")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # The meeting's next free minute number, proposed on the add page
        # (?meeting=<id>) and given in the help text.
        meeting = obj.meeting if obj is not None else None
        if meeting is None and request.GET.get("meeting", "").isdigit():
            meeting = (
                Meeting.objects.filter(pk=request.GET["meeting"])
                .filter(
                    **({} if sees_every_partnership(request.user) else {"partnership__clerks": request.user})
                )
                .first()
            )
        # The number is read-only on confirmed minutes: nothing to propose.
        if meeting is not None and "minute_number" in form.base_fields:
            proposed = meeting.next_minute_number()
            field = form.base_fields["minute_number"]
            field.help_text = f"The next free number in this municipal year is {proposed}."
            if obj is None:
                field.initial = proposed
        return form

    def view_on_site(self, obj):
        return obj.get_absolute_url()


class ActionInline(MinutesAdmin, admin.StackedInline):
    model = Action
    partnership_path = "resolution__item__meeting__partnership"
    extra = 1
    fields = ["owner", "owner_name", "description", "due_on", "is_done"]
    autocomplete_fields = ["owner"]


@admin.register(Resolution)
class ResolutionAdmin(MinutesAdmin, SimpleHistoryAdmin):
    partnership_path = "item__meeting__partnership"
    list_display = ["citation", "item"]
    list_select_related = ["item__meeting__partnership"]
    search_fields = ["text", "item__title"]
    autocomplete_fields = ["item"]
    inlines = [ActionInline]


@admin.register(Action)
class ActionAdmin(MinutesAdmin, SimpleHistoryAdmin):
    partnership_path = "resolution__item__meeting__partnership"
    list_display = ["description", "owner_display", "due_on", "is_done"]
    list_filter = ["is_done"]
    list_editable = ["is_done"]
    list_select_related = ["owner"]
    search_fields = ["description", "owner_name", "owner__name"]
    autocomplete_fields = ["owner"]


@admin.register(MinutesAmendment)
class MinutesAmendmentAdmin(RecordAdminMixin, PartnershipScopedAdmin, admin.ModelAdmin):
    """The record of amendments to confirmed minutes: read only, for everyone."""

    partnership_path = "meeting__partnership"
    list_display = ["meeting", "at", "user", "reason"]
    list_select_related = ["meeting__partnership", "user"]
    readonly_fields = ["meeting", "at", "user", "reason"]


from . import follow_through_admin  # noqa: E402, F401  (the work programme, reports on actions, reading copies)
