from django.db import models, transaction
from django.db.models import Count, Prefetch, Q
from django.utils import timezone


class ConsultationQuerySet(models.QuerySet):
    def open_now(self, now=None):
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at")

    def next_change(self, now=None):
        """The next moment any consultation opens or closes, or None."""
        now = now or timezone.now()
        moments = self.aggregate(
            opens=models.Min("opens_at", filter=models.Q(opens_at__gt=now)),
            closes=models.Min("closes_at", filter=models.Q(closes_at__gt=now)),
        )
        return min((m for m in moments.values() if m), default=None)

    def upcoming(self, now=None):
        return self.filter(opens_at__gt=now or timezone.now()).order_by("opens_at")

    def with_published_results(self, now=None):
        return self.filter(results_published=True, closes_at__lte=now or timezone.now()).order_by(
            "-closes_at"
        )

    def with_questions(self):
        """The consultation with its questions and their choices: two extra
        queries however many there are."""
        from .models import Question

        return self.prefetch_related(
            Prefetch("questions", queryset=Question.objects.prefetch_related("choices"))
        )


class ResponseQuerySet(models.QuerySet):
    def counted(self):
        """The responses that count in results: suspected duplicates count
        until staff exclude them (a household shares one address)."""
        return self.exclude(status="excluded")

    def past_retention(self, today=None):
        today = today or timezone.localdate()
        return self.filter(consultation__delete_responses_after__lt=today)

    def delete_recorded(self, by, reason):
        """Delete these responses and record it: one ResponseDeletion per
        consultation (who, when, how many, which references, why). Every
        deletion of responses goes through here, so none goes unrecorded.
        Returns how many were deleted."""
        from .models import ResponseDeletion

        with transaction.atomic():
            references, pks = {}, []
            rows = self.order_by("pk").values_list("pk", "consultation_id", "reference")
            for pk, consultation_id, reference in rows:
                pks.append(pk)
                references.setdefault(consultation_id, []).append(reference)
            # Exactly the responses recorded, even if more came to match.
            self.model.objects.filter(pk__in=pks).delete()
            ResponseDeletion.objects.bulk_create(
                ResponseDeletion(
                    consultation_id=consultation_id,
                    deleted_by=by,
                    count=len(deleted),
                    references=" ".join(deleted),
                    reason=reason,
                )
                for consultation_id, deleted in references.items()
            )
        return sum(len(deleted) for deleted in references.values())

    def for_export(self):
        return self.prefetch_related("answers").order_by("submitted_at", "pk")

    def status_counts(self):
        rows = self.values("status").annotate(n=Count("pk"))
        return {row["status"]: row["n"] for row in rows}

    def district_counts(self):
        rows = self.counted().values("district").annotate(n=Count("pk"))
        return {row["district"]: row["n"] for row in rows}


class AnswerQuerySet(models.QuerySet):
    def choice_counts(self):
        """(question, choice code, district) -> number of counted responses,
        in one query."""
        return (
            self.exclude(response__status="excluded")
            .exclude(choice_code="")
            .values("question_id", "choice_code", "response__district")
            .annotate(n=Count("pk"))
        )

    def free_text(self, search=""):
        # Typed answers: free-text questions and "other (please specify)";
        # postcodes are data, not views, and are not listed.
        answers = (
            self.exclude(response__status="excluded").exclude(text="").exclude(question__kind="postcode")
        )
        if search:
            answers = answers.filter(Q(text__icontains=search))
        return answers.select_related("response", "question").order_by(
            "question__order", "response__submitted_at"
        )
