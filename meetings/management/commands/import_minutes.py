"""manage.py import_minutes FILE --partnership SLUG: minutes typed in Word
(.docx) or as text, saved as a draft meeting of the partnership."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from meetings.importers.docx import parse_docx
from meetings.importers.report import describe
from meetings.importers.save import save_meeting
from meetings.importers.text import parse_text
from partnerships.models import Partnership


class Command(BaseCommand):
    help = "Import the minutes of one meeting from a Word (.docx) or text file."

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
            if path.lower().endswith(".docx"):
                parsed = parse_docx(path)
            else:
                with open(path, encoding="utf-8-sig") as source:
                    parsed = parse_text(source.read())
        except (OSError, ValueError) as error:
            raise CommandError(f"Could not read {path}: {error}") from error
        if parsed.date is None:
            raise CommandError(f"{path} gives no date for the meeting; nothing was saved.")
        try:
            report = save_meeting(parsed, partnership, publish=options["publish"])
        except ValidationError as error:
            raise CommandError(f"Nothing was saved. {' '.join(error.messages)}") from error
        self.stdout.write(describe(parsed, report))
