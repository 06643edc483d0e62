"""A resident answers the precept consultation in Chromium, from the home
page to the reference number, with axe-core checking every step; on a
desktop window and at 320 pixels wide."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from consultation.models import Answer, Response

from .conftest import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeded(transactional_db, initial_content):
    from django.core.cache import cache

    cache.clear()  # rate-limit counters from earlier tests


def check(page, phone):
    assert_accessible(page)
    if phone:
        assert_no_horizontal_scroll(page)


def heading(page):
    return page.get_by_role("heading", level=1)


def answer_the_consultation(page, phone=False):
    page.goto("/")
    check(page, phone)
    page.get_by_role("link", name="Policing funding: the police precept").first.click()
    expect(heading(page)).to_have_text("Policing funding: the police precept")
    expect(
        page.get_by_text("The Police and Crime Commissioner wants your views on policing funding today...")
    ).to_be_visible()
    check(page, phone)
    page.get_by_role("button", name="Start now").click()

    # An empty answer is refused, with the message in the summary and beside the question.
    expect(page.get_by_label("Yes")).to_be_visible()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Select yes, no or don\u2019t know")
    expect(page.locator(".govuk-error-message")).to_contain_text("Select yes, no or don\u2019t know")
    check(page, phone)
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Continue").click()

    expect(heading(page)).to_have_text("Where do you live?")
    check(page, phone)
    page.get_by_label("Wirral").check()
    page.get_by_role("button", name="Continue").click()

    # Too long a comment is refused and what was typed is kept.
    comment = page.get_by_label("Do you have any comments? (optional)")
    expect(comment).to_be_visible()
    check(page, phone)
    comment.fill("x" * 1001)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("1,000 characters or fewer")
    expect(page.get_by_label("Do you have any comments? (optional)")).to_have_value("x" * 1001)
    check(page, phone)
    page.get_by_label("Do you have any comments? (optional)").fill("Keep the bobbies on the beat.")
    page.get_by_role("button", name="Continue").click()

    expect(heading(page)).to_have_text("Check your answers before sending them")
    expect(page.get_by_text("Keep the bobbies on the beat.")).to_be_visible()
    check(page, phone)
    page.get_by_role("button", name="Continue").click()

    expect(heading(page)).to_have_text("Equality questions (optional)")
    check(page, phone)
    page.get_by_label("45 to 54").check()
    page.get_by_role("button", name="Send answers").click()

    expect(heading(page)).to_have_text("Answers sent")
    reference = page.locator(".govuk-panel__body strong")
    expect(reference).to_have_text(re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$"))
    check(page, phone)
    return reference.inner_text()


def test_a_resident_answers_from_the_home_page_and_gets_a_reference(seeded, page):
    reference = answer_the_consultation(page)
    saved = Response.objects.get(reference=reference)
    assert saved.district == "wirral"
    assert set(Answer.objects.filter(response=saved).values_list("question__code", "choice_code")) == {
        ("willing", "yes"),
        ("district", "wirral"),
        ("comment", ""),
        ("age", "45-54"),
    }
    # Going back after sending does not send again.
    page.go_back()
    expect(heading(page)).not_to_have_text("Answers sent")
    assert Response.objects.count() == 1


def test_the_journey_works_and_is_accessible_at_320px(seeded, phone_page):
    reference = answer_the_consultation(phone_page, phone=True)
    assert Response.objects.filter(reference=reference).exists()


def test_the_journey_works_without_javascript(seeded, no_js_phone_page):
    page = no_js_phone_page
    page.goto("/have-your-say/police-precept/")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Prefer not to say").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_label("Do you have any comments? (optional)")).to_be_visible()
    page.get_by_role("button", name="Continue").click()  # the comment is optional
    expect(heading(page)).to_have_text("Check your answers before sending them")
    page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_have_text("Equality questions (optional)")
    page.get_by_role("button", name="Skip these questions and send").click()
    expect(heading(page)).to_have_text("Answers sent")
    assert_no_horizontal_scroll(page)
    assert Response.objects.get().district == "prefer-not-to-say"


@pytest.mark.parametrize("path", ["/have-your-say/", "/have-your-say/police-precept/privacy/"])
def test_consultation_pages_are_accessible(seeded, phone_page, path):
    assert phone_page.goto(path).status == 200
    assert_accessible(phone_page)
    assert_no_horizontal_scroll(phone_page)


def test_staff_results_are_accessible(seeded, page, live_server, django_user_model):
    from consultation.models import Consultation

    consultation = Consultation.objects.get()
    questions = {q.code: q for q in consultation.questions.prefetch_related("choices")}
    for district, willing in [("wirral", "yes"), ("sefton", "no"), ("sefton", "yes")]:
        consultation.record_response(
            {
                questions["willing"]: {"codes": [willing]},
                questions["district"]: {"codes": [district]},
                questions["comment"]: {"text": "More police"},
            },
            channel="paper",
        )
    django_user_model.objects.create_superuser("clerk", "clerk@example.org", "a-long-test-password")
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("clerk")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    page.goto("/have-your-say/police-precept/staff/results/")
    expect(heading(page)).to_have_text(re.compile(r"^Results"))
    expect(page.locator("svg.app-chart").nth(1)).to_be_attached()
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert_no_horizontal_scroll(page)

    # Keying in a paper response: errors beside the questions, then saved.
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto("/have-your-say/police-precept/staff/key-in/")
    page.get_by_role("button", name="Save response").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select how the response came in")
    assert_accessible(page)
    page.get_by_label("Paper form").check()
    page.get_by_label("Don’t know").check()
    page.get_by_label("Knowsley").check()
    page.get_by_role("button", name="Save response").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("saved")
    assert Response.objects.filter(channel="paper", district="knowsley").exists()
    assert_accessible(page)

    # The published results, once closed: we asked, you said, we did.
    Consultation.objects.update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1), results_published=True, outcome="We did it."
    )
    page.context.clear_cookies()
    page.goto("/have-your-say/police-precept/results/")
    expect(page.get_by_role("heading", name="We did")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert_no_horizontal_scroll(page)
