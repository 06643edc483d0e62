"""Staff users in each role, and the admin's forms as a browser would post
them, for the permission and audit tests."""

from importlib import import_module

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client


def staff_user(username, role, partnerships=()):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "a-long-test-password")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=role))
    for partnership in partnerships:
        partnership.clerks.add(user)
    return user


def restore_clerk_role():
    """The Clerk group as its data migration makes it: a test whose changes
    commit (transaction=True) runs after others have emptied the tables."""
    roles = import_module("partnerships.migrations.0004_staff_roles")
    group, _created = Group.objects.get_or_create(name=roles.CLERK)
    for (app_label, model), actions in roles.ROLES[roles.CLERK].items():
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label, codename__in=[f"{action}_{model}" for action in actions]
            )
        )
    follow_through = import_module("meetings.migrations.0011_clerk_follow_through_permissions")
    for model, actions in follow_through.GRANTS.items():
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="meetings", codename__in=[f"{action}_{model}" for action in actions]
            )
        )
    return group


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def form_data(response, form_id=None):
    """Every value the admin page's form would send as it stands (the first
    option of an unchosen drop-down is empty, as in a browser)."""
    assert response.status_code == 200, response.status_code
    soup = BeautifulSoup(response.content, "html.parser")
    # The change form is "<model>_form" (the header's sign-out is a form too).
    form = soup.find("form", id=form_id or (lambda value: bool(value) and value.endswith("_form")))
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "file"):
            continue
        # A <template>'s fields are the page script's blank rows: a browser
        # sends none of them.
        if field.find_parent("template") is not None:
            continue
        if field.name == "select":
            chosen = [
                option.get("value", "") for option in field.find_all("option") if option.has_attr("selected")
            ]
            if field.has_attr("multiple"):
                data[name] = chosen
            else:
                data[name] = chosen[0] if chosen else ""
        elif field.name == "textarea":
            data[name] = field.get_text()
            # html.parser keeps the newline Django puts after <textarea>.
            if data[name].startswith("\n"):
                data[name] = data[name][1:]
        elif field.get("type") == "checkbox":
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        else:
            data[name] = field.get("value", "")
    return data
