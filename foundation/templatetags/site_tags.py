from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from foundation.dates import govuk_date as format_govuk_date
from foundation.text import in_sentence
from glossary.markup import first_uses

register = template.Library()


# {{ meeting.page_title|in_sentence }}: "postponed to 6 March 2027" inside a sentence.
register.filter(in_sentence)


@register.filter
def govuk_date(value, style="date"):
    """A date or time as GOV.UK writes it; see foundation/dates.py for the styles."""
    return format_govuk_date(value, style)


@register.simple_tag
def crumb(label, href):
    """One item of the GOV.UK breadcrumbs in base.html's `crumbs` block."""
    return format_html(
        '<li class="govuk-breadcrumbs__list-item"><a class="govuk-breadcrumbs__link" href="{}">{}</a></li>',
        href,
        label,
    )


def lines(text, glossary=None):
    """One paragraph's text, escaped, its single line breaks kept as <br>,
    and with `glossary` (a glossary.markup.FirstUses) the page's first use
    of each term marked up."""
    escape = glossary.mark if glossary else conditional_escape
    return mark_safe("<br>".join(escape(line) for line in text.split("\n")))  # noqa: S308 (escaped)


def as_paragraphs(text, glossary=None, render=None):
    """Plain text typed by a clerk, as GOV.UK paragraphs: a blank line starts
    a new paragraph. `render(block)` makes each one's HTML and must escape
    it; by default `lines`, with the glossary's terms marked up."""
    blocks = (block.strip() for block in str(text or "").replace("\r\n", "\n").split("\n\n"))
    blocks = [block for block in blocks if block]
    if not blocks:
        return ""
    render = render or (lambda block: lines(block, glossary))
    # Joined with an f-string rather than format_html_join, which costs
    # several times more per paragraph; every block is escaped all the same.
    return mark_safe(  # noqa: S308 (each block escaped)
        "\n".join(f'<p class="govuk-body">{conditional_escape(render(block))}</p>' for block in blocks)
    )


@register.simple_tag(takes_context=True)
def paragraphs(context, text, abbreviations=True):
    """{% paragraphs text %}: clerk-typed text as paragraphs, a single line
    break staying a line break, the page's first use of each glossary term
    marked up with <abbr> (not with abbreviations=False). Everything is
    escaped, so no markup a clerk types reaches a visitor."""
    if not text:
        return ""
    return as_paragraphs(text, first_uses(context) if abbreviations else None)


@register.simple_tag(takes_context=True)
def glossary_text(context, text):
    """{% glossary_text text %}: one line of clerk-typed text (a priority,
    an objective), escaped, with the page's first use of each glossary term
    marked up like `paragraphs` does."""
    return first_uses(context).mark(str(text)) if text else ""
