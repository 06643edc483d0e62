"""
Send the queued emails (run by a scheduler every minute or so). Each message
is sent on its own: one that fails stays queued with its attempt count and
error, and is tried again next run, up to MAX_ATTEMPTS. Sent messages are
deleted after KEEP_SENT_DAYS (the address is kept for nothing else).
Safe to run twice at once on PostgreSQL (rows are locked, skipping those
another run holds).
"""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from follow.models import OutgoingEmail

MAX_ATTEMPTS = 10
KEEP_SENT_DAYS = 30
BATCH = 200


class Command(BaseCommand):
    help = "Send queued emails; failures stay queued to be retried."

    def handle(self, *args, **options):
        sent = failed = 0
        connection = get_connection(fail_silently=False)
        pending = OutgoingEmail.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS).order_by("pk")
        for pk in list(pending.values_list("pk", flat=True)[:BATCH]):
            with transaction.atomic():
                email = pending.select_for_update(skip_locked=True).filter(pk=pk).first()
                if email is None:
                    continue  # sent by another run meanwhile
                headers = {}
                if email.unsubscribe_url:
                    # RFC 2369 and RFC 8058: mail apps show their own one-click button.
                    headers["List-Unsubscribe"] = f"<{email.unsubscribe_url}>"
                    headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
                message = EmailMessage(
                    email.subject,
                    email.body,
                    settings.DEFAULT_FROM_EMAIL,
                    [email.to],
                    headers=headers,
                    connection=connection,
                )
                email.attempts += 1
                try:
                    message.send()
                except Exception as error:  # noqa: BLE001 (any transport failure: keep it queued)
                    email.last_error = f"{type(error).__name__}: {error}"[:1000]
                    failed += 1
                else:
                    email.sent_at = timezone.now()
                    email.last_error = ""
                    sent += 1
                email.save(update_fields=["attempts", "sent_at", "last_error"])
        OutgoingEmail.objects.filter(
            sent_at__lt=timezone.now() - datetime.timedelta(days=KEEP_SENT_DAYS)
        ).delete()
        self.stdout.write(f"Sent {sent}; {failed} failed and stay queued.")
