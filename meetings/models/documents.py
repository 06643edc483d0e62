"""The papers laid before a meeting or one of its items (their upload checks:
meetings/documents.py)."""

import contextlib

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..documents import TYPES, extension_of, safe_filename, size_display, validate_document
from ..managers import (
    DocumentQuerySet,
)
from .items import AgendaItem
from .meetings import Meeting


def document_path(document, filename):
    return f"meetings/{document.meeting.date:%Y/%m}/{safe_filename(filename)}"


class Document(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
        help_text="Leave empty for a document of the whole meeting (the agenda pack, say).",
    )
    title = models.CharField(max_length=300)
    file = models.FileField(upload_to=document_path, blank=True, validators=[validate_document])
    file_type = models.CharField(max_length=40, blank=True, help_text="Filled in from the file.")
    size_bytes = models.PositiveIntegerField(null=True, blank=True, help_text="Filled in from the file.")
    source_url = models.URLField(
        max_length=500,
        blank=True,
        verbose_name="source address",
        help_text="Where the document is published elsewhere (an imported archive), when there is no file here.",
    )
    published_on = models.DateField(
        null=True, blank=True, help_text="When the source published it, if known."
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects = DocumentQuerySet.as_manager()
    change_history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order", "pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # The public sees the type and size ("PDF 76 KB") of the file itself.
        if self.file:
            self.file_type = TYPES.get(extension_of(self.file.name), (self.file_type,))[0]
            # A file missing from storage keeps the size recorded before.
            with contextlib.suppress(OSError):
                self.size_bytes = self.file.size
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("meetings:document", args=[self.pk, self.filename])

    def clean(self):
        if self.item_id and self.meeting_id and self.item.meeting_id != self.meeting_id:
            raise ValidationError({"item": "Choose an item of this meeting."})

    @property
    def is_available(self):
        return bool(self.file)

    @property
    def is_public(self):
        """DocumentQuerySet.public(), for one document (its meeting and item
        loaded)."""
        return self.meeting.is_public and not (self.item_id and self.item.is_exempt)

    @property
    def is_downloadable(self):
        """DocumentQuerySet.downloadable(), for one document."""
        return self.is_public and self.is_available

    @property
    def filename(self):
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""

    @property
    def format_display(self):
        return " ".join(part for part in [self.file_type, size_display(self.size_bytes)] if part)
