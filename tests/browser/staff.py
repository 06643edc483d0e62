"""Signing in as staff in the browser tests."""

from playwright.sync_api import expect

PASSWORD = "a-long-test-password"


def sign_in(page, username, next_page="/admin/"):
    """Sign in on the admin's sign-in page, then wait for `next_page`."""
    page.goto(f"/admin/login/?next={next_page}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    if next_page == "/admin/":
        expect(page.get_by_role("heading", name="Partnerships, meetings and consultations")).to_be_visible()
