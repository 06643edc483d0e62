"""
A meeting's own parts of its page, beside its items: who attended, the
declarations of interest, and the papers that belong to no item. Rendered
apart from the page and kept with its items' bodies
(meetings.page_content.load_meeting_page).

Made here rather than by templates, as meetings.item_body is and for the same
reason: they are built at each miss of the page cache, and a template's tags
and lookups for each of a few dozen attendees cost more than the queries that
load them. Every value is escaped as Django's escape does (html.escape).
"""

import html

from django.utils.safestring import mark_safe

from .item_body import documents, person_named


def attendance_html(meeting, groups):
    """`groups`: (heading, attendances) for each role, Present first. A
    meeting whose minutes are public but name nobody present says so."""
    if not any(attendances for _heading, attendances in groups):
        return ""
    parts = ['<h2 class="govuk-heading-l" id="attendance">Attendance</h2>']
    for position, (heading, attendances) in enumerate(groups):
        if attendances:
            names = "".join(
                f"<li>{person_named(a.person, a.display_name)}{' (in the Chair)' if a.is_chair else ''}</li>"
                for a in attendances
            )
            parts.append(
                f'<h3 class="govuk-heading-s govuk-!-margin-bottom-1">{html.escape(str(heading))}</h3>\n'
                f'<ul class="govuk-list app-attendance">{names}</ul>'
            )
        elif position == 0 and meeting.minutes_are_public:
            parts.append('<p class="govuk-body">The list of those present is not available online.</p>')
    return mark_safe("\n".join(parts))  # noqa: S308 (every value escaped)


def declarations_html(meeting, declarations, has_items):
    """The declarations of interest, once the minutes are public and the
    meeting has items to declare them on ("None were declared" if none)."""
    if not (meeting.minutes_are_public and has_items):
        return ""
    heading = '<h2 class="govuk-heading-l" id="declarations">Declarations of interest</h2>'
    if not declarations:
        return mark_safe(f'{heading}\n<p class="govuk-body">None were declared.</p>')  # noqa: S308 (constant)
    entries = "\n".join(
        f"<li>{person_named(d.person, d.display_name)}"
        f"{f' (Minute No. {d.item.minute_number}, {html.escape(d.item.title)})' if d.item else ''}"
        f": {html.escape(d.interest)}</li>"
        for d in declarations
    )
    return mark_safe(f'{heading}\n<ul class="govuk-list govuk-list--bullet">\n{entries}\n</ul>')  # noqa: S308


def papers_html(meeting, papers):
    """The meeting's papers of no item (an agenda pack, a webcast's slides)."""
    if not papers:
        return ""
    heading = '<h2 class="govuk-heading-l" id="documents">Documents</h2>'
    return mark_safe(f"{heading}\n{documents(papers, meeting)}")  # noqa: S308 (each paper escaped)
