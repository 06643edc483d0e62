import datetime
import re

from django.conf import settings
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from consultation.ratelimit import allow_client, client_at_limit, seconds_until_reset
from foundation.page_cache import partnership_page
from meetings.models import Meeting
from partnerships.models import Partnership

from . import alerts
from .calendars import calendar_response
from .forms import SubscribeForm
from .models import OutgoingEmail, Subscription
from .subscriptions import sign_up

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,200}")
# Calendars hold every public meeting, past and to come, so that a resident
# who subscribes sees the partnership's record as well as what is next; past
# this many (a size no partnership nears), the newest.
CALENDAR_MAX_EVENTS = 1000
# What the limit of email-alert sign-ups per client counts.
SIGN_UPS = "follow-sign-up"


def calendar_meetings(partnership=None):
    meetings = Meeting.objects.public().order_by("-date", "-pk")
    if partnership:
        meetings = meetings.filter(partnership=partnership)
    return meetings.for_calendars()[:CALENDAR_MAX_EVENTS]


@require_safe
def all_meetings_calendar(request):
    return calendar_response(calendar_meetings(), "Community safety partnership meetings", "meetings.ics")


@partnership_page()
@require_safe
def partnership_calendar(request, slug):
    partnership = get_object_or_404(Partnership, slug=slug)
    return calendar_response(
        calendar_meetings(partnership), f"{partnership.name} meetings", f"{partnership.slug}.ics"
    )


@partnership_page()
@require_safe
def meeting_calendar(request, slug, day):
    meeting = get_object_or_404(Meeting.objects.public().for_calendars(), partnership__slug=slug, date=day)
    return calendar_response(
        [meeting], f"{meeting.partnership__name} meeting", f"meeting-{day.isoformat()}.ics"
    )


# --- email alerts -----------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        if form.is_valid():
            # One client must not be able to fill other people's inboxes: each
            # confirmation it causes is counted, and once it has used up its
            # hour's limit it makes no more subscriptions either. The same
            # sign-up sent again sends nothing, so it counts nothing.
            limit = settings.ALERTS_RATE_LIMIT
            data = form.cleaned_data
            refused = client_at_limit(request, SIGN_UPS, limit)
            if not refused:
                # A confirmed subscriber asking again gets nothing; an unconfirmed
                # one gets the link again. The next page is the same either way,
                # so it never tells anyone whether an address is subscribed.
                _subscription, refused = sign_up(
                    data["email"],
                    data["kind"],
                    data["partnership"],
                    data["query"],
                    admit=lambda: allow_client(request, SIGN_UPS, limit),
                )
            if refused:
                response = render(request, "follow/too_many.html", status=429)
                response["Retry-After"] = str(seconds_until_reset())
                return response
            return redirect("follow:check_email")
    else:
        initial = {"kind": Subscription.Kind.MEETINGS}
        slug = request.GET.get("partnership", "")
        if SLUG.fullmatch(slug) and Partnership.objects.filter(slug=slug).exists():
            initial["partnership"] = slug
        query = " ".join(request.GET.get("q", "").split())[:200]
        if query:
            initial.update(kind=Subscription.Kind.SEARCH, query=query)
        form = SubscribeForm(initial=initial)
    return render(
        request,
        "follow/subscribe.html",
        {
            "form": form,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@never_cache
@require_safe
def check_email(request):
    return render(request, "follow/check_email.html")


@never_cache  # a personal link: never stored by the page cache
@require_safe
def confirm(request, token):
    subscription = alerts.subscription_from(
        token, alerts.CONFIRM_SALT, max_age=datetime.timedelta(days=alerts.CONFIRM_DAYS)
    )
    if subscription is None:
        return render(request, "follow/link_expired.html", status=404)
    alerts.confirm(subscription, timezone.now())
    return render(
        request,
        "follow/confirmed.html",
        {"subscription": subscription, "unsubscribe_url": alerts.unsubscribe_url(subscription)},
    )


@never_cache
@csrf_exempt  # the signed link is the credential; mail apps POST here (RFC 8058)
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    subscription = alerts.subscription_from(token, alerts.UNSUBSCRIBE_SALT)
    if request.method == "POST":
        if subscription is not None:
            with transaction.atomic():
                # The address goes with the subscription, and with any email
                # to it still waiting in the queue.
                OutgoingEmail.objects.filter(
                    unsubscribe_url=alerts.unsubscribe_url(subscription), sent_at__isnull=True
                ).delete()
                subscription.delete()
        return render(request, "follow/unsubscribed.html")
    if subscription is None:
        # Already unsubscribed, or a damaged link.
        return render(request, "follow/unsubscribed.html", {"already": True})
    return render(request, "follow/unsubscribe.html", {"subscription": subscription})
