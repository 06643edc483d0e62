"""
What a partnership's page shows of the partnerships app's own records: the
partnership, its priorities, objectives, history, achievements, related
bodies, successors and its seats with who holds and held them. Each query is
compiled once (foundation.fixed_queries): built through the ORM with
prefetch_related, the page spent more time making its ten queries' SQL than
running them, at every miss of the page cache (a clerk's correction of a
title makes the partnership's page stale).

The page's parts that come from the minutes (who attended, what is planned)
are the meetings app's (smp_site/partnership_pages.py).
"""

from dataclasses import dataclass
from itertools import groupby
from typing import NamedTuple

from django.utils import timezone

from foundation.fixed_queries import fixed_query

from .models import Achievement, HistoryEvent, Membership, Objective, Partnership, Priority, RelatedBody, Seat


@dataclass
class PartnershipPage:
    partnership: Partnership
    priorities: list
    objectives: list
    related_bodies: list
    history: list
    achievements: list
    successors: list
    # [(heading, [SeatHolders, ...]), ...] in the order the seeds list them.
    membership_groups: list


class SeatHolders(NamedTuple):
    """A seat with who holds it today (newest first) and who held it before."""

    seat: Seat
    current: list
    past: list


def load_partnership_page(slug, today=None):
    """The PartnershipPage of the partnership at `slug`, or None. Eight
    queries at most, however much it lists."""
    found = partnership_at(slug)
    if not found:
        return None
    partnership = found[0]
    pk = partnership.pk
    return PartnershipPage(
        partnership=partnership,
        priorities=priorities_of(pk),
        objectives=objectives_of(pk),
        related_bodies=related_bodies_of(pk),
        history=history_of(pk),
        achievements=achievements_of(pk),
        successors=successors_of([pk]).get(pk, []),
        membership_groups=membership_groups(current_seats_of(pk), today or timezone.localdate()),
    )


def membership_groups(seats, today):
    """The seats by the group the page heads them with, each with its
    holders: one query for every seat's memberships."""
    memberships = memberships_of([seat.pk for seat in seats]) if seats else []
    held = {seat_id: list(rows) for seat_id, rows in groupby(memberships, key=lambda row: row.seat_id)}
    listed = [
        SeatHolders(
            seat,
            current=[m for m in held.get(seat.pk, []) if m.is_current_on(today)],
            past=[m for m in held.get(seat.pk, []) if m.ended_before(today)],
        )
        for seat in sorted(seats, key=lambda seat: (seat.group_order, seat.order, seat.pk))
    ]
    return [
        (heading, list(group)) for heading, group in groupby(listed, key=lambda holders: holders.seat.group)
    ]


@fixed_query
def partnership_at(slug):
    return Partnership.objects.select_related("predecessor").filter(slug=slug)


def rows_of_partnership(model, *ordering):
    """A compiled query of one partnership's rows of `model`, in `ordering`."""

    def build(partnership_id):
        return model.objects.filter(partnership_id=partnership_id).order_by(*ordering)

    build.__name__ = build.__qualname__ = f"{model._meta.model_name}_rows_of"
    return fixed_query(build)


priorities_of = rows_of_partnership(Priority, "order", "pk")
objectives_of = rows_of_partnership(Objective, "order", "pk")
history_of = rows_of_partnership(HistoryEvent, "happened_on", "pk")
achievements_of = rows_of_partnership(Achievement, "-year")


@fixed_query
def related_bodies_of(partnership_id):
    return (
        RelatedBody.objects.filter(partnership_id=partnership_id)
        .select_related("organisation")
        .order_by("order", "pk")
    )


def successors_of(partnerships):
    """{partnership id: [the partnerships that replaced it]} for `partnerships`
    (ids): one query."""
    found = {}
    for successor in successors_of_ids(list(partnerships)) if partnerships else []:
        found.setdefault(successor.predecessor_id, []).append(successor)
    return found


@fixed_query
def successors_of_ids(partnership_ids):
    return Partnership.objects.filter(predecessor_id__in=partnership_ids).order_by("order", "name")


@fixed_query
def current_seats_of(partnership_id):
    """The seats not abolished."""
    return (
        Seat.objects.filter(partnership_id=partnership_id, ended_on__isnull=True)
        .select_related("organisation")
        .order_by("order", "pk")
    )


@fixed_query
def memberships_of(seat_ids):
    return (
        Membership.objects.filter(seat_id__in=seat_ids)
        .select_related("person")
        .order_by("seat_id", "-started_on", "pk")
    )
