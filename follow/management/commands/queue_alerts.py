"""
Queue the email alerts that are due, now. Celery beat runs the same job
every 15 minutes (follow.tasks.queue_alerts); this command is for doing it
by hand. Also deletes subscriptions never confirmed within a week, so an
address typed by mistake is not kept.
"""

from django.core.management.base import BaseCommand

from follow.tasks import queue_alerts


class Command(BaseCommand):
    help = "Queue an email for each confirmed subscription with something new since its last alert."

    def handle(self, *args, **options):
        queued, expired = queue_alerts()
        self.stdout.write(f"Queued {queued} alert(s); deleted {expired} unconfirmed subscription(s).")
