from django.db import models
from django.db.models import Prefetch


class PartnershipQuerySet(models.QuerySet):
    def current(self):
        return self.exclude(status="ended")

    def former(self):
        return self.filter(status="ended")

    def for_listing(self):
        return self.select_related("predecessor").prefetch_related("successors")

    def with_page_content(self):
        """Everything the partnership page shows, in a fixed number of queries
        however many priorities, seats and members there are."""
        from .models import Membership, RelatedBody, Seat

        return self.select_related("predecessor").prefetch_related(
            "successors",
            "priorities",
            "objectives",
            "history",
            "achievements",
            Prefetch("related_bodies", queryset=RelatedBody.objects.select_related("organisation")),
            Prefetch(
                "seats",
                queryset=Seat.objects.filter(ended_on__isnull=True)
                .select_related("organisation")
                .prefetch_related(
                    Prefetch("memberships", queryset=Membership.objects.select_related("person"))
                ),
            ),
        )


class SeatQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_on__isnull=True)
