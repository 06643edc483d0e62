"""
The alert tables for site administrators: who has asked for what, and the
outgoing email queue. Both hold residents' email addresses, so only the Site
administrator role sees them (migration 0003), and nothing here is typed in
by hand: subscriptions come from the public form and its confirmation link,
emails from the alerts and confirmations the site sends.
"""

from django.contrib import admin, messages
from django.db.models import Q

from foundation.jobs import queue_after_commit

from .models import OutgoingEmail, Subscription
from .sending import MAX_ATTEMPTS
from .tasks import send_email


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ["email", "kind", "partnership", "query", "confirmed_at", "created_at"]
    list_filter = ["kind", ("confirmed_at", admin.EmptyFieldListFilter), "partnership"]
    list_select_related = ["partnership"]
    search_fields = ["email", "query"]
    date_hierarchy = "created_at"

    def has_change_permission(self, request, obj=None):
        # Only the subscriber changes what they get (by the links in every
        # email); an administrator may delete a subscription on request.
        return False


class QueueStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"
    STATES = {
        "queued": Q(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS),
        "given-up": Q(sent_at__isnull=True, attempts__gte=MAX_ATTEMPTS),
        "sent": Q(sent_at__isnull=False),
    }

    def lookups(self, request, model_admin):
        return [
            ("queued", "Waiting to be sent"),
            ("given-up", f"Given up after {MAX_ATTEMPTS} attempts"),
            ("sent", "Sent"),
        ]

    def queryset(self, request, queryset):
        state = self.STATES.get(self.value())
        return queryset.filter(state) if state is not None else queryset


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdmin):
    list_display = ["subject", "to", "created_at", "status", "attempts", "last_error"]
    list_filter = [QueueStatusFilter]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    actions = ["try_again"]

    @admin.display(description="status")
    def status(self, email):
        if email.sent_at:
            return f"Sent {email.sent_at:%-d %b %Y %H:%M}"
        if email.attempts >= MAX_ATTEMPTS:
            return "Given up"
        return "Waiting" if not email.attempts else "Failed; will try again"

    @admin.action(description="Try sending the selected unsent emails again", permissions=["change"])
    def try_again(self, request, queryset):
        """After the mail server is mended: emails given up on are tried
        again, from the first attempt."""
        unsent = list(queryset.filter(sent_at__isnull=True).values_list("pk", flat=True))
        OutgoingEmail.objects.filter(pk__in=unsent).update(attempts=0, last_error="")
        for pk in unsent:
            queue_after_commit(send_email, pk)
        self.message_user(request, f"{len(unsent)} email(s) are being sent again.", messages.SUCCESS)
