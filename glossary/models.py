"""
The glossary: the abbreviations the minutes are full of (NOCS, LCR, PVPF...),
kept by clerks in the admin. Each term is listed on the glossary page and its
first use on every public page is marked up with <abbr> (glossary.markup).
"""

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

from .managers import TermManager


class Term(models.Model):
    # Letters and digits only, so that a term is always one whole "word" and
    # the page markup can match it exactly (NOCS, but never NOCSX).
    abbreviation = models.CharField(
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9]+$", "Use letters and digits only, for example NOCS.")],
        help_text="As the minutes write it, capitals and all, for example NOCS. "
        "Pages match it exactly: capitals count.",
    )
    expansion = models.CharField(
        max_length=200,
        help_text="What it stands for, for example \u201cSerious and Organised Crime Strategy\u201d.",
    )
    description = models.TextField(
        blank=True, help_text="Optional: a sentence or two of explanation for the glossary page."
    )

    objects = TermManager()

    class Meta:
        ordering = ["abbreviation"]

    def __str__(self):
        return f"{self.abbreviation}: {self.expansion}"

    def get_absolute_url(self):
        return f"{reverse('glossary:index')}#term-{self.abbreviation}"

    @property
    def initial(self):
        """The A–Z heading the term is listed under ("0–9" for digits)."""
        first = self.abbreviation[:1].upper()
        return first if first.isalpha() else "0–9"
