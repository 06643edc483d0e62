"""
The API's resources: one small class per kind of thing the API lists, each
knowing how to count, page and fetch its items in a fixed number of queries
and how to turn one item into JSON.

Names follow Popolo / Open Civic Data where they fit: partnerships and other
organisations are `organization`s, seats are `post`s, a person holding a seat
is a `membership`. Every item has a stable `id` of the form "<type>-<pk>"
(ids survive a clerk renaming a slug), its API `url` and its public
`html_url`.

To add an endpoint (meetings: `event`, `agenda`...), write a Resource
subclass with `collection`, `type`, `description`, `queryset()` and
`serialize()`, and append an instance to RESOURCES: the URLs, the views and
the list on the /api/ page follow from it.
"""

import re

from django.conf import settings
from django.urls import reverse

from meetings.states import Status
from partnerships.dates import DatePrecision
from partnerships.models import Membership, Organisation, Partnership, Person, Seat

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


class Resource:
    collection = ""  # the URL segment: /api/<collection>/
    type = ""  # the prefix of ids: "<type>-<pk>"
    description = ""  # one line on the /api/ page
    # Query parameters the list accepts besides `page`: {name: {value: filter kwargs}}.
    filters = {}

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

    def base(self, obj):
        item_id = self.item_id(obj)
        return {"id": item_id, "url": self.item_url(item_id), "html_url": absolute(obj.get_absolute_url())}

    # --- reading: count + one slice, whatever the number of items ---
    def filtered(self, params):
        queryset = self.queryset()
        for name, value in params.items():
            queryset = queryset.filter(**self.filters[name][value])
        return queryset

    def count(self, params):
        return self.filtered(params).count()

    def page(self, params, start, stop):
        return [self.serialize(obj) for obj in self.filtered(params)[start:stop]]

    def get(self, item_id):
        pk = self.parse_id(item_id)
        if pk is None:
            return None
        obj = self.queryset().filter(pk=pk).first()
        return None if obj is None else self.serialize(obj)


class OrganizationResource(Resource):
    """Partnerships (classification "partnership") then every other
    organisation (classified by its kind), as one list."""

    collection = "organizations"
    type = "organization"
    description = "Partnerships (classification partnership), then councils, police, forums and other bodies."
    # Only the allowed values matter here: _parts() does the filtering, as
    # "partnership" picks a whole table rather than a filter on one.
    filters = {
        "classification": {
            "partnership": {},
            **{kind: {"kind": kind} for kind in Organisation.Kind.values},
        }
    }

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
        return {
            **self.base(partnership),
            "classification": "partnership",
            "name": partnership.name,
            "other_names": (
                [{"name": partnership.short_name, "note": "abbreviation"}] if partnership.short_name else []
            ),
            "summary": partnership.summary,
            "status": partnership.status,
            "founding_date": partial_date(partnership.formed_on, partnership.formed_precision),
            "dissolution_date": partial_date(partnership.ended_on, partnership.ended_precision),
            "predecessor_id": (
                f"partnership-{partnership.predecessor_id}" if partnership.predecessor_id else None
            ),
            "links": [],
        }

    def serialize_organisation(self, organisation):
        return {
            **self.base(organisation),
            "classification": organisation.kind,
            "name": organisation.name,
            "other_names": [],
            "summary": organisation.description,
            "status": None,
            "founding_date": None,
            "dissolution_date": None,
            "predecessor_id": None,
            "links": [{"url": organisation.website, "note": "website"}] if organisation.website else [],
        }


def organisation_id(pk):
    return f"organisation-{pk}" if pk else None


class PersonResource(Resource):
    collection = "people"
    type = "person"
    description = "People named on this site, with their title (Councillor, Superintendent...)."

    def queryset(self):
        return Person.objects.order_by("name", "pk")

    def serialize(self, person):
        return {
            **self.base(person),
            "name": person.name,
            "honorific_prefix": person.title,
            # Where the person works or sits, when the site knows it.
            "organization_id": organisation_id(person.organisation_id),
        }


class PostResource(Resource):
    collection = "posts"
    type = "post"
    description = "Seats in a partnership (Popolo posts), whoever holds them."

    def queryset(self):
        return Seat.objects.select_related("partnership").order_by(
            "partnership__order", "partnership", "order", "pk"
        )

    def serialize(self, seat):
        item_id = self.item_id(seat)
        return {
            "id": item_id,
            "url": self.item_url(item_id),
            "html_url": absolute(seat.partnership.get_absolute_url() + "#membership"),
            "label": seat.title,
            "role": seat.get_role_display(),
            "organization_id": f"partnership-{seat.partnership_id}",
            # The organisation the seat is held for, e.g. a council.
            "on_behalf_of_id": organisation_id(seat.organisation_id),
            "start_date": partial_date(seat.started_on),
            "end_date": partial_date(seat.ended_on),
            "vacant": seat.is_vacant,
            "note": seat.note,
        }


class MembershipResource(Resource):
    collection = "memberships"
    type = "membership"
    description = "A person holding a seat in a partnership, from one date to another."

    def queryset(self):
        return Membership.objects.select_related("seat", "person").order_by("seat", "-started_on", "pk")

    def serialize(self, membership):
        item_id = self.item_id(membership)
        seat = membership.seat
        return {
            "id": item_id,
            "url": self.item_url(item_id),
            # Memberships are listed on the person's page.
            "html_url": absolute(membership.person.get_absolute_url()),
            "person_id": f"person-{membership.person_id}",
            "post_id": f"post-{membership.seat_id}",
            "organization_id": f"partnership-{seat.partnership_id}",
            "on_behalf_of_id": organisation_id(seat.organisation_id),
            "role": seat.get_role_display(),
            "label": seat.title,
            "start_date": partial_date(membership.started_on),
            "end_date": partial_date(membership.ended_on),
            "note": membership.note,
        }


# --- issue 6: meetings and consultations -----------------------------------


def document_json(document):
    return {
        "id": f"document-{document.pk}",
        "title": document.title,
        "format": document.file_type,
        "size_bytes": document.size_bytes,
        "url": absolute(document.get_absolute_url()) if document.file else None,
    }


class EventResource(Resource):
    """Meetings as Open Civic Data events, each with its agenda. Only what
    the meeting page shows the public: an exempt item's title and reason but
    not its text, resolutions or papers; minutes and resolutions only once
    the minutes are published."""

    collection = "events"
    type = "event"
    description = (
        "Meetings of the partnerships, newest first, each with its agenda (items, minutes and resolutions "
        "once published), attendance and documents. Filter with ?status=agenda_published, held, cancelled or postponed."
    )
    filters = {"status": {status: {"status": status} for status in Status.values if status != Status.DRAFT}}

    def queryset(self):
        from django.db.models import Prefetch

        from meetings.models import AgendaItem, Attendance, Document, Meeting, Resolution

        return (
            Meeting.objects.public()
            .select_related("partnership")
            .prefetch_related(
                Prefetch(
                    "items",
                    queryset=AgendaItem.objects.select_related("presenter").prefetch_related(
                        Prefetch("resolutions", queryset=Resolution.objects.order_by("number"))
                    ),
                ),
                Prefetch("attendances", queryset=Attendance.objects.select_related("person")),
                Prefetch("documents", queryset=Document.objects.select_related("item")),
            )
            .order_by("-date", "-pk")
        )

    def serialize(self, meeting):
        from search.indexing import document_is_public

        public_minutes = meeting.minutes_are_public
        start = meeting.date.isoformat()
        if meeting.start_time:
            start += f"T{meeting.start_time:%H:%M}"
        agenda = []
        documents = [d for d in meeting.documents.all() if document_is_public(d) or not d.file]
        for item in meeting.items.all():
            entry = {
                "id": f"agenda-item-{item.pk}",
                "order": item.order,
                "minute_number": item.minute_number,
                "title": item.title,
                "html_url": absolute(item.get_absolute_url()),
                "exempt": item.is_exempt,
            }
            if item.is_exempt:
                entry.update(exempt_paragraph=item.exempt_paragraph, exempt_reason=item.exempt_reason)
            else:
                entry.update(
                    description=item.agenda_text,
                    presenter=item.presenter_display or None,
                    minutes=item.minutes if public_minutes else None,
                    resolutions=[
                        {"number": r.number, "text": r.text, "citation": r.citation}
                        for r in item.resolutions.all()
                    ]
                    if public_minutes
                    else [],
                    documents=[document_json(d) for d in documents if d.item_id == item.pk],
                )
            agenda.append(entry)
        return {
            **self.base(meeting),
            "name": f"Meeting of the {meeting.partnership.name}",
            "classification": "committee-meeting",
            "organization_id": f"partnership-{meeting.partnership_id}",
            "start_date": start,
            "timezone": "Europe/London",
            "status": meeting.status,
            "location": {"name": meeting.venue} if meeting.venue else None,
            "webcast_url": meeting.webcast_url or None,
            "minutes_status": meeting.minutes_status,
            "agenda": agenda,
            # Attendance as the minutes record it; person_id where the person has a page.
            "participants": [
                {
                    "name": attendance.display_name,
                    "person_id": f"person-{attendance.person_id}" if attendance.person_id else None,
                    "role": attendance.role,
                    "chair": attendance.is_chair,
                }
                for attendance in meeting.attendances.all()
            ],
            "documents": [document_json(d) for d in documents if d.item_id is None],
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


# The API's endpoints, in the order the /api/ page lists them.
RESOURCES = [
    OrganizationResource(),
    PersonResource(),
    PostResource(),
    MembershipResource(),
    EventResource(),
    ConsultationResource(),
]
