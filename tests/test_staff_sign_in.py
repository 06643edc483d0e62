import pytest
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
def test_two_factor_sign_in_when_switched_on(client, clerk, monkeypatch):
    """STAFF_TWO_FACTOR makes the admin an OTPAdminSite (smp_site/urls.py):
    a password alone no longer opens it; a TOTP code from the clerk's device
    does."""
    from django.contrib import admin
    from django_otp.admin import OTPAdminSite
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    monkeypatch.setattr(admin.site, "__class__", OTPAdminSite)
    client.force_login(clerk)
    assert client.get("/admin/").status_code == 302  # back to sign in

    device = TOTPDevice.objects.create(user=clerk, name="phone", confirmed=True)
    client.logout()
    response = client.post(
        ADMIN_LOGIN, {"username": "clerk", "password": "correct-horse-battery", "otp_token": "000000"}
    )
    assert response.status_code == 200  # wrong code: the form again
    response = client.post(
        ADMIN_LOGIN,
        {
            "username": "clerk",
            "password": "correct-horse-battery",
            "otp_device": device.persistent_id,
            "otp_token": f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}",
        },
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
