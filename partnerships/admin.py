from django.contrib import admin
from django.db import models

from .models import (
    Achievement,
    HistoryEvent,
    InitialContent,
    Membership,
    Objective,
    Organisation,
    Partnership,
    Person,
    Priority,
    RelatedBody,
    Seat,
)


class OrderedTabularInline(admin.TabularInline):
    """Rows the clerk orders by typing numbers in the order column."""

    extra = 0


class PriorityInline(OrderedTabularInline):
    model = Priority
    fields = ["order", "text", "source_plan"]


class ObjectiveInline(OrderedTabularInline):
    model = Objective
    fields = ["order", "text"]


class SeatInline(OrderedTabularInline):
    model = Seat
    fields = ["order", "role", "title", "organisation", "is_vacant", "ended_on"]
    autocomplete_fields = ["organisation"]
    show_change_link = True  # holders are edited on the seat's own page


class RelatedBodyInline(OrderedTabularInline):
    model = RelatedBody
    fields = ["order", "relationship", "organisation", "note"]
    autocomplete_fields = ["organisation"]


class HistoryEventInline(admin.StackedInline):
    model = HistoryEvent
    extra = 0
    fields = [("kind", "happened_on", "precision"), "description"]


class AchievementInline(admin.StackedInline):
    model = Achievement
    extra = 0
    fields = [("year", "is_incomplete"), "text"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "status", "order"]
    list_editable = ["order"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "short_name", "summary", "purpose"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["predecessor"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind", "order", "summary"]}),
        ("About", {"fields": ["purpose", "background", "priorities_note", "membership_note"]}),
        (
            "Dates and status",
            {
                "fields": [
                    ("formed_on", "formed_precision"),
                    ("ended_on", "ended_precision"),
                    "predecessor",
                    "status",
                    "status_reason",
                    "suspended_until",
                    "municipal_year_start_month",
                ]
            },
        ),
        ("Contact", {"fields": ["contact_name", "contact_role", "contact_email", "contact_phone"]}),
    ]
    inlines = [
        PriorityInline,
        ObjectiveInline,
        SeatInline,
        RelatedBodyInline,
        HistoryEventInline,
        AchievementInline,
    ]

    def view_on_site(self, obj):
        return obj.get_absolute_url()


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["person", "started_on", "ended_on", "note"]
    autocomplete_fields = ["person"]


@admin.register(Seat)
class SeatAdmin(admin.ModelAdmin):
    list_display = ["title", "role", "partnership", "organisation", "order", "is_vacant"]
    list_filter = ["partnership", "role", "is_vacant"]
    list_select_related = ["partnership", "organisation"]
    search_fields = ["title", "organisation__name", "memberships__person__name"]
    autocomplete_fields = ["partnership", "organisation"]
    inlines = [MembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["name", "title"]
    prepopulated_fields = {"slug": ["title", "name"]}
    autocomplete_fields = ["organisation"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "seat", "started_on", "ended_on"]
    list_filter = ["seat__partnership", "seat__role"]
    list_select_related = ["person", "seat__partnership"]
    search_fields = ["person__name", "seat__title"]
    autocomplete_fields = ["person", "seat"]


@admin.register(Priority, Objective)
class OrderedTextAdmin(admin.ModelAdmin):
    list_display = ["text", "partnership", "order"]
    list_editable = ["order"]
    list_filter = ["partnership"]
    list_select_related = ["partnership"]
    search_fields = ["text"]


@admin.register(InitialContent)
class InitialContentAdmin(admin.ModelAdmin):
    list_display = ["key", "loaded_at"]
    readonly_fields = ["key", "loaded_at"]
