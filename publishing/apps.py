from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "Publishing"

    def ready(self):
        from foundation import content
        from meetings.page_content import meetings_showing

        from .content import CONTENT, partnership_id_of_slug

        content.register(*CONTENT)
        content.register_partnership_lookup(partnership_id_of_slug)
        content.register_meetings_showing(meetings_showing)
