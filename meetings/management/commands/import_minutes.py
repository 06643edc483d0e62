"""manage.py import_minutes FILE --partnership SLUG: the minutes of one
meeting from a Word file (.docx), a PDF, a ModernGov page saved as HTML, or
text, saved as a draft meeting of the partnership."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from meetings.importers.formats import NotMinutes, read_upload
from meetings.importers.limits import ImportLimit
from meetings.importers.report import describe
from meetings.importers.save import save_meeting
from partnerships.models import Partnership


class Command(BaseCommand):
    help = (
        "Import the minutes of one meeting from a Word (.docx), PDF (.pdf), saved ModernGov page "
        "(.html) or text (.txt) file."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--partnership", required=True, help="The partnership's slug.")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish the minutes (by default the meeting is saved as a draft, to review in the "
            "minutes editor, as the Import minutes page leaves it).",
        )

    def handle(self, *args, **options):
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"No partnership has the slug {options['partnership']!r}.")
        path = options["file"]
        try:
            parsed = read_upload(path, path).parsed
        except ImportLimit as error:
            raise CommandError(f"{path} was not read: {error} Nothing was saved.") from error
        except (OSError, NotMinutes) as error:
            raise CommandError(f"Could not read {path}: {error}") from error
        if parsed.date is None:
            raise CommandError(f"{path} gives no date for the meeting; nothing was saved.")
        try:
            report = save_meeting(parsed, partnership, publish=options["publish"])
        except ValidationError as error:
            raise CommandError(f"Nothing was saved. {' '.join(error.messages)}") from error
        self.stdout.write(describe(parsed, report))
