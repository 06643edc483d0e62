"""Time-bound notices lapse: a suspension with an end date reads as history
once the date has passed; people are introduced by what the site knows."""

import datetime

import pytest
from django.utils import timezone

from consultation.models import Consultation
from partnerships.models import Partnership
from tests.helpers import text_of
from tests.roles import client_for, form_data, staff_user

SMP = "/partnerships/safer-merseyside-partnership/"


@pytest.mark.django_db
def test_the_smp_suspension_reads_as_history_after_may_2021(client, initial_content):
    page = text_of(client.get(SMP))
    assert "are suspended" not in page
    assert "Important" not in page
    assert (
        "Past notice Meetings of the Safer Merseyside Partnership were suspended until the PCC elections in "
        "May 2021. That date has passed" in page
    )
    assert "interim extraordinary meeting" in page  # the reason is kept


@pytest.mark.django_db
def test_a_clerk_extends_a_suspension_and_the_notice_is_current_again(client, initial_content):
    smp = Partnership.objects.get(slug="safer-merseyside-partnership")
    clerk = client_for(staff_user("smp-clerk", "Clerk", [smp]))
    url = f"/admin/partnerships/partnership/{smp.pk}/change/"
    data = form_data(clerk.get(url))
    until = timezone.localdate() + datetime.timedelta(days=30)
    data.update(suspended_until="further notice", suspended_until_on=until.strftime("%d/%m/%Y"))
    assert clerk.post(url, data).status_code == 302
    page = text_of(client.get(SMP))
    assert (
        "Important Meetings of the Safer Merseyside Partnership are suspended until further notice." in page
    )
    assert "Past notice" not in page


@pytest.mark.django_db
def test_a_suspension_without_an_end_date_stays_current(client, initial_content):
    Partnership.objects.filter(slug="safer-merseyside-partnership").update(suspended_until_on=None)
    assert "are suspended until the PCC elections in May 2021" in text_of(client.get(SMP))


@pytest.mark.django_db
def test_the_commissioner_is_introduced_by_role_not_an_unexplained_first_name(client, initial_content):
    page = text_of(client.get("/have-your-say/"))
    assert "The Police and Crime Commissioner wants your views on policing funding today..." in page
    assert "Jane" not in page
    assert "Jane" not in text_of(client.get("/"))


@pytest.mark.django_db
def test_existing_installs_get_the_end_date_and_the_role(initial_content):
    from django.core.management import call_command

    from partnerships.models import InitialContent

    Partnership.objects.filter(slug="safer-merseyside-partnership").update(suspended_until_on=None)
    Consultation.objects.filter(slug="police-precept").update(
        summary="Jane wants your views on policing funding today..."
    )
    InitialContent.objects.filter(
        key__in=["partnerships.smp-suspension-end", "consultation.precept-commissioner-by-role"]
    ).delete()
    call_command("load_initial_content", verbosity=0)
    smp = Partnership.objects.get(slug="safer-merseyside-partnership")
    assert smp.suspended_until_on == datetime.date(2021, 5, 31)
    assert Consultation.objects.get(slug="police-precept").summary.startswith(
        "The Police and Crime Commissioner"
    )
