from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "Publishing"

    def ready(self):
        from smp_site import content

        from .content import CONTENT, partnership_id_of_slug

        content.register(*CONTENT)
        content.register_partnership_lookup(partnership_id_of_slug)
