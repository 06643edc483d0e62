"""What an import made, in words, for the commands' output."""

from django.conf import settings
from django.urls import reverse

from .names import AMBIGUOUS, SUGGESTED, Matcher


def describe(parsed, report):
    """What an import command made of a meeting, and where the clerk reviews it."""
    meeting = report.meeting
    resolutions = sum(len(item.resolutions) for item in parsed.items)
    lines = [
        f"{meeting} ({meeting.get_absolute_url()})",
        f"  {len(parsed.items)} items, {resolutions} resolutions, {len(parsed.attendees)} attendees, "
        f"{len(parsed.declarations)} declarations, "
        f"{len(parsed.documents) + sum(len(item.documents) for item in parsed.items)} documents",
        f"  {len(report.created)} records made, {len(report.changed)} changed",
        f"  Review it in the minutes editor: {settings.SITE_URL}"
        f"{reverse('admin:meetings_meeting_editor', args=[meeting.pk])}",
    ]
    if parsed.next_meeting:
        lines.append(f"  Next meeting: {parsed.next_meeting.text}")
    if report.unmatched_people:
        lines.append("  Names not linked to a person on the site (kept as printed; link them in the editor):")
        matcher = Matcher()
        matcher.prefetch(report.unmatched_people)
        for name in dict.fromkeys(report.unmatched_people):
            match = matcher(name)
            if match.kind == SUGGESTED:
                lines.append(f"    {name}: perhaps {match.person.full_name}")
            elif match.kind == AMBIGUOUS:
                could_be = " or ".join(person.full_name for person in match.candidates)
                lines.append(f"    {name}: could be {could_be}")
            else:
                lines.append(f"    {name}")
    if parsed.unplaced:
        lines.append("  Could not place (not saved; add it by hand if it belongs):")
        for text in parsed.unplaced:
            lines += [f"    | {line}" for line in text.split("\n")]
    else:
        lines.append("  Everything was placed.")
    return "\n".join(lines)
