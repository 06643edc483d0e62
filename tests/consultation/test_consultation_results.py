"""Staff results, the CSV export, public results, keying in paper responses,
retention, and the admin's lock on questions once answered."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from consultation import export
from consultation.models import Answer, Choice, Consultation, Question, Response, ResponseDeletion
from tests.consultation.factories import survey
from tests.govuk_errors import assert_error_shown

STAFF_RESULTS_QUERIES = 14

pytestmark = pytest.mark.django_db


def url(consultation, name, *args):
    return reverse(f"consultation:{name}", args=[consultation.slug, *args])


def record(consultation, channel="online", **answers):
    """A response: keyword arguments are question codes, values a code, a
    list of codes, or text (for text and postcode questions)."""
    questions = {
        q.code: q for q in Question.objects.filter(consultation=consultation).prefetch_related("choices")
    }
    values = {}
    for code, value in answers.items():
        question = questions[code]
        if question.is_choice:
            chosen = value if isinstance(value, list) else [value]
            other = ""
            if isinstance(chosen[-1], tuple):
                chosen[-1], other = chosen[-1]
            values[question] = {"codes": chosen, "text": other}
        else:
            values[question] = {"codes": [], "text": value}
    response, _ = consultation.record_response(values, channel=channel)
    return response


@pytest.fixture
def responses():
    """Six responses: online and paper, one excluded, across two districts."""
    consultation = survey()
    record(consultation, willing="yes", priorities=["drugs"], district="sefton", comment="=HYPERLINK(1)")
    record(consultation, willing="yes", priorities=["drugs", "roads"], district="sefton")
    record(consultation, willing="no", priorities=[("other", "Dog fouling")], district="wirral")
    record(consultation, "paper", willing="no", priorities=["roads"], district="wirral", comment="Paper one")
    record(
        consultation,
        "phone",
        willing="dont-know",
        priorities=["none"],
        district="wirral",
        postcode="CH41 1AA",
    )
    excluded = record(consultation, willing="yes", priorities=["burglary"], district="sefton", comment="spam")
    Response.objects.filter(pk=excluded.pk).update(status="excluded", status_reason="Test spam")
    return consultation


def table(results, code):
    result = next(r for r in results if r.question.code == code)
    return result, {row.code: row for row in result.rows}


def test_results_count_the_stored_responses_but_not_the_excluded(staff_client, responses):
    from consultation import results

    built = results.build(Consultation.objects.with_questions().get(pk=responses.pk))
    willing, rows = table(built, "willing")
    assert willing.answered == 5
    assert (rows["yes"].count, rows["no"].count, rows["dont-know"].count) == (2, 2, 1)
    assert rows["yes"].percent == 40.0
    # By district: Sefton's two said yes; Wirral's three said no, no, don't know.
    columns = [code for code, _label, _n in willing.districts]
    sefton, wirral = columns.index("sefton"), columns.index("wirral")
    assert rows["yes"].by_district[sefton] == (2, 100.0)
    assert rows["no"].by_district[wirral] == (2, 66.7)
    assert willing.districts[wirral][2] == 3
    # Several choices: respondents, not ticks, are the denominator.
    priorities, rows = table(built, "priorities")
    assert priorities.answered == 5
    assert rows["drugs"].count == 2 and rows["drugs"].percent == 40.0
    assert rows["burglary"].count == 0  # the excluded response's only choice
    page = staff_client.get(url(responses, "staff_results")).content.decode()
    assert "<svg" in page and "govuk-table" in page
    assert "Dog fouling" in page and "Paper one" in page
    assert "spam" not in page.split('id="free-text"')[1]  # excluded answers are not listed


def test_free_text_is_searchable(staff_client, responses):
    page = staff_client.get(url(responses, "staff_results") + "?q=paper").content.decode()
    listed = page.split('id="free-text"')[1]
    assert "Paper one" in listed and "HYPERLINK" not in listed


def test_control_characters_in_the_free_text_search_are_spaces(staff_client, responses):
    """PostgreSQL refuses a NUL in any string: typed or pasted, it is a space."""
    response = staff_client.get(url(responses, "staff_results") + "?q=paper%00one")
    assert response.status_code == 200
    listed = response.content.decode().split('id="free-text"')[1]
    assert "Paper one" in listed
    assert 'value="paper one"' in response.content.decode()


def test_csv_has_a_row_per_response_in_a_fixed_order_and_agrees_with_the_database(staff_client, responses):
    response = staff_client.get(url(responses, "export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header, data = rows[0], rows[1:]
    assert header == [
        "reference",
        "submitted_at",
        "channel",
        "status",
        "status_reason",
        "willing",
        "priorities",
        "priorities_other",
        "district",
        "postcode",
        "comment",
        "sex",
    ]
    stored = list(Response.objects.order_by("submitted_at", "pk"))
    assert [row[0] for row in data] == [r.reference for r in stored]
    by_ref = {row[0]: dict(zip(header, row, strict=True)) for row in data}
    for saved in stored:
        row = by_ref[saved.reference]
        assert row["channel"] == saved.channel and row["status"] == saved.status
        assert row["district"] == saved.district
        assert row["willing"] == saved.answers.get(question__code="willing").choice_code
    assert [row[2] for row in data] == ["online", "online", "online", "paper", "phone", "online"]
    assert data[1][header.index("priorities")] == "drugs;roads"
    assert data[2][header.index("priorities_other")] == "Dog fouling"
    assert data[4][header.index("postcode")] == "CH41 1AA"
    assert data[5][header.index("status")] == "excluded"
    # The formula a resident typed cannot run in Excel.
    assert data[0][header.index("comment")] == "'=HYPERLINK(1)"


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+44 151", "'+44 151"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("Plain words = fine", "Plain words = fine"),
        ("", ""),
    ],
)
def test_formulas_are_neutralised(typed, written):
    assert export.neutralise(typed) == written


def test_charts_escape_what_staff_typed(responses):
    from consultation import charts, results

    Choice.objects.filter(code="yes").update(label="<script>alert(1)</script> Yes")
    built = results.build(Consultation.objects.with_questions().get(pk=responses.pk))
    willing = next(r for r in built if r.question.code == "willing")
    svg = charts.bar_chart(willing, "t") + charts.district_chart(willing, "d")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count("<svg") == 2 and 'aria-labelledby="t"' in svg


def test_non_staff_get_neither_results_nor_export(client, django_user_model, responses):
    for name in ["staff_results", "export", "key_in", "delete_expired"]:
        response = client.get(url(responses, name))
        assert response.status_code == 302 and "/admin/login/" in response.url
    resident = django_user_model.objects.create_user("resident", "r@example.org", "a-long-test-password")
    client.force_login(resident)
    for name in ["staff_results", "export", "key_in", "delete_expired"]:
        response = client.get(url(responses, name))
        assert response.status_code == 302 and "/admin/login/" in response.url


def test_public_results_appear_only_after_closing_and_publishing(client, responses):
    assert client.get(url(responses, "results")).status_code == 404
    Consultation.objects.filter(pk=responses.pk).update(results_published=True)
    assert client.get(url(responses, "results")).status_code == 404  # still open
    Consultation.objects.filter(pk=responses.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1), outcome="We recruited 160 officers."
    )
    page = client.get(url(responses, "results")).content.decode()
    for heading in ["We asked", "You said", "We did", "We recruited 160 officers.", "5 responses"]:
        assert heading in page
    # No typed answers and no equality data on the public page.
    assert "Paper one" not in page and "What is your sex?" not in page


def test_staff_key_in_a_paper_response(staff_client):
    consultation = survey()
    q = {question.code: question for question in consultation.questions.all()}
    page = staff_client.post(
        url(consultation, "key_in"), {f"q{q['willing'].pk}-answer": "yes"}
    ).content.decode()
    assert "Select how the response came in" in page and "Select where you live" in page
    assert 'value="yes" checked' in page  # kept what was typed
    assert_error_shown(page, "channel", "Select how the response came in")
    assert_error_shown(page, f"q{q['district'].pk}-answer", "Select where you live")
    response = staff_client.post(
        url(consultation, "key_in"),
        {
            "channel": "paper",
            f"q{q['willing'].pk}-answer": "no",
            f"q{q['priorities'].pk}-answer": ["roads"],
            f"q{q['district'].pk}-answer": "knowsley",
            f"q{q['comment'].pk}-answer": "Written on the back",
        },
    )
    assert response.status_code == 302
    saved = Response.objects.get()
    assert saved.channel == "paper" and saved.district == "knowsley" and saved.keyed_in_by.username == "clerk"
    assert saved.answers.count() == 4
    assert saved.reference in staff_client.get(response.url).content.decode()


def test_deleting_responses_past_retention_needs_confirmation_and_is_recorded(staff_client, responses):
    assert staff_client.get(url(responses, "delete_expired")).context["count"] == 0
    Consultation.objects.filter(pk=responses.pk).update(
        delete_responses_after=timezone.localdate() - datetime.timedelta(days=1)
    )
    page = staff_client.post(url(responses, "delete_expired"), {"reason": "Retention ended"}).content.decode()
    assert "Confirm that you want to delete these responses" in page
    assert Response.objects.count() == 6
    response = staff_client.post(
        url(responses, "delete_expired"), {"reason": "Retention ended", "confirm": "yes"}
    )
    assert response.status_code == 302
    assert Response.objects.count() == 0 and Answer.objects.count() == 0
    deletion = ResponseDeletion.objects.get()
    assert (
        deletion.count == 6
        and deletion.deleted_by.username == "clerk"
        and deletion.reason == "Retention ended"
    )


def test_deleting_one_response_in_the_admin_is_recorded(staff_client, responses):
    one = Response.objects.first()
    change = reverse("admin:consultation_response_delete", args=[one.pk])
    assert "Are you sure" in staff_client.get(change).content.decode()
    staff_client.post(change, {"post": "yes"})
    assert not Response.objects.filter(pk=one.pk).exists()
    assert ResponseDeletion.objects.get().references == one.reference


def test_deleting_responses_of_two_consultations_in_the_admin_records_each(staff_client, responses):
    other = survey(title="Another survey", slug="another-survey")
    second = record(other, willing="no", priorities=["roads"], district="wirral")
    chosen = [Response.objects.filter(consultation=responses).first(), second]
    changelist = reverse("admin:consultation_response_changelist")
    form = {"action": "delete_selected", "_selected_action": [r.pk for r in chosen]}
    assert "Are you sure" in staff_client.post(changelist, form).content.decode()
    staff_client.post(changelist, {**form, "post": "yes"})
    assert Response.objects.filter(pk__in=[r.pk for r in chosen]).count() == 0
    assert Response.objects.count() == 5
    records = {d.consultation_id: d for d in ResponseDeletion.objects.all()}
    assert {pk: (d.count, d.references, d.deleted_by.username) for pk, d in records.items()} == {
        responses.pk: (1, chosen[0].reference, "clerk"),
        other.pk: (1, second.reference, "clerk"),
    }
    assert records[other.pk].reason == "Deleted by staff in the admin."


def test_excluding_a_response_needs_a_reason_and_records_who(staff_client, responses):
    one = Response.objects.first()
    change = reverse("admin:consultation_response_change", args=[one.pk])
    page = staff_client.post(change, {"status": "excluded", "status_reason": ""}).content.decode()
    assert "Give the reason for excluding this response." in page
    staff_client.post(change, {"status": "excluded", "status_reason": "Same answers twice"})
    one.refresh_from_db()
    assert one.status == "excluded" and one.status_changed_by.username == "clerk"


def test_questions_and_choices_are_locked_once_answered(staff_client, responses):
    question = responses.questions.get(code="willing")
    page = staff_client.get(
        reverse("admin:consultation_question_change", args=[question.pk])
    ).content.decode()
    assert "cannot be removed" in page
    assert 'name="choices-0-code"' not in page  # codes are read-only
    assert 'name="choices-0-DELETE"' not in page
    assert staff_client.post(
        reverse("admin:consultation_question_delete", args=[question.pk]), {"post": "yes"}
    )
    assert Question.objects.filter(pk=question.pk).exists()
    page = staff_client.get(reverse("admin:consultation_consultation_change", args=[responses.pk])).content
    assert b'name="questions-0-DELETE"' not in page
    assert b'name="questions-0-code"' not in page
    # And the database refuses to delete an answered question from under its answers.
    from django.db.models import RestrictedError

    with pytest.raises(RestrictedError):
        question.delete()
    assert Choice.objects.filter(question=question).count() == 3


def test_an_unanswered_consultation_can_still_be_edited(staff_client):
    consultation = survey()
    page = staff_client.get(reverse("admin:consultation_consultation_change", args=[consultation.pk])).content
    assert b'name="questions-0-DELETE"' in page and b'name="questions-0-code"' in page


def test_admin_can_build_a_consultation_with_inline_questions(staff_client):
    response = staff_client.post(
        reverse("admin:consultation_consultation_add"),
        {
            "title": "Road safety",
            "slug": "road-safety",
            "run_by": "Sefton Council",
            "summary": "About roads.",
            "background": "",
            "time_to_complete": "1 minute",
            "opens_at_0": "2030-01-01",
            "opens_at_1": "09:00:00",
            "closes_at_0": "2030-02-01",
            "closes_at_1": "09:00:00",
            "delete_responses_after": "2031-02-01",
            "privacy_notice": "We keep it safe.",
            "outcome": "",
            "questions-TOTAL_FORMS": "1",
            "questions-INITIAL_FORMS": "0",
            "questions-MIN_NUM_FORMS": "0",
            "questions-MAX_NUM_FORMS": "1000",
            "questions-0-order": "1",
            "questions-0-code": "speeding",
            "questions-0-text": "Is speeding a problem?",
            "questions-0-kind": "single",
            "questions-0-required": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    consultation = Consultation.objects.get(slug="road-safety")
    assert consultation.questions.get().code == "speeding"


@pytest.mark.parametrize("size", [1, 10])
def test_staff_results_query_count_is_fixed(staff_client, django_assert_max_num_queries, size):
    consultation = survey()
    for n in range(size):
        record(consultation, willing="yes", priorities=["drugs", "roads"], district="sefton", comment=f"c{n}")
        record(consultation, "paper", willing="no", priorities=["roads"], district="wirral")
    with django_assert_max_num_queries(STAFF_RESULTS_QUERIES):
        response = staff_client.get(url(consultation, "staff_results"))
    assert response.status_code == 200
    assert f"{size} typed answer" in response.content.decode()
