import pytest
from django.db import connection
from django.db.models import F
from django.test import override_settings

ADMIN_LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def clerk(django_user_model):
    return django_user_model.objects.create_user(
        "clerk", "clerk@example.org", "correct-horse-battery", is_staff=True
    )


def sign_in(client, password):
    return client.post(ADMIN_LOGIN, {"username": "clerk", "password": password})


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_out_even_with_the_right_password(client, clerk):
    for _ in range(2):
        response = sign_in(client, "wrong-password")
        assert response.status_code == 200  # the form again, with its error
    response = sign_in(client, "wrong-password")
    assert response.status_code == 429
    assert b"Too many attempts to sign in" in response.content
    response = sign_in(client, "correct-horse-battery")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_a_success_before_the_limit_signs_in(client, clerk):
    sign_in(client, "wrong-password")
    response = sign_in(client, "correct-horse-battery")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(clerk.pk)


def test_password_rules_refuse_weak_passwords():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ["password123", "12345678901234", "short"]:
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("a long and unusual pass phrase")


def test_staff_sessions_expire(settings):
    assert 0 < settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST  # the clock restarts with each use


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3, STAFF_SIGN_IN_RATE_LIMIT=0)
def test_the_lockout_page_says_how_long_is_left_from_the_failed_attempts(client, clerk):
    """In plain words, minutes rounded up, from the time of the attempt that
    locked the user name out; Retry-After in seconds."""
    import datetime

    from axes.models import AccessAttempt

    for _ in range(3):
        response = sign_in(client, "wrong-password")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed sign-ins for this user name. Try again in 30 minutes." in page
    assert "PT30M" not in page
    assert 30 * 60 - 5 <= int(response["Retry-After"]) <= 30 * 60

    # Ten and a half minutes on, 19 minutes 30 seconds are left: "20 minutes".
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=10, seconds=30))
    response = sign_in(client, "correct-horse-battery")
    assert response.status_code == 429
    assert "Try again in 20 minutes." in response.content.decode()
    assert 19 * 60 + 25 <= int(response["Retry-After"]) <= 19 * 60 + 30

    # A minute and a half from the end: "2 minutes"; 20 seconds: "1 minute".
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=18))
    assert "Try again in 2 minutes." in sign_in(client, "correct-horse-battery").content.decode()
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(seconds=70))
    response = sign_in(client, "correct-horse-battery")
    assert "Try again in 1 minute." in response.content.decode()
    assert 1 <= int(response["Retry-After"]) <= 20

    # Once the cool-off has passed, the right password signs in.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(seconds=21))
    assert sign_in(client, "correct-horse-battery").status_code == 302


@pytest.mark.django_db
def test_the_sign_in_page_is_the_sites_own_with_plain_messages(client, clerk):
    page = client.get(ADMIN_LOGIN).content.decode()
    assert "govuk-template" in page and "Log in to the staff admin" in page
    response = client.post(ADMIN_LOGIN, {"username": "", "password": ""})
    page = response.content.decode()
    assert "Enter your user name" in page and "Enter your password" in page
    assert 'id="id_username-error"' in page
    response = sign_in(client, "wrong-password")
    page = response.content.decode()
    assert "The user name or password is not right" in page
    assert 'value="clerk"' in page  # the user name typed is kept
    assert "wrong-password" not in page  # the password never is


SPRAYER = "203.0.113.9"


def sign_in_as(client, username, password, address):
    return client.post(ADMIN_LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, STAFF_SIGN_IN_RATE_LIMIT=0)
def test_password_spraying_from_one_address_is_locked_out(client, clerk, settings):
    """Many user names, a few passwords each, from one address: the address
    is locked out after AXES_FAILURE_LIMIT wrong passwords, whatever names
    it tries, and then cannot sign in even to a real account with its real
    password. Another address can."""
    answers = [
        sign_in_as(client, f"staff{n}", password, SPRAYER).status_code
        for n in range(27)
        for password in ["Password1", "Summer2026!", "Welcome123", "Merseyside1"]
    ]
    assert answers[: settings.AXES_FAILURE_LIMIT - 1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert set(answers[settings.AXES_FAILURE_LIMIT :]) == {429}
    response = sign_in_as(client, "clerk", "correct-horse-battery", SPRAYER)
    assert response.status_code == 429
    assert "Too many failed sign-ins from this address. Try again in 30 minutes." in response.content.decode()
    assert "_auth_user_id" not in client.session
    response = sign_in_as(client, "clerk", "correct-horse-battery", "198.51.100.20")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(clerk.pk)


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, STAFF_SIGN_IN_RATE_LIMIT=0)
def test_a_user_name_is_locked_out_from_every_address(client, clerk, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in_as(client, "clerk", "wrong-password", f"198.51.100.{n + 1}")
    response = sign_in_as(client, "clerk", "correct-horse-battery", "192.0.2.77")
    assert response.status_code == 429
    assert b"Too many attempts to sign in" in response.content
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@override_settings(STAFF_SIGN_IN_RATE_LIMIT=3)
def test_sign_in_attempts_from_one_address_are_limited_right_or_wrong(client, clerk):
    from django.core.cache import cache

    cache.clear()
    for password in ["wrong-password", "correct-horse-battery", "wrong-again"]:
        assert sign_in_as(client, "clerk", password, SPRAYER).status_code in (200, 302)
    client.logout()
    response = sign_in_as(client, "clerk", "correct-horse-battery", SPRAYER)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    minutes = -(-int(response["Retry-After"]) // 60)
    assert f"Try again in {minutes} minute" in response.content.decode()
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert b"Too many attempts to sign in" in response.content
    assert "_auth_user_id" not in client.session
    # Password-reset requests count too: no flood of emails from one address.
    response = client.post("/admin/password-reset/", {"email": "clerk@example.org"}, REMOTE_ADDR=SPRAYER)
    assert response.status_code == 429
    # Other addresses are not affected.
    assert sign_in_as(client, "clerk", "correct-horse-battery", "198.51.100.20").status_code == 302


@pytest.fixture
def sefclerk(django_user_model):
    return django_user_model.objects.create_user(
        "sefclerk", "s.clerk@sefton.example.org", "an-old-long-password", is_staff=True
    )


def reset_link(client, email):
    """Ask for a reset from the admin's sign-in page, as a clerk would; the
    link in the queued email."""
    import re

    from django.test import TestCase

    from follow.models import OutgoingEmail

    page = client.get(ADMIN_LOGIN).content.decode()
    assert 'href="/admin/password-reset/"' in page
    form = client.get("/admin/password-reset/")
    assert b"Reset your password" in form.content
    # The background job the request hands the address to runs once the
    # request's work commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/admin/password-reset/", {"email": email})
    assert (response.status_code, response["Location"]) == (302, "/admin/password-reset/sent/")
    assert b"Check your email" in client.get(response["Location"]).content
    emails = list(OutgoingEmail.objects.filter(to=email))
    if not emails:
        return None
    (email,) = emails
    return re.search(r"https?://[^/\s]+(/admin/password-reset/\S+/)", email.body).group(1)


@pytest.mark.django_db
def test_a_clerk_resets_their_password_by_email_and_signs_in_with_it(client, sefclerk):
    link = reset_link(client, "s.clerk@sefton.example.org")
    page = client.get(link, follow=True)
    assert b"Choose a new password" in page.content
    set_password_url = page.redirect_chain[-1][0]

    # A password that contains the user name is refused, beside the field.
    response = client.post(
        set_password_url, {"new_password1": "sefclerk2026abc", "new_password2": "sefclerk2026abc"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your password must not contain your username" in html
    assert 'id="id_new_password2-error"' in html or 'id="id_new_password1-error"' in html
    assert html.count("govuk-error-summary__list") == 1

    response = client.post(
        set_password_url,
        {"new_password1": "tide-lighthouse-pennant", "new_password2": "tide-lighthouse-pennant"},
    )
    assert (response.status_code, response["Location"]) == (302, "/admin/password-reset/done/")
    assert b"Your password has been changed" in client.get(response["Location"]).content
    # The link works once.
    assert b"This link has expired" in client.get(link, follow=True).content
    response = client.post(ADMIN_LOGIN, {"username": "sefclerk", "password": "tide-lighthouse-pennant"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(sefclerk.pk)


@pytest.mark.django_db
def test_a_reset_is_only_for_staff_and_reveals_no_accounts(client, django_user_model):
    django_user_model.objects.create_user("resident", "resident@example.org", "a-long-test-password")
    assert reset_link(client, "resident@example.org") is None
    assert reset_link(client, "nobody@example.org") is None


@pytest.mark.django_db
def test_a_password_containing_the_user_name_is_refused_in_the_admin(django_user_model):
    """A site administrator setting a clerk's password in the admin."""
    from tests.roles import client_for

    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "a-long-test-password")
    client = client_for(admin)
    response = client.post(
        "/admin/auth/user/add/",
        {
            "username": "sefclerk",
            "password1": "SefClerk-2026abc",
            "password2": "SefClerk-2026abc",
            "usable_password": "true",
        },
    )
    assert response.status_code == 200
    assert "Your password must not contain your username" in response.content.decode()
    assert not django_user_model.objects.filter(username="sefclerk").exists()


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, STAFF_SIGN_IN_RATE_LIMIT=0)
def test_attempts_refused_during_a_lockout_count_against_no_user_name(client, clerk, settings):
    """An address locked out (429) keeps trying a clerk's user name: those
    refused attempts must not lock the clerk out everywhere else."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in_as(client, f"nobody{n}", "wrong-password", SPRAYER)
    for _ in range(settings.AXES_FAILURE_LIMIT * 2):
        assert sign_in_as(client, "clerk", "wrong-password", SPRAYER).status_code == 429
    response = sign_in_as(client, "clerk", "correct-horse-battery", "198.51.100.30")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(clerk.pk)


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, STAFF_SIGN_IN_RATE_LIMIT=0)
@pytest.mark.parametrize("length", [151, 256, 5000])
def test_a_user_name_longer_than_the_field_is_a_form_error_not_a_500(client, length):
    response = sign_in_as(client, "x" * length, "wrong-password", "198.51.100.31")
    assert response.status_code == 200
    page = response.content.decode()
    assert "errornote" in page or "govuk-error-summary" in page


# Committed as it goes, so that the job runs in the request as it does
# without a broker (tests/smp_site/test_password_reset.py shows the request's
# own work is the same whatever the address).
@pytest.mark.django_db(transaction=True)
def test_a_reset_takes_as_long_for_a_staff_address_as_for_any_other(client, sefclerk, settings):
    """Timed from the client, as an attacker would: without a broker, the
    answer for a staff address, whose job queues an email in the process, is
    not slower than for an unknown one."""
    import statistics
    import time

    from follow.models import OutgoingEmail

    def timed(email):
        started = time.perf_counter()
        response = client.post("/admin/password-reset/", {"email": email})
        assert response.status_code == 302
        return time.perf_counter() - started

    settings.PASSWORD_RESET_EMAIL_MINUTES = 0  # an email each time: the most work a staff address costs
    staff, unknown = [], []
    for _ in range(5):
        staff.append(timed("s.clerk@sefton.example.org"))
        unknown.append(timed("nobody@example.org"))
    assert OutgoingEmail.objects.filter(to="s.clerk@sefton.example.org").count() == 5
    floor = settings.PASSWORD_RESET_ANSWER_SECONDS
    assert min(staff + unknown) >= floor
    # Both wait out the same floor: what is left is noise, not the work.
    assert abs(statistics.median(staff) - statistics.median(unknown)) < floor / 5


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Needs PostgreSQL: SQLite serialises writers, so it cannot show the race",
)
@pytest.mark.django_db(transaction=True)
def test_twenty_identical_reset_requests_at_once_send_one_email(sefclerk):
    import threading

    from django.core.cache import cache
    from django.db import connections
    from django.test import Client

    from follow.models import OutgoingEmail

    # Twenty attempts are just within the address's limit in a window: start
    # from none. A transactional test's database is flushed after it, but not
    # the cache table (on PostgreSQL), where earlier tests' attempts from this
    # address would still count.
    cache.clear()
    barrier = threading.Barrier(20)
    statuses = []

    def reset():
        try:
            barrier.wait()
            response = Client().post("/admin/password-reset/", {"email": "s.clerk@sefton.example.org"})
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reset) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * 20
    assert OutgoingEmail.objects.filter(to="s.clerk@sefton.example.org").count() == 1
