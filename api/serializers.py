"""
The shapes of the API's responses, as Django REST framework serializers, from
which drf-spectacular writes the OpenAPI description (/api/schema/).

The items themselves are built by api.resources, in a fixed number of
queries; these classes describe them field by field, and schemathesis (make
schemathesis) and a test with openapi-core check that every response
matches. Names are Popolo's where Popolo has the field, with Open Civic
Data's beside them where OCD names it differently; what neither models is
under `extras`, as OCD puts it (docs/api.md has the table).
"""

from rest_framework import serializers


def words(help_text="", null=False):
    return serializers.CharField(help_text=help_text, allow_null=null, allow_blank=True)


def ident(help_text, null=False):
    return serializers.CharField(help_text=help_text, allow_null=null)


def many(serializer_class, help_text=""):
    return serializer_class(many=True, help_text=help_text)


class LinkSerializer(serializers.Serializer):
    url = serializers.CharField(help_text="An absolute URL.")
    note = words("What the link is.", null=True)


class OtherNameSerializer(serializers.Serializer):
    name = words()
    note = words(null=True)


class ItemSerializer(serializers.Serializer):
    id = ident("Stable id: <type>-<number>; never reused.")
    url = serializers.CharField(help_text="This item in the API.")
    html_url = serializers.CharField(help_text="This item's page on the site.")


class SourcedSerializer(ItemSerializer):
    sources = many(LinkSerializer, "The page of this site the item comes from (Popolo and OCD `sources`).")


class OrganizationExtrasSerializer(serializers.Serializer):
    status = ident("A partnership's state: active, suspended or ended; null for other bodies.", null=True)
    predecessor_id = ident("The partnership this one replaced.", null=True)


class OrganizationSerializer(SourcedSerializer):
    classification = ident("partnership, or the kind of body (local_authority, policing...).")
    name = words()
    other_names = many(OtherNameSerializer)
    description = words()
    founding_date = ident("ISO 8601, as much as is known: 2012, 2019-06 or 2019-06-14.", null=True)
    dissolution_date = ident("As founding_date.", null=True)
    links = many(LinkSerializer)
    extras = OrganizationExtrasSerializer()


class PersonExtrasSerializer(serializers.Serializer):
    organization_id = ident("Where the person works or sits, when known.", null=True)


class PersonSerializer(SourcedSerializer):
    name = words()
    honorific_prefix = words("Councillor, Superintendent...")
    extras = PersonExtrasSerializer()


class PostExtrasSerializer(serializers.Serializer):
    on_behalf_of_id = ident("The organisation the seat is held for.", null=True)
    vacant = serializers.BooleanField()
    note = words()


class PostSerializer(SourcedSerializer):
    label = words()
    role = words()
    organization_id = ident("The partnership.")
    start_date = ident("ISO 8601 date.", null=True)
    end_date = ident("ISO 8601 date.", null=True)
    extras = PostExtrasSerializer()


class MembershipExtrasSerializer(serializers.Serializer):
    note = words()


class MembershipSerializer(SourcedSerializer):
    person_id = ident("The person.")
    post_id = ident("The seat.")
    organization_id = ident("The partnership.")
    on_behalf_of_id = ident("The organisation the seat is held for.", null=True)
    role = words()
    label = words()
    start_date = ident("ISO 8601 date.", null=True)
    end_date = ident("ISO 8601 date.", null=True)
    extras = MembershipExtrasSerializer()


class EntitySerializer(serializers.Serializer):
    """Open Civic Data's reference to a person, organization or vote event."""

    name = words("Its name as the minutes write it (pupa's name).")
    entity_type = ident("person or vote_event (a resolution), in Open Civic Data's vocabulary.")
    entity_id = ident("Its id in this API (person-3, resolution-12), when it has one.", null=True)
    entity_name = words("As `name` (OCD's name for it).")


class RelatedEntitySerializer(EntitySerializer):
    note = words("presenter for a person, resolution for a vote event.")


class MediaSerializer(serializers.Serializer):
    """A recording (Open Civic Data's media); the site holds none."""

    name = words()
    type = ident("recording, webcast...")
    date = ident("ISO 8601 date, or blank.")
    links = many(LinkSerializer)


class ResolutionInItemSerializer(serializers.Serializer):
    id = ident("The resolution in /api/resolutions/.")
    number = serializers.IntegerField(help_text="(1), (2)... within the minute.")
    text = words()
    citation = words('As minutes cite it: "Minute No. 32 (Resolution 1)".')


class AgendaItemExtrasSerializer(serializers.Serializer):
    minute_number = serializers.IntegerField(
        allow_null=True, help_text="Runs on through the partnership's municipal year."
    )
    agenda_text = words("What the agenda says of the item; null for an exempt item.", null=True)
    resolutions = many(ResolutionInItemSerializer, "Once the minutes are published; never of an exempt item.")
    document_ids = serializers.ListField(
        child=serializers.CharField(), help_text="Its documents in `documents`."
    )
    exempt = serializers.BooleanField(
        help_text="Considered in private (Schedule 12A, Local Government Act 1972)."
    )
    exempt_paragraph = serializers.IntegerField(
        allow_null=True, help_text="The paragraph of Schedule 12A (1 to 7)."
    )
    exempt_reason = words("The reason the public is given.", null=True)


class AgendaItemSerializer(serializers.Serializer):
    id = ident("agenda-item-<number>.")
    order = ident(
        "Its place in the agenda, a whole number written as a string (as Open Civic Data writes it)."
    )
    description = words("The item's title.")
    html_url = serializers.CharField()
    subjects = serializers.ListField(child=serializers.CharField())
    media = many(MediaSerializer, "Recordings of the item: always empty, as the site holds none.")
    notes = serializers.ListField(
        child=serializers.CharField(), help_text="The minutes of the item, a paragraph each, once published."
    )
    related_entities = many(RelatedEntitySerializer)
    extras = AgendaItemExtrasSerializer()


class MediaLinkSerializer(serializers.Serializer):
    url = serializers.CharField()
    media_type = ident("IANA media type.", null=True)


class DocumentExtrasSerializer(serializers.Serializer):
    agenda_item_id = ident("The item it was laid before; null for the whole meeting.", null=True)
    size_bytes = serializers.IntegerField(allow_null=True)


class DocumentSerializer(serializers.Serializer):
    id = ident("document-<number>.")
    note = words("The document's title.")
    url = serializers.CharField()
    media_type = ident("IANA media type.", null=True)
    date = ident("When its source published it (ISO 8601 date), or blank when it does not say.")
    links = many(MediaLinkSerializer)
    extras = DocumentExtrasSerializer()


class ParticipantExtrasSerializer(serializers.Serializer):
    attendance = ident("present, also_present, apologies or absent.")
    chair = serializers.BooleanField(help_text="In the chair.")


class ParticipantSerializer(EntitySerializer):
    note = words("Present, Also present, Apologies or Absent.")
    extras = ParticipantExtrasSerializer()


class ConfirmationSerializer(serializers.Serializer):
    event_id = ident("The later meeting that confirmed the minutes.")
    agenda_item_id = ident("Its item that did.")
    minute_number = serializers.IntegerField(allow_null=True)
    html_url = serializers.CharField()


class EventExtrasSerializer(serializers.Serializer):
    meeting_status = ident("scheduled, held, cancelled or postponed, as the site says.")
    minutes_status = ident("none, draft, published (subject to confirmation) or confirmed.")
    minutes_confirmed_by = ConfirmationSerializer(
        allow_null=True, help_text="Set once the minutes are confirmed."
    )


class EventSerializer(SourcedSerializer):
    name = words()
    description = words("The meeting's notes, such as why it was cancelled; blank when there are none.")
    classification = ident("committee-meeting.")
    organization_id = ident("The partnership.")
    start_date = ident("ISO 8601 with its UTC offset (2019-12-05T15:00:00+00:00), or the date alone.")
    timezone = ident("Europe/London: the time zone of start_date (Open Civic Data).")
    all_day = serializers.BooleanField(help_text="True when no start time is known.")
    status = ident("confirmed, passed, cancelled or tentative (Open Civic Data).")
    location = words("The venue.", null=True)
    links = many(LinkSerializer)
    media = many(MediaSerializer, "Recordings of the meeting: always empty, as the site holds none.")
    agenda = many(AgendaItemSerializer)
    participants = many(ParticipantSerializer)
    documents = many(DocumentSerializer)
    extras = EventExtrasSerializer()


class ResolutionExtrasSerializer(serializers.Serializer):
    meeting_date = ident("ISO 8601 date.")
    municipal_year = ident("The partnership's municipal year of the meeting, such as 2019/20.")
    minute_number = serializers.IntegerField(allow_null=True)
    resolution_number = serializers.IntegerField(help_text="(1), (2)... within the minute.")
    agenda_item_id = ident("The item (minute) it was resolved under.")
    agenda_item_title = words()


class ResolutionSerializer(SourcedSerializer):
    organization_id = ident("The partnership.")
    legislative_session_id = ident("The meeting (event).")
    text = words()
    motion_text = words("As `text` (Open Civic Data's name).")
    identifier = words('As minutes cite it: "Minute No. 32 (Resolution 1)".')
    classification = ident("resolution.")
    motion_classification = serializers.ListField(
        child=serializers.CharField(), help_text='["resolution"] (Open Civic Data\'s motion_classification).'
    )
    date = ident("The meeting's start, ISO 8601 with its UTC offset, when known (Popolo).", null=True)
    start_date = ident(
        "The meeting's start as `date`, or its date alone when no time is known (Open Civic Data)."
    )
    result = ident("pass: minutes record resolutions adopted.")
    extras = ResolutionExtrasSerializer()


class ChoiceSerializer(serializers.Serializer):
    code = ident("")
    label = words()


class QuestionSerializer(serializers.Serializer):
    code = ident("")
    text = words()
    hint = words()
    kind = ident("")
    required = serializers.BooleanField()
    choices = many(ChoiceSerializer)


class ResultChoiceSerializer(serializers.Serializer):
    code = ident("")
    label = words()
    count = serializers.IntegerField()
    percent = serializers.FloatField(allow_null=True)


class ResultSerializer(serializers.Serializer):
    question = ident("The question's code.")
    answered = serializers.IntegerField()
    choices = many(ResultChoiceSerializer)


class ConsultationSerializer(ItemSerializer):
    title = words()
    run_by = words()
    summary = words()
    opens_at = ident("ISO 8601 with its UTC offset.")
    closes_at = ident("ISO 8601 with its UTC offset.")
    open = serializers.BooleanField()
    results_published = serializers.BooleanField()
    outcome = words(null=True)
    questions = many(QuestionSerializer)
    results = serializers.ListField(
        child=ResultSerializer(),
        required=False,
        help_text="Only in one consultation's own response, once its results are published.",
    )


class ErrorBodySerializer(serializers.Serializer):
    status = serializers.IntegerField()
    message = words()


class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()


class PageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Items in the whole list.")
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    page_size = serializers.IntegerField()
    next = serializers.CharField(allow_null=True, help_text="The next page, or null.")
    previous = serializers.CharField(allow_null=True, help_text="The previous page, or null.")


ITEM_SERIALIZERS = {
    "organizations": OrganizationSerializer,
    "people": PersonSerializer,
    "posts": PostSerializer,
    "memberships": MembershipSerializer,
    "events": EventSerializer,
    "resolutions": ResolutionSerializer,
    "consultations": ConsultationSerializer,
}


def page_serializer(resource):
    """The list response of `resource`: a page of its items."""
    item = ITEM_SERIALIZERS[resource.collection]
    name = item.__name__.removesuffix("Serializer")
    return type(f"{name}PageSerializer", (PageSerializer,), {"results": item(many=True)})
