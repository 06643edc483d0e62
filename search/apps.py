from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        # Keep the index in step with every save and delete of what it covers.
        from . import signals

        signals.connect()
