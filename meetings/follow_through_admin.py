"""
The clerk's side of the follow-through: the work programme (entered in the
admin, moved onto a meeting's agenda with one action), the page where the
clerk records what a meeting reports on earlier actions (linked from the
minutes editor), and the read-only lists of reports and reading copies.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from foundation.admin_mixins import RecordAdminMixin
from partnerships.admin_scope import PartnershipScopedAdmin, restrict
from publishing import operations

from .accessible_papers import AccessibleVersion
from .action_log import ActionStatus, ActionUpdate
from .models import Action, AgendaItem, Meeting
from .work_programme import WorkProgrammeItem


@admin.register(WorkProgrammeItem)
class WorkProgrammeItemAdmin(PartnershipScopedAdmin, SimpleHistoryAdmin):
    partnership_path = "partnership"
    list_display = ["title", "partnership", "when", "lead_display", "on_agenda"]
    list_filter = ["partnership"]
    list_select_related = ["partnership", "planned_meeting__partnership", "lead", "agenda_item"]
    search_fields = ["title", "description", "lead_name", "lead__name"]
    autocomplete_fields = ["planned_meeting", "lead"]
    fields = [
        "partnership",
        "title",
        "description",
        "planned_meeting",
        "planned_month",
        "lead",
        "lead_name",
        "order",
    ]
    actions = ["move_to_agenda"]

    @admin.display(description="Planned for")
    def when(self, item):
        if item.planned_meeting_id:
            return f"Meeting of {item.planned_meeting.date:%-d %B %Y}"
        return f"{item.planned_month:%B %Y}" if item.planned_month else ""

    @admin.display(description="Lead")
    def lead_display(self, item):
        return item.lead_display

    @admin.display(description="On the agenda", boolean=True)
    def on_agenda(self, item):
        return item.is_on_agenda

    @admin.action(description="Move to the agenda of the planned meeting")
    def move_to_agenda(self, request, queryset):
        moved = 0
        for item in queryset.select_related("planned_meeting__partnership", "lead").order_by("order", "pk"):
            if not self.has_change_permission(request, item):
                raise PermissionDenied
            try:
                # Adding to a meeting's agenda is a write of the meeting: one
                # operation, with its rules, effects and history row.
                item.check_move_to_agenda()
                with operations.write_meeting(item.planned_meeting, "edit", user=request.user) as write:
                    item.move_to_agenda(save=write.save)
            except ValidationError as refused:
                self.message_user(request, " ".join(refused.messages), messages.ERROR)
                continue
            moved += 1
        if moved:
            self.message_user(
                request,
                f"Moved {moved} item{'s' if moved != 1 else ''} to the agenda. Number and word "
                "them in the minutes editor before publishing the agenda.",
                messages.SUCCESS,
            )


class ActionReportForm(forms.Form):
    """What this meeting reports on one earlier action."""

    status = forms.ChoiceField(
        choices=[("", "Not reported at this meeting"), *ActionStatus.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    item = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, action, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        # The meeting's items, loaded once for every action's form.
        self.items = {item.pk: item for item in items}
        self.fields["item"].choices = [
            ("", "Choose the minute"),
            *(
                (
                    item.pk,
                    f"Minute No. {item.minute_number}: {item.title}" if item.minute_number else item.title,
                )
                for item in items
            ),
        ]

    def clean(self):
        data = super().clean()
        data["item"] = self.items.get(data.get("item"))
        if data.get("status") and data["item"] is None:
            self.add_error("item", "Choose the minute of this meeting that reports on the action.")
        return data


@admin.register(ActionUpdate)
class ActionUpdateAdmin(RecordAdminMixin, PartnershipScopedAdmin, admin.ModelAdmin):
    """Reports are written on the meeting's page of actions (report_view),
    which keeps each action's status; this list is for reading."""

    partnership_path = "item__meeting__partnership"
    list_display = ["action", "status", "item", "recorded_at"]
    list_filter = ["status"]
    list_select_related = ["action", "item__meeting__partnership"]

    def get_urls(self):
        return [
            path(
                "from-meeting/<int:meeting_id>/",
                self.admin_site.admin_view(self.report_view),
                name="meetings_actionupdate_report",
            ),
            *super().get_urls(),
        ]

    def report_view(self, request, meeting_id):
        """The earlier actions of the meeting's partnership still open, or
        reported on at this meeting, each with what this meeting reports."""
        if not request.user.has_perm("meetings.change_action"):
            raise PermissionDenied
        meeting = get_object_or_404(
            restrict(request.user, Meeting.objects.select_related("partnership"), "partnership"),
            pk=meeting_id,
        )
        items = list(
            AgendaItem.objects.filter(meeting=meeting)
            .only("id", "meeting_id", "minute_number", "title", "order")
            .order_by("order", "minute_number", "pk")
        )
        reported = {update.action_id: update for update in ActionUpdate.objects.filter(item__meeting=meeting)}
        earlier = list(
            Action.objects.filter(
                resolution__item__meeting__partnership=meeting.partnership_id,
                resolution__item__meeting__date__lt=meeting.date,
            )
            .filter(~Q(is_done=True) | Q(pk__in=list(reported)))
            .select_related("owner", "resolution__item__meeting__partnership")
            .order_by("resolution__item__meeting__date", "resolution__item__minute_number", "pk")
        )
        locked = meeting.minutes_are_locked
        forms_by_action = []
        for action in earlier:
            update = reported.get(action.pk)
            initial = {"status": update.status, "item": update.item_id, "note": update.note} if update else {}
            form = ActionReportForm(
                request.POST if request.method == "POST" and not locked else None,
                action=action,
                items=items,
                prefix=f"action-{action.pk}",
                initial=initial,
            )
            forms_by_action.append((action, form))
        posted = request.method == "POST" and not locked
        if posted and all(form.is_valid() for _, form in forms_by_action):
            changed = self._save_reports(meeting, forms_by_action, reported, request.user)
            self.message_user(
                request,
                f"Saved: {changed} report{'s' if changed != 1 else ''} changed."
                if changed
                else "Nothing changed.",
                messages.SUCCESS,
            )
            return redirect(reverse("admin:meetings_actionupdate_report", args=[meeting.pk]))
        errors = [
            (f"id_{form.prefix}-{name}", error)
            for _, form in forms_by_action
            for name, field_errors in form.errors.items()
            for error in field_errors
        ]
        return render(
            request,
            "meetings/admin/action_reports.html",
            {
                "meeting": meeting,
                "rows": forms_by_action,
                "errors": errors,
                "locked": locked,
                "has_items": bool(items),
                "editor_url": reverse("admin:meetings_meeting_editor", args=[meeting.pk]),
            },
            status=200,
        )

    @staticmethod
    def _save_reports(meeting, forms_by_action, reported, user):
        """The reports are records of this meeting's minutes: written as one
        operation on it."""
        changed = 0
        with operations.write_meeting(meeting, "edit", user=user) as write:
            for action, form in forms_by_action:
                status, item, note = (form.cleaned_data.get(name) for name in ("status", "item", "note"))
                previous = reported.get(action.pk)
                withdrawn = previous is not None and (not status or previous.item_id != item.pk)
                if withdrawn:
                    ActionUpdate.withdraw(action, previous.item, delete=write.delete)
                recorded = (
                    bool(status)
                    and ActionUpdate.record(action, item, status, note, save=write.save) is not None
                )
                changed += withdrawn or recorded
        return changed


@admin.register(AccessibleVersion)
class AccessibleVersionAdmin(RecordAdminMixin, PartnershipScopedAdmin, admin.ModelAdmin):
    """The reading copies the background job built, for checking; they are
    built again from the file whenever it changes."""

    partnership_path = "meeting__partnership"
    list_display = ["document", "kind", "meeting", "built_at"]
    list_filter = ["kind"]
    list_select_related = ["document", "meeting__partnership"]
