"""
An agenda item's body, as the meeting page and the minute page show it: who
presented it, its agenda text and papers, its minutes, what was resolved (with
each resolution's actions and the later minutes that reported on them), the
actions it reported on, the minutes it confirmed, and the later minutes that
cite it. An exempt item shows only why it is not published.

Made here rather than by a template: a meeting's page is built at each miss of
the page cache, and a template of the body's sixty-odd tags and lookups cost
about 150 microseconds an item, half the build of a page of fifteen items once
its queries were compiled (foundation.fixed_queries). Every value is escaped
(`escaped`, conditional_escape's rule); clerk-typed text goes through the
glossary's marks (glossary.markup), which escape it. The parts are f-strings
rather than format_html: a page of fifteen items made some 110 format_html
calls, each escaping its values through Django's lazy-text wrappers, a tenth
of the page's build.

The item comes loaded by meetings.page_content (item.page_resolutions,
page_references, page_cited_by, page_confirmed_meetings,
page_action_reports and item_documents), so this runs no query.
"""

import html
import re
from urllib.parse import quote, urlencode

from django.utils.safestring import mark_safe

from foundation.dates import govuk_date
from foundation.templatetags.site_tags import as_paragraphs, lines

from .placeholders import without_placeholders


def escaped(value):
    """`value` as HTML, as Django's conditional_escape makes it: HTML
    already (a SafeString) as it is, anything else its text escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def linked_text(text, references, glossary):
    """Clerk-typed text as GOV.UK paragraphs (escaped, glossary terms marked
    by `glossary`), with each reference to a minute the site holds (an
    ItemReference, found when the item was saved) made a link. Paragraphs
    holding an unfilled placeholder are left out; with nothing left it is ""."""
    text = without_placeholders(text)
    if not text:
        return ""
    links = {ref.text: ref.to_item.get_absolute_url() for ref in references if ref.to_item_id}
    if not links:
        return as_paragraphs(text, glossary)
    pattern = re.compile("|".join(re.escape(key) for key in sorted(links, key=len, reverse=True)))

    def with_links(block):
        parts, position = [], 0
        for match in pattern.finditer(block):
            parts.append(lines(block[position : match.start()], glossary))
            parts.append(
                f'<a class="govuk-link" href="{html.escape(links[match[0]])}">'
                f"{html.escape(' '.join(match[0].split()))}</a>"
            )
            position = match.end()
        parts.append(lines(block[position:], glossary))
        return mark_safe("".join(parts))  # noqa: S308 (every part escaped by lines() or here)

    return as_paragraphs(text, render=with_links)


def render_item_body(item, meeting, glossary, level):
    """The body's HTML: `glossary` marks the terms in clerk-typed text (a
    DeferredMarks, for a body cached apart from its page), `level` is the
    level of its headings."""
    parts = [presented_by(item)]
    if item.is_exempt:
        reason = f" ({html.escape(item.exempt_reason)})" if item.exempt_reason else ""
        parts.append(
            '<div class="govuk-inset-text">\n  This item was considered in private: it is exempt from '
            f"publication under paragraph {escaped(item.exempt_paragraph)} of Part 1 of Schedule 12A to the "
            f"Local Government Act 1972{reason}.\n</div>"
        )
    else:
        agenda_text = linked_text(item.agenda_text, item.page_references, glossary)
        if agenda_text:
            parts.append(f'<div class="app-prose app-agenda-text">{escaped(agenda_text)}</div>')
        if item.item_documents:
            parts.append(heading(level, "Documents"))
            parts.append(documents(item.item_documents, meeting))
        if meeting.minutes_are_public:
            parts += minutes_and_resolutions(item, glossary, level)
    parts.append(cited_by(item.page_cited_by, level))
    return mark_safe("\n".join(part for part in parts if part))  # noqa: S308 (each part escaped)


def heading(level, text):
    return f'<h{level} class="govuk-heading-s">{html.escape(text)}</h{level}>'


def person_named(person, name):
    """`name` as the minutes print it, linking to the person's page when the
    site knows who they are."""
    named = html.escape(name)
    if person is not None:
        named = f'<a class="govuk-link" href="{html.escape(person.get_absolute_url())}">{named}</a>'
    return mark_safe(named)  # noqa: S308 (escaped)


def presented_by(item):
    name = item.presenter_display
    if not name:
        return ""
    return f'<p class="govuk-body app-meta">Presented by {person_named(item.presenter, name)}</p>'


def documents(papers, meeting):
    """A list of papers, each its title linking to its file (and to its
    copy to read online), or to where it is published, or saying how to ask
    the clerk for a copy: an item's papers, or the meeting's papers of no
    item (meetings.meeting_parts)."""
    entries = "".join(paper_entry(paper, meeting) for paper in papers)
    return mark_safe(f'<ul class="govuk-list app-documents">\n  {entries}\n</ul>')  # noqa: S308 (escaped)


def paper_entry(paper, meeting):
    title = html.escape(paper.title)
    kind = html.escape(paper.format_display)
    if paper.is_available:
        entry = (
            f'<a class="govuk-link" href="{html.escape(paper.get_absolute_url())}" download>{title}'
            f'<span class="app-meta"> ({kind})</span></a>'
        )
        if paper.has_reading_copy:
            entry += (
                f' <a class="govuk-link" href="{html.escape(meeting.get_absolute_url())}papers/{paper.pk}/">'
                f'Read online<span class="govuk-visually-hidden">: {title}</span></a>'
            )
    elif paper.source_url:
        entry = (
            f'<a class="govuk-link" href="{html.escape(paper.source_url)}">{title}'
            f'<span class="app-meta">{f" ({kind})" if kind else ""}</span></a>'
        )
        if paper.published_on:
            entry += f'<span class="app-meta">, published {govuk_date(paper.published_on, "date")}</span>'
    else:
        entry = f'{title}{f"""<span class="app-meta"> ({kind})</span>""" if kind else ""}\n  {not_online(paper, meeting)}'
    return f"<li>\n  {entry}\n</li>"


def not_online(paper, meeting):
    """What a paper not online says: whom to ask for a copy, and how."""
    partnership = meeting.partnership
    clerk = html.escape(partnership.contact_name or "the clerk")
    if partnership.contact_email:
        ask = (
            f' <a class="govuk-link" href="{html.escape(copy_request_mailto(paper, meeting))}">Email {clerk}'
            f' to ask for a copy<span class="govuk-visually-hidden"> of {html.escape(paper.title)}</span></a>.'
        )
    elif partnership.contact_phone:
        ask = f" Call {clerk} on {html.escape(partnership.contact_phone)} to ask for a copy."
    else:
        ask = ""
    return f'<span class="govuk-!-display-block app-meta">This document is not available online.{ask}</span>'


def copy_request_mailto(document, meeting, accessible=False):
    """A mailto: address asking the partnership's clerk for a copy of a
    document not online (or, with `accessible`, for an accessible copy of
    one), the document and meeting named in the subject."""
    partnership = meeting.partnership
    wanted = "an accessible copy" if accessible else "a copy"
    subject = (
        f"Request for {wanted}: {document.title}, {partnership.name} meeting of {govuk_date(meeting.date)}"
    )
    return f"mailto:{partnership.contact_email}?{urlencode({'subject': subject}, quote_via=quote)}"


def minutes_and_resolutions(item, glossary, level):
    parts = []
    minutes = linked_text(item.minutes, item.page_references, glossary)
    if minutes:
        parts += [heading(level, "Minutes"), f'<div class="app-prose">{escaped(minutes)}</div>']
    resolutions = item.page_resolutions
    if resolutions:
        parts.append(heading(level, "Resolved"))
        if item.resolution_preamble:
            parts.append(
                f'<p class="govuk-body app-resolutions__preamble">{html.escape(item.resolution_preamble)}</p>'
            )
        numbered = len(resolutions) > 1
        entries = "\n".join(resolution_entry(resolution, numbered, glossary) for resolution in resolutions)
        parts.append(f'<ol class="app-resolutions">\n{entries}\n</ol>')
    if item.page_action_reports:
        parts.append(heading(level, "Actions reported on"))
        entries = "\n".join(action_report(report) for report in item.page_action_reports)
        parts.append(f'<ul class="govuk-list">\n{entries}\n</ul>')
    for confirmed in item.page_confirmed_meetings:
        parts.append(
            '<p class="govuk-body">These are the minutes that confirmed the <a class="govuk-link" '
            f'href="{html.escape(confirmed.get_absolute_url())}">minutes of the meeting held on '
            f"{html.escape(govuk_date(confirmed.date, 'date'))}</a> as a correct record.</p>"
        )
    return parts


def resolution_entry(resolution, numbered, glossary):
    number = (
        f'<span class="app-resolutions__number">({escaped(resolution.number)})</span>' if numbered else ""
    )
    text = as_paragraphs(resolution.text, glossary) if resolution.text else ""
    actions = "\n".join(action_entry(action) for action in resolution.page_actions)
    followups = ""
    if resolution.page_followups:
        links = "; ".join(
            f'<a class="govuk-link" href="{html.escape(later.get_absolute_url())}">'
            f"{html.escape(f'Minute No. {later.minute_number}' if later.minute_number else later.title)}, "
            f"{html.escape(govuk_date(later.meeting.date, 'date'))}</a>"
            for later in resolution.page_followups
        )
        followups = f'<p class="govuk-body-s">Reported on at {links}.</p>'
    return (
        f'<li class="app-resolutions__item" id="{html.escape(resolution.anchor)}">\n{number}\n'
        f'<div class="app-resolutions__text">{escaped(text)}\n{actions}\n{followups}\n</div>\n</li>'
    )


def action_entry(action):
    owner = person_named(action.owner, action.owner_display)
    if action.is_done:
        progress = '<strong class="govuk-tag govuk-tag--green">Done</strong>'
    elif action.is_done is False:
        progress = '<strong class="govuk-tag govuk-tag--yellow">Not done yet</strong>'
    else:
        progress = '<span class="app-meta">Progress not recorded.</span>'
    due = f", by {html.escape(govuk_date(action.due_on, 'date'))}" if action.due_on else ""
    return (
        f'<p class="govuk-body-s">\n<strong>Action:</strong> {owner}: {escaped(action.description)}{due}.'
        f"\n{progress}\n</p>"
    )


def action_report(report):
    action = report.action
    resolution = action.resolution
    colour = "govuk-tag--green" if report.status == "done" else "govuk-tag--yellow"
    note = f" {html.escape(report.note)}" if report.note else ""
    return (
        f"<li>{escaped(action.description)} ({escaped(action.owner_display)}), from "
        f'<a class="govuk-link" href="{html.escape(resolution.get_absolute_url())}">'
        f"{escaped(resolution.citation)} of {html.escape(govuk_date(resolution.item.meeting.date, 'date'))}</a>: "
        f'<strong class="govuk-tag {colour}">{escaped(report.get_status_display())}</strong>{note}</li>'
    )


def cited_by(references, level):
    if not references:
        return ""
    entries = "\n".join(
        f'<li><a class="govuk-link" href="{html.escape(reference.from_item.get_absolute_url())}">'
        f"Minute No. {escaped(reference.from_item.minute_number)}, "
        f"{html.escape(govuk_date(reference.from_item.meeting.date, 'date'))}: "
        f"{escaped(reference.from_item.title)}</a></li>"
        for reference in references
    )
    return f'{heading(level, "Later minutes on this")}\n<ul class="govuk-list">\n{entries}\n</ul>'
