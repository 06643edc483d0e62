"""
Signing up for email alerts: the one write behind the alerts form.

Two identical sign-ups at the same moment (a double click, a retrying
client, a script) make one subscription and at most one confirmation email:
the database refuses a second row (Subscription's unique constraints) and
get_or_create then reads the first; the decision to send is taken holding
a lock on the address's subscriptions, so two requests cannot both see "no
confirmation sent yet". Each answer is the same page, so the form never
tells anyone whether an address is subscribed.
"""

from django.db import transaction

from . import alerts
from .models import Subscription


def sign_up(email, kind, partnership, query, admit=None):
    """The subscription for this address and this thing asked for, made if
    new; a confirmation is queued unless it is confirmed already or one was
    sent within the hour (alerts.may_send_confirmation), and only if
    `admit()` (the client's limit of emails, counting this one) allows it.
    Returns (subscription, refused): refused if `admit` said no, and then a
    subscription made by this request is not kept."""
    email = email.strip().lower()
    subscription, created = Subscription.objects.get_or_create(
        email=email, kind=kind, partnership=partnership, query=query
    )
    if subscription.confirmed_at is not None:
        return subscription, False
    with transaction.atomic():
        # Every subscription of the address is locked, so that the limit per
        # address (across kinds) holds too: each request's own row committed
        # before it locks, so of two racing requests the later locker waits.
        locked = list(Subscription.objects.select_for_update().filter(email=email).order_by("pk"))
        subscription = next((row for row in locked if row.pk == subscription.pk), None)
        if subscription is None:  # unsubscribed in between
            return None, False
        if subscription.confirmed_at is None and alerts.may_send_confirmation(subscription):
            if admit is not None and not admit():
                if created:
                    subscription.delete()
                return None, True
            alerts.queue_confirmation(subscription)
    return subscription, False
