"""No link on a public page leads nowhere: a crawler follows every link of
the site from the home page, over the initial content, and from the pages of
a meeting taken through every transition, and asks each address once."""

import datetime
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

from meetings.models import Meeting
from publishing import operations
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, ResolutionFactory
from tests.partnerships.factories import PartnershipFactory

# Staff pages and the files of the site's own look are not the public's
# pages; a search for every word of the site would never end.
SKIP = ("/admin/", "/static/", "/search/?")
MOST_PAGES = 3000


def crawl(client, starts, most=MOST_PAGES, depth=None):
    """{address: status} of every site address reachable from `starts` (in
    at most `depth` links, if given), and {broken address: the pages linking
    to it}."""
    seen, broken, queue = {}, {}, deque((start, "(start)", 0) for start in starts)
    while queue and len(seen) < most:
        url, referrer, steps = queue.popleft()
        if url in seen:
            if seen[url] >= 400:
                broken.setdefault(url, set()).add(referrer)
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code in (301, 302):
            queue.append((response["Location"], url, steps))
            continue
        if response.status_code >= 400:
            broken.setdefault(url, set()).add(referrer)
            continue
        if "text/html" not in response.get("Content-Type", "") or (depth is not None and steps >= depth):
            continue
        page = BeautifulSoup(response.content, "html.parser")
        for anchor in page.find_all("a", href=True):
            link, _ = urldefrag(anchor["href"])
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not link.startswith("/") or link.startswith(SKIP):
                continue
            queue.append((link, url, steps + 1))
    assert len(seen) < most, "the crawl did not end: raise MOST_PAGES or skip more"
    return seen, broken


def test_no_link_on_the_initial_content_leads_nowhere(initial_content):
    seen, broken = crawl(Client(), ["/"])
    assert broken == {}
    # It did walk the site: every partnership, meeting and minute is reachable.
    assert sum(1 for url in seen if "/minute-" in url) >= 20
    assert len(seen) > 150


@pytest.mark.django_db
def test_no_link_leads_nowhere_as_a_meeting_goes_through_every_transition(django_capture_on_commit_callbacks):
    partnership = PartnershipFactory(name="Sefton Safer Communities Partnership", slug="sefton")
    today = timezone.localdate()

    def draft(day):
        return MeetingFactory(partnership=partnership, date=day, status="draft", minutes_status="none")

    earlier = draft(today - datetime.timedelta(days=120))
    AgendaItemFactory(meeting=earlier, minute_number=1, title="Apologies", minutes="None.")
    meeting = draft(today - datetime.timedelta(days=30))
    item = AgendaItemFactory(
        meeting=meeting,
        minute_number=2,
        title="Minutes of the Previous Meeting",
        minutes=f"Further to Minute No. 1 of the meeting held on {earlier.date:%-d %B %Y}, the minutes were agreed.",
    )
    ResolutionFactory(item=item, number=1, text="That the minutes be confirmed as a correct record.")
    later = draft(today + datetime.timedelta(days=30))
    replacement = draft(today + datetime.timedelta(days=60))

    def step(meeting, name, *args):
        with django_capture_on_commit_callbacks(execute=True):
            operations.transition(meeting, name, *args)
        # Every page of the partnership's meetings and the lists that show
        # them, and every link on those pages.
        pages = [partnership.get_absolute_url(), "/", "/meetings/", "/decisions/"]
        for public in Meeting.objects.public().filter(partnership=partnership):
            pages.append(public.get_absolute_url())
            pages += [item.get_absolute_url() for item in public.items.exclude(minute_number=None)]
        _, broken = crawl(Client(), pages, depth=1)
        assert broken == {}, (name, broken)

    step(earlier, "publish_agenda")
    step(earlier, "publish_minutes")
    step(meeting, "publish_agenda")
    step(meeting, "mark_held")
    step(meeting, "publish_minutes")
    step(earlier, "confirm_minutes", item)
    step(replacement, "publish_agenda")
    step(later, "publish_agenda")
    step(later, "postpone", "The chair is unwell.", replacement)
    step(replacement, "cancel", "No business.")
    unheld = draft(today - datetime.timedelta(days=60))
    step(unheld, "mark_minutes_not_online")
    withdrawn = draft(today + datetime.timedelta(days=90))
    step(withdrawn, "publish_agenda")
    step(withdrawn, "withdraw")
    assert Meeting.objects.public().count() == 5
