"""Two-factor sign-in through the pages, as a clerk and a site administrator
take it: setting up an app from the QR page's key, signing in with a code, a
wrong code, backup codes, an administrator's reset, and STAFF_TWO_FACTOR."""

import re
import time
from base64 import b32decode
from html import unescape

import pytest
from django.test import override_settings
from django_otp.oath import TOTP

PASSWORD = "correct-horse-battery"
LOGIN = "/admin/login/?next=/admin/"
SETUP = "/admin/two-factor/"


@pytest.fixture
def clerk(django_user_model):
    return django_user_model.objects.create_user("clerk", "clerk@example.org", PASSWORD, is_staff=True)


def secret_on(page):
    """The key the set-up page writes out for typing into an app."""
    match = re.search(r'<code class="app-secret-key" id="secret-key">([A-Z2-7 ]+)</code>', page)
    assert match, "the set-up page shows no key"
    return b32decode(match.group(1).replace(" ", ""))


def code(key, steps_ahead=0):
    """What an authenticator app with this key shows, `steps_ahead` 30-second
    steps from now (the next one, as the app shows it a little later)."""
    totp = TOTP(key, drift=steps_ahead)
    totp.time = time.time()
    return f"{totp.token():06d}"


def a_wrong_code(key):
    valid = {code(key, ahead) for ahead in range(-2, 4)}
    return next(f"{n:06d}" for n in range(123456, 999999) if f"{n:06d}" not in valid)


def sign_in_with_password(client, username="clerk", password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


def error_beside(html, field_id):
    match = re.search(rf'<p id="{field_id}-error" class="govuk-error-message">(.*?)</p>', html, re.S)
    return unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else None


def enrol(client):
    """Sets an app up on the clerk's own page; returns its key and the
    backup codes shown."""
    page = client.get(SETUP).content.decode()
    assert "Set up two-factor sign-in" in page
    assert '<svg width="' in page and 'role="img"' in page  # the QR code, inline
    key = secret_on(page)
    response = client.post(SETUP, {"code": code(key), "next": "/admin/"})
    assert (response.status_code, response["Location"]) == (
        302,
        "/admin/two-factor/backup-codes/?next=%2Fadmin%2F",
    )
    shown = client.get(response["Location"]).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{4} [a-z2-7]{4})</code></li>", shown)
    assert len(codes) == 10
    assert "shown only this once" in shown
    # Shown once: the page again has no codes.
    again = client.get(response["Location"]).content.decode()
    assert not re.findall(r"<li><code>", again)
    assert "are not shown again" in again
    return key, codes


@pytest.mark.django_db
def test_a_clerk_sets_up_an_app_and_signs_in_with_it_and_is_refused_a_wrong_code(client, clerk):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert sign_in_with_password(client).status_code == 302  # no app yet: the password alone
    assert client.get("/admin/").status_code == 200
    # The link beside "Change password" at the top of every admin page.
    assert 'href="/admin/two-factor/">Two-factor sign-in</a>' in client.get("/admin/").content.decode()

    # A wrong code while setting up: the device is not yet counted.
    page = client.get(SETUP).content.decode()
    key = secret_on(page)
    response = client.post(SETUP, {"code": a_wrong_code(key)})
    assert response.status_code == 200
    assert "The code is not right" in error_beside(response.content.decode(), "id_code")
    assert not TOTPDevice.objects.filter(user=clerk, confirmed=True).exists()
    time.sleep(1.1)  # django-otp's wait after a wrong code
    key, _codes = enrol(client)
    assert TOTPDevice.objects.get(user=clerk).confirmed
    client.post("/admin/logout/")

    # The password now leads to the code, and signs nobody in on its own.
    response = sign_in_with_password(client)
    assert response["Location"].startswith("/admin/sign-in/code/")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    code_page = response["Location"]

    wrong = a_wrong_code(key)
    response = client.post(code_page, {"code": wrong})
    assert response.status_code == 200
    html = response.content.decode()
    assert "The code is not right" in error_beside(html, "id_code")
    assert f'value="{wrong}"' in html  # what was typed is still there
    assert "govuk-error-summary" in html and 'href="#id_code"' in html
    assert "_auth_user_id" not in client.session

    # Straight after a wrong code, django-otp asks for a short wait.
    response = client.post(code_page, {"code": code(key, 1)})
    assert "Too many wrong codes. Wait 1 second" in error_beside(response.content.decode(), "id_code")
    time.sleep(1.1)
    response = client.post(code_page, {"code": code(key, 1)})
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert client.session["_auth_user_id"] == str(clerk.pk)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_backup_code_works_once(client, clerk):
    client.force_login(clerk)
    _key, codes = enrol(client)
    client.post("/admin/logout/")

    code_page = sign_in_with_password(client)["Location"]
    response = client.post(code_page, {"code": codes[3].upper()})  # as printed, in capitals
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert client.get("/admin/").status_code == 200
    status = client.get(SETUP).content.decode()
    assert "9 left" in status
    client.post("/admin/logout/")

    code_page = sign_in_with_password(client)["Location"]
    response = client.post(code_page, {"code": codes[3]})
    assert response.status_code == 200
    assert "The code is not right" in error_beside(response.content.decode(), "id_code")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_new_backup_codes_replace_the_old(client, clerk):
    client.force_login(clerk)
    key, old = enrol(client)
    response = client.post("/admin/two-factor/backup-codes/new/", {"next": "/admin/"})
    shown = client.get(response["Location"]).content.decode()
    new = re.findall(r"<li><code>([a-z2-7]{4} [a-z2-7]{4})</code></li>", shown)
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/admin/logout/")
    code_page = sign_in_with_password(client)["Location"]
    assert client.post(code_page, {"code": old[0]}).status_code == 200
    time.sleep(1.1)
    assert client.post(code_page, {"code": new[0]}).status_code == 302


@pytest.mark.django_db
def test_a_site_administrator_resets_a_clerks_two_factor_sign_in(client, clerk, django_user_model):
    from django.contrib.admin.models import LogEntry
    from django_otp import devices_for_user

    from tests.roles import client_for

    client.force_login(clerk)
    enrol(client)
    client.post("/admin/logout/")
    administrator = django_user_model.objects.create_superuser(
        "admin", "admin@example.org", "a-long-test-password"
    )
    admin_client = client_for(administrator)
    users = admin_client.get("/admin/auth/user/").content.decode()
    assert "Reset two-factor sign-in" in users
    response = admin_client.post(
        "/admin/auth/user/",
        {"action": "reset_two_factor_sign_in", "_selected_action": [clerk.pk], "index": 0},
        follow=True,
    )
    assert "Two-factor sign-in reset for clerk" in response.content.decode()
    assert list(devices_for_user(clerk, confirmed=None)) == []
    # Kept in the clerk's history: who set it up, and who reset it.
    history = admin_client.get(f"/admin/auth/user/{clerk.pk}/history/").content.decode()
    assert "Set up an authenticator app for two-factor sign-in" in history
    assert "Reset two-factor sign-in: removed the authenticator app and backup codes." in history
    entry = LogEntry.objects.filter(object_id=str(clerk.pk)).order_by("-action_time").first()
    assert entry.user == administrator
    # The clerk signs in with the password alone now.
    assert sign_in_with_password(client)["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_clerk_cannot_reset_two_factor_sign_in(clerk):
    from django.contrib.auth.models import Permission

    from tests.roles import client_for

    clerk.user_permissions.add(Permission.objects.get(codename="view_user"))
    users = client_for(clerk).get("/admin/auth/user/")
    assert users.status_code == 200
    assert "reset_two_factor_sign_in" not in users.content.decode()


@pytest.mark.django_db
@override_settings(STAFF_TWO_FACTOR=True)
def test_with_two_factor_required_a_clerk_without_an_app_is_sent_to_set_one_up(client, clerk):
    response = sign_in_with_password(client)
    assert response["Location"] == "/admin/two-factor/?next=%2Fadmin%2F"
    # Not signed in until it is set up: no staff page on the password alone.
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Set one up now to carry on" in page
    key = secret_on(page)
    response = client.post(response["Location"], {"code": code(key)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(clerk.pk)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
@override_settings(STAFF_TWO_FACTOR=True)
def test_with_two_factor_required_a_password_session_does_not_open_the_admin(client, clerk):
    """A session signed in with the password alone (before the setting was
    turned on) is sent to set up an app, not let in."""
    client.force_login(clerk)
    assert client.get("/admin/").status_code == 302
    assert "Set up two-factor sign-in" in client.get(SETUP).content.decode()


@pytest.mark.django_db
def test_the_code_step_starts_again_after_its_time(client, clerk, settings):
    client.force_login(clerk)
    key, _codes = enrol(client)
    client.post("/admin/logout/")
    code_page = sign_in_with_password(client)["Location"]
    session = client.session
    session["staff_two_factor_pending"]["since"] -= settings.STAFF_TWO_FACTOR_STEP_SECONDS + 1
    session.save()
    response = client.post(code_page, {"code": code(key, 1)})
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3, STAFF_SIGN_IN_RATE_LIMIT=0)
def test_wrong_codes_lock_the_user_name_out_like_wrong_passwords(client, clerk):
    client.force_login(clerk)
    key, _codes = enrol(client)
    client.post("/admin/logout/")
    code_page = sign_in_with_password(client)["Location"]
    answers = []
    for _ in range(3):
        answers.append(client.post(code_page, {"code": a_wrong_code(key)}))
        time.sleep(0.05)
    assert [r.status_code for r in answers] == [200, 200, 429]
    assert (
        "Too many failed sign-ins for this user name. Try again in 30 minutes."
        in answers[-1].content.decode()
    )
    # Even the right code is refused now.
    response = client.post(code_page, {"code": code(key, 1)})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
