"""
Staff build a consultation here: its questions inline on the consultation,
each question's choices inline on the question's own page (Django's admin
does not nest inlines; "Change" on a question row opens it).

Once a consultation has responses, its questions and choices are locked
against the changes that would corrupt the answers already given: no removing
a question or choice, no changing a code (the stored answers and exports use
it), a question's kind or whether it is equality monitoring. Wording, hints
and order can still be corrected, and new questions and choices added.
"""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from foundation.admin_mixins import RecordAdminMixin

from .models import Choice, Consultation, Question, Response, ResponseDeletion

LOCKED_MESSAGE = (
    "This consultation has responses, so its questions and choices cannot be removed and their codes, "
    "kinds and equality-monitoring setting cannot change: that would corrupt the answers already given. "
    "You can still correct wording, hints and order, and add questions and choices."
)
ADMIN_DELETION_REASON = "Deleted by staff in the admin."
LOCKED_QUESTION_FIELDS = ["code", "kind", "equality_monitoring"]
LOCKED_CHOICE_FIELDS = ["code", "is_other", "is_exclusive"]


def _has_responses(consultation):
    return consultation is not None and consultation.pk and consultation.responses.exists()


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["order", "code", "text", "kind", "required", "equality_monitoring"]
    show_change_link = True  # choices, hint and limits are on the question's own page

    def get_readonly_fields(self, request, obj=None):
        return LOCKED_QUESTION_FIELDS if _has_responses(obj) else []

    def has_delete_permission(self, request, obj=None):
        return not _has_responses(obj) and super().has_delete_permission(request, obj)


@admin.register(Consultation)
class ConsultationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "opens_at", "closes_at", "results_published", "response_count"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [QuestionInline]
    actions = ["destroy_duplicate_key"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "run_by", "summary", "background", "time_to_complete"]}),
        ("Dates", {"fields": ["opens_at", "closes_at", "delete_responses_after"]}),
        ("Privacy", {"fields": ["privacy_notice"]}),
        ("Results", {"fields": ["results_published", "outcome", "links"]}),
    ]
    readonly_fields = ["links"]

    def has_delete_permission(self, request, obj=None):
        # Responses go only through the recorded deletion (retention page or
        # the responses list), never silently with their consultation.
        return not _has_responses(obj) and super().has_delete_permission(request, obj)

    @admin.display(description="Responses")
    def response_count(self, obj):
        return obj.responses.count()

    @admin.display(description="Preview, results and export")
    def links(self, obj):
        if not obj.pk:
            return "Save first."
        return format_html(
            '<a href="{}">Preview the start page</a> · <a href="{}">Results</a> · <a href="{}">Export CSV</a>'
            ' · <a href="{}">Key in a paper response</a>',
            obj.get_absolute_url(),
            reverse("consultation:staff_results", args=[obj.slug]),
            reverse("consultation:export", args=[obj.slug]),
            reverse("consultation:key_in", args=[obj.slug]),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if request.method == "GET" and _has_responses(obj):
            messages.info(request, LOCKED_MESSAGE)
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description="Destroy the duplicate-checking key (after analysis)")
    def destroy_duplicate_key(self, request, queryset):
        for consultation in queryset:
            consultation.destroy_client_hashes()
        self.message_user(request, "The keys are destroyed: stored device hashes can no longer be matched.")


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0
    fields = ["order", "code", "label", "hint", "is_other", "is_exclusive"]

    def get_readonly_fields(self, request, obj=None):
        return LOCKED_CHOICE_FIELDS if obj and _has_responses(obj.consultation) else []

    def has_delete_permission(self, request, obj=None):
        locked = obj is not None and _has_responses(obj.consultation)
        return not locked and super().has_delete_permission(request, obj)


@admin.register(Question)
class QuestionAdmin(SimpleHistoryAdmin):
    list_display = ["text", "consultation", "order", "kind", "required"]
    list_filter = ["consultation"]
    inlines = [ChoiceInline]

    def get_readonly_fields(self, request, obj=None):
        return LOCKED_QUESTION_FIELDS + ["consultation"] if obj and _has_responses(obj.consultation) else []

    def has_delete_permission(self, request, obj=None):
        locked = obj is not None and _has_responses(obj.consultation)
        return not locked and super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if request.method == "GET" and obj and _has_responses(obj.consultation):
            messages.info(request, LOCKED_MESSAGE)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    """Staff review suspected duplicates here and exclude responses, with a
    reason. New paper responses are keyed in on the consultation's "Key in"
    page, which asks the questions as the resident saw them."""

    list_display = ["reference", "consultation", "submitted_at", "channel", "district", "status"]
    list_filter = ["consultation", "status", "channel"]
    search_fields = ["reference"]
    fields = ["consultation", "reference", "submitted_at", "channel", "district", "status", "status_reason"]
    readonly_fields = ["consultation", "reference", "submitted_at", "channel", "district"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data or "status_reason" in form.changed_data:
            obj.status_changed_by = request.user
        super().save_model(request, obj, form, change)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class ReasonRequired(form):
            def clean(self):
                cleaned = super().clean()
                if cleaned.get("status") == Response.Status.EXCLUDED and not cleaned.get("status_reason"):
                    self.add_error("status_reason", "Give the reason for excluding this response.")
                return cleaned

        return ReasonRequired

    def delete_model(self, request, obj):
        Response.objects.filter(pk=obj.pk).delete_recorded(request.user, ADMIN_DELETION_REASON)

    def delete_queryset(self, request, queryset):
        queryset.delete_recorded(request.user, ADMIN_DELETION_REASON)


@admin.register(ResponseDeletion)
class ResponseDeletionAdmin(RecordAdminMixin, admin.ModelAdmin):
    """The record of deletions: read only."""

    list_display = ["consultation", "deleted_at", "deleted_by", "count", "reason"]
    readonly_fields = ["consultation", "deleted_at", "deleted_by", "count", "references", "reason"]
