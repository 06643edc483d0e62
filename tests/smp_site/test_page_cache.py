import datetime
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.db import transaction

from foundation import page_cache
from tests.partnerships.factories import PartnershipFactory, PriorityFactory


@pytest.fixture
def caching(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.mark.django_db(transaction=True)
def test_second_anonymous_visit_is_served_from_the_cache(client, caching, django_assert_max_num_queries):
    partnership = PartnershipFactory()
    first = client.get(partnership.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    second = client.get(partnership.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "Content-Security-Policy" in second


@pytest.mark.django_db(transaction=True)
def test_a_hit_costs_one_query_with_the_database_cache(client, caching, django_assert_num_queries):
    """The token and the page come back together (get_many): one SQL query
    a hit, which is what keeps cached pages near the baseline's speed."""
    url = PartnershipFactory().get_absolute_url()
    client.get(url)
    with django_assert_num_queries(1):
        assert client.get(url)["X-Page-Cache"] == "hit"


@pytest.mark.django_db(transaction=True)
def test_a_page_stored_under_an_old_token_is_never_served(client, caching):
    priority = PriorityFactory(text="Before")
    url = priority.partnership.get_absolute_url()
    client.get(url)
    # As if a clerk's change committed while this page was being built: the
    # page was stored with the token that has since been replaced.
    page_cache.pages().set(
        page_cache.version_key(page_cache.partnership_scope(priority.partnership_id)),
        "a-newer-token",
        timeout=None,
    )
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"


@pytest.mark.django_db(transaction=True)
def test_a_page_built_by_a_release_with_other_static_files_is_never_served(client, caching):
    url = PartnershipFactory().get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    # As a process of the next release finds it: its stylesheet differs.
    page_cache._assets_version[:] = ["next-release"]
    try:
        assert client.get(url)["X-Page-Cache"] == "miss"
        assert client.get(url)["X-Page-Cache"] == "hit"
    finally:
        page_cache.forget_versions()


@pytest.fixture
def release(settings, tmp_path):
    """A release's files in a folder of their own: a view, a template, a
    template tag, the locked packages and the static files' manifest."""
    (tmp_path / "meetings" / "templates" / "meetings").mkdir(parents=True)
    (tmp_path / "meetings" / "templatetags").mkdir()
    (tmp_path / "meetings" / "views.py").write_text("def view(): pass\n")
    (tmp_path / "meetings" / "templatetags" / "minutes.py").write_text("def number(value): return value\n")
    (tmp_path / "meetings" / "templates" / "meetings" / "meeting.html").write_text("<h1>{{ meeting }}</h1>")
    (tmp_path / "requirements.txt").write_text("django==5.2.19\n")
    (tmp_path / "media").mkdir()
    (tmp_path / "staticfiles").mkdir()
    (tmp_path / "staticfiles" / "staticfiles.json").write_text('{"paths": {"main.css": "main.1a2b.css"}}')
    settings.BASE_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.PAGE_CACHE_EPOCH = ""
    fresh_versions()
    yield tmp_path
    page_cache.forget_versions()


def fresh_versions():
    """The digests as a new process (a deploy's) reads them: (the static
    files', in every page's key; the code's, stored with each page)."""
    page_cache.forget_versions()
    return page_cache.assets_version(), page_cache.code_version()


def test_the_digests_follow_what_pages_link_to_and_the_code_that_builds_them(release, settings):
    first = fresh_versions()
    # Neither uploads nor notes.
    (release / "media" / "agenda.pdf").write_bytes(b"%PDF an upload")
    (release / "README.md").write_text("Notes")
    assert fresh_versions() == first
    seen_code = {first[1]}
    # The code: a view, a template, a template tag, the packages. Pages built
    # by the old code are served a while longer, so the key stays.
    for change in [
        lambda: (release / "meetings" / "views.py").write_text("def view(): return None\n"),
        lambda: (release / "meetings" / "templates" / "meetings" / "meeting.html").write_text(
            "<h2>{{ meeting }}</h2>"
        ),
        lambda: (release / "meetings" / "templatetags" / "minutes.py").write_text(
            "def number(v): return str(v)\n"
        ),
        lambda: (release / "requirements.txt").write_text("django==5.2.20\n"),
    ]:
        change()
        assets, code = fresh_versions()
        assert assets == first[0] and code not in seen_code
        seen_code.add(code)
    # What pages link to: a new stylesheet is a new hashed name in the
    # manifest; a new epoch throws every page away on purpose.
    seen_assets = {first[0]}
    for change in [
        lambda: (release / "staticfiles" / "staticfiles.json").write_text(
            '{"paths": {"main.css": "main.9f8e.css"}}'
        ),
        lambda: setattr(settings, "PAGE_CACHE_EPOCH", "2026-12-04"),
    ]:
        change()
        assets, _code = fresh_versions()
        assert assets not in seen_assets
        seen_assets.add(assets)


def test_static_files_collected_outside_the_code_count_by_their_manifest(release, settings, tmp_path_factory):
    """A server whose STATIC_ROOT is a volume of its own, outside the code:
    the same manifest gives the same digest, wherever it lies; a new one
    gives another."""
    first = fresh_versions()
    volume = tmp_path_factory.mktemp("static-volume")
    (volume / "staticfiles.json").write_bytes((release / "staticfiles" / "staticfiles.json").read_bytes())
    settings.STATIC_ROOT = volume
    assert fresh_versions() == first
    (volume / "staticfiles.json").write_text('{"paths": {"main.css": "main.9f8e.css"}}')
    assert fresh_versions()[0] != first[0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "code",
    [Path("meetings") / "views.py", Path("meetings") / "templates" / "meetings" / "meeting.html"],
    ids=["python", "template"],
)
def test_a_deploy_of_code_keeps_the_pages_a_while_and_one_of_a_stylesheet_does_not(
    client, caching, release, settings, code
):
    url = PartnershipFactory().get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"

    # The next release changes a view or a template: its processes still
    # serve the page, built by the previous release's code, in the minutes
    # after it starts.
    (release / code).write_text((release / code).read_text() + "\n")
    fresh_versions()
    assert client.get(url)["X-Page-Cache"] == "hit"
    # Once PAGE_CACHE_PREVIOUS_RELEASE_SECONDS have passed since the release
    # started, it is built anew by this release's code, then served.
    page_cache._release_started[page_cache.release_key()] = time.time() - 601
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"

    # The next removes the stylesheet the page links to (a new hashed name):
    # the page is never served again, built anew with the new name.
    (release / "staticfiles" / "staticfiles.json").write_text('{"paths": {"main.css": "main.9f8e.css"}}')
    fresh_versions()
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"

    # A change that must show at once is deployed with a new epoch.
    settings.PAGE_CACHE_EPOCH = "2026-12-04"
    fresh_versions()
    assert client.get(url)["X-Page-Cache"] == "miss"


def test_a_previous_releases_page_is_served_less_and_less_and_never_after_the_bound(settings):
    settings.PAGE_CACHE_PREVIOUS_RELEASE_SECONDS = 600
    started = 1_000_000.0

    def share_served(elapsed):
        draws = [
            page_cache.previous_release_page_still_served(started, now=started + elapsed) for _ in range(4000)
        ]
        return sum(draws) / len(draws)

    assert share_served(0) == 1
    assert 0.45 < share_served(300) < 0.55
    assert 0.05 < share_served(540) < 0.15
    assert share_served(600) == 0
    assert share_served(86400) == 0
    settings.PAGE_CACHE_PREVIOUS_RELEASE_SECONDS = 0
    assert share_served(0) == 0, "0 turns it off: a deploy starts with none of them"


def test_with_debug_on_a_template_edited_under_the_running_server_changes_the_code_version(
    settings, tmp_path
):
    template = tmp_path / "templates" / "home.html"
    template.parent.mkdir()
    template.write_text("<h1>Home</h1>")
    settings.BASE_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    page_cache.forget_versions()
    try:
        settings.DEBUG = False
        first = page_cache.code_version()
        template.write_text("<h1>Welcome</h1>")
        assert page_cache.code_version() == first, "read once per process in production"
        settings.DEBUG = True
        assert page_cache.code_version() != first
        # And the page the edit changes is built anew at once, not served a
        # while longer as a release's would be.
        assert not page_cache.previous_release_page_still_served(time.time())
    finally:
        page_cache.forget_versions()


@pytest.mark.django_db(transaction=True)
def test_a_change_is_visible_on_the_very_next_request(client, caching):
    priority = PriorityFactory(text="Tackling knife crime")
    url = priority.partnership.get_absolute_url()
    assert b"Tackling knife crime" in client.get(url).content
    assert client.get(url)["X-Page-Cache"] == "hit"

    priority.text = "Tackling knife crime and county lines"
    priority.save()

    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert b"Tackling knife crime and county lines" in response.content


@pytest.mark.django_db(transaction=True)
def test_deleting_content_also_invalidates(client, caching):
    priority = PriorityFactory(text="A priority to delete")
    url = priority.partnership.get_absolute_url()
    client.get(url)
    priority.delete()
    assert b"A priority to delete" not in client.get(url).content


@pytest.mark.django_db(transaction=True)
def test_version_changes_only_when_the_transaction_commits(caching):
    before = page_cache.version_of(page_cache.SITE)
    with transaction.atomic():
        PartnershipFactory()
        # Not yet committed: a page built now reads the old data, so it must
        # still be stored under the old version.
        assert page_cache.version_of(page_cache.SITE) == before
    assert page_cache.version_of(page_cache.SITE) != before


@pytest.mark.django_db(transaction=True)
def test_signed_in_staff_and_residents_with_a_session_are_not_served_cached_pages(
    client, caching, django_user_model
):
    partnership = PartnershipFactory()
    url = partnership.get_absolute_url()
    client.get(url)
    client.force_login(django_user_model.objects.create_user("clerk", password="x" * 16, is_staff=True))
    assert "X-Page-Cache" not in client.get(url)


def test_responses_that_set_cookies_or_are_private_are_never_cached():
    from django.http import HttpResponse

    cacheable = page_cache.PublicPageCacheMiddleware._cacheable_response
    assert cacheable(HttpResponse("ok"))
    with_cookie = HttpResponse("form")
    with_cookie.set_cookie("csrftoken", "abc")
    assert not cacheable(with_cookie)
    private = HttpResponse("mine")
    private["Cache-Control"] = "private"
    assert not cacheable(private)
    assert not cacheable(HttpResponse("error", status=500))


@pytest.mark.django_db(transaction=True)
def test_unknown_pages_are_cached_as_404s_and_dropped_when_the_page_appears(client, caching):
    assert client.get("/partnerships/new-partnership/").status_code == 404
    assert client.get("/partnerships/new-partnership/")["X-Page-Cache"] == "hit"
    PartnershipFactory(slug="new-partnership")
    assert client.get("/partnerships/new-partnership/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_residents_survey_response_does_not_empty_the_cache(caching):
    from consultation.models import Response
    from tests.consultation.factories import ConsultationFactory

    consultation = ConsultationFactory()
    before = page_cache.version_of(page_cache.LISTS)
    Response.objects.create(consultation=consultation)
    assert page_cache.version_of(page_cache.LISTS) == before
    consultation.title = "A new title"
    consultation.save()
    assert page_cache.version_of(page_cache.LISTS) != before


@pytest.mark.django_db(transaction=True)
def test_a_page_that_depends_on_the_clock_is_not_kept_past_its_moment(client, caching):
    import datetime

    from django.utils import timezone

    from tests.consultation.factories import ConsultationFactory

    now = timezone.now()
    consultation = ConsultationFactory(
        opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(seconds=2)
    )
    response = client.get(consultation.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert 0 <= response.page_cache_seconds <= 2
    home = client.get("/")
    assert home.page_cache_seconds <= 2  # the home page lists it as open


def test_cache_until_keeps_the_earliest_moment():
    import datetime

    from django.http import HttpResponse
    from django.utils import timezone

    response = HttpResponse()
    page_cache.cache_until(response, timezone.now() + datetime.timedelta(hours=2))
    page_cache.cache_until(response, timezone.now() + datetime.timedelta(minutes=1))
    page_cache.cache_until(response, None)
    assert 55 <= response.page_cache_seconds <= 60
    page_cache.cache_until(response, timezone.now() - datetime.timedelta(minutes=1))
    assert response.page_cache_seconds == 0


@pytest.mark.django_db(transaction=True)
def test_a_page_built_from_the_visitors_cookies_is_never_shared(client, caching):
    """A form's CSRF token comes from the visitor's own cookie (Django adds
    "Vary: Cookie"); serving it to someone else would break their form."""
    from django.http import HttpResponse

    response = HttpResponse("form")
    response["Vary"] = "Cookie"
    assert not page_cache.PublicPageCacheMiddleware._cacheable_response(response)


@pytest.mark.django_db(transaction=True)
def test_compressed_and_plain_copies_are_cached_apart(client, caching):
    partnership = PartnershipFactory(purpose="Long text. " * 200)
    url = partnership.get_absolute_url()
    gzipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    plain = client.get(url)
    assert gzipped["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain
    assert client.get(url, headers={"Accept-Encoding": "gzip"})["X-Page-Cache"] == "hit"
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert b"Long text." in client.get(url).content


def _pages_of_a_meeting(item):
    """Every cached page that shows an item's minutes text."""
    meeting = item.meeting
    return [
        item.get_absolute_url(),
        meeting.get_absolute_url(),
        f"/partnerships/{meeting.partnership.slug}/meetings/",
        "/meetings/",
        "/meetings/minutes.atom",
        f"/partnerships/{meeting.partnership.slug}/minutes.atom",
        "/search/?q=considered",
    ]


@pytest.mark.django_db(transaction=True)
def test_a_change_is_fresh_on_every_page_that_shows_it_and_other_partnerships_stay_cached(client, caching):
    from tests.meetings.factories import AgendaItemFactory

    sefton = AgendaItemFactory(title="Knife crime", minutes="The Partnership considered the report.")
    wirral = AgendaItemFactory(title="Road safety", minutes="The Partnership considered the report.")
    sefton_pages = [
        sefton.get_absolute_url(),
        sefton.meeting.get_absolute_url(),
        f"/partnerships/{sefton.meeting.partnership.slug}/meetings/",
    ]
    wirral_pages = [
        wirral.get_absolute_url(),
        wirral.meeting.get_absolute_url(),
        f"/partnerships/{wirral.meeting.partnership.slug}/",
        f"/partnerships/{wirral.meeting.partnership.slug}/meetings/",
    ]
    for url in [*sefton_pages, *wirral_pages, "/meetings/", "/"]:
        assert client.get(url).status_code == 200
        assert client.get(url)["X-Page-Cache"] == "hit", url

    # A title shows beyond the meeting's pages (in the partnership's lists
    # and in the cross-references of other minutes).
    sefton.title = "Knife crime and county lines"
    sefton.save()

    for url in sefton_pages[:2]:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert b"Knife crime and county lines" in response.content, url
    assert client.get(sefton_pages[2])["X-Page-Cache"] == "miss"
    # Lists gather across partnerships: built again.
    assert client.get("/meetings/")["X-Page-Cache"] == "miss"
    # Another partnership's own pages are untouched by a change in Sefton.
    for url in wirral_pages:
        assert client.get(url)["X-Page-Cache"] == "hit", url


def _cached(client, urls):
    for url in urls:
        assert client.get(url).status_code == 200, url
        assert client.get(url)["X-Page-Cache"] == "hit", url


@pytest.mark.django_db(transaction=True)
def test_a_clerks_correction_of_wording_refreshes_its_meeting_and_the_lists_of_wording_alone(caching):
    """The commonest edit, a clerk correcting the words of a minute in the
    admin, shows on that meeting's pages, in search, the sitemap and the API;
    the partnership's other pages and the lists that show no wording stay
    cached."""
    from django.test import Client

    from tests.meetings.factories import AgendaItemFactory, AttendanceFactory, MeetingFactory
    from tests.meetings.test_audit import change_item_minutes
    from tests.roles import client_for, restore_clerk_role, staff_user

    sefton = PartnershipFactory(slug="sefton")
    meeting = MeetingFactory(partnership=sefton)
    item = AgendaItemFactory(
        meeting=meeting, minute_number=12, minutes="The Partnership considered the report on knife crime."
    )
    earlier = AgendaItemFactory(
        meeting=MeetingFactory(partnership=sefton, date=meeting.date - datetime.timedelta(days=30)),
        minute_number=3,
    )
    person = AttendanceFactory(meeting=meeting).person
    restore_clerk_role()
    clerk = client_for(staff_user("sefton-clerk", "Clerk", [sefton]))
    public = Client()
    showing_wording = [
        item.get_absolute_url(),
        meeting.get_absolute_url(),
        "/search/?q=revised",
        "/sitemap-minutes.xml",
        f"/api/events/event-{meeting.pk}/",
    ]
    not_showing_it = [
        sefton.get_absolute_url(),
        "/partnerships/sefton/meetings/",
        earlier.get_absolute_url(),
        earlier.meeting.get_absolute_url(),
        "/meetings/",
        "/",
        "/people/",
        person.get_absolute_url(),
        "/glossary/",
    ]
    _cached(public, [*showing_wording, *not_showing_it])
    assert item.get_absolute_url().encode() not in public.get("/search/?q=revised").content

    response = change_item_minutes(
        clerk, item, "The Partnership considered the revised report on knife crime."
    )
    assert response.status_code == 302

    for url in showing_wording:
        response = public.get(url)
        assert response["X-Page-Cache"] == "miss", url
    for url in [item.get_absolute_url(), meeting.get_absolute_url(), f"/api/events/event-{meeting.pk}/"]:
        assert b"revised report on knife crime" in public.get(url).content, url
    assert item.get_absolute_url().encode() in public.get("/search/?q=revised").content
    for url in not_showing_it:
        assert public.get(url)["X-Page-Cache"] == "hit", url


@pytest.mark.django_db(transaction=True)
def test_wording_that_cites_another_minute_refreshes_the_cited_minutes_page(caching):
    """A correction that adds a cross-reference changes the cited minute's
    page too ("Referred to in"), so it is not a change of wording alone."""
    from django.test import Client

    from tests.meetings.factories import AgendaItemFactory, MeetingFactory
    from tests.meetings.test_audit import change_item_minutes
    from tests.roles import client_for, restore_clerk_role, staff_user

    sefton = PartnershipFactory(slug="sefton")
    cited = AgendaItemFactory(
        meeting=MeetingFactory(partnership=sefton, date=datetime.date(2019, 6, 13)), minute_number=4
    )
    item = AgendaItemFactory(
        meeting=MeetingFactory(partnership=sefton, date=datetime.date(2019, 9, 12)), minute_number=12
    )
    restore_clerk_role()
    clerk = client_for(staff_user("sefton-clerk", "Clerk", [sefton]))
    public = Client()
    _cached(public, [cited.get_absolute_url(), item.get_absolute_url()])

    text = "Further to Minute No. 4 of the meeting held on 13 June 2019, the Partnership noted the update."
    assert change_item_minutes(clerk, item, text).status_code == 302

    response = public.get(cited.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert item.get_absolute_url().encode() in response.content


def _three_meetings_of_sefton():
    """Sefton's meetings of June, September and December 2019: September's
    minute 12 cites June's minute 4 and reports on an action June's minute
    resolved; December's shows neither."""
    from meetings.action_log import ActionUpdate
    from tests.meetings.factories import ActionFactory, AgendaItemFactory, MeetingFactory, ResolutionFactory

    sefton = PartnershipFactory(slug="sefton")
    june = AgendaItemFactory(
        meeting=MeetingFactory(partnership=sefton, date=datetime.date(2019, 6, 13)),
        minute_number=4,
        title="Knife crime",
    )
    action = ActionFactory(
        resolution=ResolutionFactory(item=june, number=1), description="Write to the schools"
    )
    september = AgendaItemFactory(
        meeting=MeetingFactory(partnership=sefton, date=datetime.date(2019, 9, 12)),
        minute_number=12,
        title="Knife crime update",
        minutes="Further to Minute No. 4 of the meeting held on 13 June 2019, the Partnership noted the update.",
    )
    ActionUpdate.objects.create(action=action, item=september, status="done", note="Letters sent.")
    december = AgendaItemFactory(
        meeting=MeetingFactory(partnership=sefton, date=datetime.date(2019, 12, 5)),
        minute_number=20,
        title="Road safety",
    )
    return sefton, june, action, september, december


@pytest.fixture
def sefton_meetings(transactional_db):
    """The three meetings of Sefton (`rows`), a Sefton clerk signed in to the
    admin, and a member of the public."""
    from types import SimpleNamespace

    from django.test import Client

    from tests.roles import client_for, restore_clerk_role, staff_user

    rows = _three_meetings_of_sefton()
    restore_clerk_role()
    clerk = client_for(staff_user("sefton-clerk", "Clerk", [rows[0]]))
    return SimpleNamespace(rows=rows, clerk=clerk, public=Client())


def _admin_change(client, path, pk, **changes):
    from tests.roles import form_data

    url = f"/admin/meetings/{path}/{pk}/change/"
    response = client.post(url, {**form_data(client.get(url)), **changes})
    assert response.status_code == 302, response.content[:2000]


@pytest.mark.django_db(transaction=True)
def test_a_title_corrected_in_the_admin_refreshes_the_meetings_that_show_it_and_no_other(
    caching, sefton_meetings
):
    """A minute's title shows on its meeting's pages, on the partnership's
    other pages and in the lists, and on the pages of the minutes that cite
    it: all built again. The partnership's other meetings, page and item
    bodies, stay cached."""
    sefton, june, action, september, december = sefton_meetings.rows
    clerk, public = sefton_meetings.clerk, sefton_meetings.public
    showing_it = [
        september.get_absolute_url(),
        september.meeting.get_absolute_url(),
        june.get_absolute_url(),
        june.meeting.get_absolute_url(),
        sefton.get_absolute_url(),
        "/partnerships/sefton/meetings/",
        "/meetings/",
    ]
    elsewhere = [december.get_absolute_url(), december.meeting.get_absolute_url()]
    _cached(public, [*showing_it, *elsewhere])
    december_bodies = page_cache.pages().get(page_cache.fragment_key(f"item-bodies:{december.meeting_id}"))
    assert december_bodies is not None

    _admin_change(clerk, "agendaitem", september.pk, title="Knife crime: update from the schools")

    for url in showing_it:
        assert public.get(url)["X-Page-Cache"] == "miss", url
    # June's minute lists September's under "Later minutes on this", and its
    # resolution's "Reported on at", by the new title.
    later = BeautifulSoup(public.get(june.get_absolute_url()).content, "html.parser")
    assert "Knife crime: update from the schools" in later.get_text()
    for url in elsewhere:
        assert public.get(url)["X-Page-Cache"] == "hit", url
    # Its bodies are current still: a page of December built now reuses them.
    assert (
        page_cache.read_fragment(
            f"item-bodies:{december.meeting_id}",
            [
                page_cache.partnership_scope(sefton.pk),
                page_cache.bodies_scope(sefton.pk, december.meeting_id),
            ],
        )[0]
        == december_bodies[1]
    )


@pytest.mark.django_db(transaction=True)
def test_a_persons_page_follows_their_attendance_and_presenting_not_the_titles_of_minutes(
    caching, sefton_meetings
):
    """A person's page lists the meetings they attended and the names the
    minutes print for them: a clerk's correction of a title leaves it
    cached; attendance added and a minute's presenter named in the admin
    show on it at once."""
    from tests.meetings.factories import AttendanceFactory
    from tests.partnerships.factories import PersonFactory

    sefton, june, action, september, december = sefton_meetings.rows
    clerk, public = sefton_meetings.clerk, sefton_meetings.public
    person = PersonFactory(name="Sue Holden", slug="sue-holden")
    AttendanceFactory(meeting=june.meeting, person=person, name="Sue Holden", role="present")
    page = person.get_absolute_url()
    _cached(public, [page])

    _admin_change(clerk, "agendaitem", june.pk, title="Knife crime and county lines")
    assert public.get(page)["X-Page-Cache"] == "hit"

    _admin_change(clerk, "agendaitem", december.pk, presenter=str(person.pk), presenter_name="Ms S. Holden")
    response = public.get(page)
    assert response["X-Page-Cache"] == "miss"
    assert b"Ms S. Holden" in response.content

    url = f"/admin/meetings/meeting/{september.meeting_id}/change/"
    from tests.roles import form_data

    data = form_data(clerk.get(url))
    row = int(data["attendances-TOTAL_FORMS"])
    data.update(
        {
            "attendances-TOTAL_FORMS": str(row + 1),
            f"attendances-{row}-person": str(person.pk),
            f"attendances-{row}-name": "Sue Holden",
            f"attendances-{row}-role": "apologies",
            f"attendances-{row}-order": "1",
        }
    )
    assert clerk.post(url, data).status_code == 302
    response = public.get(page)
    assert response["X-Page-Cache"] == "miss"
    assert september.meeting.get_absolute_url().encode() in response.content


@pytest.mark.django_db(transaction=True)
def test_attendance_at_a_draft_meeting_counts_on_the_people_page_once_a_clerk_publishes_its_agenda(
    caching, sefton_meetings
):
    """The people page counts each person's attendance at public meetings
    only: a meeting still in draft adds nothing until the clerk publishes
    its agenda in the admin, and then the page, built again, counts it."""
    from meetings.models import Meeting
    from tests.meetings.factories import AttendanceFactory, MeetingFactory
    from tests.partnerships.factories import PersonFactory

    sefton, june, action, september, december = sefton_meetings.rows
    clerk, public = sefton_meetings.clerk, sefton_meetings.public
    person = PersonFactory(title="Cllr", name="Sue Holden", slug="sue-holden")
    AttendanceFactory(meeting=june.meeting, person=person, role="present")
    draft = MeetingFactory(
        partnership=sefton,
        date=datetime.date(2027, 3, 11),
        status=Meeting.Status.DRAFT,
        minutes_status=Meeting.MinutesStatus.NONE,
    )
    AttendanceFactory(meeting=draft, person=person, role="apologies")

    def holdens_row():
        response = public.get("/people/")
        soup = BeautifulSoup(response.content, "html.parser")
        rows = [" ".join(row.get_text().split()) for row in soup.select("tbody tr")]
        return response["X-Page-Cache"], [row for row in rows if "Sue Holden" in row]

    assert holdens_row() == ("miss", ["Cllr Sue Holden attended 1 of 1, apologies 0"])
    assert holdens_row()[0] == "hit"

    response = clerk.post(
        "/admin/meetings/meeting/", {"action": "publish_agenda", "_selected_action": [draft.pk]}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Meeting.Status.AGENDA_PUBLISHED
    assert holdens_row() == ("miss", ["Cllr Sue Holden attended 1 of 2, apologies 1"])


@pytest.mark.django_db(transaction=True)
def test_an_action_corrected_in_the_admin_shows_at_the_later_minute_reporting_on_it(caching, sefton_meetings):
    """An action shows on its own meeting's pages and at the later minute
    that reports on it ("Actions reported on"): both built again."""
    sefton, june, action, september, december = sefton_meetings.rows
    clerk, public = sefton_meetings.clerk, sefton_meetings.public
    _cached(public, [june.get_absolute_url(), september.get_absolute_url(), december.get_absolute_url()])
    assert b"Write to the schools" in public.get(september.get_absolute_url()).content

    _admin_change(clerk, "action", action.pk, description="Write to every secondary school")

    for url in [june.get_absolute_url(), september.get_absolute_url()]:
        response = public.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert b"Write to every secondary school" in response.content, url
    assert public.get(december.get_absolute_url())["X-Page-Cache"] == "hit"


@pytest.mark.django_db(transaction=True)
def test_a_minute_renumbered_makes_its_partnerships_pages_stale(caching, sefton_meetings):
    """A new number may make a minute the target of references typed before
    it was (or no longer): every page of the partnership is built again."""
    sefton, june, action, september, december = sefton_meetings.rows
    clerk, public = sefton_meetings.clerk, sefton_meetings.public
    urls = [
        september.get_absolute_url(),
        december.meeting.get_absolute_url(),
        june.meeting.get_absolute_url(),
    ]
    _cached(public, urls)

    _admin_change(clerk, "agendaitem", june.pk, minute_number="5")

    for url in urls:
        assert public.get(url)["X-Page-Cache"] == "miss", url
    # September's reference to "Minute No. 4" of June no longer finds a
    # minute; the report on June's action links the minute by its new number.
    page = BeautifulSoup(public.get(september.get_absolute_url()).content, "html.parser")
    links = {link.get_text(" ", strip=True): link["href"] for link in page.select("main a")}
    assert not any("Minute No. 4" in text for text in links)
    assert links["Minute No. 5 (Resolution 1) of 13 June 2019"].startswith(
        "/meetings/sefton/2019-06-13/minute-5/"
    )


@pytest.mark.django_db(transaction=True)
def test_a_name_shown_everywhere_makes_every_page_stale(client, caching):
    from tests.meetings.factories import AttendanceFactory

    attendance = AttendanceFactory()
    url = attendance.meeting.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    attendance.person.name = "Stephen Martlew"
    attendance.person.save()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert b"Stephen Martlew" in response.content


@pytest.mark.django_db(transaction=True)
def test_a_browser_revalidates_and_gets_304_until_the_page_changes(client, caching):
    priority = PriorityFactory(text="Tackling knife crime")
    url = priority.partnership.get_absolute_url()
    first = client.get(url)
    etag = first["ETag"]
    assert "max-age=0" in first["Cache-Control"] and "must-revalidate" in first["Cache-Control"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""

    priority.text = "Tackling knife crime and county lines"
    priority.save()

    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert b"county lines" in changed.content
    assert changed["ETag"] != etag


@pytest.mark.django_db(transaction=True)
def test_cached_pages_name_their_scope_for_a_shared_cache(client, caching, settings):
    settings.SHARED_CACHE_SECONDS = 120
    partnership = PartnershipFactory(slug="sefton")
    response = client.get(partnership.get_absolute_url())
    assert response["Surrogate-Key"] == f"site partnership-{partnership.pk} overview-{partnership.pk}"
    assert "s-maxage=120" in response["Cache-Control"]
    assert client.get("/")["Surrogate-Key"] == "site lists within-meetings"


@pytest.mark.django_db(transaction=True)
def test_a_change_purges_the_shared_cache_by_surrogate_key(client, caching, settings):
    """A real HTTP server on this machine stands in for Varnish: it records
    the PURGE requests the site sends when content changes."""
    import http.server
    import threading

    received = []
    arrived = threading.Event()

    class Purges(http.server.BaseHTTPRequestHandler):
        def do_PURGE(self):
            received.append(self.headers["xkey-purge"])
            self.send_response(200)
            self.end_headers()
            arrived.set()

        def log_message(self, *args):
            pass

    # Made before the purge address is set: the purges of its creation run in
    # threads of their own and could otherwise arrive after the change's.
    priority = PriorityFactory(partnership=PartnershipFactory(slug="wirral"))
    server = http.server.HTTPServer(("127.0.0.1", 0), Purges)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.CDN_PURGE_URL = f"http://127.0.0.1:{server.server_port}/"
        priority.text = "Changed"
        priority.save()
        assert arrived.wait(5)
        assert received == [f"lists partnership-{priority.partnership_id}"]
    finally:
        server.shutdown()


@pytest.mark.django_db(transaction=True)
def test_rate_limit_counters_survive_any_amount_of_page_caching(client, settings):
    """Pages have a cache of their own: filling it far past its size culls
    pages, never the counters in the default cache (the staff sign-in limit
    per address)."""
    from django.core.cache import caches
    from django.test import RequestFactory

    from smp_site.staff_sign_in import sign_in_attempt_allowed

    settings.PAGE_CACHE_SECONDS = 300
    settings.STAFF_SIGN_IN_RATE_LIMIT = 3
    settings.CACHES = {
        **settings.CACHES,
        "pages": {**settings.CACHES["pages"], "OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}},
    }
    request = RequestFactory().post("/admin/login/", REMOTE_ADDR="192.0.2.7")
    assert [sign_in_attempt_allowed(request) for _ in range(4)] == [True, True, True, False]
    for n in range(60):
        assert client.get(f"/partnerships/no-such-partnership-{n}/")["X-Page-Cache"] == "miss"
    assert caches["pages"] is not caches["default"]
    assert sign_in_attempt_allowed(request) is False


@pytest.mark.django_db(transaction=True)
def test_the_apis_count_of_resolutions_follows_each_change_a_clerk_makes_without_counting_them(
    caching, sefton_meetings
):
    """The API's list of resolutions says how many there are from the search
    index's count of them, never by counting the resolutions: a resolution
    added in the admin, an item made exempt, minutes published and a
    resolution deleted each show in the count at once, read through the page
    cache, and the count is always the public resolutions'."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from meetings.models import Meeting, Resolution
    from tests.meetings.factories import AgendaItemFactory, MeetingFactory, ResolutionFactory
    from tests.roles import form_data

    sefton, june, action, september, december = sefton_meetings.rows
    clerk, public = sefton_meetings.clerk, sefton_meetings.public
    draft = MeetingFactory(
        partnership=sefton, date=datetime.date(2020, 3, 12), minutes_status=Meeting.MinutesStatus.NONE
    )
    ResolutionFactory(item=AgendaItemFactory(meeting=draft, minute_number=30), number=1)

    def api_count():
        """The list's count, whether it came from the page cache, and
        whether the resolutions were counted to build it; checked against
        the public resolutions themselves."""
        with CaptureQueriesContext(connection) as queries:
            response = public.get("/api/resolutions/")
        counted = any(
            "COUNT(*)" in query["sql"] and '"meetings_resolution"' in query["sql"] for query in queries
        )
        count = response.json()["count"]
        assert count == Resolution.objects.public().count()
        return count, response["X-Page-Cache"], counted

    assert api_count() == (1, "miss", False)
    assert api_count()[:2] == (1, "hit")

    url = f"/admin/meetings/agendaitem/{december.pk}/change/"
    data = form_data(clerk.get(url))
    added = int(data["resolutions-TOTAL_FORMS"])
    data.update(
        {
            "resolutions-TOTAL_FORMS": str(added + 1),
            f"resolutions-{added}-number": "1",
            f"resolutions-{added}-text": "That the report be noted.",
        }
    )
    assert clerk.post(url, data).status_code == 302
    assert december.resolutions.count() == 1
    assert api_count() == (2, "miss", False)

    _admin_change(
        clerk,
        "agendaitem",
        june.pk,
        is_exempt="on",
        exempt_paragraph="3",
        exempt_reason="Information about the financial or business affairs of any particular person.",
    )
    assert api_count() == (1, "miss", False)

    response = clerk.post(
        "/admin/meetings/meeting/", {"action": "publish_minutes", "_selected_action": [draft.pk]}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.minutes_status == Meeting.MinutesStatus.PUBLISHED
    assert api_count() == (2, "miss", False)
    assert api_count()[:2] == (2, "hit")

    added = december.resolutions.get()
    url = f"/admin/meetings/resolution/{added.pk}/delete/"
    assert clerk.post(url, {"post": "yes"}).status_code == 302
    assert not Resolution.objects.filter(pk=added.pk).exists()
    assert api_count() == (1, "miss", False)
