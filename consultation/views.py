"""
The resident's journey (GOV.UK "question pages" pattern): a start page, one
question per page, "check your answers", the optional equality questions,
then a confirmation with a reference number. Answers live in the session
(consultation.journey) until the final POST saves them in one transaction.

Staff pages (results, export, keying in paper responses, deleting responses
past retention) need a staff login.
"""

import datetime
import logging
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.contrib.sessions.backends.base import UpdateError
from django.core import signing
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from foundation.page_cache import cache_until
from foundation.text import search_words

from . import export, results
from .forms import AnswerForm, KeyedInForm, SubmitForm
from .journey import Journey
from .models import Answer, Consultation, Response
from .ratelimit import allow_submission, client_id, seconds_until_reset

logger = logging.getLogger(__name__)
# The confirmation page's signed value: what the page shows, so that it is
# shown without reading the database (see `submit`).
SENT_SALT = "consultation.sent"


def _get(slug):
    return get_object_or_404(Consultation.objects.with_questions(), slug=slug)


def _split(consultation):
    questions = list(consultation.questions.all())
    return (
        [q for q in questions if not q.equality_monitoring],
        [q for q in questions if q.equality_monitoring],
    )


def _can_answer(request, consultation):
    # Staff may go through a consultation that is not open, as a preview;
    # sending is still refused.
    return consultation.is_open() or request.user.is_staff


@never_cache  # lists what is open now; cheap to build
def index(request):
    now = timezone.now()
    return render(
        request,
        "consultation/index.html",
        {
            "open": list(Consultation.objects.open_now(now)),
            "published": list(Consultation.objects.with_published_results(now)[:20]),
        },
    )


def start(request, slug):
    consultation = get_object_or_404(Consultation, slug=slug)
    # The session is read only when the page could be a staff preview, so
    # that the open consultation's start page is the same for everyone and
    # can be served from the page cache until it closes.
    is_open = consultation.is_open()
    response = render(
        request,
        "consultation/start.html",
        {"consultation": consultation, "preview": not is_open and request.user.is_staff},
    )
    return cache_until(response, consultation.next_change())


def privacy(request, slug):
    consultation = get_object_or_404(Consultation, slug=slug)
    return render(request, "consultation/privacy.html", {"consultation": consultation})


def question(request, slug, number):
    consultation = _get(slug)
    if not _can_answer(request, consultation):
        return redirect(consultation)
    questions, _equality = _split(consultation)
    if not 1 <= number <= len(questions):
        raise Http404("No such question")
    current = questions[number - 1]
    journey = Journey(request, consultation)
    changing = request.GET.get("change") == "1"
    if request.method == "POST":
        form = AnswerForm(current, request.POST, heading=True)
        if form.is_valid():
            journey.save_answer(current, form.value)
            if changing or number == len(questions):
                return redirect("consultation:check", slug)
            return redirect("consultation:question", slug, number + 1)
    else:
        form = AnswerForm(current, initial=AnswerForm.initial_from(journey.answer_for(current)), heading=True)
    if changing:
        back = reverse("consultation:check", args=[slug])
    elif number > 1:
        back = reverse("consultation:question", args=[slug, number - 1])
    else:
        back = consultation.get_absolute_url()
    return render(
        request,
        "consultation/question.html",
        {
            "consultation": consultation,
            "form": form,
            "question": current,
            "number": number,
            "count": len(questions),
            "back": back,
            "action": request.get_full_path(),
        },
    )


def check(request, slug):
    consultation = _get(slug)
    if not _can_answer(request, consultation):
        return redirect(consultation)
    questions, equality = _split(consultation)
    journey = Journey(request, consultation)
    missing = journey.first_missing(questions)
    if missing:
        return redirect("consultation:question", slug, missing)
    rows = [
        {
            "question": q,
            "answer": q.display(journey.answer_for(q) or {}),
            "change": reverse("consultation:question", args=[slug, number]) + "?change=1",
        }
        for number, q in enumerate(questions, start=1)
    ]
    return render(
        request,
        "consultation/check.html",
        {"consultation": consultation, "rows": rows, "has_equality": bool(equality), "form": SubmitForm()},
    )


def equality(request, slug):
    consultation = _get(slug)
    if not _can_answer(request, consultation):
        return redirect(consultation)
    questions, equality_questions = _split(consultation)
    if not equality_questions:
        return redirect("consultation:check", slug)
    if Journey(request, consultation).first_missing(questions):
        return redirect("consultation:check", slug)
    forms = [AnswerForm(q) for q in equality_questions]
    return _equality_page(request, consultation, forms)


def _equality_page(request, consultation, forms):
    errors = any(form.errors for form in forms)
    return render(
        request,
        "consultation/equality.html",
        {"consultation": consultation, "forms": forms, "errors": errors, "form": SubmitForm()},
    )


@require_POST
def submit(request, slug):
    consultation = _get(slug)
    journey = Journey(request, consultation)
    if journey.token is None:
        # Nothing in progress: a refresh or second click after a response was
        # saved goes to its confirmation; anything else starts again.
        if journey.sent_reference:
            return redirect(sent_url(consultation, journey.sent_reference))
        return redirect(consultation)
    if not consultation.is_open():
        return render(request, "consultation/refused.html", {"consultation": consultation}, status=403)
    if SubmitForm(request.POST).is_bot():
        return render(
            request, "consultation/refused.html", {"consultation": consultation, "bot": True}, status=400
        )
    questions, equality_questions = _split(consultation)
    if journey.first_missing(questions):
        return redirect("consultation:check", slug)
    answers = {q: journey.answer_for(q) for q in questions if journey.answer_for(q)}
    if equality_questions and "skip" not in request.POST:
        forms = [AnswerForm(q, request.POST) for q in equality_questions]
        if not all(form.is_valid() for form in forms):
            return _equality_page(request, consultation, forms)
        answers.update({form.question: form.value for form in forms if form.value["codes"]})
    if not allow_submission(request):
        refused = render(request, "consultation/too_many.html", {"consultation": consultation}, status=429)
        refused["Retry-After"] = str(seconds_until_reset())
        return refused
    response, _created = consultation.record_response(
        answers,
        channel=Response.Channel.ONLINE,
        token=journey.token,
        client_hash=consultation.client_fingerprint(client_id(request)),
    )
    # The response is stored: from here on nothing that can fail may stand
    # between the resident and its reference. The confirmation page's address
    # carries the reference, signed; ending the journey in the session is
    # worth trying but not worth an error page. If it cannot be saved, the
    # journey's token stays, and sending again finds this same response.
    journey.finish(response.reference)
    try:
        request.session.save()
    except (DatabaseError, UpdateError):
        logger.warning("Journey not ended in the session after response %s was stored", response.pk)
    request.session.modified = False
    return redirect(sent_url(consultation, response.reference))


def sent_url(consultation, reference):
    value = signing.Signer(salt=SENT_SALT).sign_object(
        {
            "slug": consultation.slug,
            "reference": reference,
            "title": consultation.title,
            "closes": consultation.closes_at.isoformat(),
        },
        compress=True,
    )
    return reverse("consultation:sent", args=[consultation.slug]) + "?" + urlencode({"r": value})


@never_cache  # one resident's reference
def sent(request, slug):
    """The confirmation, from the signed value `submit` put in its address:
    no database query, so that it shows even if the database failed just
    after the response was stored."""
    try:
        shown = signing.Signer(salt=SENT_SALT).unsign_object(request.GET.get("r", ""))
    except signing.BadSignature:
        shown = None
    if shown is None or shown.get("slug") != slug:
        # An address without the value (typed, or from before it was signed):
        # the reference kept in the session, if any.
        consultation = get_object_or_404(Consultation, slug=slug)
        reference = Journey(request, consultation).sent_reference
        if not reference:
            return redirect(consultation)
        return redirect(sent_url(consultation, reference))
    context = {
        "consultation": {
            "title": shown["title"],
            "closes_at": datetime.datetime.fromisoformat(shown["closes"]),
        },
        "reference": shown["reference"],
    }
    return render(request, "consultation/sent.html", context)


@never_cache  # staff may exclude a response after publishing
def public_results(request, slug):
    consultation = _get(slug)
    if not consultation.results_are_public:
        raise Http404("The results are not published")
    return render(
        request,
        "consultation/public_results.html",
        {
            "consultation": consultation,
            "results": results.build(consultation, include_equality=False),
            "total": consultation.responses.counted().count(),
        },
    )


# Staff pages -----------------------------------------------------------------


@staff_member_required
@permission_required("consultation.view_results", raise_exception=True)
def staff_results(request, slug):
    consultation = _get(slug)
    search = search_words(request.GET.get("q", ""))
    free_text = Paginator(
        Answer.objects.filter(question__consultation=consultation).free_text(search), 50
    ).get_page(request.GET.get("page"))
    statuses = consultation.responses.status_counts()
    return render(
        request,
        "consultation/staff_results.html",
        {
            "consultation": consultation,
            "results": results.build(consultation),
            "statuses": [(label, statuses.get(value, 0)) for value, label in Response.Status.choices],
            "total": sum(n for status, n in statuses.items() if status != Response.Status.EXCLUDED),
            "free_text": free_text,
            "search": search,
            "past_retention": consultation.delete_responses_after < timezone.localdate(),
        },
    )


@staff_member_required
@permission_required("consultation.export_responses", raise_exception=True)
def staff_export(request, slug):
    consultation = _get(slug)
    response = StreamingHttpResponse(export.lines(consultation), content_type="text/csv; charset=utf-8")
    filename = f"{consultation.slug}-responses-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_member_required
@permission_required("consultation.change_response", raise_exception=True)
def staff_key_in(request, slug):
    """A paper, phone or event response typed in by staff, so that all the
    counts come together."""
    consultation = _get(slug)
    questions = list(consultation.questions.all())
    data = request.POST if request.method == "POST" else None
    channel_form = KeyedInForm(data)
    forms = [AnswerForm(q, data) for q in questions]
    if data is not None and channel_form.is_valid() and all(form.is_valid() for form in forms):
        response, _created = consultation.record_response(
            {form.question: form.value for form in forms if form.value["codes"] or form.value["text"]},
            channel=channel_form.cleaned_data["channel"],
            keyed_in_by=request.user,
        )
        messages.success(request, f"Response {response.reference} saved. Key in the next one below.")
        return redirect("consultation:key_in", slug)
    errors = any(form.errors for form in forms)
    return render(
        request,
        "consultation/staff_key_in.html",
        {"consultation": consultation, "forms": forms, "channel_form": channel_form, "errors": errors},
    )


@staff_member_required
@permission_required("consultation.delete_response", raise_exception=True)
def staff_delete_expired(request, slug):
    """Delete every response once the consultation's retention date has
    passed: only on an explicit, confirmed request, and recorded."""
    consultation = get_object_or_404(Consultation, slug=slug)
    expired = consultation.responses.past_retention()
    error = None
    if request.method == "POST":
        reason = request.POST.get("reason", "").strip()
        if request.POST.get("confirm") != "yes":
            error = ("confirm", "Confirm that you want to delete these responses")
        elif not reason:
            error = ("reason", "Enter why you are deleting these responses")
        else:
            deleted = expired.delete_recorded(request.user, reason)
            messages.success(request, f"{deleted} responses deleted.")
            return redirect("consultation:staff_results", slug)
    return render(
        request,
        "consultation/staff_delete.html",
        {
            "consultation": consultation,
            "count": expired.count(),
            "error": error,
            "reason": request.POST.get("reason", ""),
        },
    )
