"""Consultation officers read the results and export the responses.
Site administrators get these, like every permission, from
partnerships.apps.give_site_administrators_every_permission."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_results", "export_responses"]


def grant(apps, schema_editor):
    # Permissions are otherwise created only after every migration has run.
    app_config = apps.get_app_config("consultation")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="consultation", codename__in=CODENAMES)
    for group in Group.objects.filter(name__in=["Consultation officer", "Site administrator"]):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="Consultation officer"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="consultation", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("consultation", "0002_history_and_results_permissions"),
        ("partnerships", "0004_staff_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
