"""Who attended a meeting (or sent apologies), and the interests declared."""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from partnerships.models import Person

from ..managers import (
    DeclarationQuerySet,
    PublicQuerySet,
)
from .items import AgendaItem
from .meetings import Meeting, printed_or_full_name


class Attendance(models.Model):
    class Role(models.TextChoices):
        PRESENT = "present", "Present"
        ALSO_PRESENT = "also_present", "Also present"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attendances",
        db_index=False,  # attendance_by_person below
    )
    name = models.CharField(
        max_length=200, blank=True, help_text="As the minutes print it; leave empty to use the person's name."
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PRESENT)
    is_chair = models.BooleanField(default=False, verbose_name="in the chair")
    order = models.PositiveSmallIntegerField(default=0)

    objects = PublicQuerySet.as_manager()
    change_history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order", "pk"]
        verbose_name_plural = "attendance"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=models.Q(person__isnull=False),
                name="unique_attendance_per_person",
                violation_error_message="This person is listed twice for the meeting.",
            )
        ]
        indexes = [
            # A person's attendance, counted (meetings.people.count_attendance)
            # from the index alone on PostgreSQL: the meeting to leave out
            # drafts and the role to count by are in it.
            models.Index(fields=["person"], include=["meeting", "role"], name="attendance_by_person"),
        ]

    def __str__(self):
        return f"{self.display_name}: {self.get_role_display()}"

    def clean(self):
        if not (self.person_id or self.name):
            raise ValidationError("Choose a person or type their name.")
        if self.is_chair and self.role != self.Role.PRESENT:
            raise ValidationError({"is_chair": "Only someone present can be in the chair."})

    @property
    def display_name(self):
        return printed_or_full_name(self.name, self.person)


class Declaration(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="declarations")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="declarations"
    )
    name = models.CharField(max_length=200, blank=True, help_text="Or the name as the minutes print it.")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="declarations"
    )
    interest = models.TextField(help_text="What was declared, as the minutes record it.")

    objects = DeclarationQuerySet.as_manager()
    change_history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = "declaration of interest"

    def __str__(self):
        return f"{self.display_name}: {self.interest[:60]}"

    def clean(self):
        if not (self.person_id or self.name):
            raise ValidationError("Choose who declared the interest, or type their name.")
        if self.item_id and self.meeting_id and self.item.meeting_id != self.meeting_id:
            raise ValidationError({"item": "Choose an item of this meeting."})

    @property
    def display_name(self):
        return printed_or_full_name(self.name, self.person)
