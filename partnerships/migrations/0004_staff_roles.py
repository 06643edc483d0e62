"""The staff roles as groups of permissions. A clerk's reach is
further limited to the partnerships they are assigned to
(Partnership.clerks; see partnerships/admin_scope.py); a site administrator
reaches every partnership and manages users."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CLERK = "Clerk"
CONSULTATION_OFFICER = "Consultation officer"
SITE_ADMINISTRATOR = "Site administrator"

ALL = ("view", "add", "change", "delete")
ROLES = {
    CLERK: {
        # Their partnerships' own pages: edited, never created or removed.
        ("partnerships", "partnership"): ("view", "change"),
        ("partnerships", "seat"): ALL,
        ("partnerships", "membership"): ALL,
        ("partnerships", "priority"): ALL,
        ("partnerships", "objective"): ALL,
        ("partnerships", "relatedbody"): ALL,
        ("partnerships", "historyevent"): ALL,
        ("partnerships", "achievement"): ALL,
        # Shared by every partnership: a clerk may add and correct people and
        # organisations, but not delete one another partnership relies on.
        ("partnerships", "organisation"): ("view", "add", "change"),
        ("partnerships", "person"): ("view", "add", "change"),
        ("meetings", "meeting"): ALL,
        ("meetings", "agendaitem"): ALL,
        ("meetings", "resolution"): ALL,
        ("meetings", "action"): ALL,
        ("meetings", "attendance"): ALL,
        ("meetings", "declaration"): ALL,
        ("meetings", "document"): ALL,
        ("meetings", "minutesamendment"): ("view",),
        ("glossary", "term"): ALL,
    },
    CONSULTATION_OFFICER: {
        ("consultation", "consultation"): ALL,
        ("consultation", "question"): ALL,
        ("consultation", "choice"): ALL,
        # Responses are residents' words: read, tidied and exported, never
        # made up in the admin (paper responses are keyed in on their page).
        ("consultation", "response"): ("view", "change", "delete"),
        ("consultation", "responsedeletion"): ("view",),
    },
}


def create_roles(apps, schema_editor):
    # Permissions are otherwise created only after every migration has run.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for (app_label, model), actions in grants.items():
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label,
                    codename__in=[f"{action}_{model}" for action in actions],
                )
            )
    # Everything there is, users and groups included.
    administrators, _ = Group.objects.get_or_create(name=SITE_ADMINISTRATOR)
    administrators.permissions.set(Permission.objects.all())


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=[CLERK, CONSULTATION_OFFICER, SITE_ADMINISTRATOR]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("partnerships", "0003_clerks_and_history"),
        ("meetings", "0002_history_and_amendments"),
        ("consultation", "0001_initial"),
        ("glossary", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
