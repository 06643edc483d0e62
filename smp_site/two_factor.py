"""
Staff two-factor sign-in (django-otp): an authenticator app (TOTP) that a
clerk sets up on a page of their own, and backup codes for when the phone is
not to hand.

- Anyone who has set up an app is asked for a code after the right
  password, whatever STAFF_TWO_FACTOR says. With STAFF_TWO_FACTOR on, a
  staff member who has not is sent to set one up after the password, rather
  than shut out.
- Nobody is signed in until the whole of this is done: between the password
  and the code (or the set-up) the session holds only who gave the right
  password, and when (PENDING_KEY), so no page that checks only "signed in
  as staff" can be reached on a password alone.
- A wrong code counts as a failed sign-in for django-axes, like a wrong
  password, on top of django-otp's own growing wait between codes.
- A site administrator resets a person's two-factor sign-in with an action
  on the users' list (reset_two_factor); each set-up, each new set of backup
  codes and each reset is kept in the user's admin history.
"""

import re
import time
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model, login, user_logged_in, user_login_failed
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .staff_sign_in import StaffAuthenticationForm

PENDING_KEY = "staff_two_factor_pending"
BACKUP_CODES_KEY = "staff_two_factor_new_backup_codes"
CODE_OWED_KEY = "staff_two_factor_code_owed"
BACKUP_CODE_COUNT = 10
APP_NAME = "Authenticator app"
BACKUP_NAME = "Backup codes"


# What a sign-in needs -------------------------------------------------------


def has_two_factor(user):
    """True once the user has a confirmed app or backup codes."""
    return user_has_device(user, confirmed=True)


@receiver(user_logged_in)
def _note_whether_a_code_was_owed(sender, request, user, **kwargs):
    """Whether the user had an app or backup codes when this session signed
    in without a code: read on every staff page instead of asking the
    database each time. (Signing in through the pages, nobody with one gets
    this far without a code; an app set up later in another browser leaves a
    session signed in before it as it was, until it ends.)"""
    if request is not None and hasattr(request, "session"):
        request.session[CODE_OWED_KEY] = not hasattr(user, "otp_device") and has_two_factor(user)


def two_factor_satisfied(request):
    """Whether the signed-in user has done all that signing in asks of them
    (the staff admin's has_permission): a code, if they have an app or
    STAFF_TWO_FACTOR is on. Worked out once a request."""
    if not hasattr(request, "_two_factor_satisfied"):
        user = request.user
        if user.is_verified():
            satisfied = True
        elif settings.STAFF_TWO_FACTOR:
            satisfied = False
        else:
            owed = request.session.get(CODE_OWED_KEY)
            satisfied = not (has_two_factor(user) if owed is None else owed)
        request._two_factor_satisfied = satisfied
    return request._two_factor_satisfied


def _next_url(request, default=None):
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default or reverse("admin:index")


def _with_next(name, next_url):
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _start_pending(request, user):
    request.session[PENDING_KEY] = {
        "user": str(user.pk),
        "backend": user.backend,
        "since": time.time(),
        # A password changed meanwhile ends it, as it ends sessions.
        "auth_hash": user.get_session_auth_hash(),
    }


def _pending_user(request):
    """Who gave the right password in this session within
    STAFF_TWO_FACTOR_STEP_SECONDS, or None."""
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["since"] > settings.STAFF_TWO_FACTOR_STEP_SECONDS:
        return None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True, is_staff=True).first()
    if user is None or not constant_time_compare(user.get_session_auth_hash(), pending["auth_hash"]):
        return None
    user.backend = pending["backend"]
    return user


def _finish_sign_in(request, user, device):
    """Signs the pending user in, verified by `device`."""
    request.session.pop(PENDING_KEY, None)
    user.otp_device = device  # django-otp keeps it in the session on login
    login(request, user, backend=user.backend)


# Signing in -----------------------------------------------------------------


class SignInView(auth_views.LoginView):
    """The staff admin's sign-in page (its /admin/login/), in the site's
    GOV.UK style. The right password signs in at once only where no code is
    asked for; otherwise on to the code, or to setting up an app."""

    template_name = "staff/sign_in.html"
    authentication_form = StaffAuthenticationForm
    next_page = "admin:index"

    def get(self, request, *args, **kwargs):
        user = request.user
        if user.is_active and user.is_staff and two_factor_satisfied(request):
            return redirect(self.get_success_url())
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        user = form.get_user()
        if has_two_factor(user):
            _start_pending(self.request, user)
            return redirect(_with_next("staff_sign_in_code", self.get_success_url()))
        if settings.STAFF_TWO_FACTOR:
            _start_pending(self.request, user)
            return redirect(_with_next("staff_two_factor", self.get_success_url()))
        return super().form_valid(form)


def _normalise_code(value):
    # Apps show codes as "123 456"; backup codes are printed "abcd efgh".
    return re.sub(r"[\s-]+", "", value).lower()


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=40,
        error_messages={"required": "Enter the code from your authenticator app, or a backup code"},
    )

    def clean_code(self):
        return _normalise_code(self.cleaned_data["code"])


WRONG_CODE = (
    "The code is not right. Enter the 6-digit code your authenticator app shows now, "
    "or one of your backup codes"
)


def _devices_for(user, code):
    """The devices a code is for: an app's code is digits only, a backup
    code never is (so one kind's wrong guesses do not slow the other)."""
    model = TOTPDevice if code.isdigit() else StaticDevice
    return model.objects.devices_for_user(user, confirmed=True)


def _wait_message(devices):
    """django-otp makes each wrong code wait longer (1, 2, 4... seconds)
    before the next is checked: what to say while that wait runs."""
    waits = []
    for device in devices:
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until"):
            waits.append((data["locked_until"] - timezone.now()).total_seconds())
    if not waits:
        return None
    seconds = max(1, round(max(waits)))
    return f"Too many wrong codes. Wait {seconds} second{'s' if seconds != 1 else ''}, then enter the code your app shows then"


def _matching_device(user, code):
    """(the device that accepts the code or None, what to say if none)."""
    with transaction.atomic():
        devices = list(_devices_for(user, code).select_for_update())
        wait = _wait_message(devices)
        if wait:
            return None, wait
        for device in devices:
            if device.verify_token(code):
                return device, None
    return None, WRONG_CODE


@sensitive_post_parameters("code")
@never_cache
def sign_in_code(request):
    """The second step: the code from the app, or a backup code."""
    next_url = _next_url(request)
    user = _pending_user(request)
    if user is None:
        return redirect(_with_next("admin:login", next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        credentials = {"username": user.get_username()}
        from axes.handlers.proxy import AxesProxyHandler

        if not AxesProxyHandler.is_allowed(request, credentials):
            from .staff_sign_in import lockout_response

            return lockout_response(request, None, credentials)
        device, problem = _matching_device(user, form.cleaned_data["code"])
        if device is not None:
            _finish_sign_in(request, user, device)
            return redirect(next_url)
        form.add_error("code", problem)
        # Counted like a wrong password: django-axes locks the user name out
        # (its middleware then answers with the lockout page).
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return render(
        request,
        "staff/sign_in_code.html",
        {"form": form, "next": next_url},
    )


# Setting up an app ----------------------------------------------------------


class ConfirmAppForm(forms.Form):
    code = forms.CharField(
        label="Code from the app",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code your authenticator app shows"},
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = _normalise_code(self.cleaned_data["code"])
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError("Enter the 6 digits your authenticator app shows, like 123456")
        with transaction.atomic():
            device = TOTPDevice.objects.select_for_update().get(pk=self.device.pk)
            wait = _wait_message([device])
            if wait:
                raise forms.ValidationError(wait)
            if not device.verify_token(code):
                raise forms.ValidationError(
                    "The code is not right. Check the app shows the staff admin, "
                    "and enter the code it shows now"
                )
        self.device = device
        return code


def _setup_user(request):
    """Who is setting up an app: the signed-in staff member, or the one who
    gave the right password and must set one up first (STAFF_TWO_FACTOR)."""
    user = request.user
    if user.is_authenticated and user.is_active and user.is_staff:
        return user if two_factor_satisfied(request) or not has_two_factor(user) else None
    pending = _pending_user(request)
    if pending is not None and settings.STAFF_TWO_FACTOR and not has_two_factor(pending):
        return pending
    return None


def secret_in_groups(device):
    """The key as an app asks for it typed by hand (base32), in groups of 4."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code_svg(device):
    """The app's set-up address as an inline SVG QR code, named for screen
    readers (the key beside it is the text alternative)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, border=4)
    svg = image.to_string(encoding="unicode")
    # 240 px square (it scales by its viewBox): big enough to scan, and
    # within a 320 px screen.
    return re.sub(
        r'<svg width="[^"]+" height="[^"]+"',
        '<svg width="240" height="240" role="img" aria-labelledby="qr-code-title" '
        'class="app-qr-code" focusable="false"',
        svg,
        count=1,
    ).replace(
        ">",
        '><title id="qr-code-title">QR code to set up your authenticator app for the staff admin</title>',
        1,
    )


def _record(user, by, message):
    """Kept in the user's admin history (the History button on their page)."""
    LogEntry.objects.log_actions(
        user_id=by.pk, queryset=[user], action_flag=CHANGE, change_message=message, single_object=True
    )


def _new_backup_codes(user):
    """Replaces the user's backup codes with BACKUP_CODE_COUNT new ones;
    returns them (kept in the database as django-otp keeps them, each
    deleted when used)."""
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": BACKUP_NAME})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    device.throttle_reset()
    return codes


@sensitive_post_parameters("code")
@never_cache
def two_factor_setup(request):
    """A staff member's own two-factor page: how it stands, setting up an
    app (a QR code, the key written out, and a code to confirm it), and new
    backup codes."""
    user = _setup_user(request)
    next_url = _next_url(request)
    if user is None:
        return redirect(_with_next("admin:login", request.get_full_path()))
    confirmed_app = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setting_up = confirmed_app is None or request.GET.get("new") == "1" or request.POST.get("new") == "1"
    if not setting_up:
        return render(
            request,
            "staff/two_factor.html",
            {
                "app": confirmed_app,
                "backup_codes_left": StaticToken.objects.filter(device__user=user).count(),
                "next": next_url,
            },
        )
    # One app being set up at a time: a reload shows the same QR code.
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
    form = ConfirmAppForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device = form.device
        with transaction.atomic():
            # A new app replaces the old one only once it works.
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _new_backup_codes(user)
            _record(user, user, "Set up an authenticator app for two-factor sign-in, with new backup codes.")
        if request.user.is_authenticated:
            otp_login(request, device)
        else:
            _finish_sign_in(request, user, device)
        request.session[BACKUP_CODES_KEY] = codes
        messages.success(
            request, "Your authenticator app is set up. You will be asked for a code each time you sign in."
        )
        return redirect(_with_next("staff_backup_codes", next_url))
    return render(
        request,
        "staff/two_factor_setup.html",
        {
            "form": form,
            "qr_code": qr_code_svg(device),
            "secret": secret_in_groups(device),
            "replacing": confirmed_app is not None,
            "required": not request.user.is_authenticated,
            "next": next_url,
        },
    )


@require_POST
def new_backup_codes(request):
    """Replaces the signed-in staff member's backup codes (the old ones stop
    working) and shows the new ones once."""
    user = request.user
    if not (user.is_authenticated and user.is_staff and user.is_active and user.is_verified()):
        return redirect(_with_next("admin:login", reverse("staff_two_factor")))
    with transaction.atomic():
        codes = _new_backup_codes(user)
        _record(user, user, "Made new backup codes for two-factor sign-in.")
    request.session[BACKUP_CODES_KEY] = codes
    return redirect(_with_next("staff_backup_codes", _next_url(request)))


@never_cache
def backup_codes(request):
    """The backup codes just made, shown this once (taken from the session
    as they are shown)."""
    user = request.user
    if not (user.is_authenticated and user.is_staff and user.is_active and user.is_verified()):
        return redirect(_with_next("admin:login", reverse("staff_two_factor")))
    codes = request.session.pop(BACKUP_CODES_KEY, None)
    return render(
        request,
        "staff/backup_codes.html",
        {
            "codes": [f"{code[:4]} {code[4:]}" for code in codes or []],
            "next": _next_url(request),
        },
    )


# Resetting it ---------------------------------------------------------------


def reset_two_factor(user, by):
    """Removes the person's app and backup codes, so that they sign in with
    their password alone the next time (or, with STAFF_TWO_FACTOR, set up a
    new app after it); kept in their admin history. A session signed in with
    the old app counts as signed in with the password alone from then on."""
    with transaction.atomic():
        for device in list(devices_for_user(user, confirmed=None)):
            device.delete()
        _record(user, by, "Reset two-factor sign-in: removed the authenticator app and backup codes.")
