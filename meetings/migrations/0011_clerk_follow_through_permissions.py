"""Clerks keep their partnerships' work programmes, and read the reports on
actions and the reading copies of papers (both written by the site: the
reports through the meeting's page of actions, the copies by the background
job)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "workprogrammeitem": ("view", "add", "change", "delete"),
    "actionupdate": ("view",),
    "accessibleversion": ("view",),
}


def grant(apps, schema_editor):
    # Permissions are otherwise created only after every migration has run.
    app_config = apps.get_app_config("meetings")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    clerks = Group.objects.filter(name="Clerk").first()
    if clerks is None:
        return
    for model, actions in GRANTS.items():
        clerks.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="meetings", codename__in=[f"{action}_{model}" for action in actions]
            )
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    clerks = apps.get_model("auth", "Group").objects.filter(name="Clerk").first()
    if clerks is not None:
        clerks.permissions.remove(
            *Permission.objects.filter(content_type__app_label="meetings", codename__endswith=tuple(GRANTS))
        )


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0010_accessible_versions_action_updates_work_programme"),
        ("partnerships", "0004_staff_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
