from django.contrib import admin
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from .admin_scope import PartnershipScopedAdmin, sees_every_partnership
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
    SiteContact,
)


class OrderedInline(PartnershipScopedAdmin, admin.StackedInline):
    """Rows the clerk orders by typing numbers in their order boxes. Stacked,
    not a table: each box has its label, and a row fits a phone's width."""

    extra = 0
    partnership_path = "partnership"


class PriorityInline(OrderedInline):
    model = Priority
    fields = ["order", "text", "source_plan"]


class ObjectiveInline(OrderedInline):
    model = Objective
    fields = ["order", "text"]


class SeatInline(OrderedInline):
    model = Seat
    fields = ["order", "role", "title", "organisation", "is_vacant", "ended_on"]
    autocomplete_fields = ["organisation"]
    show_change_link = True  # holders are edited on the seat's own page


class RelatedBodyInline(OrderedInline):
    model = RelatedBody
    fields = ["order", "relationship", "organisation", "note"]
    autocomplete_fields = ["organisation"]


class HistoryEventInline(PartnershipScopedAdmin, admin.StackedInline):
    model = HistoryEvent
    partnership_path = "partnership"
    extra = 0
    fields = [("kind", "happened_on", "precision"), "description"]


class AchievementInline(PartnershipScopedAdmin, admin.StackedInline):
    model = Achievement
    partnership_path = "partnership"
    extra = 0
    fields = [("year", "is_incomplete"), "text"]


@admin.register(Partnership)
class PartnershipAdmin(PartnershipScopedAdmin, SimpleHistoryAdmin):
    partnership_path = "pk"
    list_display = ["name", "short_name", "kind", "status", "order"]
    list_editable = ["order"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "short_name", "summary", "purpose"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["predecessor", "clerks"]
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
                    "suspended_until_on",
                    "municipal_year_start_month",
                ]
            },
        ),
        (
            "Contact",
            {"fields": ["contact_name", "contact_role", "contact_email", "contact_phone", "contact_address"]},
        ),
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

    def has_delete_permission(self, request, obj=None):
        # Its public meetings and minutes are the record: a partnership that
        # has any is never deleted, only marked no longer operating.
        if obj is not None and obj.meetings.public().exists():
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, from its page
        return actions

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if (
            obj is not None
            and not self.has_delete_permission(request, obj)
            and obj.meetings.public().exists()
        ):
            context["subtitle"] = (
                "This partnership has public meetings, so it cannot be deleted. When it stops operating, "
                "set its status to “No longer operating” instead."
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        # Only a site administrator assigns clerks.
        if sees_every_partnership(request.user):
            fieldsets = [*fieldsets, ("Clerks", {"fields": ["clerks"]})]
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        # The predecessor is usually a partnership the clerk does not clerk,
        # which they could neither see in the drop-down nor keep on saving.
        if not sees_every_partnership(request.user):
            readonly.append("predecessor")
        return readonly


class MembershipInline(PartnershipScopedAdmin, admin.TabularInline):
    model = Membership
    partnership_path = "seat__partnership"
    extra = 0
    fields = ["person", "started_on", "ended_on", "note"]
    autocomplete_fields = ["person"]


@admin.register(Seat)
class SeatAdmin(PartnershipScopedAdmin, admin.ModelAdmin):
    partnership_path = "partnership"
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
class MembershipAdmin(PartnershipScopedAdmin, SimpleHistoryAdmin):
    partnership_path = "seat__partnership"
    list_display = ["person", "seat", "started_on", "ended_on"]
    list_filter = ["seat__partnership", "seat__role"]
    list_select_related = ["person", "seat__partnership"]
    search_fields = ["person__name", "seat__title"]
    autocomplete_fields = ["person", "seat"]


@admin.register(Priority, Objective)
class OrderedTextAdmin(PartnershipScopedAdmin, admin.ModelAdmin):
    partnership_path = "partnership"
    list_display = ["text", "partnership", "order"]
    list_editable = ["order"]
    list_filter = ["partnership"]
    list_select_related = ["partnership"]
    search_fields = ["text"]


@admin.register(InitialContent)
class InitialContentAdmin(admin.ModelAdmin):
    list_display = ["key", "loaded_at"]
    readonly_fields = ["key", "loaded_at"]


@admin.register(SiteContact)
class SiteContactAdmin(SimpleHistoryAdmin):
    """One row: the site's own contact details."""

    list_display = ["__str__", "email", "phone"]

    def add_view(self, request, form_url="", extra_context=None):
        # One row: a second "add" opens the row there is. (Checked here, not
        # in has_add_permission, which every admin page's menu asks.)
        existing = SiteContact.objects.first()
        if existing is not None:
            return redirect(
                reverse(f"{self.admin_site.name}:partnerships_sitecontact_change", args=[existing.pk])
            )
        return super().add_view(request, form_url, extra_context)

    def has_delete_permission(self, request, obj=None):
        return False
