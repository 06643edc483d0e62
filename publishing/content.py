"""
What the public pages show, model by model: the one list of content
(foundation/content.py says what each column means). The page cache, the
search index and the alerts read it; a model that is not here is not
content (a resident's survey answers, the outgoing email queue...).
"""

from foundation.content import Content
from partnerships.models import Partnership


def partnership_id_of_slug(slug):
    """A partnership's id by its address, for the page cache's scopes."""
    return Partnership.objects.filter(slug=slug).values_list("pk", flat=True).first()


CONTENT = [
    # Partnerships: their names and people's are printed across the site.
    Content("partnerships.partnership", partnership="pk", everywhere=True, search_kind="partnership"),
    Content("partnerships.person", everywhere=True, search_kind="person"),
    Content("partnerships.organisation", everywhere=True, search_kind="organisation"),
    Content("partnerships.priority", partnership="partnership_id"),
    Content("partnerships.objective", partnership="partnership_id"),
    Content("partnerships.seat", partnership="partnership_id"),
    Content("partnerships.membership", partnership="seat.partnership_id"),
    Content("partnerships.historyevent", partnership="partnership_id"),
    Content("partnerships.achievement", partnership="partnership_id"),
    Content("partnerships.relatedbody", partnership="partnership_id"),
    # Who answers for the site: on the contact and accessibility pages.
    Content("partnerships.sitecontact"),
    # Meetings and their minutes. A meeting's details and state show on its
    # partnership's every page (the next meeting, links that depend on its
    # state): publishing.operations names its partnership. What is within
    # a meeting shows on its own pages, its partnership's others (lists of
    # meetings, decisions, actions) and, for items, resolutions and actions,
    # the pages of the meetings that cite or report on them
    # (meetings.page_content.meetings_showing); people's pages show only
    # attendance and the names of minutes' presenters. An item added, removed or
    # renumbered may become the target of references typed before it was:
    # its partnership's pages (AgendaItem.changed_only_within_its_meeting).
    Content("meetings.meeting", partnership="partnership_id", meeting="self", search_kind="meeting"),
    Content(
        "meetings.agendaitem",
        partnership="meeting.partnership_id",
        meeting="meeting",
        search_kind="minute",
        within_meeting=True,
        shown_elsewhere_as="items",
        on_people_pages=True,
    ),
    Content(
        "meetings.resolution",
        partnership="item.meeting.partnership_id",
        meeting="item.meeting",
        search_kind="resolution",
        within_meeting=True,
        shown_elsewhere_as="resolutions",
    ),
    Content(
        "meetings.action",
        partnership="resolution.item.meeting.partnership_id",
        meeting="resolution.item.meeting",
        within_meeting=True,
        shown_elsewhere_as="actions",
    ),
    Content(
        "meetings.attendance",
        partnership="meeting.partnership_id",
        meeting="meeting",
        within_meeting=True,
        on_people_pages=True,
    ),
    Content(
        "meetings.declaration", partnership="meeting.partnership_id", meeting="meeting", within_meeting=True
    ),
    Content(
        "meetings.document",
        partnership="meeting.partnership_id",
        meeting="meeting",
        search_kind="document",
        within_meeting=True,
    ),
    Content(
        "meetings.minutesamendment",
        partnership="meeting.partnership_id",
        meeting="meeting",
        within_meeting=True,
    ),
    # The follow-through: the partnership's plans, what later minutes
    # report on actions, and the papers' reading copies.
    Content("meetings.workprogrammeitem", partnership="partnership_id"),
    Content("meetings.actionupdate", partnership="item.meeting.partnership_id", meeting="item.meeting"),
    Content(
        "meetings.accessibleversion",
        partnership="meeting.partnership_id",
        meeting="meeting",
        within_meeting=True,
    ),
    Content(
        "meetings.itemreference", partnership="from_item.meeting.partnership_id", meeting="from_item.meeting"
    ),
    # The consultation's questions and results pages (not the answers).
    Content("consultation.consultation"),
    Content("consultation.question"),
    Content("consultation.choice"),
    # The glossary's terms are marked up wherever minutes are printed.
    Content("glossary.term", everywhere=True, search_kind="term"),
]
