"""A clerk reaches only their own partnerships' records in the admin: a
Sefton clerk against the SMP's records, by every way in."""

import datetime

import pytest
from django.contrib.auth.models import Group

from meetings.models import Action, AgendaItem, Declaration, Document, Meeting, Resolution
from partnerships.models import (
    Membership,
    Objective,
    Priority,
    Seat,
)
from tests.meetings.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendanceFactory,
    DeclarationFactory,
    DocumentFactory,
    MeetingFactory,
    ResolutionFactory,
)
from tests.partnerships.factories import (
    MembershipFactory,
    ObjectiveFactory,
    PartnershipFactory,
    PersonFactory,
    PriorityFactory,
    RelatedBodyFactory,
    SeatFactory,
)
from tests.roles import client_for, form_data, staff_user

# Every scoped admin: (app, model name) -> the SMP record of it in `smp`.
ADMIN_MODELS = [
    ("partnerships", "partnership"),
    ("partnerships", "seat"),
    ("partnerships", "membership"),
    ("partnerships", "priority"),
    ("partnerships", "objective"),
    ("meetings", "meeting"),
    ("meetings", "agendaitem"),
    ("meetings", "resolution"),
    ("meetings", "action"),
]


def partnership_records(partnership, day):
    """A partnership with a record of every kind, and a meeting with minutes."""
    meeting = MeetingFactory(partnership=partnership, date=day)
    item = AgendaItemFactory(meeting=meeting, minute_number=1, title=f"{partnership.short_name} budget")
    resolution = ResolutionFactory(item=item, number=1)
    seat = SeatFactory(partnership=partnership, title=f"{partnership.short_name} member")
    return {
        "partnership": partnership,
        "seat": seat,
        "membership": MembershipFactory(seat=seat),
        "priority": PriorityFactory(partnership=partnership),
        "objective": ObjectiveFactory(partnership=partnership),
        "relatedbody": RelatedBodyFactory(partnership=partnership),
        "meeting": meeting,
        "agendaitem": item,
        "resolution": resolution,
        "action": ActionFactory(resolution=resolution),
        "attendance": AttendanceFactory(meeting=meeting),
        "declaration": DeclarationFactory(meeting=meeting, item=item),
        "document": DocumentFactory(meeting=meeting, item=item),
    }


@pytest.fixture
def smp(db):
    """The SMP's records of every kind: its January 2020 meeting, with minutes."""
    partnership = PartnershipFactory(name="Safer Merseyside Partnership", short_name="SMP", slug="smp")
    return partnership_records(partnership, datetime.date(2020, 1, 21))


@pytest.fixture
def sefton_records(db):
    partnership = PartnershipFactory(
        name="Sefton Safer Communities Partnership", short_name="SSCP", slug="sefton"
    )
    return partnership_records(partnership, datetime.date(2020, 3, 12))


@pytest.fixture
def sefton(sefton_records):
    return sefton_records["partnership"]


@pytest.fixture
def sefton_clerk(sefton):
    return client_for(staff_user("sefton-clerk", "Clerk", [sefton]))


@pytest.fixture
def sefton_meeting(sefton_records):
    """A Sefton meeting the clerk may edit (minutes published, not confirmed)."""
    return sefton_records["meeting"]


def snapshot(obj):
    """The record as stored, to show that a refused request changed nothing."""
    return type(obj).objects.filter(pk=obj.pk).values().first()


@pytest.mark.django_db
@pytest.mark.parametrize(("app", "model"), ADMIN_MODELS)
def test_another_partnerships_records_are_not_listed(sefton_clerk, smp, sefton_records, app, model):
    response = sefton_clerk.get(f"/admin/{app}/{model}/")
    assert response.status_code == 200
    listed = {obj.pk for obj in response.context["cl"].result_list}
    assert smp[model].pk not in listed
    assert sefton_records[model].pk in listed
    # Searching does not find them either.
    response = sefton_clerk.get(f"/admin/{app}/{model}/", {"q": str(smp[model])[:10]})
    assert smp[model].pk not in {obj.pk for obj in response.context["cl"].result_list}


@pytest.mark.django_db
@pytest.mark.parametrize(("app", "model"), ADMIN_MODELS)
@pytest.mark.parametrize("page", ["change", "delete", "history"])
def test_another_partnerships_record_by_url_is_answered_as_missing(sefton_clerk, smp, app, model, page):
    """Refused exactly as an id that does not exist is, so a clerk learns
    nothing of another partnership's records, and nothing changes."""
    obj = smp[model]
    before = snapshot(obj)
    url = f"/admin/{app}/{model}/{obj.pk}/{page}/"
    missing = f"/admin/{app}/{model}/987654/{page}/"
    for method in (sefton_clerk.get, lambda url: sefton_clerk.post(url, {"post": "yes"})):
        response, expected = method(url), method(missing)
        assert response.status_code in (302, 403, 404)
        assert (response.status_code, response.get("Location")) == (
            expected.status_code,
            expected.get("Location"),
        )
    assert snapshot(obj) == before


@pytest.mark.django_db
@pytest.mark.parametrize(("app", "model"), ADMIN_MODELS)
def test_actions_on_another_partnerships_records_change_nothing(sefton_clerk, smp, app, model):
    obj = smp[model]
    before = snapshot(obj)
    response = sefton_clerk.post(
        f"/admin/{app}/{model}/", {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
    )
    assert response.status_code in (200, 302, 403)
    assert snapshot(obj) == before


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["publish_minutes", "mark_confirmed", "prefill_attendance"])
def test_meeting_actions_on_another_partnerships_meeting_change_nothing(sefton_clerk, smp, action):
    meeting = smp["meeting"]
    meeting.minutes_status = Meeting.MinutesStatus.NONE
    meeting.save()
    MembershipFactory(seat=smp["seat"])
    attendance = meeting.attendances.count()
    sefton_clerk.post("/admin/meetings/meeting/", {"action": action, "_selected_action": [meeting.pk]})
    meeting.refresh_from_db()
    assert meeting.minutes_status == Meeting.MinutesStatus.NONE
    assert meeting.attendances.count() == attendance


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("app", "model", "field", "target"),
    [
        ("partnerships", "seat", "partnership", "partnership"),
        ("partnerships", "membership", "seat", "seat"),
        ("meetings", "agendaitem", "meeting", "meeting"),
        ("meetings", "meeting", "confirmed_by", "agendaitem"),
        ("meetings", "resolution", "item", "agendaitem"),
    ],
)
def test_autocomplete_offers_only_the_clerks_partnerships(
    sefton_clerk, smp, sefton, app, model, field, target
):
    response = sefton_clerk.get(
        "/admin/autocomplete/", {"app_label": app, "model_name": model, "field_name": field, "term": ""}
    )
    assert response.status_code == 200
    offered = {int(result["id"]) for result in response.json()["results"]}
    assert str(smp[target].pk) not in {str(pk) for pk in offered}
    assert offered, "the clerk's own records are offered"


@pytest.mark.django_db
def test_drop_downs_offer_only_the_clerks_partnerships(sefton_clerk, smp, sefton):
    form = sefton_clerk.get("/admin/meetings/meeting/add/").context["adminform"].form
    assert list(form.fields["partnership"].queryset) == [sefton]
    form = sefton_clerk.get("/admin/meetings/action/add/").context["adminform"].form
    assert smp["resolution"] not in form.fields["resolution"].queryset
    assert form.fields["resolution"].queryset.exists()


@pytest.mark.django_db
def test_the_clerk_edits_their_own_meeting(sefton_clerk, sefton_meeting):
    """The refusals above are not a clerk refused everything."""
    url = f"/admin/meetings/meeting/{sefton_meeting.pk}/change/"
    data = form_data(sefton_clerk.get(url))
    data["venue"] = "Bootle Town Hall, Committee Room 2"
    response = sefton_clerk.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    sefton_meeting.refresh_from_db()
    assert sefton_meeting.venue == "Bootle Town Hall, Committee Room 2"


@pytest.mark.django_db
def test_moving_a_meeting_to_another_partnership_is_refused(sefton_clerk, smp, sefton_meeting):
    url = f"/admin/meetings/meeting/{sefton_meeting.pk}/change/"
    data = form_data(sefton_clerk.get(url))
    data["partnership"] = str(smp["partnership"].pk)
    response = sefton_clerk.post(url, data)
    assert response.status_code == 200 and response.context["adminform"].form.errors["partnership"]
    sefton_meeting.refresh_from_db()
    assert sefton_meeting.partnership.short_name == "SSCP"


def answer(response, prefix):
    """What a posted change form tells the clerk: the status, where it
    redirects, and the errors of the inline named by `prefix`."""
    answer = [response.status_code, response.get("Location")]
    if response.status_code == 200:
        formsets = {
            inline.formset.prefix: inline.formset for inline in response.context["inline_admin_formsets"]
        }
        answer += [formsets[prefix].errors, list(formsets[prefix].non_form_errors())]
    return answer


def post_with_inline_id(client, url, prefix, pk, delete):
    data = form_data(client.get(url))
    data[f"{prefix}-0-id"] = str(pk)
    if delete:
        data[f"{prefix}-0-DELETE"] = "on"
    if int(data[f"{prefix}-INITIAL_FORMS"]) == 0:
        data[f"{prefix}-INITIAL_FORMS"] = "1"
        data[f"{prefix}-TOTAL_FORMS"] = str(max(1, int(data[f"{prefix}-TOTAL_FORMS"])))
    return client.post(url, data)


@pytest.mark.django_db
@pytest.mark.parametrize("delete", [False, True], ids=["edited", "ticked-for-deletion"])
@pytest.mark.parametrize(
    ("prefix", "model"),
    [
        ("attendances", "attendance"),
        ("items", "agendaitem"),
        ("declarations", "declaration"),
        ("documents", "document"),
    ],
)
def test_another_partnerships_inline_id_is_answered_as_an_id_that_does_not_exist(
    sefton_clerk, smp, sefton_meeting, prefix, model, delete
):
    """A tampered row id changes nothing, and the clerk is told exactly what
    they would be told of an id that does not exist: the form again, with
    the same errors, so they learn nothing of which ids other partnerships
    hold."""
    url = f"/admin/meetings/meeting/{sefton_meeting.pk}/change/"
    target = smp[model]
    before = snapshot(target)
    foreign = post_with_inline_id(sefton_clerk, url, prefix, target.pk, delete)
    missing = post_with_inline_id(sefton_clerk, url, prefix, 987654, delete)
    assert answer(foreign, prefix) == answer(missing, prefix)
    assert foreign.status_code == 200
    assert "A row on this form is not part of this record" in foreign.content.decode()
    assert snapshot(target) == before


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["item"])
@pytest.mark.parametrize("prefix", ["declarations", "documents"])
def test_an_inline_cannot_point_at_another_partnerships_item(
    sefton_clerk, smp, sefton_meeting, prefix, field
):
    url = f"/admin/meetings/meeting/{sefton_meeting.pk}/change/"
    data = form_data(sefton_clerk.get(url))
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
    row = f"{prefix}-{total}"
    data.update({f"{row}-{field}": str(smp["agendaitem"].pk), f"{row}-title": "X", f"{row}-name": "X"})
    data.update({f"{row}-interest": "X", f"{row}-order": "0"})
    before = (Declaration.objects.count(), Document.objects.count())
    response = sefton_clerk.post(url, data)
    assert response.status_code == 200
    assert (Declaration.objects.count(), Document.objects.count()) == before


@pytest.mark.django_db
def test_partnership_inlines_cannot_reach_another_partnerships_rows(sefton_clerk, smp, sefton):
    url = f"/admin/partnerships/partnership/{sefton.pk}/change/"
    data = form_data(sefton_clerk.get(url))
    records = [smp["priority"], smp["objective"], smp["relatedbody"], smp["seat"]]
    before = [snapshot(record) for record in records]
    for prefix, record in zip(["priorities", "objectives", "related_bodies", "seats"], records, strict=True):
        data[f"{prefix}-INITIAL_FORMS"] = "1"
        data[f"{prefix}-TOTAL_FORMS"] = "1"
        data[f"{prefix}-0-id"] = str(record.pk)
        data[f"{prefix}-0-DELETE"] = "on"
    response = sefton_clerk.post(url, data)
    assert response.status_code == 200
    assert [snapshot(record) for record in records] == before
    for prefix, record in zip(["priorities", "objectives", "related_bodies", "seats"], records, strict=True):
        missing = post_with_inline_id(sefton_clerk, url, prefix, 987654, delete=True)
        foreign = post_with_inline_id(sefton_clerk, url, prefix, record.pk, delete=True)
        assert answer(foreign, prefix) == answer(missing, prefix)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "data", "model"),
    [
        (
            "/admin/partnerships/seat/add/",
            lambda s: {"partnership": s["partnership"].pk, "role": "member", "title": "X", "order": 0},
            Seat,
        ),
        (
            "/admin/partnerships/membership/add/",
            lambda s: {"seat": s["seat"].pk, "person": PersonFactory().pk},
            Membership,
        ),
        (
            "/admin/partnerships/priority/add/",
            lambda s: {"partnership": s["partnership"].pk, "text": "X", "order": 0},
            Priority,
        ),
        (
            "/admin/partnerships/objective/add/",
            lambda s: {"partnership": s["partnership"].pk, "text": "X", "order": 0},
            Objective,
        ),
        (
            "/admin/meetings/meeting/add/",
            lambda s: {"partnership": s["partnership"].pk, "date": "01/02/2021"},
            Meeting,
        ),
        (
            "/admin/meetings/agendaitem/add/",
            lambda s: {"meeting": s["meeting"].pk, "title": "X", "order": 0},
            AgendaItem,
        ),
        (
            "/admin/meetings/resolution/add/",
            lambda s: {"item": s["agendaitem"].pk, "number": 9, "text": "X"},
            Resolution,
        ),
        (
            "/admin/meetings/action/add/",
            lambda s: {"resolution": s["resolution"].pk, "owner_name": "X", "description": "X"},
            Action,
        ),
    ],
)
def test_adding_a_record_to_another_partnership_is_refused(sefton_clerk, smp, url, data, model):
    before = model.objects.count()
    response = sefton_clerk.post(url, data(smp))
    assert response.status_code in (200, 403)
    assert model.objects.count() == before


@pytest.mark.django_db
def test_moving_a_record_into_another_partnership_is_refused(sefton_clerk, smp, sefton):
    seat = Seat.objects.create(partnership=sefton, role="member", title="Sefton member")
    url = f"/admin/partnerships/seat/{seat.pk}/change/"
    data = form_data(sefton_clerk.get(url))
    data["partnership"] = str(smp["partnership"].pk)
    assert sefton_clerk.post(url, data).status_code == 200
    seat.refresh_from_db()
    assert seat.partnership == sefton


@pytest.mark.django_db
def test_inline_only_records_are_scoped_too(sefton_clerk, smp, sefton_records, sefton):
    """Related bodies, history and achievements have no list of their own:
    they are reached only through their partnership's page."""
    page = sefton_clerk.get(f"/admin/partnerships/partnership/{sefton.pk}/change/")
    formsets = {inline.formset.prefix: inline.formset for inline in page.context["inline_admin_formsets"]}
    assert list(formsets["related_bodies"].queryset) == [sefton_records["relatedbody"]]
    other = sefton_clerk.get(f"/admin/partnerships/partnership/{smp['partnership'].pk}/change/")
    assert (other.status_code, other["Location"]) == (302, "/admin/")  # as if it did not exist


@pytest.mark.django_db
def test_clerks_may_not_delete_people_or_organisations_or_assign_clerks(sefton_clerk, sefton):
    person = PersonFactory()
    assert sefton_clerk.get(f"/admin/partnerships/person/{person.pk}/change/").status_code == 200
    assert (
        sefton_clerk.post(f"/admin/partnerships/person/{person.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert type(person).objects.filter(pk=person.pk).exists()
    form = sefton_clerk.get(f"/admin/partnerships/partnership/{sefton.pk}/change/").context["adminform"].form
    assert "clerks" not in form.fields
    assert sefton_clerk.get("/admin/auth/user/").status_code == 403


@pytest.mark.django_db
def test_a_site_administrator_reaches_everything_and_assigns_clerks(smp, sefton):
    admin = client_for(staff_user("site-admin", "Site administrator"))
    clerk = staff_user("new-clerk", "Clerk")
    for app, model in ADMIN_MODELS:
        assert admin.get(f"/admin/{app}/{model}/{smp[model].pk}/change/").status_code == 200
    assert admin.get("/admin/auth/user/").status_code == 200
    url = f"/admin/partnerships/partnership/{sefton.pk}/change/"
    data = form_data(admin.get(url))
    data["clerks"] = [str(clerk.pk)]
    assert admin.post(url, data).status_code == 302
    assert list(sefton.clerks.all()) == [clerk]


@pytest.mark.django_db
def test_the_consultation_officer_role_stays_out_of_meetings(smp):
    officer = client_for(staff_user("officer", "Consultation officer"))
    assert officer.get("/admin/meetings/meeting/").status_code == 403
    assert officer.get("/admin/consultation/consultation/").status_code == 200
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Clerk",
        "Consultation officer",
        "Site administrator",
    }


@pytest.mark.django_db
def test_every_admin_page_a_clerk_may_open_works(sefton_clerk, sefton_records):
    """The scoping never breaks the clerk's own pages: every list, add page
    and own record's change and history pages load (or are refused, for
    what the Clerk group may not touch)."""
    from django.contrib import admin

    for model in admin.site._registry:
        opts = model._meta
        base = f"/admin/{opts.app_label}/{opts.model_name}/"
        assert sefton_clerk.get(base).status_code in (200, 403), base
        assert sefton_clerk.get(f"{base}add/").status_code in (200, 403), base
        own = sefton_records.get(opts.model_name)
        if own is not None:
            for page in ["change", "history"]:
                assert sefton_clerk.get(f"{base}{own.pk}/{page}/").status_code == 200, (base, page)
    assert sefton_clerk.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_the_partnership_filter_lists_only_the_clerks_partnerships(smp, sefton):
    knowsley = PartnershipFactory(name="Knowsley Community Safety Partnership")
    MeetingFactory(partnership=knowsley)
    clerk = client_for(staff_user("two-partnership-clerk", "Clerk", [sefton, knowsley]))
    page = clerk.get("/admin/meetings/meeting/").content.decode()
    assert f"partnership__id__exact={sefton.pk}" in page
    assert f"partnership__id__exact={knowsley.pk}" in page
    assert f"partnership__id__exact={smp['partnership'].pk}" not in page


@pytest.mark.django_db
def test_the_site_administrator_group_has_every_permission():
    from django.contrib.auth.models import Permission

    group = Group.objects.get(name="Site administrator")
    assert set(group.permissions.all()) == set(Permission.objects.all())


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["meeting", "agendaitem", "document", "partnership"])
def test_view_on_site_of_another_partnerships_record_is_answered_as_missing(
    sefton_clerk, smp, sefton_records, model
):
    """/admin/r/<content type>/<id>/ (the admin's "View on site") tells a
    clerk nothing of another partnership's records (not even where a
    document is published), and still takes them to their own."""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(smp[model])
    theirs = sefton_clerk.get(f"/admin/r/{content_type.pk}/{smp[model].pk}/")
    missing = sefton_clerk.get(f"/admin/r/{content_type.pk}/987654/")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.get("Location") is None
    if model == "document":
        return  # the factory's documents have no file, so no address to go to
    own = sefton_clerk.get(f"/admin/r/{content_type.pk}/{sefton_records[model].pk}/")
    assert own.status_code == 302
    assert own["Location"].endswith(sefton_records[model].get_absolute_url())
