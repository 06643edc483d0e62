import pytest

from consultation.models import ResponseDeletion
from meetings.models import MinutesAmendment
from partnerships.models import Partnership, Priority
from tests.consultation.factories import ConsultationFactory
from tests.meetings.factories import MeetingFactory
from tests.roles import client_for, staff_user


@pytest.mark.django_db
def test_clerk_edits_a_priority_and_the_public_page_shows_it(staff_client, client, initial_content):
    smp = Partnership.objects.get(short_name="SMP")
    url = f"/admin/partnerships/priority/{smp.priorities.first().pk}/change/"
    form = staff_client.get(url)
    assert form.status_code == 200
    response = staff_client.post(
        url,
        {
            "partnership": smp.pk,
            "text": "Preventing crime, anti-social behaviour and knife crime",
            "source_plan": "Police and Crime Plan 2021-25",
            "order": 1,
        },
    )
    assert response.status_code == 302
    page = client.get(smp.get_absolute_url()).content.decode()
    assert "Preventing crime, anti-social behaviour and knife crime" in page
    assert "Police and Crime Plan 2021-25" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", ["partnership", "seat", "organisation", "person", "membership", "priority", "objective"]
)
def test_admin_lists_and_add_forms_load(staff_client, initial_content, model):
    assert staff_client.get(f"/admin/partnerships/{model}/").status_code == 200
    assert staff_client.get(f"/admin/partnerships/{model}/add/").status_code == 200
    assert staff_client.get(f"/admin/partnerships/{model}/?q=merseyside").status_code == 200


@pytest.mark.django_db
def test_partnership_change_form_has_inlines(staff_client, initial_content):
    smp = Partnership.objects.get(short_name="SMP")
    page = staff_client.get(f"/admin/partnerships/partnership/{smp.pk}/change/").content.decode()
    for inline in ["priorities-TOTAL_FORMS", "objectives-TOTAL_FORMS", "seats-TOTAL_FORMS"]:
        assert inline in page
    assert Priority.objects.filter(partnership=smp).count() == 3


@pytest.mark.django_db
def test_invalid_achievement_year_is_a_clear_error(staff_client, initial_content):
    from partnerships.models import Achievement

    mcsp = Partnership.objects.get(short_name="MCSP")
    achievement = Achievement(partnership=mcsp, year="2019-20", text="x")
    with pytest.raises(Exception) as error:
        achievement.full_clean()
    assert "2017/18" in str(error.value)


@pytest.mark.django_db
@pytest.mark.parametrize("record", ["meetings/minutesamendment", "consultation/responsedeletion"])
def test_records_the_site_writes_are_read_only_even_for_a_site_administrator(record):
    """The amendments of confirmed minutes and the deletions of responses are
    the record of what staff did: a site administrator, who may do anything
    else, may read them but not add, change or delete them."""
    administrator = staff_user("site-admin", "Site administrator")
    if record == "meetings/minutesamendment":
        row = MinutesAmendment.objects.create(
            meeting=MeetingFactory(), user=administrator, reason="Misquoted"
        )
    else:
        row = ResponseDeletion.objects.create(
            consultation=ConsultationFactory(), deleted_by=administrator, count=1, reason="Retention ended"
        )
    client = client_for(administrator)
    url = f"/admin/{record}/"
    listing = client.get(url)
    assert listing.status_code == 200 and f"{url}{row.pk}/change/" in listing.content.decode()
    change = client.get(f"{url}{row.pk}/change/")
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    assert client.get(f"{url}add/").status_code == 403
    assert client.post(f"{url}{row.pk}/change/", {"reason": "Rewritten"}).status_code == 403
    assert client.post(f"{url}{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert type(row).objects.get(pk=row.pk).reason != "Rewritten"
