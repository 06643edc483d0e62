"""
The API's resources: one small class per kind of thing the API lists, each
knowing how to count, page and fetch its items in a fixed number of queries
and how to turn one item into JSON.

Names are Popolo's where Popolo has the field, and Open Civic Data's beside
them where OCD names the same thing differently (a resolution's `text` is
also its `motion_text`); what neither models is under `extras`. Events and
resolutions validate against both Popolo's schemas and those of OCD's
scraper framework, pupa; docs/api.md has the table of fields.
Partnerships and other organisations are `organization`s, seats are
`post`s, a person holding a seat is a `membership`, a meeting an `event`, a
resolution a `motion`. Every item has a stable `id` of the form
"<type>-<pk>" (ids survive a clerk renaming a slug), its API `url`, its
public `html_url` and, as `sources`, that page.

To add an endpoint, write a Resource subclass with `collection`, `type`,
`description`, `queryset()` and `serialize()`, append an instance to
RESOURCES, and describe its items in api/serializers.py: the URLs, the
views, the OpenAPI description and the list on the /api/ page follow.
"""

import datetime
import re
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse

from meetings.documents import TYPES, extension_of
from meetings.states import Status
from partnerships.dates import DatePrecision
from partnerships.models import Membership, Organisation, Partnership, Person, Seat
from search.models import ResolutionCount

# Longer numbers cannot be a primary key (and PostgreSQL would refuse them).
ID_DIGITS = 18


def absolute(path):
    return f"{settings.SITE_URL}{path}"


def partial_date(value, precision=DatePrecision.DAY):
    """ISO 8601 reduced to what is known: "2012", "2019-06" or "2019-06-14"
    (as Popolo dates are written); None when unknown."""
    if value is None:
        return None
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


class FilterError(ValueError):
    """A query parameter's value the filter cannot use; the message says why."""


class Filter:
    """One query parameter of a list: `parse(value)` turns its value into
    keyword arguments for the queryset's filter(), or raises FilterError.
    `schema` is the parameter's JSON Schema in the OpenAPI description:
    exactly what `parse` accepts (its pattern, enum or format), so that every
    value the description allows is answered and every other refused; and
    `example` shows one."""

    def __init__(self, description, parse, schema, example=None):
        self.description = description
        self.parse = parse
        self.schema = schema
        self.example = example

    @property
    def choices(self):
        return self.schema.get("enum")


def matches(pattern, value):
    """Whether `value` matches the JSON Schema `pattern` as a validator reads
    it: "$" is the end of the text (Python's would also match before a final
    newline)."""
    return re.search(pattern.removesuffix("$") + r"\Z", value) is not None


# Every character str.isspace() counts as a space, and the control
# characters, as a character class of a JSON Schema pattern.
SPACES = r"\x00-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"


def choice_filter(description, lookups):
    """A parameter whose allowed values are the keys of `lookups`, each
    giving the filter kwargs it stands for."""

    def parse(value):
        if value not in lookups:
            raise FilterError(f"must be one of: {', '.join(lookups)}.")
        return lookups[value]

    return Filter(description, parse, {"type": "string", "enum": list(lookups)})


def id_filter(description, prefix, lookup):
    """A parameter naming an item by its API id, "<prefix>-<pk>"."""
    pattern = f"^{re.escape(prefix)}-[0-9]{{1,{ID_DIGITS}}}$"

    def parse(value):
        if not matches(pattern, value):
            raise FilterError(f"must be an id such as {prefix}-1.")
        return {lookup: int(value.rpartition("-")[2])}

    return Filter(description, parse, {"type": "string", "pattern": pattern}, example=f"{prefix}-1")


# A date as YYYY-MM-DD from the year 1 (Python's dates start there, and
# fromisoformat would also take 20190601 or 2019-W22-6, which this refuses).
DATE_PATTERN = "^([1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])-[0-9]{2}-[0-9]{2}$"


def date_filter(description, lookup):
    def parse(value):
        try:
            if not matches(DATE_PATTERN, value):
                raise ValueError(value)
            return {lookup: datetime.date.fromisoformat(value)}
        except ValueError:
            raise FilterError("must be a date written YYYY-MM-DD.") from None

    schema = {"type": "string", "format": "date", "pattern": DATE_PATTERN}
    return Filter(description, parse, schema, example="2019-06-01")


def text_filter(description, lookup, max_length=200):
    # Some text that is not only spaces, without control characters: no
    # text the minutes hold has one (and PostgreSQL refuses a NUL outright).
    # The spaces are named one by one (those str.strip removes), since "\s"
    # means other sets in other regular expression engines.
    pattern = f"^[^\\x00-\\x1f]*[^{SPACES}][^\\x00-\\x1f]*$"

    def parse(value):
        if len(value) > max_length or not matches(pattern, value):
            raise FilterError(
                f"must be some text, at most {max_length} characters, without control characters."
            )
        return {lookup: value.strip()}

    schema = {"type": "string", "minLength": 1, "maxLength": max_length, "pattern": pattern}
    return Filter(description, parse, schema, example="noted")


class Resource:
    collection = ""  # the URL segment: /api/<collection>/
    type = ""  # the prefix of ids: "<type>-<pk>"
    description = ""  # one line on the /api/ page
    # The Popolo schema the items validate against, if Popolo has one.
    popolo_schema = None
    # Query parameters the list accepts besides `page`: {name: Filter}.
    filters = {}

    @property
    def example_id(self):
        """An id to show in the OpenAPI description."""
        return f"{self.type}-1"

    def queryset(self):
        raise NotImplementedError

    def serialize(self, obj):
        raise NotImplementedError

    # --- ids and URLs ---
    def item_id(self, obj):
        return f"{self.type}-{obj.pk}"

    def item_url(self, item_id):
        return absolute(reverse(f"api:{self.collection}-detail", args=[item_id]))

    def list_url(self):
        return absolute(reverse(f"api:{self.collection}"))

    def parse_id(self, item_id):
        """The primary key in "<type>-<pk>", or None."""
        match = re.fullmatch(rf"{re.escape(self.type)}-([0-9]{{1,{ID_DIGITS}}})", item_id)
        return int(match.group(1)) if match else None

    def base(self, obj, html_url=None):
        item_id = self.item_id(obj)
        html_url = html_url or absolute(obj.get_absolute_url())
        return {"id": item_id, "url": self.item_url(item_id), "html_url": html_url}

    # --- reading: count + one slice, whatever the number of items ---
    def filtered(self, params):
        """`params` are checked already: {name: value} of this resource's filters."""
        queryset = self.queryset()
        for name, value in params.items():
            queryset = queryset.filter(**self.filters[name].parse(value))
        return queryset

    def count(self, params):
        return self.filtered(params).count()

    def page(self, params, start, stop):
        return [self.serialize(obj) for obj in self.filtered(params)[start:stop]]

    def listing(self, params, start, stop):
        """What a page of the list shows: how many items match `params`, and
        the items from `start` to `stop` (none past the last)."""
        count = self.count(params)
        return count, (self.page(params, start, stop) if start < count else [])

    def get(self, item_id):
        pk = self.parse_id(item_id)
        if pk is None:
            return None
        obj = self.queryset().filter(pk=pk).first()
        return None if obj is None else self.serialize(obj)


def sources(html_url, note):
    """Popolo's and OCD's `sources`: the page of this site the item is from."""
    return [{"url": html_url, "note": note}]


class OrganizationResource(Resource):
    """Partnerships (classification "partnership") then every other
    organisation (classified by its kind), as one list."""

    collection = "organizations"
    type = "organization"
    popolo_schema = "organization"
    description = "Partnerships (classification partnership), then councils, police, forums and other bodies."
    # Only the allowed values matter here: _parts() does the filtering, as
    # "partnership" picks a whole table rather than a filter on one.
    filters = {
        "classification": choice_filter(
            "Only organizations of this classification.",
            {"partnership": {}, **{kind: {} for kind in Organisation.Kind.values}},
        )
    }

    example_id = "partnership-1"

    def _parts(self, params):
        """(partnership queryset or None, organisation queryset or None)."""
        classification = params.get("classification")
        partnerships = Partnership.objects.order_by("order", "name", "pk")
        organisations = Organisation.objects.order_by("name", "pk")
        if classification == "partnership":
            return partnerships, None
        if classification:
            return None, organisations.filter(kind=classification)
        return partnerships, organisations

    def count(self, params):
        return sum(part.count() for part in self._parts(params) if part is not None)

    def page(self, params, start, stop):
        partnerships, organisations = self._parts(params)
        items = []
        if partnerships is not None:
            items += [self.serialize_partnership(p) for p in partnerships[start:stop]]
            # Where the organisations start in the combined list: known from
            # the slice unless it came back empty (one more query then).
            if len(items) == stop - start:
                offset = None
            elif items:
                offset = start + len(items)
            else:
                offset = partnerships.count()
        else:
            offset = 0
        if organisations is not None and offset is not None:
            first = max(start - offset, 0)
            last = stop - offset
            items += [self.serialize_organisation(o) for o in organisations[first:last]]
        return items

    def item_id(self, obj):
        return f"{'partnership' if isinstance(obj, Partnership) else 'organisation'}-{obj.pk}"

    def parse_id(self, item_id):
        match = re.fullmatch(rf"(partnership|organisation)-([0-9]{{1,{ID_DIGITS}}})", item_id)
        return (match.group(1), int(match.group(2))) if match else None

    def get(self, item_id):
        parsed = self.parse_id(item_id)
        if parsed is None:
            return None
        kind, pk = parsed
        if kind == "partnership":
            obj = Partnership.objects.filter(pk=pk).first()
            return obj and self.serialize_partnership(obj)
        obj = Organisation.objects.filter(pk=pk).first()
        return obj and self.serialize_organisation(obj)

    def serialize_partnership(self, partnership):
        base = self.base(partnership)
        return {
            **base,
            "classification": "partnership",
            "name": partnership.name,
            "other_names": (
                [{"name": partnership.short_name, "note": "abbreviation"}] if partnership.short_name else []
            ),
            "description": partnership.summary,
            "founding_date": partial_date(partnership.formed_on, partnership.formed_precision),
            "dissolution_date": partial_date(partnership.ended_on, partnership.ended_precision),
            "links": [],
            "sources": sources(base["html_url"], "the partnership's page"),
            "extras": {
                "status": partnership.status,
                "predecessor_id": (
                    f"partnership-{partnership.predecessor_id}" if partnership.predecessor_id else None
                ),
            },
        }

    def serialize_organisation(self, organisation):
        base = self.base(organisation)
        return {
            **base,
            "classification": organisation.kind,
            "name": organisation.name,
            "other_names": [],
            "description": organisation.description,
            "founding_date": None,
            "dissolution_date": None,
            "links": [{"url": organisation.website, "note": "website"}] if organisation.website else [],
            "sources": sources(base["html_url"], "the organisation's page"),
            "extras": {"status": None, "predecessor_id": None},
        }


def organisation_id(pk):
    return f"organisation-{pk}" if pk else None


class PersonResource(Resource):
    collection = "people"
    type = "person"
    popolo_schema = "person"
    description = "People named on this site, with their title (Councillor, Superintendent...)."

    def queryset(self):
        return Person.objects.order_by("name", "pk")

    def serialize(self, person):
        base = self.base(person)
        return {
            **base,
            "name": person.name,
            "honorific_prefix": person.title,
            "sources": sources(base["html_url"], "the person's page"),
            # Where the person works or sits, when the site knows it: not a
            # Popolo membership, as the minutes give no post or dates.
            "extras": {"organization_id": organisation_id(person.organisation_id)},
        }


class PostResource(Resource):
    collection = "posts"
    type = "post"
    popolo_schema = "post"
    description = "Seats in a partnership (Popolo posts), whoever holds them."

    def queryset(self):
        return Seat.objects.select_related("partnership").order_by(
            "partnership__order", "partnership", "order", "pk"
        )

    def serialize(self, seat):
        base = self.base(seat, html_url=absolute(seat.partnership.get_absolute_url() + "#membership"))
        return {
            **base,
            "label": seat.title,
            "role": seat.get_role_display(),
            "organization_id": f"partnership-{seat.partnership_id}",
            "start_date": partial_date(seat.started_on),
            "end_date": partial_date(seat.ended_on),
            "sources": sources(base["html_url"], "the membership of the partnership's page"),
            "extras": {
                # The organisation the seat is held for, e.g. a council.
                "on_behalf_of_id": organisation_id(seat.organisation_id),
                "vacant": seat.is_vacant,
                "note": seat.note,
            },
        }


class MembershipResource(Resource):
    collection = "memberships"
    type = "membership"
    popolo_schema = "membership"
    description = "A person holding a seat in a partnership, from one date to another."

    def queryset(self):
        return Membership.objects.select_related("seat", "person").order_by("seat", "-started_on", "pk")

    def serialize(self, membership):
        seat = membership.seat
        # Memberships are listed on the person's page.
        base = self.base(membership, html_url=absolute(membership.person.get_absolute_url()))
        return {
            **base,
            "person_id": f"person-{membership.person_id}",
            "post_id": f"post-{membership.seat_id}",
            "organization_id": f"partnership-{seat.partnership_id}",
            "on_behalf_of_id": organisation_id(seat.organisation_id),
            "role": seat.get_role_display(),
            "label": seat.title,
            "start_date": partial_date(membership.started_on),
            "end_date": partial_date(membership.ended_on),
            "sources": sources(base["html_url"], "the person's page"),
            "extras": {"note": membership.note},
        }


# --- meetings -----------------------------------------------------------------
#
# What the public may see of a meeting, one helper per kind of record, so that
# the rule lives in one place for the whole API.


def public_meetings():
    from meetings.models import Meeting

    return Meeting.objects.public()


def public_agenda_items():
    """Every item's title is public; an exempt item's text, resolutions and
    papers are not (serialize_item leaves them out)."""
    from meetings.models import AgendaItem

    return AgendaItem.objects.public()


def public_resolutions():
    """Resolutions of published or confirmed minutes, never of an exempt item."""
    from meetings.models import Resolution

    return Resolution.objects.public()


def public_documents():
    """Documents with a file, not laid before an exempt item."""
    from meetings.models import Document

    return Document.objects.downloadable()


def public_attendances():
    from meetings.models import Attendance

    return Attendance.objects.public()


# Our meeting states in Open Civic Data's vocabulary (OCDEP 4), and back.
# A draft is never public, so it has no name here.
OCD_STATUS = {
    Status.AGENDA_PUBLISHED: "confirmed",
    Status.HELD: "passed",
    Status.CANCELLED: "cancelled",
    Status.POSTPONED: "tentative",
}


def meeting_start(meeting):
    """ISO 8601 with the UTC offset in force in London that day (Popolo's
    pattern), or the date alone when the minutes give no time."""
    if not meeting.start_time:
        return meeting.date.isoformat()
    start = datetime.datetime.combine(meeting.date, meeting.start_time, tzinfo=ZoneInfo(settings.TIME_ZONE))
    return start.isoformat()


def paragraphs(text):
    return [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]


def document_json(document):
    media_type = TYPES.get(extension_of(document.file.name), (None, None))[1]
    url = absolute(document.get_absolute_url())
    return {
        "id": f"document-{document.pk}",
        "note": document.title,
        "url": url,
        "media_type": media_type,
        # OCD's fuzzy date, blank when the source does not say.
        "date": document.published_on.isoformat() if document.published_on else "",
        "links": [{"url": url, "media_type": media_type}],
        "extras": {
            "agenda_item_id": f"agenda-item-{document.item_id}" if document.item_id else None,
            "size_bytes": document.size_bytes,
        },
    }


def resolution_json(resolution):
    return {
        "id": f"resolution-{resolution.pk}",
        "number": resolution.number,
        "text": resolution.text,
        "citation": resolution.citation,
    }


def entity(entity_type, entity_id, name):
    """An event's participant or an agenda item's related entity, in Open
    Civic Data's names: `entity_type` (person, organization, vote_event),
    `entity_id` (its id in this API, or null), and its name both as OCD's
    models (`entity_name`) and pupa's scraped objects (`name`) give it."""
    return {"name": name, "entity_type": entity_type, "entity_id": entity_id, "entity_name": name}


class EventResource(Resource):
    """Meetings as Popolo / Open Civic Data events, each with its agenda. Only
    what the meeting page shows the public: an exempt item's title and reason
    but not its text, resolutions or papers; minutes and resolutions only
    once the minutes are published."""

    collection = "events"
    type = "event"
    popolo_schema = "event"
    description = (
        "Meetings of the partnerships, newest first, each with its agenda (items, minutes and resolutions "
        "once published), attendance and documents."
    )
    filters = {
        "status": choice_filter(
            "Only meetings in this state (Open Civic Data's vocabulary): confirmed (to be held), "
            "passed (held), cancelled or tentative (postponed).",
            {ocd: {"status": ours} for ours, ocd in OCD_STATUS.items()},
        ),
        "organization_id": id_filter("Only meetings of this partnership.", "partnership", "partnership_id"),
        "start_date_from": date_filter("Only meetings on or after this date.", "date__gte"),
        "start_date_to": date_filter("Only meetings on or before this date.", "date__lte"),
    }

    def queryset(self):
        from django.db.models import Prefetch

        return (
            public_meetings()
            .select_related("partnership", "confirmed_by__meeting__partnership")
            .prefetch_related(
                Prefetch(
                    "items",
                    queryset=public_agenda_items()
                    .select_related("presenter")
                    .prefetch_related(
                        Prefetch("resolutions", queryset=public_resolutions().order_by("number"))
                    ),
                ),
                Prefetch("attendances", queryset=public_attendances().select_related("person")),
                Prefetch("documents", queryset=public_documents()),
            )
            .order_by("-date", "-pk")
        )

    def serialize_item(self, item, meeting, documents):
        public_minutes = meeting.minutes_are_public and not item.is_exempt
        related = []
        if item.presenter_display and not item.is_exempt:
            related.append(
                entity(
                    "person",
                    f"person-{item.presenter_id}" if item.presenter_id else None,
                    item.presenter_display,
                )
                | {"note": "presenter"}
            )
        resolutions = list(item.resolutions.all()) if public_minutes else []
        # A resolution is OCD's vote event (its motion passed), as in /api/resolutions/.
        related += [
            entity("vote_event", f"resolution-{r.pk}", r.citation) | {"note": "resolution"}
            for r in resolutions
        ]
        return {
            "id": f"agenda-item-{item.pk}",
            # OCD writes an item's place in the agenda as a string.
            "order": str(item.order),
            "description": item.title,
            "html_url": absolute(item.get_absolute_url()),
            "subjects": [],
            "media": [],
            "notes": paragraphs(item.minutes) if public_minutes else [],
            "related_entities": related,
            "extras": {
                "minute_number": item.minute_number,
                "agenda_text": None if item.is_exempt else item.agenda_text,
                "resolutions": [resolution_json(r) for r in resolutions],
                "document_ids": [
                    d["id"] for d in documents if d["extras"]["agenda_item_id"] == f"agenda-item-{item.pk}"
                ],
                "exempt": item.is_exempt,
                "exempt_paragraph": item.exempt_paragraph if item.is_exempt else None,
                "exempt_reason": item.exempt_reason if item.is_exempt else None,
            },
        }

    def serialize(self, meeting):
        base = self.base(meeting)
        documents = [document_json(d) for d in meeting.documents.all()]
        confirmed_by = meeting.confirmed_by if meeting.confirmed_by_id else None
        return {
            **base,
            "name": f"Meeting of the {meeting.partnership.name}",
            # Blank rather than null: OCD's description is always a string.
            "description": meeting.notes,
            "classification": "committee-meeting",
            "organization_id": f"partnership-{meeting.partnership_id}",
            # No end_date: the minutes never say when a meeting ended, and
            # Popolo (a date or null) and OCD (a date or blank) have no
            # common way to say "unknown" but leaving it out.
            "start_date": meeting_start(meeting),
            "timezone": settings.TIME_ZONE,
            "all_day": meeting.start_time is None,
            "status": OCD_STATUS[meeting.status],
            "location": meeting.venue or None,
            "links": (
                [{"url": meeting.webcast_url, "note": "webcast or remote-joining link"}]
                if meeting.webcast_url
                else []
            ),
            # Recordings (OCD's media): the site holds none; a webcast or
            # joining link is in `links`.
            "media": [],
            "agenda": [self.serialize_item(item, meeting, documents) for item in meeting.items.all()],
            # Attendance as the minutes record it; an id where the person has a page.
            "participants": [
                entity(
                    "person",
                    f"person-{attendance.person_id}" if attendance.person_id else None,
                    attendance.display_name,
                )
                | {
                    "note": attendance.get_role_display(),
                    "extras": {"attendance": attendance.role, "chair": attendance.is_chair},
                }
                for attendance in meeting.attendances.all()
            ],
            "documents": documents,
            "sources": sources(base["html_url"], "the meeting's page"),
            "extras": {
                "meeting_status": meeting.status,
                "minutes_status": meeting.minutes_status,
                "minutes_confirmed_by": (
                    {
                        "event_id": f"event-{confirmed_by.meeting_id}",
                        "agenda_item_id": f"agenda-item-{confirmed_by.pk}",
                        "minute_number": confirmed_by.minute_number,
                        "html_url": absolute(confirmed_by.get_absolute_url()),
                    }
                    if confirmed_by
                    else None
                ),
            },
        }


class ResolutionResource(Resource):
    """Resolutions of published minutes as Popolo motions that passed, with
    Open Civic Data's vote-event names beside Popolo's (OCD folds the motion
    into the vote event: `motion_text`, `motion_classification`,
    and `start_date`)."""

    collection = "resolutions"
    type = "resolution"
    popolo_schema = "motion"
    description = (
        "Resolutions of published minutes, numbered (1), (2)... within their minute, newest meeting first."
    )
    filters = {
        "event_id": id_filter("Only the resolutions of this meeting.", "event", "item__meeting_id"),
        "q": text_filter("Only resolutions whose text contains these words, as typed.", "text__icontains"),
    }

    def queryset(self):
        return (
            public_resolutions()
            .select_related("item__meeting__partnership")
            .order_by(
                "-item__meeting__date",
                "-item__meeting_id",
                "item__order",
                "item__minute_number",
                "item_id",
                "number",
            )
        )

    def count(self, params):
        """How many resolutions the list holds. Unfiltered, the search
        index's count of its resolutions (search.models.ResolutionCount),
        which holds exactly the public ones and is kept in step with them as
        they are written: one row a partnership to add up, where counting
        the resolutions through their items and meetings reads all of them
        (700,000 nationally, 190 ms)."""
        if params:
            return super().count(params)
        return ResolutionCount.total()

    def serialize(self, resolution):
        item = resolution.item
        meeting = item.meeting
        base = self.base(resolution)
        return {
            **base,
            "organization_id": f"partnership-{meeting.partnership_id}",
            "legislative_session_id": f"event-{meeting.pk}",
            "text": resolution.text,
            "motion_text": resolution.text,
            "identifier": resolution.citation,
            "classification": "resolution",
            "motion_classification": ["resolution"],
            # Popolo wants a date-time: only when the minutes give the time.
            "date": meeting_start(meeting) if meeting.start_time else None,
            # OCD takes a date alone as well.
            "start_date": meeting_start(meeting),
            "result": "pass",
            "sources": sources(base["html_url"], "the minute's page"),
            "extras": {
                "meeting_date": meeting.date.isoformat(),
                # OCD's legislative_session (a session's name) is an event in
                # Popolo's motion: the meeting is legislative_session_id.
                "municipal_year": meeting.municipal_year,
                "minute_number": item.minute_number,
                "resolution_number": resolution.number,
                "agenda_item_id": f"agenda-item-{item.pk}",
                "agenda_item_title": item.title,
            },
        }


class ConsultationResource(Resource):
    """Consultations once open: their questions and, when published after
    closing, their results (counts and percentages). Individual responses
    are never in the API."""

    collection = "consultations"
    type = "consultation"
    description = (
        "Consultations that have opened, with their questions; one consultation also has its published "
        "results (counts only; never individual responses)."
    )

    def queryset(self):
        from django.utils import timezone

        from consultation.models import Consultation

        return (
            Consultation.objects.filter(opens_at__lte=timezone.now())
            .with_questions()
            .order_by("-opens_at", "pk")
        )

    def serialize(self, consultation):
        return {
            **self.base(consultation),
            "title": consultation.title,
            "run_by": consultation.run_by,
            "summary": consultation.summary,
            "opens_at": consultation.opens_at.isoformat(),
            "closes_at": consultation.closes_at.isoformat(),
            "open": consultation.is_open(),
            "results_published": consultation.results_are_public,
            "outcome": consultation.outcome if consultation.results_are_public else None,
            "questions": [
                {
                    "code": question.code,
                    "text": question.text,
                    "hint": question.hint,
                    "kind": question.kind,
                    "required": question.required,
                    "choices": [{"code": c.code, "label": c.label} for c in question.choices.all()],
                }
                for question in consultation.questions.all()
            ],
        }

    def get(self, item_id):
        pk = self.parse_id(item_id)
        consultation = None if pk is None else self.queryset().filter(pk=pk).first()
        if consultation is None:
            return None
        data = self.serialize(consultation)
        if consultation.results_are_public:
            from consultation import results

            data["results"] = [
                {
                    "question": result.question.code,
                    "answered": result.answered,
                    "choices": [
                        {"code": row.code, "label": row.label, "count": row.count, "percent": row.percent}
                        for row in result.rows
                    ],
                }
                for result in results.build(consultation, include_equality=False)
            ]
        return data


# Imported here, at the end: its resources build on the classes above.
from . import follow_through  # noqa: E402

# The API's endpoints, in the order the /api/ page lists them.
RESOURCES = [
    OrganizationResource(),
    PersonResource(),
    PostResource(),
    MembershipResource(),
    EventResource(),
    ResolutionResource(),
    *follow_through.RESOURCES,
    ConsultationResource(),
]
