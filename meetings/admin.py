"""
The clerk's screens. A meeting is entered on one page: its details, who
attended, the items (with minutes) and the documents; each item's
resolutions (and their actions) on the item's own page, linked from it.
"""

import re
from collections import Counter

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html

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
    Resolution,
)


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


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 1
    fields = ["order", "person", "name", "role", "is_chair"]
    autocomplete_fields = ["person"]


class AgendaItemInline(admin.StackedInline):
    model = AgendaItem
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


class DeclarationInline(admin.TabularInline):
    model = Declaration
    extra = 0
    fields = ["person", "name", "item", "interest"]
    autocomplete_fields = ["person"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "item":
            kwargs["queryset"] = AgendaItem.objects.filter(
                meeting_id=request.resolver_match.kwargs.get("object_id")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class DocumentInline(admin.TabularInline):
    model = Document
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
class MeetingAdmin(admin.ModelAdmin):
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
        for meeting in queryset.select_related("partnership"):
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
        for meeting in queryset:
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


class ResolutionInline(admin.StackedInline):
    model = Resolution
    extra = 1
    fields = ["number", "text"]
    show_change_link = True  # actions arising are entered on the resolution's page


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
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
        ("is_exempt", "exempt_paragraph"),
        "exempt_reason",
    ]

    def get_queryset(self, request):
        # Names in lists and the autocomplete include the meeting's date.
        return super().get_queryset(request).select_related("meeting__partnership")

    def view_on_site(self, obj):
        return obj.get_absolute_url()


class ActionInline(admin.TabularInline):
    model = Action
    extra = 1
    fields = ["owner", "owner_name", "description", "due_on", "is_done"]
    autocomplete_fields = ["owner"]


@admin.register(Resolution)
class ResolutionAdmin(admin.ModelAdmin):
    list_display = ["citation", "item"]
    list_select_related = ["item__meeting__partnership"]
    search_fields = ["text", "item__title"]
    autocomplete_fields = ["item"]
    inlines = [ActionInline]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["description", "owner_display", "due_on", "is_done"]
    list_filter = ["is_done"]
    list_editable = ["is_done"]
    list_select_related = ["owner"]
    search_fields = ["description", "owner_name", "owner__name"]
    autocomplete_fields = ["owner"]
