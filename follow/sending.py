"""
Sending the emails recorded in OutgoingEmail. The row is the record of what
was sent, when, after how many attempts and with what last error (shown to
site administrators in the admin); Celery does the sending (follow.tasks):
at once after the row commits, then again with exponential back-off while
the mail server refuses, up to MAX_ATTEMPTS in all.
"""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from .models import OutgoingEmail

MAX_ATTEMPTS = 10
KEEP_SENT_DAYS = 30
# The first retry after a minute, then 2, 4, 8... minutes, at most 6 hours:
# ten attempts span about a day and a half of a mail server being down.
FIRST_RETRY_SECONDS = 60
LONGEST_RETRY_SECONDS = 6 * 60 * 60


def retry_delay(attempts):
    return min(FIRST_RETRY_SECONDS * 2 ** (attempts - 1), LONGEST_RETRY_SECONDS)


def unsent():
    return OutgoingEmail.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)


def send(pk, connection=None):
    """Try to send one email, recording the attempt. Returns the row (None if
    it is sent already, gone, given up on, or being sent by another worker)."""
    with transaction.atomic():
        # The row lock makes two workers that pick up the same email (a
        # retry and a sweep) send it once.
        email = unsent().select_for_update(skip_locked=True).filter(pk=pk).first()
        if email is None:
            return None
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
            connection=connection or get_connection(fail_silently=False),
        )
        email.attempts += 1
        try:
            message.send()
        except Exception as error:  # any transport failure: record it, try again later
            email.last_error = f"{type(error).__name__}: {error}"[:1000]
        else:
            email.sent_at = timezone.now()
            email.last_error = ""
        email.save(update_fields=["attempts", "sent_at", "last_error"])
        return email


def send_unsent(limit=200):
    """Send what is waiting, oldest first: (sent, failed)."""
    sent = failed = 0
    connection = get_connection(fail_silently=False)
    for pk in list(unsent().order_by("pk").values_list("pk", flat=True)[:limit]):
        email = send(pk, connection)
        if email is not None:
            sent += email.sent_at is not None
            failed += email.sent_at is None
    return sent, failed


def delete_old_sent():
    OutgoingEmail.objects.filter(
        sent_at__lt=timezone.now() - datetime.timedelta(days=KEEP_SENT_DAYS)
    ).delete()


def never_tried(older_than_seconds):
    """Emails recorded but never tried after a while: their job was lost
    (the broker was down when the page queued it). Failed ones are retried
    by their own job, with back-off."""
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    return unsent().filter(attempts=0, created_at__lt=cutoff)
