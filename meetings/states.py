"""
The states of a meeting, as enums shared by the model and its querysets
(the querysets are defined before the model, so the enums live here).
docs/lifecycle.md describes the states, the transitions and their guards.
"""

from django.db import models


class Status(models.TextChoices):
    """Where the meeting itself stands. Everything but a draft is public."""

    DRAFT = "draft", "Draft (not public)"
    AGENDA_PUBLISHED = "agenda_published", "Agenda published"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"
    POSTPONED = "postponed", "Postponed"


class MinutesStatus(models.TextChoices):
    """Where its minutes stand. Minutes typed in before they are published
    are the clerk's working copy: only staff see them."""

    NONE = "none", "Not published"
    PUBLISHED = "published", "Published, subject to confirmation"
    CONFIRMED = "confirmed", "Confirmed as a correct record"
    NOT_ONLINE = "not_online", "Not available online"


PUBLIC_MINUTES = (MinutesStatus.PUBLISHED, MinutesStatus.CONFIRMED)
