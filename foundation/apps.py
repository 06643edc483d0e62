from django.apps import AppConfig
from django.urls import register_converter


class FoundationConfig(AppConfig):
    name = "foundation"
    verbose_name = "Foundation"

    def ready(self):
        from . import page_cache
        from .converters import CONVERTERS

        page_cache.connect_signals()
        # Here rather than in one app's URLconf, so that every app's URLconf
        # may use them whichever is imported first.
        for name, converter in CONVERTERS.items():
            register_converter(converter, name)
