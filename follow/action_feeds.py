"""
The Atom feed of changes to a partnership's actions: each report a later
minute makes on an action (still open, or done), newest first, linking to
that minute. One query for the partnership, one for its reports.
"""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from foundation.dates import govuk_date
from meetings.action_log import public_updates
from partnerships.models import Partnership

from .feeds import ITEMS, SiteFeed
from .ids import atom_id


class ActionChangesFeed(SiteFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Partnership, slug=slug)

    def feed_name(self, partnership):
        # By the partnership's id, not its slug, which a clerk may rename.
        return f"feed:actions:partnership-{partnership.pk}"

    def title(self, partnership):
        return f"Changes to actions: {partnership.name}"

    def subtitle(self, partnership):
        return f"What later minutes of the {partnership.name} report on its actions, newest first."

    def link(self, partnership):
        return reverse("meetings:actions", args=[partnership.slug])

    def author_name(self, partnership):
        return partnership.name

    def items(self, partnership):
        return (
            public_updates()
            .filter(item__meeting__partnership=partnership)
            .select_related(
                "item__meeting__partnership",
                "action__owner",
                "action__resolution__item__meeting__partnership",
            )
            .order_by("-recorded_at", "-pk")[:ITEMS]
        )

    def item_title(self, update):
        return f"{update.get_status_display()}: {update.action.description}"

    def item_description(self, update):
        action = update.action
        source = action.resolution
        parts = [
            f"Owner: {action.owner_display}.",
            f"Agreed at {source.citation} of {govuk_date(source.item.meeting.date)}.",
            f"Reported {update.get_status_display().lower()} at "
            + (f"Minute No. {update.item.minute_number}" if update.item.minute_number else update.item.title)
            + f" of {govuk_date(update.item.meeting.date)}.",
        ]
        if action.due_on:
            parts.insert(1, f"Due {govuk_date(action.due_on)}.")
        if update.note:
            parts.append(update.note)
        return " ".join(parts)

    def item_link(self, update):
        return update.item.get_absolute_url()

    def item_guid(self, update):
        # Stable whatever the serving address (follow/ids.py).
        return atom_id(f"action-report-{update.pk}")

    item_guid_is_permalink = False

    def item_pubdate(self, update):
        return update.recorded_at

    def item_updateddate(self, update):
        return update.recorded_at
