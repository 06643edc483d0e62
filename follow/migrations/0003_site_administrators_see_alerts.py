"""The Site administrator role sees the alert tables (follow/admin.py); no
other role does, since they hold residents' email addresses."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SITE_ADMINISTRATOR = "Site administrator"
GRANTS = {
    "subscription": ("view", "delete"),
    "outgoingemail": ("view", "change"),
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("follow")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=SITE_ADMINISTRATOR)
    for model, actions in GRANTS.items():
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="follow", codename__in=[f"{action}_{model}" for action in actions]
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("follow", "0002_backfill_publications"),
        ("partnerships", "0004_staff_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
