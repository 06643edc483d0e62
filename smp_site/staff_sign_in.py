"""
Staff sign-in: what django-axes does not do for us.

- A limit on sign-in attempts (and password-reset requests) per address,
  right or wrong, so that one address cannot try passwords, or send reset
  emails, without end. django-axes separately locks out a user name, and an
  address, after repeated wrong passwords (settings.AXES_*).
- A password reset by email for staff, with Django's own views and tokens,
  in the site's GOV.UK style. The request hands the address to a background
  job whatever it is, so it does the same work for every address; the job
  looks the account up and queues the email like every other
  (follow.models.OutgoingEmail), so no page waits for the mail server.
- A password validator that refuses a password containing the user name,
  which Django's similarity check lets through when enough is added to it
  ("sefclerk2026abc" for "sefclerk").
"""

import datetime
import logging
import math
import re
import time
from functools import partial

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.template import loader
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.crypto import salted_hmac

from consultation.ratelimit import client_address
from follow.models import OutgoingEmail
from foundation import failsafe_cache, jobs

logger = logging.getLogger(__name__)

RATE_LIMITED_PATHS = ("admin:login", "staff_sign_in_code", "admin_password_reset")
_FAILED = object()


def sign_in_attempt_allowed(request):
    """Count one attempt from the request's address; False once over
    STAFF_SIGN_IN_RATE_LIMIT in the current window. Counted in the shared
    cache, atomically where the cache is (Redis). If the cache fails, the
    attempt is let through (logged): django-axes, which keeps its counts in
    the database, still locks out repeated wrong passwords."""
    limit = settings.STAFF_SIGN_IN_RATE_LIMIT
    if limit <= 0:
        return True
    window = settings.STAFF_SIGN_IN_RATE_WINDOW_SECONDS
    # A keyed hash: no address is written to the cache.
    key = (
        "staff-sign-in:"
        + salted_hmac("staff-sign-in", f"{client_address(request)}|{int(time.time() // window)}").hexdigest()
    )
    # Through the failsafe cache: a cache that hangs costs its timeout once,
    # not on every attempt (its circuit breaker).
    try:
        added = failsafe_cache.call("add", key, 0, timeout=window + 60, default=_FAILED)
        count = _FAILED if added is _FAILED else failsafe_cache.call("incr", key, default=_FAILED)
    except ValueError:  # the count was evicted between add and incr
        count = _FAILED
    if count is _FAILED:  # fail open, see above
        logger.warning("Staff sign-in rate limit not counted: the cache failed")
        return True
    return count <= limit


class SignInRateLimitMiddleware:
    """Answers "too many attempts" (429, with Retry-After) to a sign-in or
    password-reset form posted from an address over its limit."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._paths = None

    def limited_paths(self):
        if self._paths is None:
            self._paths = {reverse(name) for name in RATE_LIMITED_PATHS}
        return self._paths

    def __call__(self, request):
        if (
            request.method == "POST"
            and request.path_info in self.limited_paths()
            and not sign_in_attempt_allowed(request)
        ):
            return rate_limited(request)
        return self.get_response(request)


def too_many_attempts(request, retry_after_seconds, reason=None):
    """The "Too many attempts to sign in" page (429), saying in plain words
    why and how long is left, minutes rounded up; Retry-After gives the
    seconds."""
    seconds = max(1, math.ceil(retry_after_seconds))
    minutes = math.ceil(seconds / 60)
    html = loader.render_to_string(
        "403_lockout.html",
        {
            "reason": reason or "Too many attempts to sign in from this address.",
            "time_left": f"{minutes} minute{'s' if minutes != 1 else ''}",
        },
        request,
    )
    response = HttpResponse(html, status=429)
    response["Retry-After"] = str(seconds)
    return response


def rate_limited(request):
    """The answer once an address is over its limit: the count starts again
    when the current window ends."""
    window = settings.STAFF_SIGN_IN_RATE_WINDOW_SECONDS
    return too_many_attempts(request, window - time.time() % window)


LOCKOUT_REASONS = {
    "username": "Too many failed sign-ins for this user name.",
    "ip_address": "Too many failed sign-ins from this address.",
}


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' lockout answer (settings.AXES_LOCKOUT_CALLABLE), with the
    time left worked out from the failed attempts themselves: a lockout ends
    AXES_COOLOFF_TIME after the attempt that brought the count within the
    cool-off to the limit. Where both the user name and the address are
    locked out, the later end is the one given."""
    from axes.handlers.proxy import AxesProxyHandler
    from axes.helpers import get_client_parameters, get_client_username, get_cool_off, get_failure_limit
    from axes.models import AccessAttempt

    AxesProxyHandler.update_request(request)
    cool_off = get_cool_off(request)
    limit = get_failure_limit(request, credentials)
    now = timezone.now()
    username = get_client_username(request, credentials)
    ends = {}
    for parameters in get_client_parameters(
        username, request.axes_ip_address, request.axes_user_agent, request, credentials
    ):
        if not parameters or None in parameters.values():
            continue
        attempts = (
            AccessAttempt.objects.filter(**parameters, attempt_time__gte=now - cool_off)
            .order_by("-attempt_time")
            .values_list("attempt_time", "failures_since_start")
        )
        failures = 0
        for attempt_time, count in attempts:
            failures += count
            if failures >= limit:
                kind = "username" if "username" in parameters else "ip_address"
                ends[kind] = max(ends.get(kind, attempt_time), attempt_time) + cool_off
                break
    if not ends:  # lifted a moment ago, or counted elsewhere: the whole cool-off
        return too_many_attempts(request, cool_off.total_seconds(), LOCKOUT_REASONS["username"])
    kind = max(ends, key=lambda k: (ends[k], k == "username"))
    return too_many_attempts(request, (ends[kind] - now).total_seconds(), LOCKOUT_REASONS[kind])


class UserNameLengthMixin:
    """Django's sign-in form sets the user name's max_length after the field
    is made, so the length is never checked, and django-axes then tries to
    record a failure for a user name longer than its column (a 500). Here a
    user name longer than any account's is the form's error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        limit = field.max_length or get_user_model()._meta.get_field("username").max_length
        field.validators.append(
            MaxLengthValidator(limit, message=f"Enter a user name of {limit} characters or fewer")
        )


class StaffAuthenticationForm(UserNameLengthMixin, AdminAuthenticationForm):
    """The admin's sign-in form, its messages in plain words."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": (
            "The user name or password is not right, or the account is not a staff account. "
            "Check them and try again: both are case-sensitive."
        ),
        "inactive": "This account is switched off. Ask a site administrator to switch it on.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your user name"
        self.fields["password"].error_messages["required"] = "Enter your password"


class StaffPasswordResetForm(auth_forms.PasswordResetForm):
    """Only active staff with a password may reset it here. The request
    does the same work whatever the address: it hands the address to one
    background job (smp_site.tasks.send_staff_password_reset), which looks
    the account up and queues the email, or not. So neither the answer nor
    its timing, nor the queries it runs, tell which addresses are staff."""

    subject_template_name = "staff/password_reset_subject.txt"
    email_template_name = "staff/password_reset_email.txt"

    email = auth_forms.forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )

    def get_users(self, email):
        return (user for user in super().get_users(email) if user.is_staff)

    # Whether the job ran in this process (no broker, or a broker that
    # failed): its time then shows in the answer's (StaffPasswordResetView).
    ran_in_process = False

    def save(self, **kwargs):
        """Hand the address to the background job, once what the request
        wrote has committed."""
        transaction.on_commit(partial(self.hand_on, self.cleaned_data["email"]))

    def hand_on(self, email):
        from .tasks import send_staff_password_reset

        # As foundation.jobs.queue_now, but nothing is recorded before the
        # job looks the address up, so a job the broker cannot take runs
        # here rather than being left to a sweep; and the address is never
        # logged.
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            circuit = jobs.broker()
            if circuit.allow():
                try:
                    send_staff_password_reset.delay(email)
                except Exception as error:
                    circuit.failed()
                    logger.warning("Could not queue a staff password reset (%s); sending it from here", error)
                else:
                    circuit.succeeded()
                    return
        self.ran_in_process = True
        send_password_reset(email)

    def send_emails(self):
        """The background job's work: the reset email to each active staff
        account with this address, with a link naming the site as the public
        knows it (SITE_URL), whatever Host the request came with."""
        scheme, _, domain = settings.SITE_URL.partition("://")
        super().save(
            domain_override=domain,
            use_https=scheme == "https",
            subject_template_name=self.subject_template_name,
            email_template_name=self.email_template_name,
            extra_email_context={"site_name": settings.SITE_NAME},
        )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        from follow.tasks import send_email

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        # One reset email an account every PASSWORD_RESET_EMAIL_MINUTES,
        # however many requests arrive at once (a double click, or someone
        # filling a clerk's inbox): decided holding a lock on the account.
        since = timezone.now() - datetime.timedelta(minutes=settings.PASSWORD_RESET_EMAIL_MINUTES)
        with transaction.atomic():
            get_user_model().objects.select_for_update().filter(pk=context["user"].pk).first()
            if OutgoingEmail.objects.filter(to=to_email, subject=subject, created_at__gte=since).exists():
                return
            email = OutgoingEmail.objects.create(to=to_email, subject=subject, body=body)
            # Sent now rather than by the next sweep: the link is wanted now.
            jobs.queue_after_commit(send_email, email.pk)


def send_password_reset(email):
    """What smp_site.tasks.send_staff_password_reset does with an address
    handed to it: the reset email if it is an active staff account's."""
    form = StaffPasswordResetForm({"email": email})
    if form.is_valid():
        form.send_emails()


class StaffSetPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"


class StaffPasswordResetView(auth_views.PasswordResetView):
    form_class = StaffPasswordResetForm
    template_name = "staff/password_reset_form.html"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        started = time.monotonic()
        form.save()
        if form.ran_in_process:
            # Without a broker (or with one that failed) the job ran in this
            # process, before the answer: so its time, which a staff address
            # makes longer, is evened out by answering no sooner than
            # PASSWORD_RESET_ANSWER_SECONDS after the request began. With a
            # broker the request's work is the same for every address.
            time.sleep(max(0.0, settings.PASSWORD_RESET_ANSWER_SECONDS - (time.monotonic() - started)))
        return HttpResponseRedirect(self.get_success_url())


class StaffPasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "staff/password_reset_done.html"

    def get_context_data(self, **kwargs):
        minutes = settings.PASSWORD_RESET_TIMEOUT // 60
        return {**super().get_context_data(**kwargs), "timeout_text": f"{minutes} minutes"}


class StaffPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = StaffSetPasswordForm
    template_name = "staff/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class StaffPasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "staff/password_reset_complete.html"


class UserAttributeInPasswordValidator:
    """Refuses a password that contains the user name, or the first name,
    last name or the part of the email address before the "@" (each part of
    four characters or more), in any case. Django's
    UserAttributeSimilarityValidator compares whole strings, so a user name
    with enough added to it passes."""

    ATTRIBUTES = ("username", "first_name", "last_name", "email")

    def __init__(self, min_part_length=4):
        self.min_part_length = min_part_length

    def parts(self, attribute, value):
        if attribute == "email":
            value = value.rsplit("@", 1)[0]
        return {value, *re.split(r"[\W_]+", value)}

    def validate(self, password, user=None):
        if user is None:
            return
        lowered = password.lower()
        for attribute in self.ATTRIBUTES:
            value = getattr(user, attribute, None)
            if not isinstance(value, str):
                continue
            for part in self.parts(attribute, value):
                if len(part) >= self.min_part_length and part.lower() in lowered:
                    name = get_user_model()._meta.get_field(attribute).verbose_name
                    raise ValidationError(
                        f"Your password must not contain your {name}. Choose a password that does not include it.",
                        code="password_contains_user_attribute",
                    )

    def get_help_text(self):
        return "Your password must not contain your user name, your name or your email address."
