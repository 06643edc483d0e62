"""
Email alerts: signed links, the emails themselves, and the queue.

Every email is recorded in OutgoingEmail and sent by a background job
(follow.tasks.send_email) once that row commits, so no page waits for the
mail server and a failed send is tried again. Which alerts are due is
decided by the periodic job `queue_alerts` (every 15 minutes): for each
confirmed subscription, what was published after the last thing it was told
about (see Subscription.last_seen_id). Deciding and sending are separate so
that an alert is queued exactly once even when the mail server is down for
a day.
"""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse
from django.utils import timezone

from foundation.jobs import queue_after_commit
from foundation.text import in_sentence
from meetings.models import is_backlog
from search.models import SearchEntry

from .models import Announcement, OutgoingEmail, Publication, Subscription

CONFIRM_SALT = "follow.confirm"
UNSUBSCRIBE_SALT = "follow.unsubscribe"
# A confirmation link works for a week; unconfirmed addresses are then deleted.
CONFIRM_DAYS = 7
CONFIRM_SUBJECT = "Confirm your email alerts"
CONFIRMATIONS_PER_HOUR = 5
# At most this many items in one alert; the email links to the rest.
ALERT_ITEMS = 20


def confirm_url(subscription):
    token = signing.dumps(subscription.pk, salt=CONFIRM_SALT)
    return f"{settings.SITE_URL}{reverse('follow:confirm', args=[token])}"


def unsubscribe_url(subscription):
    token = signing.dumps(subscription.pk, salt=UNSUBSCRIBE_SALT)
    return f"{settings.SITE_URL}{reverse('follow:unsubscribe', args=[token])}"


def subscription_from(token, salt, max_age=None):
    """The subscription a signed link names, or None (bad, expired or gone)."""
    try:
        pk = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None
    return (
        Subscription.objects.select_related("partnership").filter(pk=pk).first()
        if isinstance(pk, int)
        else None
    )


FOOTER = (
    "\n\n--\nYou get this email because you asked for alerts about {what} from {site}.\n"
    "Stop these emails (one click): {unsubscribe}\n"
    "We use your email address for these alerts and nothing else."
)


def queue(subscription, subject, text):
    from .tasks import send_email

    url = unsubscribe_url(subscription)
    email = OutgoingEmail.objects.create(
        to=subscription.email,
        subscription=subscription,
        subject=subject,
        body=text + FOOTER.format(what=subscription.description, site=settings.SITE_NAME, unsubscribe=url),
        unsubscribe_url=url,
    )
    queue_after_commit(send_email, email.pk)


def queue_confirmation(subscription):
    queue(
        subscription,
        f"{CONFIRM_SUBJECT} from {settings.SITE_NAME}",
        f"Someone, probably you, asked for emails about {subscription.description}.\n\n"
        f"To start them, confirm your email address by opening this link:\n{confirm_url(subscription)}\n\n"
        f"The link works for {CONFIRM_DAYS} days. If you did not ask for these emails, ignore this one: "
        "we will send nothing more and delete your address.",
    )


def may_send_confirmation(subscription):
    """Whether to queue another confirmation: the form must not become a way
    to flood someone's inbox, so at most one an hour for one subscription
    and CONFIRMATIONS_PER_HOUR for one address."""
    recent = OutgoingEmail.objects.filter(
        to=subscription.email,
        created_at__gte=timezone.now() - datetime.timedelta(hours=1),
        subject__startswith=CONFIRM_SUBJECT,
    )
    # By the subscription, not its signed links: they carry the second they
    # were signed in, so two requests a second apart would both pass.
    if recent.filter(subscription=subscription).exists():
        return False
    return recent.count() < CONFIRMATIONS_PER_HOUR


def high_water_mark(kind):
    model = SearchEntry if kind == Subscription.Kind.SEARCH else Publication
    return model.objects.aggregate(top=Max("pk"))["top"] or 0


def confirm(subscription, now):
    """Start alerts from now: only what is published after confirming."""
    if subscription.confirmed_at is None:
        subscription.confirmed_at = now
        subscription.last_seen_id = high_water_mark(subscription.kind)
        subscription.save(update_fields=["confirmed_at", "last_seen_id"])


def new_items(subscription):
    """(lines of the email, the new high-water mark) for what is new."""
    if subscription.kind == Subscription.Kind.SEARCH:
        top = high_water_mark(Subscription.Kind.SEARCH)
        told = Announcement.objects.filter(subscription=subscription)
        results = (
            SearchEntry.objects.filter(pk__gt=subscription.last_seen_id, pk__lte=top)
            # What it was told of already (withdrawn, then published again).
            .exclude(Exists(told.filter(kind=OuterRef("kind"), object_id=OuterRef("object_id"))))
            .search(subscription.query, partnership=subscription.partnership, limit=ALERT_ITEMS)
        )
        # The clerk's backlog (a past meeting entered or imported now) is not
        # news: by the one rule every path proposes archive entry by.
        entries = [entry for entry in results.entries if not is_backlog(entry.date)]
        Announcement.objects.bulk_create(
            [Announcement(subscription=subscription, kind=e.kind, object_id=e.object_id) for e in entries],
            ignore_conflicts=True,
        )
        lines = [f"{entry.title} ({entry.context})\n{settings.SITE_URL}{entry.url}" for entry in entries]
        return lines, top
    publications = Publication.objects.public().filter(
        kind=subscription.kind, pk__gt=subscription.last_seen_id
    )
    if subscription.partnership_id:
        publications = publications.filter(partnership_id=subscription.partnership_id)
    publications = list(publications.with_meetings().order_by("pk")[:ALERT_ITEMS])
    lines = []
    for publication in publications:
        meeting = publication.meeting
        label = "Minutes published" if publication.kind == Publication.Kind.MINUTES else "New meeting"
        lines.append(
            f"{label}: {meeting.partnership.name}, {meeting.date:%-d %B %Y} ({in_sentence(meeting.label)})"
            f"\n{settings.SITE_URL}{meeting.get_absolute_url()}"
        )
    return lines, (publications[-1].pk if publications else subscription.last_seen_id)


def queue_alert(subscription):
    """Queue one email with what is new for this subscription, if anything,
    and move its mark in the same transaction: never sent twice, never lost."""
    with transaction.atomic():
        lines, mark = new_items(subscription)
        if lines:
            search_url = ""
            if subscription.kind == Subscription.Kind.SEARCH:
                query = urlencode({"q": subscription.query})
                search_url = f"\n\nAll results: {settings.SITE_URL}{reverse('search:search')}?{query}"
            queue(
                subscription,
                f"{len(lines)} update{'s' if len(lines) != 1 else ''}: {subscription.description}"[:300],
                "New since our last email:\n\n" + "\n\n".join(lines) + search_url,
            )
        if mark != subscription.last_seen_id:
            Subscription.objects.filter(pk=subscription.pk).update(last_seen_id=mark)
        return bool(lines)
