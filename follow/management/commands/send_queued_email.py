"""
Send every email still waiting, now, in this process: for a site with no
Celery worker, or after mending the mail server. Normally each email is sent
by its own job (follow.tasks.send_email) as soon as it is recorded. Each
message is sent on its own: one that fails stays unsent with its attempt
count and error, up to MAX_ATTEMPTS. Sent messages are deleted after
KEEP_SENT_DAYS (the address is kept for nothing else).
"""

from django.core.management.base import BaseCommand

from follow import sending

MAX_ATTEMPTS = sending.MAX_ATTEMPTS


class Command(BaseCommand):
    help = "Send queued emails; failures stay queued to be retried."

    def handle(self, *args, **options):
        sent, failed = sending.send_unsent()
        sending.delete_old_sent()
        self.stdout.write(f"Sent {sent}; {failed} failed and stay queued.")
