"""
The filters of the committee-site lists (/meetings/, /decisions/): read from
the query string, checked, and applied in the database. A bad value gets a
message beside its field and is not applied; nothing else is lost.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Max, Min

from foundation.fixed_queries import fixed_query
from foundation.text import search_words
from partnerships.dates import municipal_year_of_day

from .models import Declaration, Meeting, Resolution

PAGE_SIZE = 20
YEAR = re.compile(r"^(\d{4})/(\d{2})$")
# The usual council year (May to April) when no partnership is chosen.
DEFAULT_YEAR_START_MONTH = 5


def public_meetings():
    """Every meeting the public may see (not drafts; the minutes of each
    follow their own state)."""
    return Meeting.objects.public()


def public_resolutions():
    """Resolutions of non-exempt items of meetings whose minutes are public."""
    return Resolution.objects.public()


def public_declarations():
    """Declarations of interest recorded in minutes the public may read."""
    return Declaration.objects.public()


def listed_municipal_year(meeting):
    """The municipal year ("2019/20") of a row of Meeting.objects.listed(),
    as Meeting.municipal_year gives it."""
    return municipal_year_of_day(meeting.date, meeting.partnership__municipal_year_start_month)


def meeting_states():
    """The states a visitor may filter by: every one but the private draft."""
    return [(value, label) for value, label in Meeting.Status.choices if value != Meeting.Status.DRAFT]


def year_label(start_year):
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def municipal_years(meetings):
    """The municipal years ("2019/20") the meetings span, newest first: one query."""
    span = meetings.aggregate(first=Min("date"), last=Max("date"))
    if not span["first"]:
        return []
    first, last = span["first"].year - 1, span["last"].year
    return [year_label(year) for year in range(last, first - 1, -1)]


@dataclass
class Filters:
    # One of Partnership.objects.choices(): pk, name, slug and start month.
    partnership: tuple | None = None
    year: str = ""
    state: str = ""
    words: str = ""
    errors: list = field(default_factory=list)  # (field id, message)

    @classmethod
    def read(cls, query, partnerships, id_prefix, states=None, words=False):
        """`states` and `words` only where the list offers those filters."""
        filters = cls(words=search_words(query.get("q", ""))[:200] if words else "")
        slug = query.get("partnership", "")
        if slug:
            filters.partnership = next((p for p in partnerships if p.slug == slug), None)
            if filters.partnership is None:
                filters.errors.append((f"{id_prefix}-partnership", "Choose a partnership from the list."))
        year = query.get("year", "")
        if year:
            match = YEAR.match(year)
            if match and (int(match[1]) + 1) % 100 == int(match[2]):
                filters.year = year
            else:
                filters.errors.append(
                    (f"{id_prefix}-year", "Choose a year from the list, for example 2019/20.")
                )
        state = query.get("state", "")
        if state and states is not None:
            if state in dict(states):
                filters.state = state
            else:
                filters.errors.append((f"{id_prefix}-state", "Choose a state from the list."))
        return filters

    @property
    def any(self):
        return bool(self.partnership or self.year or self.state or self.words)

    def year_range(self):
        start_month = (
            self.partnership.municipal_year_start_month if self.partnership else DEFAULT_YEAR_START_MONTH
        )
        start = datetime.date(int(self.year[:4]), start_month, 1)
        return start, datetime.date(start.year + 1, start_month, 1)

    def apply(self, queryset, meeting_path=""):
        """Filter `queryset`, whose meeting is at `meeting_path` ("" for meetings)."""
        if self.partnership:
            queryset = queryset.filter(**{f"{meeting_path}partnership": self.partnership.pk})
        if self.year:
            start, end = self.year_range()
            queryset = queryset.filter(**{f"{meeting_path}date__gte": start, f"{meeting_path}date__lt": end})
        if self.state:
            queryset = queryset.filter(status=self.state)
        for word in self.words.split():
            queryset = queryset.filter(text__icontains=word)
        return queryset

    def query_string(self, page=None):
        from urllib.parse import urlencode

        params = {
            "partnership": self.partnership.slug if self.partnership else "",
            "year": self.year,
            "state": self.state,
            "q": self.words,
        }
        if page:
            params["page"] = page
        return urlencode({key: value for key, value in params.items() if value})


# The meetings list's digest when no filter is chosen (each partnership's
# page lists all its meetings): the soonest to come and the latest held.
UPCOMING_MEETINGS = 20
RECENT_MEETINGS = 10


@fixed_query
def upcoming_meetings(today):
    """The next UPCOMING_MEETINGS public meetings from `today`, soonest
    first, as lists show them; compiled once, as the meetings list asks for
    them on every build."""
    return Meeting.objects.public().upcoming(today).listed()[:UPCOMING_MEETINGS]


@fixed_query
def recent_meetings(today):
    """The RECENT_MEETINGS public meetings before `today`, latest first."""
    return Meeting.objects.public().recent(today).listed()[:RECENT_MEETINGS]
