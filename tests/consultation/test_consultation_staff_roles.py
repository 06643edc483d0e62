"""Residents' answers are personal data: only consultation officers (and site
administrators) read the results, export them, key in paper responses or
delete them. A clerk, staff though they are, gets none of it."""

import pytest
from django.urls import reverse

from tests.consultation.factories import ConsultationFactory
from tests.partnerships.factories import PartnershipFactory
from tests.roles import client_for, staff_user

STAFF_PAGES = [
    "consultation:staff_results",
    "consultation:export",
    "consultation:key_in",
    "consultation:delete_expired",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", STAFF_PAGES)
def test_a_clerk_cannot_see_or_export_responses(name):
    consultation = ConsultationFactory()
    clerk = client_for(staff_user("sefton-clerk", "Clerk", [PartnershipFactory()]))
    assert clerk.get(reverse(name, args=[consultation.slug])).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("name", STAFF_PAGES)
def test_a_consultation_officer_can(name):
    consultation = ConsultationFactory()
    officer = client_for(staff_user("officer", "Consultation officer"))
    assert officer.get(reverse(name, args=[consultation.slug])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", STAFF_PAGES)
def test_the_public_is_sent_to_sign_in(client, name):
    consultation = ConsultationFactory()
    response = client.get(reverse(name, args=[consultation.slug]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
