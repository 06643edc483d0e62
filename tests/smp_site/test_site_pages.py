import pytest
from django.test import override_settings


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accessibility/", "/privacy/", "/cookies/", "/contact/"])
def test_footer_pages(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert b'href="/accessibility/"' in response.content


@pytest.mark.django_db
def test_accessibility_statement_has_the_required_sections(client):
    page = client.get("/accessibility/").content.decode()
    for heading in [
        "Compliance status",
        "Non-accessible content",
        "Enforcement procedure",
        "Preparation of this accessibility statement",
    ]:
        assert heading in page


@pytest.mark.django_db
def test_contact_page_lists_partnership_contacts(client, initial_content):
    page = client.get("/contact/").content.decode()
    assert "Paul Fraser, Democratic Services Officer" in page


@pytest.mark.django_db
def test_server_error_page_is_in_the_site_style(client):
    from django.urls import include, path

    def broken(request):
        raise RuntimeError("boom")

    urlconf = type(
        "urls",
        (),
        {
            "urlpatterns": [path("broken/", broken), path("", include("smp_site.urls"))],
            "handler500": "smp_site.views.server_error",
        },
    )
    client.raise_request_exception = False
    with override_settings(ROOT_URLCONF=urlconf):
        response = client.get("/broken/")
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content
    assert b"Merseyside Community Safety Partnerships" in response.content


@pytest.mark.django_db
def test_navigation_marks_the_current_section(client):
    page = client.get("/partnerships/").content.decode()
    assert 'aria-current="true"' in page
    assert '<strong class="govuk-service-navigation__active-fallback">Partnerships</strong>' in page


@pytest.mark.django_db
def test_every_pages_own_links_follow_the_script_prefix_it_is_served_under(client):
    """The header's, feeds' and footer's addresses are reversed once for
    each script prefix (smp_site.context_processors): a site served under
    /governance/ links there, and the same process serving at / links to /."""
    links = [
        'href="{}"',  # the home page
        'href="{}accessibility/"',
        'href="{}glossary/"',
        'href="{}partnerships/"',  # the navigation
        'action="{}search/"',
        'href="{}meetings/minutes.atom"',
    ]
    from django.urls import get_script_prefix, set_script_prefix

    before = get_script_prefix()
    try:
        for prefix in ["/governance/", "/", "/governance/"]:
            # As the WSGI handler sets it from SCRIPT_NAME (the test client does not).
            set_script_prefix(prefix)
            page = client.get("/partnerships/").content.decode()
            for link in links:
                assert link.format(prefix) in page, (prefix, link)
            if prefix == "/":
                assert "/governance/" not in page
    finally:
        set_script_prefix(before)
