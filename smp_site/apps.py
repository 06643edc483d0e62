from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site's wiring (settings, URLconf, middleware, logs) and its own
    pages: the layer that ties the apps together."""

    name = "smp_site"
    verbose_name = "Site"

    def ready(self):
        # Connects what two-factor sign-in notes at each sign-in.
        from . import two_factor  # noqa: F401
