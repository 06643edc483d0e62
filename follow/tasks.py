"""
The background jobs of alerts and email (Celery; see smp_site/celery.py).
Plain functions to call with .delay() (or through foundation.jobs, once the
transaction that recorded the work commits).
"""

import datetime

from celery import shared_task
from django.utils import timezone

from . import alerts, sending
from .models import Subscription

# A recorded email not tried within this long lost its job; the sweep sends it.
LOST_AFTER_SECONDS = 5 * 60


@shared_task(bind=True, max_retries=sending.MAX_ATTEMPTS - 1)
def send_email(self, pk):
    """Send one OutgoingEmail; while the mail server refuses, try again with
    exponential back-off (the row records each attempt and its error)."""
    email = sending.send(pk)
    if email is None or email.sent_at is not None:
        return
    if email.attempts < sending.MAX_ATTEMPTS and not self.request.is_eager:
        raise self.retry(countdown=sending.retry_delay(email.attempts))


@shared_task
def send_unsent_email():
    """The periodic sweep: emails whose job was lost, and old sent ones deleted."""
    for pk in sending.never_tried(LOST_AFTER_SECONDS).values_list("pk", flat=True)[:1000]:
        send_email.delay(pk)
    sending.delete_old_sent()


@shared_task
def queue_alerts():
    """Queue an alert for each confirmed subscription with something new,
    and delete subscriptions never confirmed within a week. Returns
    (alerts queued, unconfirmed subscriptions deleted)."""
    now = timezone.now()
    expired, _ = Subscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=now - datetime.timedelta(days=alerts.CONFIRM_DAYS)
    ).delete()
    queued = 0
    subscriptions = Subscription.objects.filter(confirmed_at__isnull=False).select_related("partnership")
    for subscription in subscriptions.iterator(chunk_size=500):
        queued += alerts.queue_alert(subscription)
    return queued, expired
