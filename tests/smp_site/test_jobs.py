"""Background jobs on Celery: with no broker they run in the process at
once (a laptop's `make run`); with Redis, a real worker runs what a page
queued; email that fails is recorded and retried with back-off."""

import time

import pytest
import requests
from celery.exceptions import Retry
from django.conf import settings as django_settings
from django.core import mail
from django.core.files.base import ContentFile
from django.db import connection

from follow import sending
from follow.models import OutgoingEmail
from follow.tasks import send_email
from search.models import SearchEntry
from smp_site.celery import app as celery_app
from tests import services
from tests.documents import docx_bytes
from tests.meetings.factories import DocumentFactory

ALERTS = "/alerts/"


def subscribe(client):
    return client.post(ALERTS, {"email": "resident@example.org", "kind": "meeting"})


@pytest.mark.django_db
def test_with_no_broker_the_confirmation_is_sent_as_the_page_answers(
    client, django_capture_on_commit_callbacks
):
    assert celery_app.conf.task_always_eager
    # The callbacks run as the request's transaction commits, as they do
    # when `make run` serves the page.
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client)
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["resident@example.org"] and "Confirm" in message.subject
    # The record of what was sent stays, for the admin.
    email = OutgoingEmail.objects.get()
    assert email.sent_at is not None and email.attempts == 1


@pytest.mark.django_db
def test_a_failed_send_is_recorded_and_retried_with_growing_delays(client, settings):
    subscribe(client)
    email = OutgoingEmail.objects.get()
    settings.EMAIL_BACKEND = "tests.helpers.BrokenBackend"
    # As a worker runs it (not eagerly): the failure is recorded, then the
    # task asks Celery to run it again later.
    with pytest.raises(Retry):
        send_email.run(email.pk)
    email.refresh_from_db()
    assert (email.sent_at, email.attempts) == (None, 1)
    assert "ConnectionRefusedError" in email.last_error
    delays = [sending.retry_delay(attempt) for attempt in range(1, sending.MAX_ATTEMPTS)]
    assert delays[:4] == [60, 120, 240, 480] and delays == sorted(delays)
    assert sending.retry_delay(30) == sending.LONGEST_RETRY_SECONDS
    # The mail server mended: the next try sends it, once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_email.run(email.pk)
    send_email.run(email.pk)
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.sent_at is not None and email.last_error == ""


@pytest.mark.django_db
def test_document_text_is_extracted_after_the_save_commits(
    django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    document = DocumentFactory(title="Annual plan")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document.file.save("plan.docx", ContentFile(docx_bytes("Reducing knife crime in Bootle")), save=True)
    # Found by its title at once; the text is read after the save, by a job.
    entry = SearchEntry.objects.get(kind="document")
    assert entry.title == "Annual plan" and "Bootle" not in entry.body
    for callback in callbacks:
        callback()
    entry.refresh_from_db()
    assert "Reducing knife crime in Bootle" in entry.body


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_what_a_page_queued(tmp_path):
    """As production runs: a resident subscribes on gunicorn, the page queues
    the confirmation on Redis, and a separate worker sends it."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "the servers are other processes, which cannot open the suite's in-memory SQLite database"
        )
    broker = services.start_redis()
    env = services.production_environment(
        CELERY_BROKER_URL=broker.url, EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend"
    )
    log = open(tmp_path / "worker.log", "w+")  # noqa: SIM115 (read after the worker stops)
    worker = services.start_celery_worker(env, log)
    site = None
    try:
        site = services.start_gunicorn(env, open(tmp_path / "gunicorn.log", "w+"))  # noqa: SIM115
        resident = requests.Session()
        resident.get(f"{site.url}{ALERTS}", timeout=30)
        response = resident.post(
            f"{site.url}{ALERTS}",
            {
                "email": "resident@example.org",
                "kind": "meeting",
                "csrfmiddlewaretoken": resident.cookies["csrftoken"],
            },
            allow_redirects=False,
            timeout=30,
        )
        assert response.status_code == 302, response.text[:1000]
        email = OutgoingEmail.objects.get()
        # Generous: the worker starts (Django and Celery) on a shared machine.
        deadline = time.monotonic() + 90
        while email.sent_at is None and time.monotonic() < deadline:
            time.sleep(0.2)
            email.refresh_from_db()
        log.seek(0)
        assert email.sent_at is not None, f"the worker did not send the email:\n{log.read()}"
        assert email.attempts == 1
    finally:
        for service in [site, worker, broker]:
            if service is not None:
                service.stop()
    log.seek(0)
    output = log.read()
    assert "follow.tasks.send_email" in output and "Confirm your email alerts" in output


def test_every_periodic_job_is_a_registered_task():
    celery_app.loader.import_default_modules()
    schedule = django_settings.CELERY_BEAT_SCHEDULE
    assert {entry["task"] for entry in schedule.values()} == {
        "follow.tasks.queue_alerts",
        "follow.tasks.send_unsent_email",
    }
    assert all(entry["task"] in celery_app.tasks for entry in schedule.values())
    assert schedule["queue-alerts"]["schedule"] == 15 * 60


@pytest.mark.django_db
@pytest.mark.parametrize("others", [1, 30])
def test_subscribing_and_sending_costs_the_same_queries_at_any_size(
    client, settings, others, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    # The limit per client counted, but high enough for every sign-up here.
    settings.ALERTS_RATE_LIMIT = 1000
    for n in range(others):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(ALERTS, {"email": f"other{n}@example.org", "kind": "meeting"})
    # With the limit per client (a test, then a count) and the lock on the
    # address's subscriptions that makes racing sign-ups send one email.
    with django_assert_max_num_queries(16), django_capture_on_commit_callbacks(execute=True):
        subscribe(client)
    assert len(mail.outbox) == others + 1
