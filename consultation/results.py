"""
Counts and percentages per question, overall and by district, from a fixed
number of queries (two aggregates) whatever the number of responses.

Responses count unless staff have excluded them; suspected duplicates count
until a person decides (see ResponseQuerySet.counted).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from .models import DISTRICTS, Answer, Question


def percent(part, whole):
    return round(100 * part / whole, 1) if whole else 0.0


@dataclass
class Row:
    code: str
    label: str
    count: int
    percent: float
    by_district: list = field(default_factory=list)  # [(count, percent)] in district order


@dataclass
class QuestionResult:
    question: Question
    answered: int
    rows: list
    districts: list  # [(code, label, answered)] columns of the breakdown


def build(consultation, *, include_equality=True):
    """One QuestionResult per choice question (free text is listed, not counted)."""
    questions = [q for q in consultation.questions.all() if q.is_choice]
    if not include_equality:
        questions = [q for q in questions if not q.equality_monitoring]
    answers = Answer.objects.filter(question__consultation=consultation)
    counts = defaultdict(int)
    for row in answers.choice_counts():
        counts[(row["question_id"], row["choice_code"], row["response__district"])] += row["n"]
    # Respondents per question and district (a "several choices" answer has
    # many rows, but is one respondent).
    answered = defaultdict(int)
    for row in (
        answers.exclude(response__status="excluded")
        .values("question_id", "response__district")
        .annotate(n=Count("response", distinct=True))
    ):
        answered[(row["question_id"], row["response__district"])] += row["n"]
    has_district = any(q.kind == Question.Kind.DISTRICT for q in consultation.questions.all())
    results = []
    for question in questions:
        by_district = question.kind != Question.Kind.DISTRICT and has_district
        columns = (
            [(code, label, answered[(question.pk, code)]) for code, label in DISTRICTS] if by_district else []
        )
        total = sum(n for (qid, _d), n in answered.items() if qid == question.pk)
        rows = []
        for code, label in question.choice_pairs():
            count = sum(n for (qid, c, _d), n in counts.items() if qid == question.pk and c == code)
            rows.append(
                Row(
                    code=code,
                    label=label,
                    count=count,
                    percent=percent(count, total),
                    by_district=[
                        (counts[(question.pk, code, d)], percent(counts[(question.pk, code, d)], n))
                        for d, _label, n in columns
                    ],
                )
            )
        results.append(QuestionResult(question=question, answered=total, rows=rows, districts=columns))
    return results
