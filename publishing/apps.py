from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "Publishing"

    def ready(self):
        from smp_site import content

        from .content import CONTENT

        content.register(*CONTENT)
