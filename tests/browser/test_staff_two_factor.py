"""Staff sign-in in Chromium, as a clerk and as a superuser, at 1280 and 320
px: the sign-in page, setting up an authenticator app from its QR page's
key, the backup codes, signing in with a code, the lockout page and the
password reset pages, each checked with axe-core filled in and with its
errors shown; and the same journey with JavaScript off."""

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from .conftest import _new_page, assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-password"
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 320, "height": 640}}


@pytest.fixture(params=["clerk", "superuser"])
def person(request, transactional_db, django_user_model, settings):
    from tests.roles import restore_clerk_role, staff_user

    # Each test signs in many times from one address; the limit on that has
    # tests of its own (tests/smp_site/test_staff_sign_in.py).
    settings.STAFF_SIGN_IN_RATE_LIMIT = 0
    if request.param == "clerk":
        restore_clerk_role()
        return staff_user("sefton-clerk", "Clerk")
    return django_user_model.objects.create_superuser("site-admin", "site-admin@example.org", PASSWORD)


def app_code(key, steps_ahead=0):
    totp = TOTP(key, drift=steps_ahead)
    totp.time = time.time()
    return f"{totp.token():06d}"


def wrong_code(key):
    valid = {app_code(key, ahead) for ahead in range(-2, 4)}
    return next(f"{n:06d}" for n in range(123456, 999999) if f"{n:06d}" not in valid)


def check(page, heading):
    """The page is the one expected, axe-clean, and fits the window."""
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def log_in(page, username, password=PASSWORD):
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


@pytest.mark.parametrize("width", WIDTHS)
def test_setting_up_two_factor_and_signing_in_with_it_are_accessible(browser, live_server, person, width):
    username = person.get_username()
    with _new_page(browser, base_url=live_server.url, viewport=WIDTHS[width]) as page:
        # The sign-in page: empty, with errors, then a wrong password.
        page.goto("/admin/login/?next=/admin/")
        check(page, "Log in to the staff admin")
        page.get_by_role("button", name="Log in").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your user name")
        check(page, "Log in to the staff admin")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Log in").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("The user name or password is not right")
        expect(page.get_by_label("Username")).to_have_value(username)
        check(page, "Log in to the staff admin")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page).to_have_url(re.compile(r"/admin/$"))

        # From the admin's user tools to the set-up page.
        page.get_by_role("link", name="Two-factor sign-in").click()
        check(page, "Set up two-factor sign-in")
        expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
        key = b32decode(page.locator("#secret-key").inner_text().replace(" ", ""))
        page.get_by_label("Code from the app").fill(wrong_code(key))
        page.get_by_role("button", name="Confirm and turn on").click()
        expect(page.locator("#id_code-error")).to_contain_text("The code is not right")
        check(page, "Set up two-factor sign-in")
        time.sleep(1.1)  # django-otp's wait after a wrong code
        page.get_by_label("Code from the app").fill(app_code(key))
        page.get_by_role("button", name="Confirm and turn on").click()

        # The backup codes, once.
        check(page, "Your backup codes")
        codes = page.locator(".app-backup-codes code").all_inner_texts()
        assert len(codes) == 10
        page.get_by_role("link", name="I have kept my codes: continue").click()
        expect(page).to_have_url(re.compile(r"/admin/$"))
        page.goto("/admin/two-factor/backup-codes/")
        check(page, "Your backup codes")
        expect(page.locator(".app-backup-codes")).to_have_count(0)
        page.goto("/admin/two-factor/")
        check(page, "Two-factor sign-in")
        expect(page.get_by_text("10 left")).to_be_visible()
        page.get_by_role("link", name="set up a different authenticator app").click()
        check(page, "Set up a different authenticator app")

        # Out, and in again with a wrong code, then the right one.
        page.goto("/admin/")
        page.get_by_role("button", name="Log out").click()
        log_in(page, username)
        check(page, "Enter your sign-in code")
        page.get_by_label("Code").fill(wrong_code(key))
        page.get_by_role("button", name="Continue").click()
        expect(page.locator("#id_code-error")).to_contain_text("The code is not right")
        check(page, "Enter your sign-in code")
        time.sleep(1.1)
        page.get_by_label("Code").fill(app_code(key, 1))
        page.get_by_role("button", name="Continue").click()
        expect(page).to_have_url(re.compile(r"/admin/$"))

        # And with a backup code.
        page.get_by_role("button", name="Log out").click()
        log_in(page, username)
        page.get_by_label("Code").fill(codes[0])
        page.get_by_role("button", name="Continue").click()
        expect(page).to_have_url(re.compile(r"/admin/$"))


@pytest.mark.parametrize("width", WIDTHS)
def test_the_lockout_and_password_reset_pages_are_accessible(browser, live_server, person, width, settings):
    from follow.models import OutgoingEmail

    settings.PASSWORD_RESET_ANSWER_SECONDS = 0
    with _new_page(browser, base_url=live_server.url, viewport=WIDTHS[width]) as page:
        page.goto("/admin/login/")
        page.get_by_role("link", name="Forgotten your password?").click()
        check(page, "Reset your password")
        page.get_by_role("button", name="Send the link").click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        check(page, "Reset your password")
        page.get_by_label("Email address").fill(person.email)
        page.get_by_role("button", name="Send the link").click()
        check(page, "Check your email")
        body = OutgoingEmail.objects.get(to=person.email).body
        page.goto(re.search(r"https?://[^/\s]+(/admin/password-reset/\S+/)", body).group(1))
        check(page, "Choose a new password")
        page.locator("#id_new_password1").fill(person.get_username() + "-2026")
        page.locator("#id_new_password2").fill(person.get_username() + "-2026")
        page.get_by_role("button", name="Save the new password").click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        check(page, "Choose a new password")
        page.locator("#id_new_password1").fill("tide-lighthouse-pennant")
        page.locator("#id_new_password2").fill("tide-lighthouse-pennant")
        page.get_by_role("button", name="Save the new password").click()
        check(page, re.compile("Your password has been changed"))

        # Locked out: plain words and the time left.
        settings.AXES_ENABLED = True
        settings.AXES_FAILURE_LIMIT = 2
        for _ in range(2):
            log_in(page, person.get_username(), "not-the-password")
        check(page, "Too many attempts to sign in")
        expect(page.locator("main")).to_contain_text(
            "Too many failed sign-ins for this user name. Try again in 30 minutes."
        )


def test_two_factor_sign_in_works_without_javascript_at_320px(browser, live_server, person):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with _new_page(
        browser, base_url=live_server.url, viewport=WIDTHS["phone"], java_script_enabled=False
    ) as page:
        log_in(page, person.get_username())
        expect(page).to_have_url(re.compile(r"/admin/$"))
        page.goto("/admin/two-factor/")
        key = b32decode(page.locator("#secret-key").inner_text().replace(" ", ""))
        page.get_by_label("Code from the app").fill(app_code(key))
        page.get_by_role("button", name="Confirm and turn on").click()
        expect(page.locator(".app-backup-codes code")).to_have_count(10)
        assert TOTPDevice.objects.get(user=person).confirmed
        page.goto("/admin/")
        page.get_by_role("button", name="Log out").click()
        log_in(page, person.get_username())
        expect(page.get_by_role("heading", level=1)).to_have_text("Enter your sign-in code")
        page.get_by_label("Code").fill(app_code(key, 1))
        page.get_by_role("button", name="Continue").click()
        expect(page).to_have_url(re.compile(r"/admin/$"))
        assert_no_horizontal_scroll(page)
