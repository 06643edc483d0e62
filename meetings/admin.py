"""
The clerk's screens. A meeting is entered on one page: its details, who
attended, the items (with minutes) and the documents; each item's
resolutions (and their actions) on the item's own page, linked from it.
"""

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
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from partnerships.admin_scope import PartnershipScopedAdmin, sees_every_partnership
from partnerships.models import Membership

from .documents import ACCEPTED, max_bytes, size_display
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
)
from .placeholders import placeholder_warnings

CONFIRMED = Meeting.MinutesStatus.CONFIRMED
PUBLIC = [Meeting.MinutesStatus.PUBLISHED, Meeting.MinutesStatus.CONFIRMED]


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

    def save_model(self, request, obj, form, change):
        meeting_id = meeting_of(obj).pk
        status = Meeting.objects.filter(pk=meeting_id).values_list("minutes_status", flat=True).first()
        reason = form.cleaned_data.get("amendment_reason", "") if hasattr(form, "cleaned_data") else ""
        if status == CONFIRMED and not (sees_every_partnership(request.user) and reason):
            raise PermissionDenied(
                "Confirmed minutes are amended only by a site administrator, with a reason."
            )
        form.minutes_were_public = status in PUBLIC
        obj._change_reason = reason or None  # kept by simple-history
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        """Rows changed on the meeting's screen (items, attendance) keep the
        amendment's reason in their own history, as the meeting does."""
        reason = form.cleaned_data.get("amendment_reason", "") if hasattr(form, "cleaned_data") else ""
        if not reason:
            return super().save_formset(request, form, formset, change)
        for obj in formset.save(commit=False):
            obj._change_reason = reason
            obj.save()
        for obj in formset.deleted_objects:
            obj._change_reason = reason
            obj.delete()
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed = set(form.changed_data) - {"amendment_reason", "minutes_status", "confirmed_by"}
        if getattr(form, "minutes_were_public", False) and (
            changed or any(formset.has_changed() for formset in formsets)
        ):
            meeting_of(form.instance).record_amendment(
                request.user, form.cleaned_data.get("amendment_reason", "")
            )

    def delete_model(self, request, obj):
        meeting = meeting_of(obj)
        super().delete_model(request, obj)
        if not isinstance(obj, Meeting) and meeting.minutes_are_public:
            meeting.record_amendment(request.user)

    def delete_queryset(self, request, queryset):
        if queryset.filter(**{self._minutes_status_path(): CONFIRMED}).exists():
            raise PermissionDenied("Confirmed minutes cannot be deleted.")
        super().delete_queryset(request, queryset)


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


class AttendanceInline(MinutesAdmin, admin.TabularInline):
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
        # Propose the next minute number of the municipal year.
        if obj is not None:
            proposed = obj.next_minute_number()
            field = formset.form.base_fields["minute_number"]
            field.initial = proposed
            field.help_text = f"The next free number in this municipal year is {proposed}."
        return formset


class DeclarationInline(MinutesAdmin, admin.TabularInline):
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


class DocumentInline(MinutesAdmin, admin.TabularInline):
    model = Document
    partnership_path = "meeting__partnership"
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


CONFIRMED_PHRASE = "meeting held on {day}(?:st|nd|rd|th)?\\s+{month},?\\s+{year}"


@admin.register(Meeting)
class MeetingAdmin(PlaceholderWarningsAdmin, MinutesAdmin, SimpleHistoryAdmin):
    partnership_path = "partnership"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["date", "partnership", "status", "minutes_status"]
    list_filter = ["partnership", "status", "minutes_status"]
    list_select_related = ["partnership"]
    date_hierarchy = "date"
    search_fields = ["items__title", "venue"]
    autocomplete_fields = ["confirmed_by"]
    readonly_fields = ["agenda_notice"]
    fieldsets = [
        (None, {"fields": ["partnership", "date", "start_time", "venue", "status", "webcast_url", "notes"]}),
        ("Agenda", {"fields": ["agenda_published_at", "agenda_notice"]}),
        ("Minutes", {"fields": ["minutes_status", "confirmed_by"]}),
    ]
    inlines = [AttendanceInline, AgendaItemInline, DeclarationInline, DocumentInline]
    actions = ["publish_minutes", "mark_confirmed", "prefill_attendance"]

    def view_on_site(self, obj):
        return obj.get_absolute_url()

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

    @admin.action(description="Publish the minutes (subject to confirmation)")
    def publish_minutes(self, request, queryset):
        to_publish = queryset.filter(minutes_status__in=["none", "draft"])
        count = to_publish.count()
        to_publish.filter(status="scheduled").update(status="held")
        to_publish.update(minutes_status="published")
        self.message_user(request, f"Published the minutes of {count} meeting(s).", messages.SUCCESS)

    @admin.action(description="Mark the minutes confirmed (finds the confirming minute)")
    def mark_confirmed(self, request, queryset):
        for meeting in queryset.exclude(minutes_status=CONFIRMED).select_related("partnership"):
            item = find_confirming_item(meeting)
            if item is None:
                self.message_user(
                    request,
                    f"No later minute confirms the minutes of {meeting}. Enter it first, or choose the "
                    "confirming minute on the meeting's page.",
                    messages.WARNING,
                )
                continue
            meeting.confirmed_by = item
            meeting.minutes_status = Meeting.MinutesStatus.CONFIRMED
            meeting.save(update_fields=["confirmed_by", "minutes_status"])
            self.message_user(request, f"The minutes of {meeting} are confirmed by {item}.", messages.SUCCESS)

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
            for membership in members:
                if membership.person_id in listed:
                    continue
                listed.add(membership.person_id)
                order += 1
                Attendance.objects.create(
                    meeting=meeting,
                    person_id=membership.person_id,
                    role=Attendance.Role.PRESENT,
                    is_chair=membership.seat.role == "chair",
                    order=order,
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

    def view_on_site(self, obj):
        return obj.get_absolute_url()


class ActionInline(MinutesAdmin, admin.TabularInline):
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
class MinutesAmendmentAdmin(PartnershipScopedAdmin, admin.ModelAdmin):
    """The record of amendments to confirmed minutes: read only, for everyone."""

    partnership_path = "meeting__partnership"
    list_display = ["meeting", "at", "user", "reason"]
    list_select_related = ["meeting__partnership", "user"]
    readonly_fields = ["meeting", "at", "user", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
