"""manage.py import_moderngov --partnership SLUG FILE.xml: one saved
GetMeeting response of ModernGov's web service; or, with --base-url, every
meeting of a committee, walked through GetCommittees, GetMeetings and
GetMeeting."""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from meetings.importers.limits import ImportLimit
from meetings.importers.moderngov import ModernGovError, WebService, parse_getmeeting
from meetings.importers.report import describe
from meetings.importers.save import save_meeting
from partnerships.models import Partnership


class Command(BaseCommand):
    help = "Import meetings from ModernGov: a saved GetMeeting XML file, or a committee's meetings from its web service."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="Saved GetMeeting responses (.xml).")
        parser.add_argument("--partnership", required=True, help="The partnership's slug.")
        parser.add_argument(
            "--base-url", help="The council's ModernGov site, e.g. https://democracy.example.gov.uk"
        )
        parser.add_argument(
            "--committee", help="The committee's id or exact title (default: the partnership's name)."
        )
        parser.add_argument("--since", default="2000-01-01", help="First date to import (YYYY-MM-DD).")
        parser.add_argument("--until", help="Last date to import (YYYY-MM-DD; default today).")

    def handle(self, *args, **options):
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"No partnership has the slug {options['partnership']!r}.")
        if not options["files"] and not options["base_url"]:
            raise CommandError("Give GetMeeting XML files, or --base-url to read the web service.")
        try:
            for path in options["files"]:
                with open(path, "rb") as source:
                    self.save(source.read(), partnership)
            if options["base_url"]:
                self.walk(WebService(options["base_url"]), partnership, options)
        except (OSError, ModernGovError, ImportLimit) as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError(f"Stopped; that meeting was not saved. {' '.join(error.messages)}") from error

    def save(self, data, partnership):
        parsed = parse_getmeeting(data)
        # A ModernGov archive is a public record: each meeting is brought to
        # the state the source gives.
        report = save_meeting(parsed, partnership, publish=True)
        self.stdout.write(describe(parsed, report))

    def walk(self, service, partnership, options):
        wanted = options["committee"] or partnership.name
        committees = service.committees()
        committee = next((cid for cid, title in committees if wanted in (cid, title)), None)
        if committee is None:
            raise CommandError(
                f"No committee {wanted!r} at {service.base_url}; it has: "
                + "; ".join(f"{cid} {title}" for cid, title in committees)
            )
        try:
            since = datetime.date.fromisoformat(options["since"])
            until = (
                datetime.date.fromisoformat(options["until"]) if options["until"] else timezone.localdate()
            )
        except ValueError as error:
            raise CommandError(f"Dates are YYYY-MM-DD: {error}") from error
        for meeting_id in service.meeting_ids(committee, since, until):
            self.save(service.meeting(meeting_id), partnership)
