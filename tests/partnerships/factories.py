"""Test data for the partnerships app (factory_boy is a test dependency)."""

import factory

from partnerships.models import (
    Membership,
    Objective,
    Organisation,
    Partnership,
    Person,
    Priority,
    RelatedBody,
    Seat,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = Organisation.Kind.LOCAL_AUTHORITY


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    title = "Councillor"
    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Partnership {n}")
    short_name = factory.Sequence(lambda n: f"P{n}")
    slug = factory.Sequence(lambda n: f"partnership-{n}")
    kind = Partnership.Kind.COUNCIL
    summary = "A partnership made for a test."
    purpose = "To test things.\n\nAnd to keep testing them."


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    partnership = factory.SubFactory(PartnershipFactory)
    text = factory.Sequence(lambda n: f"Priority {n}")
    order = factory.Sequence(int)


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    partnership = factory.SubFactory(PartnershipFactory)
    text = factory.Sequence(lambda n: f"Objective {n}")
    order = factory.Sequence(int)


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seat

    partnership = factory.SubFactory(PartnershipFactory)
    role = Seat.Role.MEMBER
    title = factory.Sequence(lambda n: f"Seat {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    order = factory.Sequence(int)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    seat = factory.SubFactory(SeatFactory)
    person = factory.SubFactory(PersonFactory)


class RelatedBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RelatedBody

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.FORUM)
    relationship = RelatedBody.Relationship.OVERSEES
