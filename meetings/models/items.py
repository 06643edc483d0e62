"""The agenda items of a meeting with their minutes, the resolutions they
record (numbered (1), (2)... within the item) and the actions those ask for."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import DEFERRED
from simple_history.models import HistoricalRecords

from partnerships.models import Person

from ..citations import REFERENCE
from ..managers import (
    AgendaItemQuerySet,
    ResolutionQuerySet,
)
from .meetings import Meeting, printed_or_full_name


def minute_address(meeting_url, number):
    """A numbered minute's own page: the "meetings:minute" address is its
    meeting's with minute-N/ after it (meetings/urls.py), so built from it a
    page of forty minutes reverses one URL, not forty."""
    return f"{meeting_url}minute-{number}/"


class AgendaItem(models.Model):
    class ExemptParagraph(models.IntegerChoices):
        # Schedule 12A to the Local Government Act 1972, Part 1.
        P1 = 1, "1: Information relating to any individual"
        P2 = 2, "2: Information likely to reveal the identity of an individual"
        P3 = 3, "3: Information relating to the financial or business affairs of any particular person"
        P4 = 4, "4: Information relating to consultations or negotiations on labour relations"
        P5 = 5, "5: Information in respect of which legal professional privilege could be claimed"
        P6 = 6, "6: Information revealing an intention to give a notice or make an order"
        P7 = 7, "7: Information relating to the prevention, investigation or prosecution of crime"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    minute_number = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Runs on from the last meeting in the municipal year; the form proposes the next one.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=300)
    presenter = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        # A person named in minutes is part of the record: deleting them
        # would change the minutes silently, so it is refused.
        on_delete=models.PROTECT,
        related_name="presented_items",
        help_text="Who presented or led the item, if they are on the site.",
    )
    presenter_name = models.CharField(
        max_length=200, blank=True, help_text="Or their name as the agenda prints it."
    )
    agenda_text = models.TextField(blank=True, help_text="What the agenda says of the item.")
    minutes = models.TextField(blank=True, help_text="Separate paragraphs with a blank line.")
    resolution_preamble = models.CharField(
        max_length=100,
        blank=True,
        help_text='Any words the minutes print between "RESOLVED:" and the numbered resolutions, '
        'for example "That".',
    )
    is_exempt = models.BooleanField(
        default=False,
        verbose_name="exempt (confidential)",
        help_text="The public sees the title and the reason, not the text, resolutions or documents.",
    )
    exempt_paragraph = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        choices=ExemptParagraph.choices,
        help_text="The paragraph of Schedule 12A to the Local Government Act 1972 that applies.",
    )
    exempt_reason = models.CharField(max_length=300, blank=True)

    objects = AgendaItemQuerySet.as_manager()
    change_history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order", "minute_number", "pk"]
        verbose_name = "agenda item"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "minute_number"],
                name="unique_minute_number_per_meeting",
                violation_error_message="Two items of this meeting have the same minute number.",
            )
        ]

    def __str__(self):
        # The meeting's date tells apart the many "Minutes of Previous
        # Meeting" items when a clerk picks the minute that confirmed one.
        if self.minute_number:
            return f"Minute No. {self.minute_number} of {self.meeting.date:%-d %B %Y}: {self.title}"
        return f"{self.title} ({self.meeting.date:%-d %B %Y})"

    # The wording of the item's agenda and minutes: shown on its meeting's
    # pages and in search, never on its partnership's other pages.
    WORDING_FIELDS = ("agenda_text", "minutes")

    @transaction.atomic
    def save(self, *args, **kwargs):
        changed = getattr(self, "_loaded_references", None) != self._reference_key()
        super().save(*args, **kwargs)
        if changed:
            from .references import ItemReference

            ItemReference.record_from(self)
            ItemReference.relink_to(self)
        self._loaded_references = self._reference_key()
        self._loaded_values = self._field_values()

    def get_absolute_url(self):
        meeting_url = self.meeting.get_absolute_url()
        if not self.minute_number:
            return f"{meeting_url}#item-{self.pk}"
        return minute_address(meeting_url, self.minute_number)

    @classmethod
    def from_db(cls, db, field_names, values):
        item = super().from_db(db, field_names, values)
        item._loaded_references = item._reference_key()
        item._loaded_values = item._field_values()
        return item

    def _reference_key(self):
        """What the cross-references depend on: the references found in the
        text, and the number and meeting they point from."""
        text = f"{self.__dict__.get('agenda_text')}\n{self.__dict__.get('minutes')}"
        found = tuple(match[0] for match in REFERENCE.finditer(text))
        return (found, self.__dict__.get("minute_number"), self.__dict__.get("meeting_id"))

    def _field_values(self):
        # Only the fields loaded (a deferred field is absent, so unknown).
        return {
            field.attname: self.__dict__.get(field.attname, DEFERRED) for field in self._meta.concrete_fields
        }

    def changed_only_in_wording(self):
        """Whether the save just made (as post_save sees it) changed nothing
        but the wording of the agenda or minutes, and not the cross-references
        found in it: then only the meeting's pages and the lists of wording
        (search, sitemaps, the API) show the change (foundation/page_cache.py)."""
        loaded = getattr(self, "_loaded_values", None)
        if loaded is None or DEFERRED in loaded.values():
            return False
        if self._loaded_references != self._reference_key():
            return False
        current = self._field_values()
        return all(current[name] == loaded[name] for name in loaded if name not in self.WORDING_FIELDS)

    def changed_only_within_its_meeting(self):
        """Whether the save just made (as post_save sees it) kept the item's
        number, its meeting and the cross-references found in its text: then
        the change shows only where its meeting's content does (its pages,
        its partnership's other pages, the lists) and where other minutes
        cite it (foundation/content.py). A new number or meeting may make it
        the target of references typed before it was."""
        loaded = getattr(self, "_loaded_values", None)
        if loaded is None or DEFERRED in loaded.values():
            return False
        return self._loaded_references == self._reference_key()

    def changed_what_people_pages_show(self):
        """Whether the save just made changed the item's presenter (a
        person's page lists the names the minutes print for them)."""
        loaded = getattr(self, "_loaded_values", None)
        if loaded is None:
            return True
        current = self._field_values()
        return any(current[name] != loaded[name] for name in ("presenter_id", "presenter_name"))

    @property
    def anchor(self):
        return f"minute-{self.minute_number}" if self.minute_number else f"item-{self.pk}"

    @property
    def presenter_display(self):
        return printed_or_full_name(self.presenter_name, self.presenter)

    def clean(self):
        if self.is_exempt and not (self.exempt_paragraph and self.exempt_reason):
            raise ValidationError(
                "An exempt item needs the paragraph of Schedule 12A that applies and the reason the public sees."
            )
        try:
            meeting = self.meeting
        except Meeting.DoesNotExist:  # the meeting form itself was invalid
            meeting = None
        if self.minute_number and meeting and meeting.partnership_id and meeting.date:
            # Within one meeting the form set checks; here, the other meetings
            # of the same municipal year.
            clash = (
                AgendaItem.objects.in_municipal_year(meeting.partnership, meeting.date)
                .filter(minute_number=self.minute_number)
                .exclude(meeting_id=meeting.pk)
                .select_related("meeting")
                .first()
            )
            if clash:
                raise ValidationError(
                    {
                        "minute_number": f"Minute No. {self.minute_number} is already used by the meeting of "
                        f"{clash.meeting.date:%-d %B %Y} ({clash.title}). Minute numbers run on through "
                        f"the municipal year; the next free number is {meeting.next_minute_number()}."
                    }
                )


class Resolution(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="resolutions")
    number = models.PositiveSmallIntegerField(help_text="(1), (2), ... within the item.")
    text = models.TextField()

    objects = ResolutionQuerySet.as_manager()
    change_history = HistoricalRecords()

    class Meta:
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "number"],
                name="unique_resolution_number",
                violation_error_message="Two resolutions of this item have the same number.",
            )
        ]

    def __str__(self):
        return self.citation

    def get_absolute_url(self):
        return f"{self.item.get_absolute_url().split('#')[0]}#{self.anchor}"

    @property
    def meeting(self):
        return self.item.meeting

    @property
    def citation(self):
        """As minutes cite one: "Minute No. 43 (Resolution 2)"."""
        if self.item.minute_number:
            return f"Minute No. {self.item.minute_number} (Resolution {self.number})"
        return f"{self.item.title} (Resolution {self.number})"

    @property
    def anchor(self):
        return f"{self.item.anchor}-resolution-{self.number}"


class Action(models.Model):
    """Something a resolution asks someone to do."""

    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="actions")
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="actions")
    owner_name = models.CharField(
        max_length=200, blank=True, help_text="Or the name as the minutes print it."
    )
    description = models.TextField()
    due_on = models.DateField(null=True, blank=True)
    # None where the minutes do not say (the seeds never do).
    is_done = models.BooleanField(null=True, blank=True, default=False, verbose_name="done")

    change_history = HistoricalRecords()

    class Meta:
        ordering = ["resolution", "pk"]

    def __str__(self):
        return self.description[:80]

    @property
    def meeting(self):
        return self.resolution.item.meeting

    def clean(self):
        if not (self.owner_id or self.owner_name):
            raise ValidationError("Say who owns the action: choose a person or type their name.")

    @property
    def owner_display(self):
        return printed_or_full_name(self.owner_name, self.owner)
