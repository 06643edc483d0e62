"""
What the public pages show, model by model: the one list of content
(smp_site/content.py says what each column means). The page cache, the
search index and the alerts read it; a model that is not here is not
content (a resident's survey answers, the outgoing email queue...).
"""

from partnerships.models import Partnership
from smp_site.content import Content


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
    # Meetings and their minutes.
    Content("meetings.meeting", partnership="partnership_id", meeting="self", search_kind="meeting"),
    Content(
        "meetings.agendaitem",
        partnership="meeting.partnership_id",
        meeting="meeting",
        search_kind="minute",
    ),
    Content(
        "meetings.resolution",
        partnership="item.meeting.partnership_id",
        meeting="item.meeting",
        search_kind="resolution",
    ),
    Content(
        "meetings.action",
        partnership="resolution.item.meeting.partnership_id",
        meeting="resolution.item.meeting",
    ),
    Content("meetings.attendance", partnership="meeting.partnership_id", meeting="meeting"),
    Content("meetings.declaration", partnership="meeting.partnership_id", meeting="meeting"),
    Content(
        "meetings.document", partnership="meeting.partnership_id", meeting="meeting", search_kind="document"
    ),
    Content("meetings.minutesamendment", partnership="meeting.partnership_id", meeting="meeting"),
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
