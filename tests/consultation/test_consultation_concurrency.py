"""Many residents sending at once, on PostgreSQL (the production database):
every response is saved whole, none twice.

Real threads, each with its own test client (and so its own session and
database connection), against the real database: no mocks."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings

from consultation.models import Answer, Response
from tests.consultation.factories import survey
from tests.consultation.journey import answer_all, send, url
from tests.helpers import at_once

THREADS = 20
SUBMISSIONS = 200

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Needs PostgreSQL: SQLite serialises writers on one file lock, so it cannot show the "
    "concurrency production has. Run with DATABASE_URL=postgres://... to include it.",
)


@override_settings(CONSULTATION_RATE_LIMIT=10_000)
def test_200_submissions_from_20_threads_are_all_saved_whole(transactional_db):
    cache.clear()
    consultation = survey()

    def work(index):
        for n in range(SUBMISSIONS // THREADS):
            client = Client(HTTP_USER_AGENT=f"thread {index}")
            answer_all(client, consultation, comment=f"thread {index} response {n}")
            response = send(client, consultation)
            assert response.status_code == 302 and response.url.startswith(url(consultation, "sent"))

    at_once(THREADS, work)
    assert Response.objects.count() == SUBMISSIONS
    # willing, priorities, district and comment for every one.
    assert Answer.objects.count() == SUBMISSIONS * 4
    comments = set(Answer.objects.filter(question__code="comment").values_list("text", flat=True))
    assert len(comments) == SUBMISSIONS
    assert Response.objects.values("reference").distinct().count() == SUBMISSIONS


@override_settings(CONSULTATION_RATE_LIMIT=10_000)
def test_a_double_submit_of_one_session_saves_one_response(transactional_db):
    cache.clear()
    consultation = survey()
    first = Client()
    answer_all(first, consultation)
    clients = [first]
    for _ in range(THREADS - 1):
        twin = Client()
        twin.cookies = first.cookies  # the same session, as a double click sends it
        clients.append(twin)

    def work(index):
        response = send(clients[index], consultation)
        assert response.status_code == 302 and response.url.startswith(url(consultation, "sent"))

    at_once(THREADS, work)
    assert Response.objects.count() == 1
    assert Answer.objects.count() == 3


@override_settings(CONSULTATION_RATE_LIMIT=30)
def test_a_limit_of_30_admits_exactly_30_of_60_concurrent_residents_at_one_address(transactional_db):
    """Sixty residents behind one address press "Send" at the same moment:
    the counter is tested and raised in one statement, so exactly the limit
    get through and every other is told when to try again."""
    consultation = survey()
    residents = []
    for index in range(60):
        resident = Client(HTTP_USER_AGENT=f"resident {index}")
        answer_all(resident, consultation, comment=f"resident {index}")
        residents.append(resident)
    outcomes = [None] * len(residents)

    def work(index):
        response = send(residents[index], consultation)
        outcomes[index] = (response.status_code, response.get("Retry-After"))

    at_once(len(residents), work)
    statuses = [status for status, _retry in outcomes]
    assert (statuses.count(302), statuses.count(429)) == (30, 30)
    assert all(int(retry) > 0 for status, retry in outcomes if status == 429)
    assert Response.objects.count() == 30
