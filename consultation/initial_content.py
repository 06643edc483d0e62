"""
The Police and Crime Commissioner's precept consultation, worded as the
Commissioner's page words it (seed 000). It opens when it is loaded and
closes well in the future, so that a newcomer who runs `make run` can answer
it at once.

`load_initial_content` runs each bundle in BUNDLES once.
"""

import datetime

from django.utils import timezone

from .models import Choice, Consultation, Question

PRECEPT_SLUG = "police-precept"
PRECEPT_TITLE = "Policing funding: the police precept"
PRECEPT_RUN_BY = "Police and Crime Commissioner for Merseyside"
# The old page says "Jane wants your views..."; the site does not know who
# "Jane" is, so she is introduced by her role. (Where a clerk records the
# Commissioner's name, write "Jane Kennedy, the Police and Crime Commissioner".)
EARLIER_PRECEPT_SUMMARY = "Jane wants your views on policing funding today..."
PRECEPT_SUMMARY = "The Police and Crime Commissioner wants your views on policing funding today..."
WILLINGNESS_QUESTION = (
    "Would you be willing to contribute an extra 19p a week in your council tax to enable the Chief "
    "Constable to recruit 160 new police officers next year, as well help balance the budget and protect jobs?"
)
PRECEPT_BACKGROUND = "\n\n".join(
    [
        "The Police Commissioner has to set the police budget soon.",
        "She wants your views on if you would be willing to contribute an extra 19p a week in your "
        "council tax to enable the Chief Constable to recruit 160 new police officers next year, as well "
        "help balance the budget and protect jobs?",
        "Without the extra funding the Commissioner will have to reduce the budget, the recruitment of new "
        "officers can\u2019t go ahead and the Chief Constable will be required to cut back on the service "
        "again.",
    ]
)
# How this site handles the answers (what the code does), not a policy of the
# Commissioner's office: staff should replace it with the office's own notice.
PRIVACY_NOTICE = "\n\n".join(
    [
        "The Office of the Police and Crime Commissioner for Merseyside asks these questions to help set "
        "the police budget.",
        "You do not need to give your name or contact details. We do not store your internet (IP) address. "
        "To spot answers sent more than once, we keep a scrambled code made from your connection, which "
        "cannot be turned back into it; we destroy the key to that code once the answers are analysed.",
        "The equality questions are optional. Your answers to them are special category personal data; "
        "we use them only to check that we hear from everyone in Merseyside.",
    ]
)

# (code, question, hint, kind, required, error message, [(code, label, is_exclusive)])
PRECEPT_QUESTIONS = [
    (
        "willing",
        WILLINGNESS_QUESTION,
        "",
        Question.Kind.SINGLE,
        True,
        "Select yes, no or don\u2019t know",
        [("yes", "Yes", False), ("no", "No", False), ("dont-know", "Don\u2019t know", False)],
    ),
    ("district", "Where do you live?", "", Question.Kind.DISTRICT, True, "Select where you live", []),
    (
        "comment",
        "Do you have any comments? (optional)",
        "Do not include your name or anything that could identify you.",
        Question.Kind.TEXT,
        False,
        "",
        [],
    ),
]

PREFER_NOT = ("prefer-not-to-say", "Prefer not to say", True)
EQUALITY_QUESTIONS = [
    (
        "age",
        "What is your age?",
        [
            ("under-18", "Under 18", False),
            ("18-24", "18 to 24", False),
            ("25-34", "25 to 34", False),
            ("35-44", "35 to 44", False),
            ("45-54", "45 to 54", False),
            ("55-64", "55 to 64", False),
            ("65-74", "65 to 74", False),
            ("75-plus", "75 or over", False),
            PREFER_NOT,
        ],
    ),
    ("sex", "What is your sex?", [("female", "Female", False), ("male", "Male", False), PREFER_NOT]),
    (
        "disability",
        "Do you have any physical or mental health conditions or illnesses lasting or expected to last "
        "12 months or more?",
        [("yes", "Yes", False), ("no", "No", False), PREFER_NOT],
    ),
    (
        "ethnicity",
        "What is your ethnic group?",
        [
            ("asian", "Asian or Asian British", False),
            ("black", "Black, Black British, Caribbean or African", False),
            ("mixed", "Mixed or multiple ethnic groups", False),
            ("white", "White", False),
            ("other", "Another ethnic group", False),
            PREFER_NOT,
        ],
    ),
]


def add_equality_questions(consultation, first_order):
    """The optional equality-monitoring questions, asked after "check your
    answers"."""
    for offset, (code, text, choices) in enumerate(EQUALITY_QUESTIONS):
        question = Question.objects.create(
            consultation=consultation,
            order=first_order + offset,
            code=code,
            text=text,
            kind=Question.Kind.SINGLE,
            required=False,
            equality_monitoring=True,
        )
        Choice.objects.bulk_create(
            Choice(question=question, order=n, code=c, label=label, is_exclusive=exclusive)
            for n, (c, label, exclusive) in enumerate(choices)
        )


def load_precept():
    now = timezone.now()
    consultation = Consultation.objects.create(
        title=PRECEPT_TITLE,
        slug=PRECEPT_SLUG,
        run_by=PRECEPT_RUN_BY,
        summary=PRECEPT_SUMMARY,
        background=PRECEPT_BACKGROUND,
        time_to_complete="2 minutes",
        opens_at=now - datetime.timedelta(minutes=1),
        closes_at=now + datetime.timedelta(days=90),
        privacy_notice=PRIVACY_NOTICE,
        delete_responses_after=(now + datetime.timedelta(days=90 + 365)).date(),
    )
    for order, (code, text, hint, kind, required, error, choices) in enumerate(PRECEPT_QUESTIONS):
        question = Question.objects.create(
            consultation=consultation,
            order=order,
            code=code,
            text=text,
            hint=hint,
            kind=kind,
            required=required,
            error_message=error,
        )
        Choice.objects.bulk_create(
            Choice(question=question, order=n, code=c, label=label, is_exclusive=exclusive)
            for n, (c, label, exclusive) in enumerate(choices)
        )
    add_equality_questions(consultation, first_order=len(PRECEPT_QUESTIONS))


def introduce_the_commissioner_by_role():
    """Installs loaded with "Jane wants your views" get the role instead,
    unless staff have reworded the summary since."""
    Consultation.objects.filter(slug=PRECEPT_SLUG, summary=EARLIER_PRECEPT_SUMMARY).update(
        summary=PRECEPT_SUMMARY
    )


BUNDLES = [
    ("consultation.precept", load_precept),
    ("consultation.precept-commissioner-by-role", introduce_the_commissioner_by_role),
]
