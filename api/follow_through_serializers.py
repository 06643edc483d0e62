"""
The shapes of the follow-through's items (api/follow_through.py) for the
OpenAPI description: actions, attendance summaries, work-programme items.
Imported by api/serializers.py, whose building blocks they use.
"""

from rest_framework import serializers

from .serializers import SourcedSerializer, ident, many, words


class NamedPersonSerializer(serializers.Serializer):
    name = words("As the minutes or plan print it.")
    person_id = ident("The person in /api/people/, when linked.", null=True)


class MinuteLinkSerializer(serializers.Serializer):
    event_id = ident("The meeting.")
    meeting_date = ident("ISO 8601 date.")
    identifier = words('"Minute No. 12", or the item\'s title when it has no number.')
    html_url = serializers.CharField(help_text="The minute's page.")


class ReportSerializer(MinuteLinkSerializer):
    status = ident("open or done, as the minute reports.")
    note = words("What the minute reports.")


class ActionSerializer(SourcedSerializer):
    organization_id = ident("The partnership.")
    description = words()
    owner = NamedPersonSerializer()
    due_date = ident("ISO 8601 date.", null=True)
    status = ident("overdue, open, done or not_recorded, as of today.")
    resolution_id = ident("The resolution that agreed it, in /api/resolutions/.")
    agreed_at = MinuteLinkSerializer()
    reports = many(ReportSerializer, "Later minutes reporting on it, oldest first.")


class AttendanceRowSerializer(serializers.Serializer):
    person_id = ident("The member in /api/people/.")
    name = words()
    seats = serializers.ListField(child=serializers.CharField(), help_text="The seats they held that year.")
    expected = serializers.IntegerField(help_text="Meetings held while they held a seat.")
    present = serializers.IntegerField()
    apologies = serializers.IntegerField()
    absent = serializers.IntegerField()


class AttendanceSummarySerializer(SourcedSerializer):
    organization_id = ident("The partnership.")
    municipal_year = ident('"2019/20".')
    start_date = ident("The year's first day, ISO 8601.")
    csv_url = serializers.CharField(help_text="The same table as CSV.")
    event_ids = serializers.ListField(child=serializers.CharField(), help_text="The meetings counted.")
    seats_recorded = serializers.BooleanField(help_text="Whether the site records who held the seats.")
    rule = serializers.ListField(child=serializers.CharField(), help_text="How attendance is counted.")
    members = many(AttendanceRowSerializer)


class WorkProgrammeItemSerializer(SourcedSerializer):
    organization_id = ident("The partnership.")
    title = words()
    description = words()
    event_id = ident("The meeting it is planned for, once public.", null=True)
    meeting_date = ident("ISO 8601 date.", null=True)
    planned_month = ident("YYYY-MM.", null=True)
    lead = NamedPersonSerializer()


ITEM_SERIALIZERS = {
    "actions": ActionSerializer,
    "attendance-summaries": AttendanceSummarySerializer,
    "work-programme-items": WorkProgrammeItemSerializer,
}
