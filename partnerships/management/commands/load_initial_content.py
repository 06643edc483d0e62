from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from partnerships.models import InitialContent


class Command(BaseCommand):
    help = (
        "Load the site's initial content (the partnerships, meetings and consultation from the pages "
        "this site replaces). Each bundle loads once: running the command again changes nothing, and "
        "never overwrites what clerks have since edited."
    )

    def handle(self, *args, **options):
        loaded = set(InitialContent.objects.values_list("key", flat=True))
        for key, load in self.bundles():
            if key in loaded:
                continue
            with transaction.atomic():
                load()
                InitialContent.objects.create(key=key)
            self.stdout.write(f"Loaded {key}")
        self.stdout.write("Initial content is up to date.")

    def bundles(self):
        # Every installed app of ours may have an `initial_content` module
        # with a BUNDLES list; apps load in INSTALLED_APPS order, so meetings
        # can rely on the partnerships being there.
        for config in apps.get_app_configs():
            try:
                module = import_module(f"{config.name}.initial_content")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.initial_content":
                    raise
                continue
            yield from module.BUNDLES
