"""
Following the partnerships: when meetings and minutes were first made public
(for the feeds and the alerts), email subscriptions, and the queue of
outgoing email.

Meeting has no "published at" of its own, so the moment a meeting first
appears, and the moment its minutes first become public, are recorded here
by the effects of its operations (publishing/effects.py) as Publication rows. The Atom feeds list them
newest first, and `queue_alerts` sends each subscriber the ones after the
last it told them about (a high-water mark of ids: nothing is sent twice or
missed, however often or rarely the scheduler runs it).
"""

from django.db import models
from django.utils import timezone

from meetings.models import Meeting
from meetings.states import Status
from partnerships.models import Partnership


class PublicationQuerySet(models.QuerySet):
    def public(self):
        """A withdrawn meeting's publications are no longer news."""
        return self.exclude(meeting__status=Status.DRAFT)

    def with_meetings(self):
        """With what a feed's entry or an alert's line says of each meeting:
        its partnership, and the meeting a postponed one moved to (its
        label names the new date), in the same query."""
        return self.select_related("meeting__partnership", "meeting__postponed_to")


class Publication(models.Model):
    class Kind(models.TextChoices):
        MEETING = "meeting", "New meeting"
        MINUTES = "minutes", "Minutes published"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    # Copied from the meeting, so that the feeds and alerts of a partnership
    # filter on one table.
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    published_at = models.DateTimeField(default=timezone.now)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["kind", "meeting"], name="unique_publication")]
        indexes = [models.Index(fields=["partnership", "kind", "-published_at"], name="publication_feed")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.meeting_id}"


class Subscription(models.Model):
    """An email address that asked for alerts, and what about. The address
    is used for nothing else, and the row is deleted on unsubscribing."""

    class Kind(models.TextChoices):
        MEETINGS = "meeting", "New meetings"
        MINUTES = "minutes", "Published minutes"
        SEARCH = "search", "New results for a search"

    email = models.EmailField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # None: every partnership.
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    query = models.CharField(max_length=200, blank=True, help_text="The saved search.")
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # What has been alerted on already: Publication ids, or for a saved
    # search, SearchEntry ids (an entry keeps its id when what it indexes is
    # edited, so only new minutes, resolutions, meetings and documents count
    # as new results).
    last_seen_id = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["pk"]
        # One row for one address and one thing asked for, whatever number of
        # sign-ups arrive at once (follow.subscriptions.sign_up relies on it).
        # Two constraints, because NULL (every partnership) is distinct from
        # NULL in a plain unique constraint.
        constraints = [
            models.UniqueConstraint(
                fields=["email", "kind", "partnership", "query"],
                condition=models.Q(partnership__isnull=False),
                name="unique_subscription_of_partnership",
            ),
            models.UniqueConstraint(
                fields=["email", "kind", "query"],
                condition=models.Q(partnership__isnull=True),
                name="unique_subscription_of_all_partnerships",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({'confirmed' if self.confirmed_at else 'unconfirmed'})"

    @property
    def description(self):
        where = self.partnership.name if self.partnership_id else "all partnerships"
        if self.kind == self.Kind.SEARCH:
            return f"new results for the search ‘{self.query}’ ({where})"
        return f"{self.get_kind_display().lower()} of {'the ' if self.partnership_id else ''}{where}"


class Announcement(models.Model):
    """What a saved-search subscription has been told of, by what it is (a
    meeting, a minute, a document...: the search entry's kind and object),
    not by the search entry's row: a meeting withdrawn and published again
    gets new rows in the index, and is not news again."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="announcements")
    kind = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "kind", "object_id"], name="unique_announcement")
        ]

    def __str__(self):
        return f"{self.subscription}: {self.kind} {self.object_id}"


class OutgoingEmail(models.Model):
    """An email to send, and the record of its sending: pages only add rows
    here and a background job (follow.tasks.send_email) sends each one, so
    no page waits for the mail server; a message that fails keeps its
    attempts and last error and is tried again."""

    to = models.EmailField()
    # The subscription it is about, if any: a new confirmation is refused
    # while one for the same subscription is less than an hour old.
    subscription = models.ForeignKey(Subscription, null=True, blank=True, on_delete=models.SET_NULL)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    # The one-click unsubscribe address (List-Unsubscribe), if any.
    unsubscribe_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["sent_at", "attempts"], name="outgoing_email_queue")]

    def __str__(self):
        return self.subject
