import datetime

from django.db import models
from django.utils import timezone

from .states import PUBLIC_MINUTES, Status


def item_link_fields(path):
    """The columns a link to the agenda item at `path` shows (its address,
    number and title): pages list many such links, and loading only these
    makes their queries and instances several times smaller."""
    return [
        f"{path}minute_number",
        f"{path}title",
        f"{path}meeting__date",
        f"{path}meeting__partnership__slug",
    ]


# What the meeting and minute pages show of the meeting's partnership: its
# name, its address and how to contact it (its texts are on its own page).
PAGE_PARTNERSHIP_FIELDS = [
    "name",
    "slug",
    "contact_name",
    "contact_role",
    "contact_email",
    "contact_phone",
    "contact_address",
]

# What a list of meetings shows of each (meetings/_meeting_list.html): when
# and where, its state, the date a postponed meeting moved to, and its
# partnership's name, address and municipal year; its id to tell it apart.
LISTED_FIELDS = [
    "pk",
    "date",
    "start_time",
    "venue",
    "status",
    "minutes_status",
    "postponed_to__date",
    "partnership__name",
    "partnership__slug",
    "partnership__municipal_year_start_month",
]

# What only a calendar's event says of a meeting besides (follow.calendars):
# its webcast and how often, and when, its date, time, place or state changed.
CALENDAR_FIELDS = ["webcast_url", "sequence", "schedule_changed_at"]

# What a link to a person shows: their name and title, and their address.
PERSON_LINK_FIELDS = ["title", "name", "slug"]


class PublicQuerySet(models.QuerySet):
    """`public()`: only the rows the public may see, decided by the state of
    the meeting they belong to (a draft meeting shows nothing). Each model
    names the path from itself to its meeting."""

    meeting_path = "meeting__"

    def public(self, without_meeting=False):
        """The rule is read through the join to the meeting, which lists of
        rows make anyway (to order by the meeting's date, to ask for its
        minutes' state). `without_meeting` says the query needs nothing else
        of the meeting (a count of attendance by person): a row is then kept
        when no draft meeting has its meeting's id, a look at the few drafts
        (an index holds only them, Meeting.Meta) instead of a join to every
        meeting. Counting fifty people's attendance that way reads the
        attendance alone, 1.3 ms nationally where the join hashed all
        25,000 meetings in 11.6 ms; queries that join the meeting anyway
        are slower that way (the decisions by a sixth)."""
        if without_meeting and self.meeting_path:
            from .models import Meeting

            drafts = Meeting.objects.filter(pk=models.OuterRef(f"{self.meeting_path}pk"), status=Status.DRAFT)
            return self.exclude(models.Exists(drafts))
        return self.exclude(**{f"{self.meeting_path}status": Status.DRAFT})


class MeetingQuerySet(PublicQuerySet):
    meeting_path = ""

    def upcoming(self, today=None):
        today = today or timezone.localdate()
        return self.filter(date__gte=today).order_by("date", "start_time")

    def recent(self, today=None):
        today = today or timezone.localdate()
        return self.filter(date__lt=today).order_by("-date", "-start_time")

    def listed(self):
        """Meetings as lists show them (meetings_tags.meeting_cards), in one
        query however many are postponed: rows of LISTED_FIELDS alone, named
        as the fields are ("partnership__slug"), not model instances. Lists
        show dozens of meetings (30 on the meetings list of a national
        site), and making a meeting, its partnership and the meeting it was
        postponed to as instances cost about 50 microseconds a row, a
        quarter of the list's build."""
        return self.values_list(*LISTED_FIELDS, named=True)

    def for_calendars(self):
        """The meetings as the calendars' events say them (follow.calendars),
        in one query however many are postponed: rows of LISTED_FIELDS and
        CALENDAR_FIELDS. The calendar of every meeting holds a thousand, and
        each as a meeting and its partnership cost about 20 microseconds."""
        return self.values_list(*LISTED_FIELDS, *CALENDAR_FIELDS, named=True)

    def with_public_minutes(self):
        return self.filter(minutes_status__in=PUBLIC_MINUTES)

    def for_page(self):
        """The meeting a meeting page shows, with its partnership and the
        minute that confirmed its minutes, in one query; what else the page
        shows is loaded by meetings.page_content.load_meeting_page."""
        return self.select_related("partnership", "confirmed_by__meeting__partnership").only(
            *(field.name for field in self.model._meta.concrete_fields),
            *(f"partnership__{name}" for name in PAGE_PARTNERSHIP_FIELDS),
            *item_link_fields("confirmed_by__"),
        )


class AgendaItemQuerySet(PublicQuerySet):
    def for_page(self):
        """The item a minute page shows, with its presenter, meeting,
        partnership and the minute that confirmed the meeting's minutes, in
        one query; what else the page shows is loaded by
        meetings.page_content.load_minute_page."""
        from .models import Meeting

        return self.select_related(
            "presenter", "meeting__partnership", "meeting__confirmed_by__meeting__partnership"
        ).only(
            *(field.name for field in self.model._meta.concrete_fields),
            *(f"presenter__{name}" for name in PERSON_LINK_FIELDS),
            *(f"meeting__{field.name}" for field in Meeting._meta.concrete_fields),
            *(f"meeting__partnership__{name}" for name in PAGE_PARTNERSHIP_FIELDS),
            *item_link_fields("meeting__confirmed_by__"),
        )

    def in_municipal_year(self, partnership, day):
        start = partnership.municipal_year_of(day)
        end = datetime.date(start.year + 1, start.month, 1)
        return self.filter(meeting__partnership=partnership, meeting__date__gte=start, meeting__date__lt=end)


class DocumentQuerySet(PublicQuerySet):
    """A paper is public with its meeting, unless it was laid before an
    exempt (confidential) item; it can be downloaded when the site holds its
    file. The one rule: the document's page, search, the API, the feeds and
    the agenda pack read it here (and Document.is_public, for one document
    already loaded, says the same)."""

    def public(self):
        return super().public().exclude(item__is_exempt=True)

    def downloadable(self):
        return self.public().exclude(file="")


class DeclarationQuerySet(PublicQuerySet):
    """Declarations are part of the minutes: public once the minutes are."""

    def public(self):
        return super().public().filter(meeting__minutes_status__in=PUBLIC_MINUTES)


class ResolutionQuerySet(PublicQuerySet):
    """Resolutions are part of the minutes: public once the minutes are,
    never of an exempt item."""

    meeting_path = "item__meeting__"

    def public(self):
        return (
            super().public().filter(item__meeting__minutes_status__in=PUBLIC_MINUTES, item__is_exempt=False)
        )
