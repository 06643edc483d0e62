from django.apps import AppConfig
from django.db.models.signals import post_migrate


def give_site_administrators_every_permission(sender, using="default", **kwargs):
    """The Site administrator group may do everything: after each
    app's permissions are created (by django.contrib.auth, whose handler runs
    first), add them to the group, so that apps and models added after the
    group's migration are included too."""
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.using(using).filter(name="Site administrator").first()
    if group is not None:
        group.permissions.add(*Permission.objects.using(using).filter(content_type__app_label=sender.label))


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = "Partnerships, organisations and people"

    def ready(self):
        post_migrate.connect(
            give_site_administrators_every_permission, dispatch_uid="site-administrator-permissions"
        )
