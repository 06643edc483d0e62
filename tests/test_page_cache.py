import pytest
from django.core.cache import cache
from django.db import transaction

from partnerships.factories import PartnershipFactory, PriorityFactory
from smp_site import page_cache


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
    cache.set(page_cache.VERSION_KEY, "a-newer-token", timeout=None)
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"


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
    before = page_cache.content_version()
    with transaction.atomic():
        PartnershipFactory()
        # Not yet committed: a page built now reads the old data, so it must
        # still be stored under the old version.
        assert page_cache.content_version() == before
    assert page_cache.content_version() != before


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
    from consultation.factories import ConsultationFactory
    from consultation.models import Response

    consultation = ConsultationFactory()
    before = page_cache.content_version()
    Response.objects.create(consultation=consultation)
    assert page_cache.content_version() == before
    consultation.title = "A new title"
    consultation.save()
    assert page_cache.content_version() != before


@pytest.mark.django_db(transaction=True)
def test_a_page_that_depends_on_the_clock_is_not_kept_past_its_moment(client, caching):
    import datetime

    from django.utils import timezone

    from consultation.factories import ConsultationFactory

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
