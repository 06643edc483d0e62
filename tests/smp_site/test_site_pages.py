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
