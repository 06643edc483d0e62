"""
Queue the email alerts that are due (run by a scheduler, every 15 minutes or
so; `send_queued_email` then sends them). Also deletes subscriptions never
confirmed within a week, so an address typed by mistake is not kept.
"""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from follow import alerts
from follow.models import Subscription


class Command(BaseCommand):
    help = "Queue an email for each confirmed subscription with something new since its last alert."

    def handle(self, *args, **options):
        now = timezone.now()
        expired, _ = Subscription.objects.filter(
            confirmed_at__isnull=True, created_at__lt=now - datetime.timedelta(days=alerts.CONFIRM_DAYS)
        ).delete()
        queued = 0
        subscriptions = Subscription.objects.filter(confirmed_at__isnull=False).select_related("partnership")
        for subscription in subscriptions.iterator(chunk_size=500):
            queued += alerts.queue_alert(subscription)
        self.stdout.write(f"Queued {queued} alert(s); deleted {expired} unconfirmed subscription(s).")
