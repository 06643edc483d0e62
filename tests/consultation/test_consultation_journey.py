"""The resident's journey: start page, one question per page, check your
answers, equality questions, send, confirmation; and the rules around it
(errors, closing dates, double submits, honeypot, rate limit, duplicates)."""

import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from consultation.models import Answer, Consultation, Response
from tests.consultation.factories import ChoiceFactory, ConsultationFactory, QuestionFactory, survey
from tests.consultation.journey import answer, answer_all, send, url
from tests.govuk_errors import assert_error_shown

# Query budgets: each public page's count is fixed, whatever the amount of data.
# They include 1 for the glossary terms where a page shows clerk-typed text; a
# visitor with a session costs 4 more: reading it, and saving it again
# (SESSION_SAVE_EVERY_REQUEST) inside a savepoint.
INDEX_QUERIES = 3
START_QUERIES = 2
QUESTION_QUERIES = 8
ANSWER_QUERIES = 8
CHECK_QUERIES = 8
SEND_QUERIES = 24
SENT_QUERIES = 6
PUBLIC_RESULTS_QUERIES = 11

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    # The rate-limit counters live in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


def codes(consultation):
    return {q.code: q for q in consultation.questions.all()}


def test_start_page_says_what_it_is_and_when_it_closes(client):
    consultation = survey()
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert consultation.title in page
    assert "It takes about 2 minutes" in page
    assert timezone.localtime(consultation.closes_at).strftime("%B %Y") in page
    assert url(consultation, "privacy") in page
    assert "Start now" in page
    assert client.get(url(consultation, "privacy")).status_code == 200


def test_full_journey_saves_one_response_with_every_answer(client):
    consultation = survey()
    answer_all(client, consultation, comment="More patrols, please")
    q = codes(consultation)
    response = answer(
        client, consultation, 2, {"answer": ["drugs", "other"], "other": "Speeding"}, change=True
    )
    assert response.status_code == 302
    check = client.get(url(consultation, "check")).content.decode()
    for shown in ["Yes", "Drugs", "Something else", "Speeding", "Sefton", "More patrols, please"]:
        assert shown in check
    assert f'href="/have-your-say/{consultation.slug}/questions/2/?change=1"' in check
    # The equality questions come after "check your answers".
    assert url(consultation, "equality") in check
    equality = client.get(url(consultation, "equality")).content.decode()
    assert "What is your sex?" in equality
    response = send(client, consultation, {f"q{q['sex'].pk}-answer": "female"})
    assert response.status_code == 302 and response.url.startswith(url(consultation, "sent") + "?r=")
    saved = Response.objects.get()
    assert saved.channel == "online" and saved.status == "valid" and saved.district == "sefton"
    stored = {(a.question.code, a.choice_code, a.text) for a in saved.answers.select_related("question")}
    assert stored == {
        ("willing", "yes", ""),
        ("priorities", "drugs", ""),
        ("priorities", "other", "Speeding"),
        ("district", "sefton", ""),
        ("comment", "", "More patrols, please"),
        ("sex", "female", ""),
    }
    page = client.get(response.url).content.decode()
    assert saved.reference in page
    # Typed without its signed value, the address finds the reference in the session.
    assert client.get(url(consultation, "sent")).url == response.url
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", saved.reference)


def test_skipping_the_equality_questions_saves_none_of_them(client):
    consultation = survey()
    answer_all(client, consultation)
    q = codes(consultation)
    send(client, consultation, {f"q{q['sex'].pk}-answer": "female", "skip": "1"})
    assert not Answer.objects.filter(question=q["sex"]).exists()
    assert Response.objects.count() == 1


def test_an_invalid_equality_answer_re_shows_the_page_and_saves_nothing(client):
    consultation = survey()
    answer_all(client, consultation)
    q = codes(consultation)
    response = send(client, consultation, {f"q{q['sex'].pk}-answer": "atlantis"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: " in page and "Select one of the options" in page
    assert Response.objects.count() == 0


def test_a_missing_answer_is_refused_with_the_message_beside_the_question(client):
    consultation = survey()
    response = answer(client, consultation, 1, {})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: " in page
    assert 'class="govuk-error-summary"' in page
    assert "Select an answer" in page
    q = codes(consultation)
    assert f'<a href="#q{q["willing"].pk}-answer">Select an answer</a>' in page
    assert f'id="q{q["willing"].pk}-answer-error"' in page
    assert not client.session.get(f"consultation:{consultation.slug}")


@pytest.mark.parametrize(
    ("number", "data", "message", "kept"),
    [
        (2, {"answer": ["burglary", "drugs", "roads"]}, "Select no more than 2", 'value="roads" checked'),
        (
            2,
            {"answer": ["burglary", "none"]},
            "Select either an exclusive answer",
            'value="burglary" checked',
        ),
        (2, {"answer": ["other"], "other": ""}, "Tell us what your other answer is", 'value="other" checked'),
        (3, {"answer": "atlantis"}, "Select one of the options", ""),
        (4, {"answer": "not a postcode"}, "Enter a full UK postcode", 'value="not a postcode"'),
        (5, {"answer": "x" * 201}, "Your answer must be 200 characters or fewer", "x" * 201),
    ],
)
def test_an_invalid_answer_re_shows_what_was_typed_with_the_error(client, number, data, message, kept):
    consultation = survey()
    response = answer(client, consultation, number, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "govuk-error-summary" in page
    assert kept in page


def test_a_refused_answer_keeps_what_was_typed_with_the_error_linked_to_its_field(client):
    consultation = survey()
    q = codes(consultation)
    postcode = f"q{q['postcode'].pk}-answer"
    page = answer(client, consultation, 4, {"answer": "not a postcode"}).content.decode()
    soup = assert_error_shown(page, postcode, "Enter a full UK postcode, like L1 8JQ")
    field = soup.find(id=postcode)
    assert field["value"] == "not a postcode" and field["autocomplete"] == "postal-code"
    assert soup.find("h1").get_text(strip=True) == q["postcode"].text  # the question is the heading

    other = f"q{q['priorities'].pk}-other"
    page = answer(client, consultation, 2, {"answer": ["other"], "other": "y" * 201}).content.decode()
    soup = assert_error_shown(page, other, "What you tell us must be 200 characters or fewer")
    assert soup.find(id=other)["value"] == "y" * 201
    assert soup.find("input", value="other").has_attr("checked")
    # The box under "Something else" shows without JavaScript, as it is ticked.
    box = soup.find(id=f"q{q['priorities'].pk}-answer-conditional")
    assert other in [tag.get("id") for tag in box.find_all("input")]
    assert "govuk-checkboxes__conditional--hidden" not in box["class"]
    assert soup.find("legend").find("h1").get_text(strip=True) == q["priorities"].text

    comment = f"q{q['comment'].pk}-answer"
    page = answer(client, consultation, 5, {"answer": "x" * 201}).content.decode()
    soup = assert_error_shown(page, comment, "Your answer must be 200 characters or fewer")
    assert soup.find(id=comment).get_text().strip() == "x" * 201
    assert not soup.find(id=comment).has_attr("maxlength")  # GOV.UK: let them type, then say so
    assert "You can enter up to 200 characters" in soup.find(id=f"{comment}-info").get_text()


def test_a_refused_equality_answer_is_linked_to_its_first_radio(client):
    consultation = survey()
    answer_all(client, consultation)
    q = codes(consultation)
    sex = f"q{q['sex'].pk}-answer"
    response = send(client, consultation, {sex: "atlantis"})
    soup = assert_error_shown(response.content.decode(), sex, "Select one of the options")
    assert soup.find(id=sex)["type"] == "radio"
    assert soup.find(id="website").find_parent(class_="app-honeypot")  # the honeypot is still there


def test_a_postcode_is_tidied(client):
    consultation = survey()
    answer(client, consultation, 4, {"answer": " l18jq"})
    q = codes(consultation)
    assert client.session[f"consultation:{consultation.slug}"]["answers"][str(q["postcode"].pk)] == {
        "codes": [],
        "text": "L1 8JQ",
    }


def test_going_back_keeps_the_answers(client):
    consultation = survey()
    answer(client, consultation, 1, {"answer": "no"})
    answer(client, consultation, 2, {"answer": ["roads", "other"], "other": "Parking"})
    page = client.get(url(consultation, "question", 1)).content.decode()
    assert 'value="no" checked' in page
    page = client.get(url(consultation, "question", 2)).content.decode()
    assert 'value="roads" checked' in page and 'value="Parking"' in page


def test_change_link_returns_to_check_your_answers(client):
    consultation = survey()
    answer_all(client, consultation)
    response = answer(client, consultation, 1, {"answer": "no"}, change=True)
    assert response.url == url(consultation, "check")
    assert "No" in client.get(url(consultation, "check")).content.decode()


def test_check_your_answers_sends_you_to_the_first_unanswered_question(client):
    consultation = survey()
    answer(client, consultation, 1, {"answer": "yes"})
    response = client.get(url(consultation, "check"))
    assert response.url == url(consultation, "question", 2)
    # And sending without the answers saves nothing.
    send(client, consultation)
    assert Response.objects.count() == 0


def test_refresh_or_double_click_on_send_records_one_response(client):
    consultation = survey()
    answer_all(client, consultation)
    first = send(client, consultation)
    second = send(client, consultation)
    assert first.url == second.url
    assert first.url.startswith(url(consultation, "sent"))
    assert Response.objects.count() == 1


def test_the_same_journey_token_saves_once_even_when_both_requests_race(client):
    """Two requests of one session that both read the session before either
    saved (two workers): the unique token makes the second find the first."""
    consultation = survey()
    answer_all(client, consultation)
    session = dict(client.session.items())
    send(client, consultation)
    racing = Client()
    racing.cookies = client.cookies
    store = racing.session
    store.update(session)
    store.save()
    racing.cookies[client.cookies.keys().__iter__().__next__()] = store.session_key
    assert send(racing, consultation).url.startswith(url(consultation, "sent"))
    assert Response.objects.count() == 1
    assert Answer.objects.filter(response__consultation=consultation).count() == 3


def test_after_closing_a_submission_is_refused_and_nothing_saved(client):
    consultation = survey()
    answer_all(client, consultation)
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=timezone.now())
    response = send(client, consultation)
    assert response.status_code == 403
    assert "closed" in response.content.decode()
    assert Response.objects.count() == 0
    # The start page says so, and the questions lead back to it.
    assert "This consultation closed at" in client.get(consultation.get_absolute_url()).content.decode()
    assert client.get(url(consultation, "question", 1)).url == consultation.get_absolute_url()


def test_before_opening_the_pages_say_so(client):
    consultation = survey(opens_at=timezone.now() + datetime.timedelta(days=2))
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "This consultation opens at" in page
    assert "Start now" not in page
    assert client.get(url(consultation, "question", 1)).status_code == 302


def test_staff_can_preview_before_opening_but_nothing_is_saved(staff_client):
    consultation = survey(opens_at=timezone.now() + datetime.timedelta(days=2))
    assert "Preview" in staff_client.get(consultation.get_absolute_url()).content.decode()
    answer_all(staff_client, consultation)
    assert send(staff_client, consultation).status_code == 403
    assert Response.objects.count() == 0


def test_honeypot_refuses_politely_and_saves_nothing(client):
    consultation = survey()
    answer_all(client, consultation)
    response = send(client, consultation, {"website": "http://spam.example"})
    assert response.status_code == 400
    assert "Your answers were not sent" in response.content.decode()
    assert Response.objects.count() == 0


def test_csrf_is_required_to_send():
    consultation = survey()
    client = Client(enforce_csrf_checks=True)
    response = client.post(url(consultation, "submit"), {})
    assert response.status_code == 403
    assert Response.objects.count() == 0


@override_settings(CONSULTATION_RATE_LIMIT=2)
def test_rate_limit_stops_a_flood_with_a_polite_page_and_keeps_the_answers():
    consultation = survey()
    for _ in range(2):
        client = Client()
        answer_all(client, consultation)
        assert send(client, consultation).status_code == 302
    client = Client()
    answer_all(client, consultation)
    response = send(client, consultation)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "could not accept your answers just now" in response.content.decode()
    assert Response.objects.count() == 2
    # The answers are kept in the session for later.
    assert client.get(url(consultation, "check")).status_code == 200


@override_settings(CONSULTATION_RATE_LIMIT=1, CONSULTATION_CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR")
def test_behind_the_proxy_each_resident_is_limited_separately():
    consultation = survey()
    for address in ["203.0.113.1", "203.0.113.2"]:
        client = Client(HTTP_X_FORWARDED_FOR=f"198.51.100.9, {address}")
        answer_all(client, consultation)
        assert send(client, consultation).status_code == 302
    client = Client(HTTP_X_FORWARDED_FOR="203.0.113.1")
    answer_all(client, consultation)
    assert send(client, consultation).status_code == 429
    assert Response.objects.count() == 2


def test_a_shared_device_is_flagged_as_a_likely_duplicate_not_blocked():
    consultation = survey()
    for _ in range(2):
        client = Client(HTTP_USER_AGENT="Library PC")
        answer_all(client, consultation)
        send(client, consultation)
    first, second = Response.objects.order_by("pk")
    assert first.status == "valid"
    assert second.status == "duplicate"
    assert first.client_hash == second.client_hash != ""
    # No address is stored anywhere on the response.
    for field in Response._meta.concrete_fields:
        assert "127.0.0.1" not in str(getattr(second, field.attname))
    other = Client(HTTP_USER_AGENT="Someone's phone")
    answer_all(other, consultation)
    send(other, consultation)
    assert Response.objects.order_by("pk").last().status == "valid"


def test_destroying_the_key_makes_the_hashes_meaningless(client):
    consultation = survey()
    answer_all(client, consultation)
    send(client, consultation)
    consultation.destroy_client_hashes()
    consultation.refresh_from_db()
    assert consultation.client_hash_key == ""
    assert Response.objects.get().client_hash == ""
    assert consultation.client_fingerprint("anything") == ""


@pytest.mark.parametrize(
    "path",
    [
        "/have-your-say/no-such-consultation/",
        "/have-your-say/no-such-consultation/questions/1/",
        "/have-your-say/{slug}/questions/99/",
        "/have-your-say/{slug}/questions/0/",
        "/have-your-say/{slug}/results/",
        "/have-your-say/{slug}/nonsense/",
    ],
)
def test_bad_urls_are_a_styled_404(client, path):
    consultation = survey()
    response = client.get(path.format(slug=consultation.slug))
    assert response.status_code == 404
    assert b"govuk-template" in response.content


def test_get_on_send_is_not_allowed(client):
    assert client.get(url(survey(), "submit")).status_code == 405


def test_sent_page_without_a_response_goes_back_to_start(client):
    consultation = survey()
    assert client.get(url(consultation, "sent")).url == consultation.get_absolute_url()


def make_data(size):
    """`size` open consultations, each with `size` choices on its first
    question, and `size` responses; one closed with published results."""
    for _ in range(size):
        consultation = survey()
        for _ in range(size):
            ChoiceFactory(question=consultation.questions.first())
        for _ in range(size):
            consultation.record_response(
                {consultation.questions.first(): {"codes": ["yes"], "text": ""}}, channel="paper"
            )
    closed = survey(
        opens_at=timezone.now() - datetime.timedelta(days=60),
        closes_at=timezone.now() - datetime.timedelta(days=1),
        results_published=True,
        outcome="We recruited the officers.",
    )
    for _ in range(size):
        closed.record_response(
            {
                closed.questions.first(): {"codes": ["no"], "text": ""},
                closed.questions.all()[2]: {"codes": ["wirral"]},
            },
            channel="online",
        )
    return Consultation.objects.open_now().first(), closed


@pytest.mark.parametrize("size", [1, 8])
def test_public_page_query_counts_are_fixed(client, django_assert_max_num_queries, size):
    consultation, closed = make_data(size)
    with django_assert_max_num_queries(INDEX_QUERIES):
        assert client.get(reverse("consultation:index")).status_code == 200
    with django_assert_max_num_queries(START_QUERIES):
        assert client.get(consultation.get_absolute_url()).status_code == 200
    answer_all(client, consultation)
    with django_assert_max_num_queries(QUESTION_QUERIES):
        response = client.get(url(consultation, "question", 1))
    assert response.content.count(b"govuk-radios__input") == 3 + size
    with django_assert_max_num_queries(ANSWER_QUERIES):
        assert answer(client, consultation, 1, {"answer": "no"}).status_code == 302
    with django_assert_max_num_queries(CHECK_QUERIES):
        assert client.get(url(consultation, "check")).status_code == 200
    with django_assert_max_num_queries(CHECK_QUERIES):
        assert client.get(url(consultation, "equality")).status_code == 200
    sent = send(client, consultation).url
    with django_assert_max_num_queries(SENT_QUERIES):
        assert client.get(sent).status_code == 200
    with django_assert_max_num_queries(PUBLIC_RESULTS_QUERIES):
        response = client.get(url(closed, "results"))
    assert response.status_code == 200
    assert f"{size} response" in response.content.decode()


@pytest.mark.parametrize("size", [1, 8])
def test_sending_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, size):
    consultation, _closed = make_data(size)
    answer_all(client, consultation)
    with django_assert_max_num_queries(SEND_QUERIES):
        assert send(client, consultation).status_code == 302


def test_initial_content_is_the_seed_consultation_and_open(client):
    call_command("load_initial_content", stdout=io.StringIO())
    consultation = Consultation.objects.get(slug="police-precept")
    assert consultation.is_open()
    assert consultation.closes_at > timezone.now() + datetime.timedelta(days=30)
    page = client.get(consultation.get_absolute_url()).content.decode()
    for words in [
        "The Police and Crime Commissioner wants your views on policing funding today...",
        "The Police Commissioner has to set the police budget soon.",
        "Without the extra funding the Commissioner will have to reduce the budget, the recruitment of new "
        "officers can\u2019t go ahead and the Chief Constable will be required to cut back on the service again.",
    ]:
        assert words in page
    willing = consultation.questions.get(code="willing")
    assert willing.text.startswith(
        "Would you be willing to contribute an extra 19p a week in your council tax"
    )
    assert [c.code for c in willing.choices.all()] == ["yes", "no", "dont-know"]
    assert consultation.questions.get(code="district").kind == "district"
    assert not consultation.questions.get(code="comment").required
    assert all(not q.required for q in consultation.questions.filter(equality_monitoring=True))
    # Running it again changes nothing.
    call_command("load_initial_content", stdout=io.StringIO())
    assert Consultation.objects.count() == 1
    # The home page and the navigation lead to it.
    home = client.get("/").content.decode()
    assert consultation.get_absolute_url() in home
    assert 'href="/have-your-say/"' in home


def test_index_lists_open_consultations_and_published_results(client):
    open_one = ConsultationFactory()
    ConsultationFactory(opens_at=timezone.now() + datetime.timedelta(days=1), title="Not yet open")
    closed = ConsultationFactory(
        closes_at=timezone.now() - datetime.timedelta(hours=1),
        results_published=True,
        title="Done and dusted",
    )
    page = client.get(reverse("consultation:index")).content.decode()
    assert open_one.title in page
    assert "Not yet open" not in page
    assert url(closed, "results") in page


def test_question_with_hint_and_no_choices_still_renders(client):
    consultation = ConsultationFactory()
    QuestionFactory(consultation=consultation, kind="text", hint="Keep it short", required=True)
    page = client.get(url(consultation, "question", 1)).content.decode()
    assert "Keep it short" in page and "govuk-character-count" in page
