"""Clerks keep the site's contact details, as they keep their partnerships';
site administrators have every permission, this new model's included."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {"Clerk": ("view", "add", "change"), "Site administrator": ("view", "add", "change", "delete")}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("partnerships")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, actions in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="partnerships",
                codename__in=[f"{action}_sitecontact" for action in actions],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0005_contact_address_and_site_contact"),
        ("partnerships", "0004_staff_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
