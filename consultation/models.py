"""
Consultations: questions put to residents, and their responses.

A Consultation has Questions in order, and the choice questions have Choices.
A resident's Response holds one Answer per question answered (one per chosen
code for "several choices"). Answers keep the choice's stable `code`, not a
foreign key, so that an export written today and one written next year use
the same values, and so that a clerk tidying a choice's wording cannot change
what residents chose.

No personal data is kept beyond what the questions ask: no IP address, no
user agent. A keyed hash of the client (see `client_fingerprint`) lets staff
spot likely duplicates; its key is kept per consultation and destroyed after
analysis, which makes the stored hashes meaningless.
"""

import hashlib
import hmac
import re
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .managers import AnswerQuerySet, ConsultationQuerySet, ResponseQuerySet

# The five districts of Merseyside, and the two other answers. The codes are
# the values in exports and the columns of the district breakdown.
DISTRICTS = [
    ("knowsley", "Knowsley"),
    ("liverpool", "Liverpool"),
    ("sefton", "Sefton"),
    ("st-helens", "St Helens"),
    ("wirral", "Wirral"),
    ("outside", "Outside Merseyside"),
    ("prefer-not-to-say", "Prefer not to say"),
]
DISTRICT_LABELS = dict(DISTRICTS)

# A full UK postcode, after upper-casing and removing spaces (GIR 0AA is the
# one historic exception to the pattern).
POSTCODE_RE = re.compile(r"^(GIR0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][ABD-HJLNP-UW-Z]{2})$")

# Reference numbers: no 0/O or 1/I, so that a resident reading one out on the
# phone cannot be misheard.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def normalise_postcode(value):
    """'l18jq ' -> 'L1 8JQ'; None when it is not a UK postcode."""
    compact = re.sub(r"\s+", "", str(value or "")).upper()
    if not POSTCODE_RE.match(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"


def new_reference():
    raw = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def new_hash_key():
    return secrets.token_hex(32)


class Consultation(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    run_by = models.CharField(
        max_length=200, help_text="Who runs it, for example the Police and Crime Commissioner for Merseyside."
    )
    summary = models.TextField(help_text="What it is about, in a sentence or two. Shown on the start page.")
    background = models.TextField(
        blank=True,
        help_text="What a resident needs to know to answer, for example what happens without the "
        "extra funding. Separate paragraphs with a blank line.",
    )
    time_to_complete = models.CharField(max_length=60, default="2 minutes")
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    privacy_notice = models.TextField(help_text="Who holds the answers, why, and for how long.")
    results_published = models.BooleanField(
        default=False, help_text="Show the results to the public. They appear only once it has closed."
    )
    outcome = models.TextField(
        blank=True, help_text='"We did": what was decided, shown with the published results.'
    )
    delete_responses_after = models.DateField(
        help_text="Responses are deleted after this date (staff delete them from the results page)."
    )
    # Destroyed (set blank) after analysis: the stored hashes then identify no one.
    client_hash_key = models.CharField(max_length=64, blank=True, default=new_hash_key, editable=False)

    objects = ConsultationQuerySet.as_manager()
    # The audit trail (django-simple-history). The hashing key is
    # left out: it is destroyed after analysis so that the stored hashes
    # identify no one, which a copy kept in the history would undo.
    change_history = HistoricalRecords(excluded_fields=["client_hash_key"])

    class Meta:
        ordering = ["-opens_at"]
        # What the Consultation officer and Site administrator
        # groups may do beyond editing (partnerships/migrations/0004_staff_roles.py).
        permissions = [
            ("view_results", "Can read the results of consultations"),
            ("export_responses", "Can export the responses to consultations"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultation:start", args=[self.slug])

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "It must close after it opens."})

    def next_change(self, now=None):
        """When this consultation next opens or closes (None once closed)."""
        now = now or timezone.now()
        if now < self.opens_at:
            return self.opens_at
        if now < self.closes_at:
            return self.closes_at
        return None

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def has_opened(self, now=None):
        return self.opens_at <= (now or timezone.now())

    def has_closed(self, now=None):
        return self.closes_at <= (now or timezone.now())

    @property
    def results_are_public(self):
        return self.results_published and self.has_closed()

    def client_fingerprint(self, client_id):
        """A keyed hash of the client (address and browser): equal for the
        same client in this consultation, meaningless once the key is gone."""
        if not self.client_hash_key:
            return ""
        digest = hmac.new(self.client_hash_key.encode(), client_id.encode(), hashlib.sha256)
        return digest.hexdigest()[:32]

    def destroy_client_hashes(self):
        self.client_hash_key = ""
        self.save(update_fields=["client_hash_key"])
        self.responses.update(client_hash="")

    def record_response(self, answers, *, channel, token=None, client_hash="", keyed_in_by=None):
        """Save a response and its answers, all or nothing.

        `answers` maps each Question to its cleaned value ({"codes": [...],
        "text": "..."}, see forms.AnswerForm). `token` is the resident's
        journey token: a second submission with the same token (a double
        click, a refresh) returns the first response instead of a new one.
        Returns (response, created)."""
        if token is not None:
            existing = self.responses.filter(submission_token=token).first()
            if existing:
                return existing, False
        district = ""
        for question, value in answers.items():
            if question.kind == Question.Kind.DISTRICT and value.get("codes"):
                district = value["codes"][0]
        duplicate = bool(client_hash) and self.responses.filter(client_hash=client_hash).exists()
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    response = Response.objects.create(
                        consultation=self,
                        reference=new_reference(),
                        submission_token=token or uuid.uuid4(),
                        channel=channel,
                        district=district,
                        client_hash=client_hash,
                        keyed_in_by=keyed_in_by,
                        status=Response.Status.SUSPECTED_DUPLICATE if duplicate else Response.Status.VALID,
                        status_reason="Sent from the same device as an earlier response."
                        if duplicate
                        else "",
                    )
                    Answer.objects.bulk_create(
                        Answer(response=response, question=question, choice_code=code, text=text)
                        for question, value in answers.items()
                        for code, text in Answer.rows_for(question, value)
                    )
                return response, True
            except IntegrityError:
                # Either the same token won a race (a double click reaching two
                # workers at once), or, astronomically rarely, the reference
                # was taken: the first returns the winner, the second retries.
                if token is not None:
                    existing = self.responses.filter(submission_token=token).first()
                    if existing:
                        return existing, False
        raise IntegrityError("Could not find a free reference number.")


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "One choice (radios)"
        MULTIPLE = "multiple", "Several choices (checkboxes)"
        TEXT = "text", "Free text"
        DISTRICT = "district", "The resident's district"
        POSTCODE = "postcode", "Postcode"

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE, Kind.DISTRICT)

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    code = models.SlugField(
        max_length=40, help_text="Short and stable: the column heading in exports, for example 'willing'."
    )
    text = models.CharField(max_length=500, help_text="The question, as the page heading.")
    hint = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    required = models.BooleanField(default=True)
    error_message = models.CharField(
        max_length=200,
        blank=True,
        help_text="Shown when a required answer is missing, for example 'Select if you would be willing "
        "to pay more'. A general message is used when blank.",
    )
    min_choices = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Several choices only.")
    max_choices = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Several choices only, for example 3 for 'choose up to three'."
    )
    max_length = models.PositiveIntegerField(default=1000, help_text="Free text only: most characters.")
    # Special-category data (UK GDPR article 9): always optional, asked after
    # "check your answers", with "prefer not to say".
    equality_monitoring = models.BooleanField(
        default=False, help_text="Equality monitoring (special-category data): always optional."
    )

    change_history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["consultation", "code"], name="unique_question_code")]

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        # Special-category data is never compulsory, whatever the form said.
        if self.equality_monitoring:
            self.required = False
        super().save(*args, **kwargs)

    def clean(self):
        if self.equality_monitoring:
            self.required = False
        if (
            self.kind == self.Kind.MULTIPLE
            and self.min_choices
            and self.max_choices
            and self.min_choices > self.max_choices
        ):
            raise ValidationError({"max_choices": "The most must not be fewer than the fewest."})
        if self.equality_monitoring and self.kind not in (self.Kind.SINGLE, self.Kind.MULTIPLE):
            raise ValidationError({"kind": "Equality questions are one or several choices."})

    @property
    def is_choice(self):
        return self.kind in self.CHOICE_KINDS

    def choice_pairs(self):
        """(code, label) of every choice, from the prefetched choices."""
        if self.kind == self.Kind.DISTRICT:
            return list(DISTRICTS)
        return [(choice.code, choice.label) for choice in self.choices.all()]

    def other_code(self):
        for choice in self.choices.all():
            if choice.is_other:
                return choice.code
        return None

    def missing_message(self):
        if self.error_message:
            return self.error_message
        return {
            self.Kind.SINGLE: "Select an answer",
            self.Kind.MULTIPLE: "Select at least one answer",
            self.Kind.TEXT: "Enter your answer",
            self.Kind.DISTRICT: "Select where you live",
            self.Kind.POSTCODE: "Enter your postcode",
        }[self.kind]

    def display(self, value):
        """An answer as the resident sees it on "check your answers"."""
        labels = dict(self.choice_pairs())
        parts = [labels.get(code, code) for code in value.get("codes", [])]
        if value.get("text"):
            parts.append(value["text"])
        return parts


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveSmallIntegerField(default=0)
    code = models.SlugField(max_length=40, help_text="Short and stable: the value in exports, e.g. 'yes'.")
    label = models.CharField(max_length=200)
    hint = models.CharField(max_length=200, blank=True)
    is_other = models.BooleanField(
        default=False, verbose_name="Other (please specify)", help_text="Asks the resident to say what."
    )
    # "Prefer not to say" and "None of these" stand apart from the others
    # (GOV.UK puts them after an "or" divider, and they exclude the rest).
    is_exclusive = models.BooleanField(default=False, help_text="For 'Prefer not to say' or 'None'.")

    change_history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["question", "code"], name="unique_choice_code")]

    def __str__(self):
        return self.label


class Response(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", "Online"
        PAPER = "paper", "Paper form"
        PHONE = "phone", "Phone"
        EVENT = "event", "Event"

    class Status(models.TextChoices):
        VALID = "valid", "Valid"
        SUSPECTED_DUPLICATE = "duplicate", "Suspected duplicate"
        EXCLUDED = "excluded", "Excluded"

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="responses")
    reference = models.CharField(max_length=9, unique=True, editable=False)
    # One per resident journey: a second submit of the same journey finds
    # this instead of saving again.
    submission_token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    # A copy of the district answer, so that every breakdown is one query.
    district = models.CharField(max_length=20, blank=True, choices=DISTRICTS)
    client_hash = models.CharField(max_length=32, blank=True, db_index=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VALID)
    status_reason = models.CharField(max_length=300, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    keyed_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The staff member who typed in a paper, phone or event response.",
    )

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "pk"]

    def __str__(self):
        return self.reference


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    # RESTRICT: a question that has answers cannot be deleted from under them
    # (deleting the whole consultation, responses and all, still works).
    question = models.ForeignKey(Question, on_delete=models.RESTRICT, related_name="answers")
    choice_code = models.CharField(max_length=40, blank=True)
    text = models.TextField(blank=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question", "choice_code"], name="unique_answer")
        ]

    def __str__(self):
        return self.choice_code or self.text[:40]

    @staticmethod
    def rows_for(question, value):
        """The (choice_code, text) rows that store one question's answer: a
        row per chosen code (the "other" text goes with the "other" code),
        or a single text row."""
        codes = value.get("codes") or []
        text = value.get("text") or ""
        if question.is_choice:
            return [(code, text if code == question.other_code() else "") for code in codes]
        return [("", text)] if text else []


class ResponseDeletion(models.Model):
    """A record of every deletion of responses: who, when, how many, why."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="deletions")
    deleted_at = models.DateTimeField(default=timezone.now)
    deleted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    count = models.PositiveIntegerField()
    references = models.TextField(blank=True, help_text="The reference numbers deleted.")
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["-deleted_at"]

    def __str__(self):
        return f"{self.count} deleted on {self.deleted_at:%d %B %Y}"


class SubmissionCount(models.Model):
    """How many responses one client (a keyed hash of its address, never the
    address) has sent in one window of time: the rate limit's counter
    (consultation.ratelimit). It is a row of the database, the same database
    the responses go to, so that the count is exact under concurrency (one
    UPDATE that tests and adds at once) and does not depend on the cache."""

    key = models.CharField(max_length=64, unique=True)
    window = models.PositiveIntegerField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.count} in window {self.window}"

    @classmethod
    def admit(cls, key, window, limit):
        """Count one more for `key` unless it has reached `limit`: True if
        counted. Of N concurrent callers exactly `limit` are admitted: the
        test and the increment are one statement, and PostgreSQL re-checks
        the condition on the row a concurrent update left."""
        under_limit = cls.objects.filter(key=key, window=window, count__lt=limit)
        if under_limit.update(count=models.F("count") + 1):
            return True
        try:
            with transaction.atomic():
                cls.objects.create(key=key, window=window, count=1)
        except IntegrityError:
            # At the limit, or another request made the row just now.
            return bool(under_limit.update(count=models.F("count") + 1))
        # The first count of a window: the windows before it are done with.
        cls.objects.filter(window__lt=window).delete()
        return limit >= 1
