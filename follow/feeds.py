"""
Atom feeds (Django's syndication framework): newly published minutes and
new meetings, overall and per partnership, and open consultations. Each is
one query (two for a partnership's: the partnership, then its items).

Each feed's Atom id and each entry's are stable (follow/ids.py): never the
serving address, so that they stay the same when the site moves (RFC 4287),
and one per feed, never shared. An entry is dated when it was published
(Publication.published_at; for the initial content, the date its source
gives: follow/initial_content.py). A feed's `updated` is its newest entry's;
an empty feed has a fixed `updated`, so that it does not look changed on
every request.
"""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from consultation.models import Consultation
from foundation.dates import govuk_date
from partnerships.models import Partnership

from .ids import atom_id
from .models import Publication

ITEMS = 30
# The `updated` of a feed with no entries: the Unix epoch, as "never".
EMPTY_FEED_UPDATED = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class SiteAtomFeed(Atom1Feed):
    """Django's Atom feed, but an empty feed's `updated` is fixed rather than
    the time of the request."""

    def latest_post_date(self):
        if not any(item.get("updateddate") or item.get("pubdate") for item in self.items):
            return EMPTY_FEED_UPDATED
        return super().latest_post_date()


class SiteFeed(Feed):
    feed_type = SiteAtomFeed

    def feed_name(self, obj):
        """What the feed is, for its stable Atom id."""
        raise NotImplementedError

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # Set here: Django's own feed_guid() is not given the object.
        feed.feed["id"] = atom_id(self.feed_name(obj))
        return feed


class PublicationFeed(SiteFeed):
    kind = ""
    label = ""

    def get_object(self, request, slug=None):
        return get_object_or_404(Partnership, slug=slug) if slug else None

    def feed_name(self, partnership):
        # By the partnership's id, not its slug, which a clerk may rename.
        return f"feed:{self.kind}" + (f":partnership-{partnership.pk}" if partnership else "")

    def title(self, partnership):
        return f"{self.label}: {partnership.name if partnership else settings.SITE_NAME}"

    def subtitle(self, partnership):
        where = (
            f"the {partnership.name}" if partnership else "the community safety partnerships on Merseyside"
        )
        return f"{self.label} of {where}, newest first."

    def link(self, partnership):
        return partnership.get_absolute_url() if partnership else reverse("meetings:index")

    def author_name(self):
        return settings.SITE_NAME

    def items(self, partnership):
        publications = Publication.objects.public().filter(kind=self.kind).with_meetings()
        if partnership:
            publications = publications.filter(partnership=partnership)
        return publications.order_by("-published_at", "-pk")[:ITEMS]

    def item_title(self, publication):
        meeting = publication.meeting
        prefix = "Minutes" if self.kind == Publication.Kind.MINUTES else "Meeting"
        title = f"{prefix}: {meeting.partnership.name}, {meeting.date:%-d %B %Y}"
        if meeting.is_cancelled or meeting.is_postponed:
            title += f" ({meeting.get_status_display().lower()})"
        return title

    def item_description(self, publication):
        meeting = publication.meeting
        parts = [meeting.page_title + "."]
        if meeting.start_time:
            parts.append(f"{meeting.start_time:%H:%M}.")
        if meeting.venue:
            parts.append(f"Venue: {meeting.venue}.")
        return " ".join(parts)

    def item_link(self, publication):
        return publication.meeting.get_absolute_url()

    def item_guid(self, publication):
        return atom_id(f"publication-{publication.pk}")

    item_guid_is_permalink = False

    def item_pubdate(self, publication):
        return publication.published_at

    def item_updateddate(self, publication):
        return publication.published_at


class MinutesFeed(PublicationFeed):
    kind = Publication.Kind.MINUTES
    label = "Newly published minutes"


class MeetingsFeed(PublicationFeed):
    kind = Publication.Kind.MEETING
    label = "New meetings"


class OpenConsultationsFeed(SiteFeed):
    title = "Open consultations"
    subtitle = "Consultations of the community safety partnerships on Merseyside that are open now."

    def link(self):
        return reverse("consultation:index")

    def feed_name(self, obj):
        return "feed:open-consultations"

    def item_guid(self, consultation):
        return atom_id(f"consultation-{consultation.pk}")

    item_guid_is_permalink = False

    def author_name(self):
        return settings.SITE_NAME

    def items(self):
        return Consultation.objects.open_now(timezone.now())[:ITEMS]

    def item_title(self, consultation):
        return consultation.title

    def item_description(self, consultation):
        closes = govuk_date(consultation.closes_at, "datetime")
        return f"{consultation.summary} Run by {consultation.run_by}. Closes at {closes}."

    def item_pubdate(self, consultation):
        return consultation.opens_at

    def item_updateddate(self, consultation):
        return consultation.opens_at
