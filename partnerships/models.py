"""
Partnerships, the organisations and people in them, and the seats they hold.

The names follow Popolo where it fits: an Organisation is any body (council,
police, forum), a Seat is a post in a partnership (Popolo's "post"), and a
Membership is a person holding a seat for a period. A seat outlives its
holders, so history is kept by ending one membership and starting another.
"""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from foundation.addresses import Address
from foundation.fixed_queries import fixed_query

from .dates import DatePrecision, format_partial_date, municipal_year_start
from .managers import PartnershipQuerySet, SeatQuerySet


class Organisation(models.Model):
    class Kind(models.TextChoices):
        POLICING = "policing", "Policing body"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        FIRE = "fire", "Fire and rescue"
        CRIMINAL_JUSTICE = "criminal_justice", "Criminal justice"
        PUBLIC_BODY = "public_body", "Other public body"
        BUSINESS = "business", "Business"
        FORUM = "forum", "Forum or board"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return organisation_address(self.slug)


# The addresses of an organisation, a person and a partnership, each reversed
# once per URLconf and script prefix: pages link dozens or hundreds of them.
organisation_address = Address("partnerships:organisation", "slug-stand-in-0")
person_address = Address("partnerships:person", "slug-stand-in-0")
partnership_address = Address("partnerships:detail", "slug-stand-in-0")


class Person(models.Model):
    # Names are published as the minutes print them ("Councillor T. Hardy",
    # "Chief Inspector Matthew Moscrop"): a title, then the name.
    title = models.CharField(max_length=60, blank=True, help_text="For example Councillor, Superintendent.")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        help_text="Where the person works or sits, if known.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        indexes = [
            # The people page, A to Z (meetings.people.people_a_to_z): a
            # page of fifty read in order rather than all of them sorted.
            models.Index(fields=["name", "title", "id"], name="person_a_to_z"),
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return person_address(self.slug)

    @property
    def full_name(self):
        return f"{self.title} {self.name}".strip()


class Partnership(models.Model):
    class Kind(models.TextChoices):
        PCC = "pcc", "Police and Crime Commissioner's partnership"
        COUNCIL = "council", "Council partnership"
        COUNTY = "county", "Merseyside-wide community safety partnership"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Meetings suspended"
        ENDED = "ended", "No longer operating"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=20, blank=True, help_text="For example SMP.")
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    summary = models.CharField(
        max_length=300, help_text="One or two sentences, shown in lists of partnerships."
    )
    purpose = models.TextField(blank=True, help_text="Separate paragraphs with a blank line.")
    background = models.TextField(
        blank=True, help_text="Why the partnership was formed. Separate paragraphs with a blank line."
    )
    priorities_note = models.TextField(
        blank=True, help_text="Where the priorities come from and how they were agreed."
    )
    membership_note = models.TextField(
        blank=True, help_text="Shown above the special advisors, for example why agencies sit as advisors."
    )
    formed_on = models.DateField(null=True, blank=True)
    formed_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    ended_on = models.DateField(null=True, blank=True)
    ended_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    predecessor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
        help_text="The partnership this one replaced.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    status_reason = models.TextField(blank=True, help_text="Why meetings are suspended, for example.")
    suspended_until = models.CharField(
        max_length=200, blank=True, help_text='As announced, for example "the PCC elections in May 2021".'
    )
    suspended_until_on = models.DateField(
        null=True,
        blank=True,
        verbose_name="suspended until (date)",
        help_text="The last day of the suspension, where known; after it the notice is shown as history.",
    )
    contact_name = models.CharField(max_length=200, blank=True)
    contact_role = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    contact_address = models.TextField(blank=True, verbose_name="contact postal address")
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers are listed first.")
    # Minute numbers restart at 1 when the municipal year begins (Sefton:
    # 40-54 in March 2020, back to 1 in June 2020).
    municipal_year_start_month = models.PositiveSmallIntegerField(
        default=5,
        choices=[(number, datetime.date(2000, number, 1).strftime("%B")) for number in range(1, 13)],
        help_text="The month the municipal year begins, when minute numbers restart at 1.",
    )
    # The staff in the Clerk group who may edit this partnership's
    # pages and meetings in the admin (partnerships/admin_scope.py).
    clerks = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="clerked_partnerships",
        help_text="Clerks who may edit this partnership's pages, meetings and minutes.",
    )

    objects = PartnershipQuerySet.as_manager()
    # The audit trail (django-simple-history). Named change_history
    # on every model, as `history` is already the partnership's HistoryEvents.
    change_history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return partnership_address(self.slug)

    def clean(self):
        if self.formed_on and self.ended_on and self.ended_on < self.formed_on:
            raise ValidationError({"ended_on": "A partnership cannot end before it was formed."})
        if self.status == self.Status.ENDED and not self.ended_on:
            raise ValidationError({"ended_on": "Give the date the partnership ended."})
        if self.predecessor_id and self.predecessor_id == self.pk:
            raise ValidationError({"predecessor": "A partnership cannot replace itself."})

    @property
    def display_name(self):
        return f"{self.name} ({self.short_name})" if self.short_name else self.name

    @property
    def is_current(self):
        return self.status != self.Status.ENDED

    @property
    def formed_display(self):
        return format_partial_date(self.formed_on, self.formed_precision)

    @property
    def ended_display(self):
        return format_partial_date(self.ended_on, self.ended_precision)

    def municipal_year_of(self, day):
        """The first day of the municipal year that `day` falls in."""
        return municipal_year_start(day, self.municipal_year_start_month)

    def suspension_is_current(self, today):
        return self.status == self.Status.SUSPENDED and not (
            self.suspended_until_on and today > self.suspended_until_on
        )

    def suspension_has_lapsed(self, today):
        return self.status == self.Status.SUSPENDED and not self.suspension_is_current(today)

    @property
    def has_contact(self):
        return bool(self.contact_name or self.has_contact_details)

    @property
    def has_contact_details(self):
        """Whether the site knows a way to reach the partnership (not just a name)."""
        return bool(self.contact_email or self.contact_phone or self.contact_address)


class Priority(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="priorities")
    text = models.CharField(max_length=300)
    source_plan = models.CharField(
        max_length=200,
        blank=True,
        help_text="The plan it comes from, for example the Police and Crime Plan 2017-21.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["partnership", "order", "pk"]
        verbose_name_plural = "priorities"

    def __str__(self):
        return self.text


class Objective(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="objectives")
    text = models.CharField(max_length=400)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["partnership", "order", "pk"]

    def __str__(self):
        return self.text


class RelatedBody(models.Model):
    """A body the partnership oversees, reports to or gives an overview of."""

    class Relationship(models.TextChoices):
        OVERSEES = "oversees", "Oversees"
        OVERVIEW = "overview", "Gives elected members an overview of"
        REPORTS_TO = "reports_to", "Reports to"
        WORKS_WITH = "works_with", "Works with"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="related_bodies")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="related_partnerships"
    )
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    note = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["partnership", "order", "pk"]
        verbose_name_plural = "related bodies"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation", "relationship"], name="unique_related_body"
            )
        ]

    def __str__(self):
        return f"{self.partnership} {self.get_relationship_display().lower()} {self.organisation}"


class Seat(models.Model):
    """A place in a partnership's membership, whoever holds it."""

    class Role(models.TextChoices):
        # In the order the membership is listed on the public page.
        CHAIR = "chair", "Chair"
        DEPUTY_CHAIR = "deputy_chair", "Deputy Chair"
        LEAD_COUNCILLOR = "lead_councillor", "Lead Councillor for Community Safety"
        FIRE_AUTHORITY = "fire_authority", "Fire Authority Representative"
        SPECIAL_ADVISOR = "special_advisor", "Special advisor"
        MEMBER = "member", "Member"
        OFFICER = "officer", "Supporting officer"

    # Role -> (group heading, group order), as the seeds group the membership.
    GROUPS = {
        Role.CHAIR: ("Chair and Deputy Chair", 1),
        Role.DEPUTY_CHAIR: ("Chair and Deputy Chair", 1),
        Role.LEAD_COUNCILLOR: ("Lead councillors of the local authorities", 2),
        Role.FIRE_AUTHORITY: ("Fire and rescue", 3),
        Role.SPECIAL_ADVISOR: ("Special advisors", 4),
        Role.MEMBER: ("Members", 5),
        Role.OFFICER: ("Supporting officers", 6),
    }

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="seats")
    role = models.CharField(max_length=20, choices=Role.choices)
    title = models.CharField(
        max_length=300,
        help_text="The seat as the membership list names it, for example "
        "\u201cMerseyside\u2019s Police and Crime Commissioner\u201d.",
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="seats"
    )
    note = models.CharField(max_length=400, blank=True)
    is_vacant = models.BooleanField(
        default=False, help_text="Tick when the seat is known to be empty (not merely unnamed)."
    )
    started_on = models.DateField(null=True, blank=True, help_text="When the seat was created, if known.")
    ended_on = models.DateField(null=True, blank=True, help_text="When the seat was abolished.")
    order = models.PositiveSmallIntegerField(default=0)

    objects = SeatQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "order", "pk"]

    def __str__(self):
        return f"{self.title} ({self.get_role_display()}, {self.partnership.short_name or self.partnership})"

    def clean(self):
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": "A seat cannot end before it started."})

    @property
    def group(self):
        return self.GROUPS[self.role][0]

    @property
    def group_order(self):
        return self.GROUPS[self.role][1]


class Membership(models.Model):
    """A person holding a seat from one date to another (or until now)."""

    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True, help_text="Leave empty while they hold the seat.")
    note = models.CharField(max_length=300, blank=True)

    change_history = HistoricalRecords()

    class Meta:
        ordering = ["seat", "-started_on", "pk"]

    def __str__(self):
        return f"{self.person} as {self.seat.title}"

    def clean(self):
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": "A membership cannot end before it started."})

    def is_current_on(self, day):
        started = self.started_on is None or self.started_on <= day
        return started and (self.ended_on is None or self.ended_on >= day)

    def ended_before(self, day):
        return self.ended_on is not None and self.ended_on < day


class HistoryEvent(models.Model):
    class Kind(models.TextChoices):
        FORMED = "formed", "Formed"
        RENAMED = "renamed", "Renamed and restructured"
        SUSPENDED = "suspended", "Meetings suspended"
        RESUMED = "resumed", "Meetings resumed"
        ENDED = "ended", "Ended"
        OTHER = "other", "Other"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="history")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    happened_on = models.DateField()
    precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    description = models.TextField()

    class Meta:
        ordering = ["partnership", "happened_on", "pk"]
        verbose_name = "history event"

    def __str__(self):
        return f"{self.get_kind_display()}: {self.date_display}"

    @property
    def date_display(self):
        return format_partial_date(self.happened_on, self.precision)


class Achievement(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="achievements")
    year = models.CharField(max_length=9, help_text='The financial year, written "2017/18".')
    text = models.TextField(help_text="Separate paragraphs with a blank line.")
    is_incomplete = models.BooleanField(
        default=False,
        help_text="Tick when only part of the text survives (the rest was lost from the old website).",
    )

    class Meta:
        ordering = ["partnership", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "year"], name="unique_achievement_year")
        ]

    def __str__(self):
        return f"{self.partnership.short_name or self.partnership}: {self.year}"

    def clean(self):
        if not re.fullmatch(r"\d{4}/\d{2}", self.year or ""):
            raise ValidationError({"year": 'Write the year as "2017/18".'})
        start, end = int(self.year[:4]), int(self.year[5:])
        if (start + 1) % 100 != end:
            raise ValidationError({"year": f'"{self.year}" is not a financial year; "2017/18" is.'})


class SiteContact(models.Model):
    """Who answers for the website as a whole: questions about the site, its
    accessibility and anything not about one partnership. One row, kept by
    clerks in the admin; empty until they fill it in, as the old pages give
    no such details."""

    name = models.CharField(
        max_length=200, blank=True, help_text="The person or team, for example the clerk."
    )
    role = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True, verbose_name="telephone")
    address = models.TextField(blank=True, verbose_name="postal address")

    change_history = HistoricalRecords()

    class Meta:
        verbose_name = "site contact"
        verbose_name_plural = "site contact"

    def __str__(self):
        return self.name or "Site contact"

    @property
    def has_details(self):
        return bool(self.email or self.phone or self.address)


class InitialContent(models.Model):
    """Records which bundles of initial content have been loaded, so that the
    loader runs each once and never overwrites what clerks have since edited
    (or brings back what they deleted)."""

    key = models.CharField(max_length=100, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "initial content loaded"

    def __str__(self):
        return self.key


@fixed_query
def partnership_choices():
    """Partnership.objects.choices() in the site's order, its SQL compiled
    once: every list page that filters by partnership asks for it, some 300
    rows nationally."""
    return Partnership.objects.choices()


@fixed_query
def partnership_choices_by_name():
    """The same, A to Z (search's filter)."""
    return Partnership.objects.order_by("name").choices()
