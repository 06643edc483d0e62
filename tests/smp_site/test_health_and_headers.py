import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection

from tests.consultation.factories import survey
from tests.helpers import ROOT
from tests.meetings.factories import AgendaItemFactory, DocumentFactory


def test_healthz_is_liveness_and_needs_no_database(client):
    # Liveness only (tests/smp_site/test_readiness.py has the dependencies): a
    # database outage must not get every app server restarted.
    def database_down(execute, sql, params, many, context):
        raise OperationalError("could not connect to server")

    with connection.execute_wrapper(database_down):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.django_db
def test_security_headers_on_public_pages(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]
    policy = response["Content-Security-Policy"]
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
    ]:
        assert directive in policy
    assert "unsafe-inline" not in policy


def test_check_deploy_is_clean_under_production_settings():
    env = {
        key: value
        for key, value in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE leaks in from the browser tests' conftest
        # when the suites run together; production never sets it.
        if key
        not in {
            "DEBUG",
            "SECURE_SSL_REDIRECT",
            "SECURE_COOKIES",
            "SECURE_HSTS_SECONDS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(
        DJANGO_SETTINGS_MODULE="smp_site.settings",
        SECRET_KEY="x" * 30 + "a-long-random-looking-production-key-1234567890",
        ALLOWED_HOSTS="www.example.org",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# The policy on every kind of response a visitor gets.
@pytest.fixture
def public_urls(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = AgendaItemFactory(minute_number=3)
    document = DocumentFactory(meeting=item.meeting, title="Agenda pack")
    document.file = SimpleUploadedFile("agenda.pdf", b"%PDF-1.7 agenda")
    document.save()
    consultation = survey()
    return {
        "home": "/",
        "meeting": item.meeting.get_absolute_url(),
        "survey": consultation.get_absolute_url(),
        "survey question": f"{consultation.get_absolute_url()}questions/1/",
        "document": document.get_absolute_url(),
    }


@pytest.mark.parametrize("page", ["home", "meeting", "survey", "survey question", "document"])
def test_every_kind_of_response_carries_the_security_policy(client, public_urls, page):
    # secure=True: as served in production, over HTTPS behind the proxy.
    response = client.get(public_urls[page], secure=True, follow=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert (
        "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    )
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    # Framing is refused: by CSP on pages, by the sandbox on downloads.
    assert "frame-ancestors 'none'" in policy or "sandbox" in policy
    assert response["X-Frame-Options"] == "DENY"
    if page == "document":
        assert response["Content-Disposition"].startswith("attachment;")
    else:
        assert (
            "default-src 'self'" in policy and "script-src 'self'" in policy and "style-src 'self'" in policy
        )


def test_hsts_is_only_sent_over_https(client, public_urls):
    assert "Strict-Transport-Security" not in client.get("/")


def test_cookies_are_secure_httponly_and_same_site_in_production():
    # The production defaults (DEBUG off, SECURE_COOKIES unset), which the
    # test settings keep.
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == settings.CSRF_COOKIE_SAMESITE == "Lax"


@pytest.mark.django_db
def test_the_cookies_a_visitor_gets_carry_the_flags(client, public_urls, django_user_model):
    # The survey's form sets the CSRF cookie; a staff sign-in the session.
    response = client.get(public_urls["survey question"], secure=True)
    csrf = response.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    django_user_model.objects.create_user("staff", password="a-long-test-password", is_staff=True)
    client.get("/admin/login/", secure=True)
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "staff", "password": "a-long-test-password", "next": "/admin/"},
        secure=True,
    )
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_the_site_refuses_to_serve_without_a_secret_key_when_debug_is_off():
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY"}}
    env["DJANGO_SETTINGS_MODULE"] = "smp_site.settings"
    served = subprocess.run(
        [sys.executable, "-c", "import smp_site.wsgi"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert served.returncode != 0
    assert "The SECRET_KEY setting must not be empty" in served.stderr
    # Tooling that signs nothing still runs.
    checked = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
