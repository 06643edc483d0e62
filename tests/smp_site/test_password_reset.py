"""A staff password reset does the same work in the request whatever the
address: the request hands the address to one background job, which looks
the account up and queues the email, or not."""

import re
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from follow.models import OutgoingEmail
from smp_site.tasks import send_staff_password_reset

STAFF = "s.clerk@sefton.example.org"
UNKNOWN = "nobody@example.org"
RESIDENT = "resident@example.org"


@pytest.fixture
def accounts(django_user_model):
    django_user_model.objects.create_user("sefclerk", STAFF, "an-old-long-password", is_staff=True)
    django_user_model.objects.create_user("resident", RESIDENT, "a-long-test-password")


def tables(sql):
    return sorted(set(re.findall(r'(?:FROM|JOIN|INTO|UPDATE)\s+"?(\w+)"?', sql, re.IGNORECASE)))


def statement(sql):
    return sql.split(None, 1)[0].upper()


def reset(client, email, django_capture_on_commit_callbacks):
    """The request's own queries, and the work it handed on (not yet run)."""
    with (
        django_capture_on_commit_callbacks(execute=False) as handed_on,
        CaptureQueriesContext(connection) as queries,
    ):
        response = client.post("/admin/password-reset/", {"email": email})
    assert (response.status_code, response["Location"]) == (302, "/admin/password-reset/sent/")
    return [q["sql"] for q in queries.captured_queries], handed_on


@pytest.mark.django_db
def test_the_request_runs_the_same_queries_for_a_staff_address_as_for_any_other(
    client, accounts, settings, django_capture_on_commit_callbacks
):
    settings.PASSWORD_RESET_ANSWER_SECONDS = 0
    # Once first, so that the address's rate-limit counter exists for all
    # that follow (its first request creates it).
    reset(client, UNKNOWN, django_capture_on_commit_callbacks)
    answers = {
        email: reset(client, email, django_capture_on_commit_callbacks)
        for email in (STAFF, UNKNOWN, RESIDENT)
    }

    shapes = {
        email: [(statement(sql), tables(sql)) for sql in queries] for email, (queries, _) in answers.items()
    }
    assert shapes[STAFF] == shapes[UNKNOWN] == shapes[RESIDENT]
    # Nothing of the kind the lookup would need: no account is read.
    assert not any("auth_user" in used for _statement, used in shapes[STAFF])
    for email, (queries, _) in answers.items():
        assert not any(email in sql for sql in queries), "the request itself looked the address up"
    assert OutgoingEmail.objects.count() == 0

    # Each handed on one job; run, only the staff address's sends an email.
    for _queries, handed_on in answers.values():
        assert len(handed_on) == 1
        handed_on[0]()
    (email,) = OutgoingEmail.objects.all()
    assert email.to == STAFF
    assert email.subject == "Reset your password for the Merseyside Community Safety Partnerships staff admin"
    assert "Someone asked to reset the password of the staff account sefclerk" in email.body
    assert re.search(r"https?://[^/\s]+/admin/password-reset/\S+/", email.body)


@pytest.mark.django_db
def test_the_job_sends_at_most_one_email_an_account_in_the_limit(
    accounts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            send_staff_password_reset(STAFF)
            send_staff_password_reset(UNKNOWN)
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == [STAFF]
    # And sent at once, not left for the next sweep.
    assert OutgoingEmail.objects.get().sent_at is not None


def test_the_job_is_registered_for_the_workers():
    from smp_site.celery import app

    app.loader.import_default_modules()
    assert "smp_site.tasks.send_staff_password_reset" in app.tasks


def post_reset(site, email):
    import requests

    visitor = requests.Session()
    visitor.get(f"{site.url}/admin/password-reset/", timeout=30)
    started = time.monotonic()
    response = visitor.post(
        f"{site.url}/admin/password-reset/",
        {"email": email, "csrfmiddlewaretoken": visitor.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=30,
    )
    assert (response.status_code, response.headers["Location"]) == (302, "/admin/password-reset/sent/")
    return time.monotonic() - started


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_reset_and_a_broker_that_fails_leaves_it_to_the_process(tmp_path, accounts):
    """As production runs: gunicorn hands the address to Redis and a
    separate worker looks it up and sends the email. With the broker gone,
    the job runs in the web process, and the answer waits out the floor."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "the servers are other processes, which cannot open the suite's in-memory SQLite database"
        )
    from tests import services

    broker = services.start_redis()
    env = services.production_environment(
        CELERY_BROKER_URL=broker.url, EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend"
    )
    log = open(tmp_path / "worker.log", "w+")  # noqa: SIM115 (read after the worker stops)
    worker = services.start_celery_worker(env, log)
    site = None
    try:
        site = services.start_gunicorn(env, open(tmp_path / "gunicorn.log", "w+"))  # noqa: SIM115
        post_reset(site, UNKNOWN)
        post_reset(site, STAFF)
        deadline = time.monotonic() + 90  # the worker starts (Django and Celery) on a shared machine
        while not OutgoingEmail.objects.filter(to=STAFF, sent_at__isnull=False).exists():
            assert time.monotonic() < deadline, "the worker did not send the reset email"
            time.sleep(0.2)
        assert list(OutgoingEmail.objects.values_list("to", flat=True)) == [STAFF]
    finally:
        for service in [site, worker]:
            if service is not None:
                service.stop()
    log.seek(0)
    assert log.read().count("smp_site.tasks.send_staff_password_reset") >= 2

    OutgoingEmail.objects.all().delete()
    env = services.production_environment(
        CELERY_BROKER_URL=f"redis://127.0.0.1:{services.free_port()}/0", PASSWORD_RESET_EMAIL_MINUTES="0"
    )
    site = services.start_gunicorn(env, open(tmp_path / "gunicorn-no-broker.log", "w+"))  # noqa: SIM115
    try:
        seconds = post_reset(site, STAFF)
    finally:
        site.stop()
        broker.stop()
    assert OutgoingEmail.objects.filter(to=STAFF).count() == 1
    assert seconds >= 0.25
