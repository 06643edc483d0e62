import functools
import html

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from foundation.dates import govuk_date
from glossary.markup import first_uses

from ..item_body import copy_request_mailto, linked_text
from ..models import Attendance
from ..models.meetings import meeting_address_of, meeting_label
from ..states import Status

register = template.Library()


@register.simple_tag(takes_context=True)
def linked_paragraphs(context, text, references):
    """{% linked_paragraphs text references %}: clerk-typed text as GOV.UK
    paragraphs (escaped and with glossary terms marked up, like
    `paragraphs`), with each reference to a minute the site holds made a
    link. The references were found when the item was saved
    (ItemReference), so this needs no query. Paragraphs holding an unfilled
    placeholder are left out; with nothing left it is "", so that
    `{% linked_paragraphs ... as html %}{% if html %}` wraps only text."""
    return linked_text(text, references, first_uses(context))


@register.simple_tag(takes_context=True)
def item_body(context, item, level):
    """{% item_body item level %}: the item's body as rendered apart
    (meetings.page_content.load_item_bodies), its headings at `level`, and
    the glossary's terms marked at their first use on this page."""
    from ..page_content import HEADING_LEVEL

    body = item.page_body.replace(f"<h{HEADING_LEVEL} ", f"<h{level} ").replace(
        f"</h{HEADING_LEVEL}>", f"</h{level}>"
    )
    # A body with no glossary term in it needs no glossary (nor its query).
    return first_uses(context).assemble(body) if "\x00" in body else mark_safe(body)  # noqa: S308 (rendered escaped)


@register.simple_tag
def item_contents(items):
    """{% item_contents items %}: the meeting page's contents entry for
    each item, linking to its section."""
    entries = []
    for item in items:
        number = (
            f'<span class="app-contents__number">{item.minute_number}.</span> ' if item.minute_number else ""
        )
        entries.append(
            f'<li><a class="govuk-link" href="#{html.escape(item.anchor)}">{number}{html.escape(item.title)}</a></li>'
        )
    return mark_safe("\n".join(entries))  # noqa: S308 (every value escaped)


@register.simple_tag(takes_context=True)
def item_sections(context, items):
    """{% item_sections items %}: the meeting page's section for each item,
    its heading, its body (item_body, headings at level 4) and a link to
    its own page. Made here rather than by a template loop for the reason
    meetings.item_body gives; every value escaped as Django's escape does."""
    sections = []
    for item in items:
        anchor, title = html.escape(item.anchor), html.escape(item.title)
        heading, own_page = title, ""
        if item.minute_number:
            heading = f"{item.minute_number}. {title}"
            own_page = (
                f'<a class="govuk-link govuk-link--muted" href="{html.escape(item.get_absolute_url())}">'
                f'Link to Minute No. {item.minute_number}<span class="govuk-visually-hidden">: {title}</span></a> · '
            )
        sections.append(
            f'<section class="app-item" id="{anchor}" aria-labelledby="{anchor}-title">\n'
            f'<h3 class="govuk-heading-m" id="{anchor}-title">{heading}</h3>\n'
            f"{item_body(context, item, 4)}\n"
            f'<p class="govuk-body-s app-meta app-no-print app-citation">{own_page}'
            '<a class="govuk-link govuk-link--muted" href="#contents">Back to contents</a></p>\n'
            "</section>"
        )
    return mark_safe("\n".join(sections))  # noqa: S308 (every value escaped, each body rendered escaped)


@register.simple_tag
def meeting_cards(meetings, show_partnership=False):
    """A list of meetings as cards (`meetings/_meeting_list.html`): each one's
    date linking to its page (after its partnership's name, with
    `show_partnership`), its time and place, and what its page offers. Made
    here rather than by a template loop: list pages show dozens, and a loop
    of the card's dozen lookups and filters cost about 50 microseconds a
    card; with f-strings rather than format_html, a fifth of that again,
    every value escaped as Django's escape does. `meetings` are the rows of
    Meeting.objects.listed()."""
    cards = []
    address_of, today = meeting_address_of.for_rows(), timezone.localdate()
    for meeting in meetings:
        when = govuk_date(meeting.date, "weekday")
        title = f"{meeting.partnership__name}, {when}" if show_partnership else when
        time = govuk_date(meeting.start_time, "time") if meeting.start_time else ""
        state = ""
        if meeting.status in (Status.CANCELLED, Status.POSTPONED):
            state = f'<strong class="govuk-tag govuk-tag--red">{html.escape(Status(meeting.status).label)}</strong>'
        label = meeting_label(
            meeting.status, meeting.minutes_status, meeting.date, meeting.postponed_to__date, today
        )
        address = address_of(meeting.partnership__slug, meeting.date.isoformat())
        cards.append(
            '<li class="app-card-list__item">\n'
            '<h3 class="govuk-heading-s govuk-!-margin-bottom-1">'
            f'<a class="govuk-link" href="{html.escape(address)}">{html.escape(title)}</a></h3>\n'
            '<p class="govuk-body-s govuk-!-margin-bottom-2">\n'
            f"{html.escape(time)}{', ' if time and meeting.venue else ''}{html.escape(meeting.venue)}\n{state}\n"
            f'<span class="govuk-!-display-block app-meta">{html.escape(label)}</span>\n</p>\n</li>'
        )
    return mark_safe('<ul class="app-card-list">\n' + "\n".join(cards) + "\n</ul>")  # noqa: S308 (each value escaped)


@register.simple_tag
def attendance_record(rows):
    """A person's attendance, one list item a meeting (rows of
    meetings.people.ATTENDANCE_FIELDS): the partnership and date linking to
    the meeting's attendance, then the role. Made here rather than by a
    template loop, since a long-serving member's page lists some 85."""
    roles = {role: html.escape(label.lower()) for role, label in Attendance.Role.choices}
    return mark_safe(  # noqa: S308 (every value escaped)
        "\n".join(
            f'<li><a class="govuk-link" href="'
            f"{html.escape(meeting_address_of(row.meeting__partnership__slug, row.meeting__date.isoformat()))}"
            f'#attendance">{html.escape(row.meeting__partnership__name)}, {html.escape(govuk_date(row.meeting__date, "date"))}'
            f"</a>: {roles[row.role]}{' (in the Chair)' if row.is_chair else ''}</li>"
            for row in rows
        )
    )


@register.simple_tag
def partnership_options(partnerships, chosen):
    """The <option>s of a list's partnership filter, `chosen` selected: made
    here rather than by a template loop, since a national site lists some
    300 partnerships on every list page that filters by one."""
    chosen_pk = chosen.pk if chosen else None
    return mark_safe(  # noqa: S308 (every value escaped)
        "".join(
            f"{start} selected{end}" if pk == chosen_pk else f"{start}{end}"
            for pk, start, end in _escaped_options(tuple((p.pk, p.slug, p.name) for p in partnerships))
        )
    )


@register.simple_tag
def year_options(years, chosen):
    """The <option>s of a list's municipal-year filter ("2019/20"), `chosen`
    selected: a national site's meetings span many more years than the
    seed content's, and a template loop costs a dozen lookups an option."""
    options = []
    for year in years:
        label = html.escape(year)
        options.append(f'<option value="{label}"{" selected" if year == chosen else ""}>{label}</option>')
    return mark_safe("".join(options))  # noqa: S308 (every value escaped)


@functools.lru_cache(maxsize=16)
def _escaped_options(partnerships):
    """Each option's pk and its HTML before and after where "selected" goes,
    for (pk, slug, name) triples: escaped once for the same triples, so a
    renamed or added partnership is a new key."""
    return [
        (pk, f'<option value="{html.escape(slug)}"', f">{html.escape(name)}</option>")
        for pk, slug, name in partnerships
    ]


@register.simple_tag
def partnership_meeting_links(partnerships):
    """The meetings list's link to each partnership's meetings, as list
    items: made here rather than by a template loop, with one reverse() for
    all their addresses, and kept for the same partnerships' slugs and names
    (some 300 nationally), for the same reasons as partnership_options."""
    return _meeting_links(
        reverse("meetings:partnership", args=["-"]), tuple((p.slug, p.name) for p in partnerships)
    )


@functools.lru_cache(maxsize=16)
def _meeting_links(address, partnerships):
    return mark_safe(  # noqa: S308 (every value escaped)
        "\n".join(
            f'<li><a class="govuk-link" href="{html.escape(address.replace("/-/", f"/{slug}/"))}">'
            f"Meetings of the {html.escape(name)}</a></li>"
            for slug, name in partnerships
        )
    )


# {% copy_request_mailto document meeting accessible %}
register.simple_tag(copy_request_mailto)
