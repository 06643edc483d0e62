import json

import pytest
from django.conf import settings
from django.test import override_settings

from api import views
from partnerships.models import Organisation
from tests.partnerships.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    SeatFactory,
)

# Query budgets: each endpoint's count is fixed, whatever the amount of data.
LIST_QUERIES = 2  # count, one page
ORGANIZATIONS_QUERIES = 5  # two counts, a page of partnerships, where they end, a page of organisations
DETAIL_QUERIES = 1
DOCS_QUERIES = 1  # the glossary terms for the page's <abbr> markup

SITE = settings.SITE_URL


def get_json(client, url, status=200, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def make_data(size):
    """`size` of everything, all linked up."""
    for _ in range(size):
        partnership = PartnershipFactory()
        seat = SeatFactory(partnership=partnership)
        MembershipFactory(seat=seat, person=PersonFactory(organisation=seat.organisation))


# --- what each endpoint returns ---


@pytest.mark.django_db
def test_organizations_lists_partnerships_then_other_organisations(client):
    predecessor = PartnershipFactory(
        name="Old partnership",
        order=2,
        status="ended",
        formed_on="2012-01-01",
        formed_precision="year",
        ended_on="2019-06-01",
        ended_precision="month",
    )
    partnership = PartnershipFactory(
        name="New partnership", short_name="NP", order=1, predecessor=predecessor
    )
    council = OrganisationFactory(name="A council", website="https://example.org/")
    data = get_json(client, "/api/organizations/")
    assert data["count"] == 3
    assert [item["id"] for item in data["results"]] == [
        f"partnership-{partnership.pk}",
        f"partnership-{predecessor.pk}",
        f"organisation-{council.pk}",
    ]
    new, old, other = data["results"]
    assert new == {
        "id": f"partnership-{partnership.pk}",
        "url": f"{SITE}/api/organizations/partnership-{partnership.pk}/",
        "html_url": f"{SITE}{partnership.get_absolute_url()}",
        "classification": "partnership",
        "name": "New partnership",
        "other_names": [{"name": "NP", "note": "abbreviation"}],
        "description": partnership.summary,
        "founding_date": None,
        "dissolution_date": None,
        "links": [],
        "sources": [{"url": f"{SITE}{partnership.get_absolute_url()}", "note": "the partnership's page"}],
        "extras": {"status": "active", "predecessor_id": f"partnership-{predecessor.pk}"},
    }
    assert (old["founding_date"], old["dissolution_date"], old["extras"]["status"]) == (
        "2012",
        "2019-06",
        "ended",
    )
    assert other["classification"] == "local_authority"
    assert other["html_url"] == f"{SITE}{council.get_absolute_url()}"
    assert other["links"] == [{"url": "https://example.org/", "note": "website"}]
    # Each item's url gives the same item.
    for item in data["results"]:
        assert get_json(client, item["url"].removeprefix(SITE)) == item


@pytest.mark.django_db
def test_organizations_by_classification(client):
    partnership = PartnershipFactory()
    forum = OrganisationFactory(kind=Organisation.Kind.FORUM)
    OrganisationFactory(kind=Organisation.Kind.FIRE)
    data = get_json(client, "/api/organizations/?classification=partnership")
    assert [item["id"] for item in data["results"]] == [f"partnership-{partnership.pk}"]
    data = get_json(client, "/api/organizations/?classification=forum")
    assert [item["id"] for item in data["results"]] == [f"organisation-{forum.pk}"]
    assert get_json(client, "/api/organizations/?classification=business")["results"] == []


@pytest.mark.django_db
def test_people(client):
    organisation = OrganisationFactory()
    person = PersonFactory(title="Superintendent", name="Graham Robson", organisation=organisation)
    data = get_json(client, "/api/people/")
    assert data["results"] == [
        {
            "id": f"person-{person.pk}",
            "url": f"{SITE}/api/people/person-{person.pk}/",
            "html_url": f"{SITE}{person.get_absolute_url()}",
            "name": "Graham Robson",
            "honorific_prefix": "Superintendent",
            "sources": [{"url": f"{SITE}{person.get_absolute_url()}", "note": "the person's page"}],
            "extras": {"organization_id": f"organisation-{organisation.pk}"},
        }
    ]
    assert get_json(client, f"/api/people/person-{person.pk}/") == data["results"][0]


@pytest.mark.django_db
def test_posts(client):
    seat = SeatFactory(
        role="chair", title="Chair of the partnership", started_on="2020-06-01", is_vacant=True
    )
    data = get_json(client, "/api/posts/")
    assert data["results"] == [
        {
            "id": f"post-{seat.pk}",
            "url": f"{SITE}/api/posts/post-{seat.pk}/",
            "html_url": f"{SITE}{seat.partnership.get_absolute_url()}#membership",
            "label": "Chair of the partnership",
            "role": "Chair",
            "organization_id": f"partnership-{seat.partnership_id}",
            "start_date": "2020-06-01",
            "end_date": None,
            "sources": [
                {
                    "url": f"{SITE}{seat.partnership.get_absolute_url()}#membership",
                    "note": "the membership of the partnership's page",
                }
            ],
            "extras": {"on_behalf_of_id": f"organisation-{seat.organisation_id}", "vacant": True, "note": ""},
        }
    ]
    assert get_json(client, f"/api/posts/post-{seat.pk}/") == data["results"][0]


@pytest.mark.django_db
def test_memberships(client):
    membership = MembershipFactory(started_on="2015-01-01", ended_on="2016-01-31", note="Interim")
    seat = membership.seat
    data = get_json(client, "/api/memberships/")
    assert data["results"] == [
        {
            "id": f"membership-{membership.pk}",
            "url": f"{SITE}/api/memberships/membership-{membership.pk}/",
            "html_url": f"{SITE}{membership.person.get_absolute_url()}",
            "person_id": f"person-{membership.person_id}",
            "post_id": f"post-{seat.pk}",
            "organization_id": f"partnership-{seat.partnership_id}",
            "on_behalf_of_id": f"organisation-{seat.organisation_id}",
            "role": "Member",
            "label": seat.title,
            "start_date": "2015-01-01",
            "end_date": "2016-01-31",
            "sources": [
                {"url": f"{SITE}{membership.person.get_absolute_url()}", "note": "the person's page"}
            ],
            "extras": {"note": "Interim"},
        }
    ]
    assert get_json(client, f"/api/memberships/membership-{membership.pk}/") == data["results"][0]


@pytest.mark.django_db
def test_ids_link_the_items_together(client):
    membership = MembershipFactory()
    item = get_json(client, "/api/memberships/")["results"][0]
    assert get_json(client, f"/api/people/{item['person_id']}/")["name"] == membership.person.name
    assert get_json(client, f"/api/posts/{item['post_id']}/")["label"] == membership.seat.title
    assert get_json(client, f"/api/organizations/{item['organization_id']}/")["name"] == (
        membership.seat.partnership.name
    )
    assert get_json(client, f"/api/organizations/{item['on_behalf_of_id']}/")["name"] == (
        membership.seat.organisation.name
    )


# --- pagination ---


@pytest.mark.django_db
def test_pages_with_next_and_previous(client, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    people = [PersonFactory(name=f"Person {n:02d}") for n in range(5)]
    first = get_json(client, "/api/people/")
    assert (first["count"], first["page"], first["pages"], first["page_size"]) == (5, 1, 3, 2)
    assert first["previous"] is None
    assert first["next"] == f"{SITE}/api/people/?page=2"
    second = get_json(client, first["next"].removeprefix(SITE))
    assert second["previous"] == f"{SITE}/api/people/"
    last = get_json(client, second["next"].removeprefix(SITE))
    assert last["next"] is None
    ids = [item["id"] for page in (first, second, last) for item in page["results"]]
    assert ids == [f"person-{person.pk}" for person in people]


@pytest.mark.django_db
@pytest.mark.parametrize("page_size", [1, 2, 3, 4, 50])
def test_organization_pages_run_across_both_tables(client, monkeypatch, page_size):
    monkeypatch.setattr(views, "PAGE_SIZE", page_size)
    expected = [f"partnership-{PartnershipFactory(order=n).pk}" for n in range(3)]
    expected += [f"organisation-{OrganisationFactory(name=f'Org {n}').pk}" for n in range(3)]
    ids, url = [], "/api/organizations/"
    while url:
        data = get_json(client, url)
        assert data["count"] == 6
        ids += [item["id"] for item in data["results"]]
        url = data["next"] and data["next"].removeprefix(SITE)
    assert ids == expected


@pytest.mark.django_db
def test_next_link_keeps_the_filter(client, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    OrganisationFactory(kind="forum")
    OrganisationFactory(kind="forum")
    data = get_json(client, "/api/organizations/?classification=forum")
    assert data["next"] == f"{SITE}/api/organizations/?classification=forum&page=2"


@pytest.mark.django_db
def test_an_empty_list_has_one_empty_page(client):
    assert get_json(client, "/api/memberships/") == {
        "count": 0,
        "page": 1,
        "pages": 1,
        "page_size": views.PAGE_SIZE,
        "next": None,
        "previous": None,
        "results": [],
    }


# --- bad requests: JSON errors, never a 500 ---


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=0",
        "page=-1",
        "page=1.5",
        "page=",
        "page=%EF%BC%91",  # a full-width digit one
        "page=" + "9" * 40,
        "page=1&page=2",
        "sort=name",
        "classification=nonsense",
        "%00=1",
    ],
)
def test_bad_query_strings_are_400(client, query):
    data = get_json(client, f"/api/organizations/?{query}", status=400)
    assert data["error"]["status"] == 400
    assert data["error"]["message"]


@pytest.mark.django_db
def test_a_page_past_the_end_is_404(client):
    PersonFactory()
    data = get_json(client, "/api/people/?page=2", status=404)
    assert data["error"] == {"status": 404, "message": "There is no page 2; the last page is 1."}
    get_json(client, "/api/people/?page=999999999", status=404)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/people/person-999/",
        "/api/people/999/",
        "/api/people/post-1/",
        "/api/people/person-/",
        "/api/people/person-" + "9" * 40 + "/",
        "/api/organizations/partnership-999/",
        "/api/organizations/organisation-999/",
        "/api/organizations/person-1/",
        "/api/posts/post-1x/",
        "/api/memberships/membership-%C2%A0/",
        "/api/people/person-1/extra/",
    ],
)
def test_unknown_items_and_addresses_are_json_404s(client, path):
    PersonFactory()
    assert get_json(client, path, status=404)["error"]["status"] == 404


@pytest.mark.django_db
def test_ids_are_written_with_ascii_digits_only(client):
    person = PersonFactory()
    arabic_indic = str(person.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    get_json(client, f"/api/people/person-{person.pk}/")
    get_json(client, f"/api/people/person-{arabic_indic}/", status=404)


@pytest.mark.django_db
def test_a_missing_slash_is_redirected(client):
    response = client.get("/api/people")
    assert response.status_code == 301
    assert response["Location"] == "/api/people/"


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/api/people/", "/api/events/event-1/", "/api/no-such-thing/"])
def test_writing_is_refused_with_a_json_405(client, method, path):
    response = getattr(client, method)(path, data="{}", content_type="application/json")
    if path == "/api/no-such-thing/":
        assert response.status_code == 404
    else:
        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["status"] == response.status_code


# --- caching and CORS ---


@pytest.mark.django_db
def test_etag_and_if_none_match(client):
    PersonFactory()
    response = client.get("/api/people/")
    etag = response["ETag"]
    assert etag.startswith('"') and len(etag) > 10
    assert "public" in response["Cache-Control"]
    not_modified = client.get("/api/people/", headers={"If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag
    assert not_modified["Access-Control-Allow-Origin"] == "*"
    # A weak form of the same tag (as a compressing proxy sends) matches too.
    assert client.get("/api/people/", headers={"If-None-Match": f"W/{etag}"}).status_code == 304
    assert client.get("/api/people/", headers={"If-None-Match": '"other"'}).status_code == 200
    # A change to the data changes the tag.
    PersonFactory()
    changed = client.get("/api/people/", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


@pytest.mark.django_db(transaction=True)
@override_settings(PAGE_CACHE_SECONDS=300)
def test_304_also_when_served_from_the_page_cache(client):
    PersonFactory()
    first = client.get("/api/people/")
    cached = client.get("/api/people/")
    assert cached["X-Page-Cache"] == "hit"
    assert cached["Access-Control-Allow-Origin"] == "*"
    response = client.get("/api/people/", headers={"If-None-Match": first["ETag"]})
    assert response.status_code == 304


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/organizations/", "/api/people/?page=abc", "/api/people/person-1/"])
def test_any_origin_may_read(client, path):
    response = client.get(path, headers={"Origin": "https://example.org"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]


@pytest.mark.django_db
def test_cors_preflight(client):
    response = client.options(
        "/api/people/",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "If-None-Match" in response["Access-Control-Allow-Headers"]


@pytest.mark.django_db
def test_the_rest_of_the_site_is_not_opened_to_other_origins(client):
    assert "Access-Control-Allow-Origin" not in client.get("/")
    assert "Access-Control-Allow-Origin" not in client.get("/api/")


# --- the documentation page ---


@pytest.mark.django_db
def test_documentation_page_lists_every_endpoint(client):
    response = client.get("/api/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    for collection in ["organizations", "people", "posts", "memberships"]:
        assert f'href="{SITE}/api/{collection}/"' in html
    assert "Meetings and consultations will be listed here" in html
    assert "If-None-Match" in html
    assert "Access-Control-Allow-Origin: *" in html


@pytest.mark.django_db
def test_documented_examples_match_the_real_fields(client):
    """The example responses on /api/ name exactly the fields the API gives."""
    membership = MembershipFactory()
    html = client.get("/api/").content.decode()
    examples = [
        json.loads(block.split("</code>")[0].split("\n\n", 1)[-1].replace("&quot;", '"'))
        for block in html.split("<code>")[1:]
        if "{" in block.split("</code>")[0]
    ]
    organization, one_membership, error = examples
    real = get_json(client, "/api/organizations/?classification=partnership")
    assert organization.keys() == real.keys()
    assert organization["results"][0].keys() == real["results"][0].keys()
    assert one_membership.keys() == get_json(client, f"/api/memberships/membership-{membership.pk}/").keys()
    assert error.keys() == get_json(client, "/api/people/?page=abc", status=400).keys()


# --- fixed query counts ---


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 12])
def test_list_query_counts_are_fixed(client, django_assert_max_num_queries, size):
    make_data(size)
    for url, budget, count in [
        ("/api/organizations/", ORGANIZATIONS_QUERIES, size * 2),
        ("/api/organizations/?classification=partnership", ORGANIZATIONS_QUERIES, size),
        ("/api/organizations/?classification=local_authority", ORGANIZATIONS_QUERIES, size),
        ("/api/people/", LIST_QUERIES, size),
        ("/api/posts/", LIST_QUERIES, size),
        ("/api/memberships/", LIST_QUERIES, size),
    ]:
        with django_assert_max_num_queries(budget):
            data = get_json(client, url)
        assert len(data["results"]) == count, url


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 12])
def test_organizations_second_page_query_count_is_fixed(
    client, monkeypatch, django_assert_max_num_queries, size
):
    monkeypatch.setattr(views, "PAGE_SIZE", size)
    make_data(size)  # size partnerships, then size organisations: page 2 is all organisations
    with django_assert_max_num_queries(ORGANIZATIONS_QUERIES):
        data = get_json(client, "/api/organizations/?page=2")
    assert [item["classification"] for item in data["results"]] == ["local_authority"] * size


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 12])
def test_detail_query_counts_are_fixed(client, django_assert_max_num_queries, size):
    make_data(size)
    membership = MembershipFactory()
    for url in [
        f"/api/organizations/partnership-{membership.seat.partnership_id}/",
        f"/api/organizations/organisation-{membership.seat.organisation_id}/",
        f"/api/people/person-{membership.person_id}/",
        f"/api/posts/post-{membership.seat_id}/",
        f"/api/memberships/membership-{membership.pk}/",
    ]:
        with django_assert_max_num_queries(DETAIL_QUERIES):
            get_json(client, url)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 12])
def test_documentation_page_query_count_is_fixed(client, django_assert_max_num_queries, size):
    make_data(size)
    with django_assert_max_num_queries(DOCS_QUERIES):
        assert client.get("/api/").status_code == 200
