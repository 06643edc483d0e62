import io

import pytest
from django.core.management import call_command

from partnerships.models import Achievement, Objective, Partnership, Priority, Seat


def load():
    call_command("load_initial_content", stdout=io.StringIO())


@pytest.mark.django_db
def test_loads_every_partnership_fact_from_the_seeds():
    load()
    smp = Partnership.objects.get(short_name="SMP")
    mcsp = Partnership.objects.get(short_name="MCSP")
    sefton = Partnership.objects.get(slug="sefton-safer-communities-partnership")

    assert smp.predecessor == mcsp
    assert smp.status == Partnership.Status.SUSPENDED
    assert "4th September 2020" in smp.status_reason
    assert smp.suspended_until == "the PCC elections in May 2021"
    assert [p.text for p in smp.priorities.all()] == [
        "Preventing crime and anti-social behaviour",
        "Tackling serious and organised crime",
        "Supporting victims, protecting vulnerable people and maintaining public safety",
    ]
    assert smp.objectives.count() == 12
    assert smp.objectives.last().text == "Raise the national profile of Merseyside/LCR"
    seats = list(smp.seats.all())
    assert [s.role for s in seats].count("lead_councillor") == 5
    assert seats[0].role == Seat.Role.CHAIR and "Police and Crime Commissioner" in seats[0].title
    assert seats[1].role == Seat.Role.DEPUTY_CHAIR
    assert [s.role for s in seats].count("special_advisor") == 7
    assert "formal consultation with partners" in smp.background

    assert mcsp.formed_display == "2012" and mcsp.ended_display == "June 2019"
    assert [a.year for a in mcsp.achievements.all()] == ["2018/19", "2017/18", "2016/17", "2015/16"]
    cut_off = mcsp.achievements.get(year="2015/16")
    assert cut_off.is_incomplete and "invited to join the partnershi" in cut_off.text
    assert sefton.contact_name == "Paul Fraser"


@pytest.mark.django_db
def test_running_twice_changes_nothing():
    load()
    counts = (
        Partnership.objects.count(),
        Priority.objects.count(),
        Objective.objects.count(),
        Seat.objects.count(),
    )
    load()
    assert counts == (
        Partnership.objects.count(),
        Priority.objects.count(),
        Objective.objects.count(),
        Seat.objects.count(),
    )


@pytest.mark.django_db
def test_never_overwrites_or_restores_what_a_clerk_edited():
    load()
    priority = Priority.objects.get(text="Tackling serious and organised crime")
    priority.text = "Tackling serious and organised crime, and county lines"
    priority.save()
    Achievement.objects.filter(year="2016/17").delete()

    load()

    priority.refresh_from_db()
    assert priority.text == "Tackling serious and organised crime, and county lines"
    assert not Achievement.objects.filter(year="2016/17").exists()
