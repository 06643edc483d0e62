"""What an import made, in words, for the commands' output."""


def describe(parsed, report):
    meeting = report.meeting
    resolutions = sum(len(item.resolutions) for item in parsed.items)
    lines = [
        f"{meeting} ({meeting.get_absolute_url()})",
        f"  {len(parsed.items)} items, {resolutions} resolutions, {len(parsed.attendees)} attendees, "
        f"{len(parsed.declarations)} declarations, "
        f"{len(parsed.documents) + sum(len(item.documents) for item in parsed.items)} documents",
        f"  {len(report.created)} records made, {len(report.changed)} changed",
    ]
    if parsed.next_meeting:
        lines.append(f"  Next meeting: {parsed.next_meeting.text}")
    if report.unmatched_people:
        lines.append("  Names not matched to a person on the site (kept as printed):")
        lines += [f"    {name}" for name in dict.fromkeys(report.unmatched_people)]
    if parsed.unplaced:
        lines.append("  Could not place (not saved; add it by hand if it belongs):")
        for text in parsed.unplaced:
            lines += [f"    | {line}" for line in text.split("\n")]
    else:
        lines.append("  Everything was placed.")
    return "\n".join(lines)
