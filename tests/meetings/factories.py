"""Test data for the meetings app (factory_boy is a test dependency)."""

import datetime

import factory

from meetings.models import Action, AgendaItem, Attendance, Declaration, Document, Meeting, Resolution
from tests.partnerships.factories import PartnershipFactory, PersonFactory


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    partnership = factory.SubFactory(PartnershipFactory)
    date = factory.Sequence(lambda n: datetime.date(2019, 6, 1) + datetime.timedelta(days=n))
    start_time = datetime.time(10, 0)
    venue = "Town Hall, Bootle"
    status = Meeting.Status.HELD
    minutes_status = Meeting.MinutesStatus.PUBLISHED


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    minute_number = factory.Sequence(lambda n: n + 1)
    order = factory.Sequence(int)
    title = factory.Sequence(lambda n: f"Item {n}")
    presenter = factory.SubFactory(PersonFactory)
    minutes = "The Partnership considered the report.\n\nIt was discussed."


class ResolutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resolution

    item = factory.SubFactory(AgendaItemFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "That the report be noted."


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    resolution = factory.SubFactory(ResolutionFactory)
    owner = factory.SubFactory(PersonFactory)
    description = "Write to the partners"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)
    role = Attendance.Role.PRESENT


class DeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Declaration

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)
    interest = "A personal interest as a school governor"


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Report {n}")
    file_type = "PDF"
    size_bytes = 76 * 1024
