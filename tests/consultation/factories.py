"""Test data for the consultation app (factory_boy is a test dependency)."""

import datetime

import factory
from django.utils import timezone

from consultation.models import Choice, Consultation, Question


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    title = factory.Sequence(lambda n: f"Consultation {n}")
    slug = factory.Sequence(lambda n: f"consultation-{n}")
    run_by = "Police and Crime Commissioner for Merseyside"
    summary = "A consultation made for a test."
    background = "Some background.\n\nAnd more."
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    privacy_notice = "We keep your answers safe."
    delete_responses_after = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=400))


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    consultation = factory.SubFactory(ConsultationFactory)
    order = factory.Sequence(int)
    code = factory.Sequence(lambda n: f"q{n}")
    text = factory.Sequence(lambda n: f"Question {n}?")
    kind = Question.Kind.SINGLE


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory)
    order = factory.Sequence(int)
    code = factory.Sequence(lambda n: f"c{n}")
    label = factory.Sequence(lambda n: f"Choice {n}")


def survey(**consultation_fields):
    """A consultation with one of each kind of question: willing (yes/no/
    don't know), priorities (choose 1 to 2, with Other and None), district,
    postcode (optional), comment (optional, 200 characters) and one equality
    question (sex)."""
    consultation = ConsultationFactory(**consultation_fields)
    willing = QuestionFactory(consultation=consultation, order=1, code="willing", text="Are you willing?")
    for code, label in [("yes", "Yes"), ("no", "No"), ("dont-know", "Don't know")]:
        ChoiceFactory(question=willing, code=code, label=label)
    priorities = QuestionFactory(
        consultation=consultation,
        order=2,
        code="priorities",
        text="Choose up to two priorities",
        kind=Question.Kind.MULTIPLE,
        min_choices=1,
        max_choices=2,
    )
    for code, label in [("burglary", "Burglary"), ("drugs", "Drugs"), ("roads", "Road safety")]:
        ChoiceFactory(question=priorities, code=code, label=label)
    ChoiceFactory(question=priorities, code="other", label="Something else", is_other=True)
    ChoiceFactory(question=priorities, code="none", label="None of these", is_exclusive=True)
    QuestionFactory(
        consultation=consultation, order=3, code="district", text="Where do you live?", kind="district"
    )
    QuestionFactory(
        consultation=consultation,
        order=4,
        code="postcode",
        text="What is your postcode? (optional)",
        kind="postcode",
        required=False,
    )
    QuestionFactory(
        consultation=consultation,
        order=5,
        code="comment",
        text="Any comments? (optional)",
        kind="text",
        required=False,
        max_length=200,
    )
    sex = QuestionFactory(
        consultation=consultation, order=6, code="sex", text="What is your sex?", equality_monitoring=True
    )
    for code, label in [("female", "Female"), ("male", "Male")]:
        ChoiceFactory(question=sex, code=code, label=label)
    ChoiceFactory(question=sex, code="prefer-not-to-say", label="Prefer not to say", is_exclusive=True)
    return consultation
