"""The audit trail and the roles for consultations."""

import pytest

from consultation.models import Consultation
from tests.consultation.factories import survey
from tests.roles import client_for, form_data, staff_user


@pytest.mark.django_db
def test_a_consultation_change_is_recorded_without_the_duplicate_checking_key():
    officer = staff_user("officer", "Consultation officer")
    consultation = survey(title="Community safety survey")
    client = client_for(officer)
    url = f"/admin/consultation/consultation/{consultation.pk}/change/"
    data = form_data(client.get(url))
    data["title"] = "Community safety survey 2021"
    assert client.post(url, data).status_code == 302
    latest, previous = consultation.change_history.all()[:2]
    assert (latest.history_user, latest.history_type) == (officer, "~")
    assert (previous.title, latest.title) == ("Community safety survey", "Community safety survey 2021")
    # The key is destroyed after analysis so that stored hashes identify no
    # one: the history must not keep a copy.
    assert "client_hash_key" not in {field.name for field in type(latest)._meta.fields}
    assert client.get(f"/admin/consultation/consultation/{consultation.pk}/history/").status_code == 200
    # Questions are audited too.
    assert consultation.questions.first().change_history.exists()
    Consultation.objects.get(pk=consultation.pk).delete()
    assert Consultation.change_history.filter(id=consultation.pk, history_type="-").exists()


@pytest.mark.django_db
def test_results_and_exports_are_for_consultation_officers_and_site_administrators():
    officer = staff_user("officer", "Consultation officer")
    administrator = staff_user("site-admin", "Site administrator")
    clerk = staff_user("clerk", "Clerk")
    for permission in ["consultation.view_results", "consultation.export_responses"]:
        assert officer.has_perm(permission) and administrator.has_perm(permission)
        assert not clerk.has_perm(permission)
    # A clerk cannot build consultations either.
    assert client_for(clerk).get("/admin/consultation/consultation/").status_code == 403
