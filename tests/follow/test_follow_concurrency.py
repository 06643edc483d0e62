"""Identical sign-ups for email alerts at the same moment (a double click,
a client retrying, a script), on PostgreSQL: one subscription, one
confirmation email, and never a 500. Real threads, each with its own test
client and database connection; no mocks."""

import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.test import Client

from follow.models import OutgoingEmail, Subscription
from tests.partnerships.factories import PartnershipFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Needs PostgreSQL: SQLite serialises writers on one file lock, so it cannot show the "
    "concurrency production has. Run with DATABASE_URL=postgres://... to include it.",
)


def at_once(count, work):
    """work(index) in `count` threads released together; their results."""
    results, errors = [None] * count, []
    barrier = threading.Barrier(count)

    def target(index):
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as error:  # reported below, so that a failure is not lost in a thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


@pytest.mark.parametrize("with_partnership", [False, True])
def test_60_identical_sign_ups_at_once_make_one_subscription_and_one_email(
    transactional_db, settings, with_partnership
):
    # The same sign-up sent again sends nothing, so it uses up none of the
    # client's limit of sign-ups (10 an hour): every one is answered alike.
    settings.ALERTS_RATE_LIMIT = 10
    partnership = PartnershipFactory() if with_partnership else None
    data = {"email": "Resident@Example.org", "kind": "meeting"}
    if partnership:
        data["partnership"] = partnership.slug

    statuses = at_once(60, lambda _index: Client().post("/alerts/", data).status_code)

    assert statuses == [302] * 60
    assert Subscription.objects.count() == 1
    assert OutgoingEmail.objects.filter(to="resident@example.org").count() == 1
    # And the address is not broken for later: asking again is answered as before.
    assert Client().post("/alerts/", data).status_code == 302
    assert OutgoingEmail.objects.count() == 1


def test_sign_ups_of_one_address_for_different_things_at_once_keep_its_hourly_limit(
    transactional_db, settings
):
    settings.ALERTS_RATE_LIMIT = 0
    statuses = at_once(
        20,
        lambda index: (
            Client()
            .post("/alerts/", {"email": "a@example.org", "kind": "search", "query": f"words {index}"})
            .status_code
        ),
    )
    assert statuses == [302] * 20
    assert Subscription.objects.count() == 20
    assert OutgoingEmail.objects.count() == 5  # alerts.CONFIRMATIONS_PER_HOUR


def test_the_database_refuses_a_second_identical_subscription(transactional_db):
    partnership = PartnershipFactory()
    for where in (None, partnership):
        Subscription.objects.create(email="a@example.org", kind="meeting", partnership=where)
        with pytest.raises(IntegrityError), transaction.atomic():
            Subscription.objects.create(email="a@example.org", kind="meeting", partnership=where)
    assert Subscription.objects.count() == 2


def test_one_address_cannot_send_confirmations_to_a_hundred_recipients(transactional_db, settings):
    settings.ALERTS_RATE_LIMIT = 10
    client = Client(REMOTE_ADDR="192.0.2.7")
    responses = [
        client.post("/alerts/", {"email": f"victim{n}@example.org", "kind": "meeting"}) for n in range(100)
    ]
    assert [r.status_code for r in responses].count(302) == 10
    refused = [r for r in responses if r.status_code == 429]
    assert len(refused) == 90
    assert all(int(r["Retry-After"]) > 0 for r in refused)
    assert "Sorry, we could not sign you up just now" in refused[0].content.decode()
    assert OutgoingEmail.objects.count() == Subscription.objects.count() == 10
    # Another address is not held back by it.
    assert (
        Client(REMOTE_ADDR="192.0.2.8")
        .post("/alerts/", {"email": "me@example.org", "kind": "meeting"})
        .status_code
        == 302
    )


def test_sixty_clients_at_one_address_at_once_are_held_to_its_limit(transactional_db, settings):
    settings.ALERTS_RATE_LIMIT = 10
    statuses = at_once(
        60,
        lambda index: (
            Client(REMOTE_ADDR="192.0.2.9")
            .post("/alerts/", {"email": f"r{index}@example.org", "kind": "meeting"})
            .status_code
        ),
    )
    assert (statuses.count(302), statuses.count(429)) == (10, 50)
    assert OutgoingEmail.objects.count() == Subscription.objects.count() == 10
